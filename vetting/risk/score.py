"""Score a case: an exclusion assessment, or a weighted sum routed by the model's thresholds to a level of control."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .evaluate import Assessment, IndicatorResult
from .indicators import FIRED, INSUFFICIENT
from .model import Model, Text

BASIC_DONE = "basic_done"
DEEPENED_CHECK = "deepened_check"
JOINT_REVIEW = "joint_review"
EXCLUSION_ASSESSMENT = "exclusion_assessment"
LEVELS = (BASIC_DONE, DEEPENED_CHECK, JOINT_REVIEW, EXCLUSION_ASSESSMENT)  # in rising order

LEVEL_TEXT = {
    BASIC_DONE: Text("grundkontroll klar", "basic check done"),
    DEEPENED_CHECK: Text("fördjupad kontroll", "deepened check"),
    JOINT_REVIEW: Text("gemensam granskning av upphandling och säkerhet före tilldelning",
                       "joint procurement–security review before award"),
    EXCLUSION_ASSESSMENT: Text("uteslutningsprövning", "exclusion assessment"),
}
SEVERITY_TEXT = {"exclusion": Text("uteslutning", "exclusion"), "high": Text("hög", "high"),
                 "medium": Text("medel", "medium"), "low": Text("låg", "low")}


@dataclass(frozen=True, slots=True)
class ExclusionGround:
    """A fired exclusion indicator: the ground to assess, its legal basis and what fired it."""

    indicator_id: str
    legal_basis: str
    name: Text
    detail: str


@dataclass(frozen=True)
class Score:
    """The level of control a case needs, the score behind it and the reasons in plain words (sv and en).

    ``total`` is the weighted sum of fired indicators times ``multiplier``; it is computed also when an
    exclusion indicator fired, for information only: the level is then an exclusion assessment whatever the sum.
    """

    level: str
    total: float
    multiplier: float
    reasons: tuple[Text, ...]
    exclusion_grounds: tuple[ExclusionGround, ...]
    insufficient: tuple[str, ...] = ()
    model_version: str = ""


def _sv(text: str) -> str:
    """Numbers in a Swedish sentence: decimal comma."""
    return text.replace(".", ",")


def _n(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _level_by_total(model: Model, total: float) -> str:
    if total >= model.thresholds.joint_review:
        return JOINT_REVIEW
    if total >= model.thresholds.deepened:
        return DEEPENED_CHECK
    return BASIC_DONE


def score(model: Model, results: Assessment | Sequence[IndicatorResult], risk_industry: bool,
          manual_facts: frozenset[str] = frozenset()) -> Score:
    """Route a case: any fired exclusion indicator opens an exclusion assessment; otherwise the weighted sum of
    fired indicators (× the multiplier in a risk-exposed industry) is compared with the thresholds.

    Indicators without data never lower the level. When more than ``max_insufficient_share`` of the automatic
    indicators (those needing no officer's answer) lack data, the level is at least a deepened check: in the
    spirit of EBM's checklist, a case that could not be checked is not a clean case. Indicators whose facts
    only a manual source gives (``manual_facts``) are not counted there: the questionnaire asks for them, and
    their absence alone must not push every supplier up a level.
    """
    items = results.results if isinstance(results, Assessment) else tuple(results)
    indicators = {i.id: i for i in model.indicators}
    fired = [r for r in items if r.state == FIRED]
    unknown = [r for r in items if r.state == INSUFFICIENT]
    grounds = tuple(ExclusionGround(r.id, indicators[r.id].legal_basis, indicators[r.id].name, r.detail)
                    for r in fired if r.severity == "exclusion")
    multiplier = model.risk_industry.multiplier if risk_industry else 1.0
    raw = sum(r.contribution for r in fired if r.severity != "exclusion")
    total = round(raw * multiplier, 6)  # rounding keeps 4.0 × 1.5 from landing a hair below a threshold of 6
    automatic_ids = {i.id for i in model.automatic if not (i.facts and set(i.facts) <= manual_facts)}
    automatic = [r for r in items if r.id in automatic_ids]
    unknown_automatic = [r for r in automatic if r.state == INSUFFICIENT]
    share = len(unknown_automatic) / len(automatic) if automatic else 0.0
    too_unknown = share > model.thresholds.max_insufficient_share

    level = EXCLUSION_ASSESSMENT if grounds else _level_by_total(model, total)
    if too_unknown and LEVELS.index(level) < LEVELS.index(DEEPENED_CHECK):
        level = DEEPENED_CHECK

    reasons: list[Text] = []
    for g in grounds:
        reasons.append(Text(f"Uteslutningsprövning krävs: {g.indicator_id} {g.name.sv} ({g.legal_basis}): "
                            f"{g.detail}.",
                            f"Exclusion assessment required: {g.indicator_id} {g.name.en} ({g.legal_basis}): "
                            f"{g.detail}."))
    if grounds:
        reasons.append(Text("Modellen flaggar bara: en tjänsteman prövar uteslutningen efter att leverantören "
                            "hörts.",
                            "The model only flags: an official decides on exclusion after hearing the supplier."))
    sum_text = f"{raw:g} × {multiplier:g}" if risk_industry else f"{raw:g}"
    sum_sv = _sv(sum_text)  # Swedish writes a decimal comma
    reasons.append(Text(
        f"Poäng {_sv(f'{total:g}')} = {sum_sv}{' (riskbransch)' if risk_industry else ''}; fördjupad kontroll från "
        f"{_sv(f'{model.thresholds.deepened:g}')}, gemensam granskning från {_sv(f'{model.thresholds.joint_review:g}')}. "
        f"Nivå: {LEVEL_TEXT[level].sv}.",
        f"Score {total:g} = {sum_text}{' (risk-exposed industry)' if risk_industry else ''}; deepened check from "
        f"{model.thresholds.deepened:g}, joint review from {model.thresholds.joint_review:g}. "
        f"Level: {LEVEL_TEXT[level].en}."))
    for r in fired:
        if r.severity == "exclusion":
            continue
        name, severity = indicators[r.id].name, SEVERITY_TEXT[r.severity]
        reasons.append(Text(f"{r.id} {name.sv} ({severity.sv}, {r.contribution:g} poäng): {r.detail}.",
                            f"{r.id} {name.en} ({severity.en}, {r.contribution:g} points): {r.detail}."))
    if not fired:
        reasons.append(Text("Ingen indikator slog ut.", "No indicator fired."))
    if unknown:
        ids = ", ".join(r.id for r in unknown)
        reasons.append(Text(f"{_n(len(unknown), 'indikator', 'indikatorer')} kunde inte bedömas: {ids}.",
                            f"{_n(len(unknown), 'indicator', 'indicators')} could not be evaluated: {ids}."))
    open_grounds = [r.id for r in unknown if r.severity == "exclusion"]
    if open_grounds:
        ids = ", ".join(open_grounds)
        reasons.append(Text(f"Uteslutningsgrunder som inte kunnat prövas (uppgifter saknas): {ids}.",
                            f"Exclusion grounds not yet ruled out (data missing): {ids}."))
    if too_unknown:
        percent, limit = round(share * 100), round(model.thresholds.max_insufficient_share * 100)
        reasons.append(Text(
            f"{len(unknown_automatic)} av {len(automatic)} automatiska indikatorer ({percent} %) kunde inte bedömas, "
            f"mer än modellens gräns {limit} %: minst fördjupad kontroll, eftersom saknade uppgifter inte är ett "
            f"rent resultat.",
            f"{len(unknown_automatic)} of {len(automatic)} automatic indicators ({percent} %) could not be evaluated, "
            f"more than the model's limit of {limit} %: at least a deepened check, as missing data is not a clean "
            f"result."))
    return Score(level, total, multiplier, tuple(reasons), grounds, tuple(r.id for r in unknown), model.version)
