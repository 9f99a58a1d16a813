"""Scoring: exclusion first, weighted sum × risk-industry multiplier, thresholds, the insufficient-share rule."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from vetting.risk import CaseFacts, Fact, IndicatorResult, Model, evaluate, load_model, score
from vetting.risk.indicators import FIRED, INSUFFICIENT, NOT_FIRED

MINIMAL = Path(__file__).resolve().parent / "fixtures" / "risk" / "minimal.toml"
# Every automatic indicator of the minimal model settled as not fired.
CLEAN = {"sanctions.listed": False, "tax.f_skatt": True, "company.age_days": 4000, "company.address_box": False,
         "procurement.cpv_code": "72000000-5"}


@pytest.fixture(scope="module")
def model() -> Model:
    return load_model(MINIMAL)


def case(**changes: Any) -> CaseFacts:
    """The minimal model's clean case with some facts changed (dots written as __; None removes a fact)."""
    values = {**CLEAN, **{k.replace("__", "."): v for k, v in changes.items()}}
    values = {k: v for k, v in values.items() if v is not None}
    person = {"graph.key_person_failed_companies": 0, "sanctions.listed": False}
    return CaseFacts({k: Fact(v, ("outcome:1",)) for k, v in values.items()},
                     {"Anna": {k: Fact(v) for k, v in person.items()}})


def scored(model: Model, risk_industry: bool = False, **changes: Any) -> Any:
    return score(model, evaluate(model, case(**changes)), risk_industry)


def test_clean_case_is_basic_done(model: Model) -> None:
    result = scored(model)
    assert (result.level, result.total, result.multiplier) == ("basic_done", 0, 1)
    assert result.insufficient == ("CO-10",)  # the unanswered question
    assert any(r.en == "No indicator fired." and r.sv == "Ingen indikator slog ut." for r in result.reasons)
    assert any(r.en == "1 indicator could not be evaluated: CO-10." for r in result.reasons)
    assert result.model_version == "test-1"


def test_exclusion_stops_scoring(model: Model) -> None:
    result = scored(model, sanctions__listed=[{"list": "eu"}])
    assert result.level == "exclusion_assessment"
    grounds = [(g.indicator_id, g.legal_basis) for g in result.exclusion_grounds]
    assert grounds == [("EX-07", "EU sanctions regulations")]
    assert result.reasons[0].en.startswith("Exclusion assessment required: EX-07 Sanctions-listed")
    assert result.reasons[0].sv.startswith("Uteslutningsprövning krävs: EX-07 Sanktionslistad")
    # Whatever else fired, the level stays an exclusion assessment; the sum is shown for information only.
    both = scored(model, True, sanctions__listed=True, tax__f_skatt=False, company__address_box=True)
    assert both.level == "exclusion_assessment" and both.total == 12


def test_weighted_sum_and_thresholds(model: Model) -> None:
    high = scored(model, tax__f_skatt=False)
    assert (high.total, high.level) == (3, "basic_done")
    five = scored(model, tax__f_skatt=False, company__age_days=100)
    assert (five.total, five.level) == (5, "deepened_check")  # 3 + 2, deepened from 4
    override = scored(model, tax__f_skatt=False, company__address_box=True)
    assert (override.total, override.level) == (8, "joint_review")  # 3 + weight override 5, joint from 8


@pytest.mark.parametrize(("fired", "total", "level"), [
    (("CO-01", "CO-10"), 3, "basic_done"),
    (("TX-01", "CO-10"), 4, "deepened_check"),  # exactly the deepened threshold
    (("CO-09", "CO-01"), 7, "deepened_check"),
    (("TX-01", "CO-09"), 8, "joint_review"),  # exactly the joint-review threshold
])
def test_thresholds_are_reached_at_their_value(model: Model, fired: tuple[str, ...], total: float,
                                               level: str) -> None:
    results = [IndicatorResult(i, FIRED, model.indicator(i).severity, model.indicator(i).weight,
                               model.indicator(i).weight, "", ()) for i in fired]
    result = score(model, results, False)
    assert (result.total, result.level) == (total, level)


def test_risk_industry_multiplies(model: Model) -> None:
    plain = scored(model, False, tax__f_skatt=False)
    risky = scored(model, True, tax__f_skatt=False)
    assert (plain.total, plain.multiplier, plain.level) == (3, 1, "basic_done")
    assert (risky.total, risky.multiplier, risky.level) == (4.5, 1.5, "deepened_check")
    assert any("Score 4.5 = 3 × 1.5 (risk-exposed industry)" in r.en for r in risky.reasons)
    assert any("Poäng 4,5 = 3 × 1,5 (riskbransch)" in r.sv for r in risky.reasons)  # decimal comma in Swedish
    assert scored(model, True, tax__f_skatt=False, company__address_box=True).total == 12


def test_insufficient_data_never_lowers_the_level(model: Model) -> None:
    known = scored(model, tax__f_skatt=False, company__address_box=True)
    unknown = scored(model, tax__f_skatt=False, company__address_box=True, company__age_days=None,
                     procurement__cpv_code=None)
    assert known.level == unknown.level == "joint_review"
    assert unknown.insufficient == ("CO-01", "CO-10", "BD-06")
    assert any(r.en == "3 indicators could not be evaluated: CO-01, CO-10, BD-06." for r in unknown.reasons)
    assert any(r.sv == "3 indikatorer kunde inte bedömas: CO-01, CO-10, BD-06." for r in unknown.reasons)


def test_mostly_unknown_case_needs_at_least_a_deepened_check(model: Model) -> None:
    # Six automatic indicators (CO-10 asks a question and does not count): three unknown is not more than half.
    half = scored(model, tax__f_skatt=None, company__age_days=None, company__address_box=None)
    assert half.level == "basic_done"
    most = scored(model, tax__f_skatt=None, company__age_days=None, company__address_box=None,
                  procurement__cpv_code=None)
    assert most.level == "deepened_check" and most.total == 0
    assert any(r.en.startswith("4 of 6 automatic indicators (67 %) could not be evaluated, more than the model's "
                               "limit of 50 %") for r in most.reasons)


def test_unknown_exclusion_grounds_are_named(model: Model) -> None:
    result = scored(model, sanctions__listed=None)
    assert result.level == "basic_done"
    assert any(r.en == "Exclusion grounds not yet ruled out (data missing): EX-07." for r in result.reasons)


def test_reasons_name_the_fired_indicators(model: Model) -> None:
    result = scored(model, tax__f_skatt=False)
    assert any(r.en == "TX-01 No F-tax (high, 3 points): tax.f_skatt = False." for r in result.reasons)
    assert any(r.sv == "TX-01 Saknar F-skatt (hög, 3 poäng): tax.f_skatt = False." for r in result.reasons)


def test_score_accepts_results_or_an_assessment(model: Model) -> None:
    assessment = evaluate(model, case(tax__f_skatt=False))
    assert score(model, assessment, False) == score(model, assessment.results, False)
    assert score(model, [IndicatorResult("TX-01", NOT_FIRED, "high", 3, 0, "", ())], False).level == "basic_done"
    assert score(model, [IndicatorResult("TX-01", INSUFFICIENT, "high", 3, 0, "", ())],
                 False).level == "deepened_check"  # the only automatic indicator is unknown
