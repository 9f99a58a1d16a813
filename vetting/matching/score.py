"""Screening: score a query against the indexed lists, combine the features, explain the result."""
from __future__ import annotations

import heapq
from dataclasses import dataclass
from functools import lru_cache

from ..lists.model import ListEntry
from . import features as F
from .index import NameIndex
from .normalise import NormalisedName, normalise_name

# How much each feature moves the score: (weight when it speaks for the match, weight when it
# speaks against it). A feature's value is in -1..1; its contribution is value times the weight
# for that direction, and the score is the sum of contributions, clipped to 0..1. The name
# similarity is the base; everything else nudges it, except an identical identifier (passport,
# registration, IMO, LEI), which alone makes a possible match (vessels get renamed).
# Calibrated with bench/screening_matching.py.
WEIGHTS: dict[str, tuple[float, float]] = {
    "name": (1.0, 1.0),
    "common_name": (0.0, 0.35),
    "initials": (0.02, 0.08),
    "legal_form": (0.03, 0.40),
    "kind": (0.0, 0.40),
    "birth_date": (0.06, 0.35),
    "country": (0.03, 0.15),
    "identifier": (0.90, 0.0),
    # Not a weight: the amount taken off a name-only score to keep it below the hit level
    # (see ``_corroboration``); the row's weight is that amount.
    "corroboration": (0.0, 1.0),
}

# Listed names compared in full per query, and the least share of matching words (0..1) a
# listed name needs to be compared at all; more finds more but costs time.
CANDIDATE_NAMES = 30
CANDIDATE_MIN_SHARE = 0.45


@dataclass(frozen=True)
class Thresholds:
    """Score levels: from ``possible`` a match needs review, from ``hit`` it is very likely the party."""

    possible: float = 0.80
    hit: float = 0.93

    def level(self, score: float) -> str:
        """``hit``, ``possible`` or ``none`` for a score."""
        return "hit" if score >= self.hit else "possible" if score >= self.possible else "none"


THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class Query:
    """What to screen: a name and whatever else is known about the party.

    :param name: the name as written (any script, any order, with or without legal form).
    :param kind: ``person``, ``organisation`` or None when not known.
    :param birth_date: ``YYYY`` or ``YYYY-MM-DD`` (persons), or None.
    :param country: ISO 3166-1 alpha-2 code of nationality or registration, or None.
    :param identifiers: ``(type, value)`` pairs such as ``("passport", "X1234567")``.
    """

    name: str
    kind: str | None = None
    birth_date: str | None = None
    country: str | None = None
    identifiers: tuple[tuple[str, str], ...] = ()


FeatureRow = tuple[str, float, float, float, str]
# Most that the features other than name and identifier can add to a score.
_MAX_UPLIFT = sum(up for name, (up, _down) in WEIGHTS.items() if name not in ("name", "identifier"))
# How far below the hit threshold an uncorroborated match is held.
_BELOW_HIT = 0.01


@dataclass(frozen=True)
class Match:
    """One listed entry that resembles the query, with the score and how it was reached.

    ``features`` holds ``(feature_name, value, weight, contribution, explanation)`` rows; the
    score is the sum of the contributions clipped to 0..1. ``weak_alias`` says the matched name
    is an alias the publisher marks as weak; ``corroborated`` that a birth date, identifier or
    country agrees (without it the match is at most possible).
    """

    list_key: str
    entry: ListEntry
    score: float
    matched_name: str
    query_name: str
    features: tuple[FeatureRow, ...]
    weak_alias: bool = False
    corroborated: bool = False

    def level(self, thresholds: Thresholds = THRESHOLDS) -> str:
        """``hit``, ``possible`` or ``none`` for this match's score."""
        return thresholds.level(self.score)


def _row(feature: F.Feature) -> FeatureRow:
    up, down = WEIGHTS[feature.name]
    weight = up if feature.value >= 0 else down
    return (feature.name, round(feature.value, 4), weight, round(feature.value * weight, 4), feature.explanation)


def _score(rows: tuple[FeatureRow, ...]) -> float:
    return round(min(1.0, max(0.0, sum(r[3] for r in rows))), 4)


def _query_kind(query: Query, has_forms: bool) -> str | None:
    if query.kind in ("person", "organisation"):
        return query.kind
    return "organisation" if has_forms else None


def screen(index: NameIndex, query: Query, limit: int = 5, min_score: float | None = None,
           thresholds: Thresholds = THRESHOLDS) -> list[Match]:
    """Screen one query against the index: the best ``limit`` matches, highest score first.

    Only matches scoring at least ``min_score`` (default: the ``possible`` threshold) are returned.
    Each listed entry appears once, with the name or alias that matched it best.
    """
    floor = thresholds.possible if min_score is None else min_score
    norm = _normalised(query.name or "", query.kind != "person")
    if not norm.tokens:
        return []
    kind = _query_kind(query, bool(norm.legal_forms))
    best = _compared(index, norm, query.identifiers)
    # Only the most promising entries get the full feature set (dates, countries...); an
    # identifier hit can move a score a lot, so those are always kept.
    id_hits = index.identifier_entries(query.identifiers) & best.keys()
    keep = dict(heapq.nlargest(limit * 2, best.items(), key=lambda item: item[1][0]))
    keep.update((e, best[e]) for e in id_hits)
    matches = []
    for entry_id, (prelim, name_id, cmp) in keep.items():
        if prelim + _MAX_UPLIFT < floor and entry_id not in id_hits:
            continue
        list_key, entry = index.entries[entry_id]
        weak = bool(index.name_weak[name_id])
        rows, corroborated = _features(query, kind, norm.tokens, norm.legal_forms, cmp, index.name_tokens[name_id],
                                       index.name_forms[name_id], entry, weak, thresholds)
        score = _score(rows)
        if score >= floor:
            matches.append(Match(list_key, entry, score, index.name_text[name_id], query.name, rows, weak,
                                 corroborated))
    unique = {(m.list_key, m.entry.source_id, m.matched_name): m for m in matches}
    return sorted(unique.values(), key=lambda m: (-m.score, m.list_key, m.entry.source_id))[:limit]


def may_match(index: NameIndex, name: str, kind: str, identifiers: tuple[tuple[str, str], ...] = (),
              min_score: float | None = None, thresholds: Thresholds = THRESHOLDS) -> bool:
    """Whether ``screen`` could return a match for a query with this name and identifiers, whatever its other facts.

    The same bound ``screen`` applies before weighing facts: the name's preliminary score plus the
    most that birth date, country and the rest can add. Decided per name, so the delta re-screen
    asks it once for the many key persons who share a name and screens only those it lets through.
    """
    floor = thresholds.possible if min_score is None else min_score
    norm = _normalised(name or "", kind != "person")
    if not norm.tokens:
        return False
    best = _compared(index, norm, identifiers)
    if index.identifier_entries(identifiers) & best.keys():
        return True
    return any(prelim + _MAX_UPLIFT >= floor for prelim, _name_id, _cmp in best.values())


# Names normalised lately: many subjects share a name, and a normalised name is a frozen value.
_normalised = lru_cache(maxsize=8192)(normalise_name)
Compared = dict[int, tuple[float, int, F.NameComparison]]
# Distinct queried names whose comparisons are kept (key persons share names: "Anna Andersson").
_COMPARED_MAX = 4096


def _compared(index: NameIndex, norm: NormalisedName, identifiers: tuple[tuple[str, str], ...]) -> Compared:
    """Per listed entry, the best-matching of its names with the comparison and its preliminary score.

    It depends on the name's words and identifiers only, not on the facts (birth date, country)
    that the features weigh afterwards, so it is kept per index for the names queried most
    recently: screening many people called "Anna Andersson" compares the name once.
    """
    tokens = norm.tokens
    key = (tokens, tuple(identifiers))
    cache = index.compared_cache
    found = cache.get(key)
    if found is not None:
        return found
    best: Compared = {}
    # The same name is often on several lists: compare each distinct spelling once.
    done: dict[tuple[str, ...], tuple[F.NameComparison, float]] = {}
    rows = [index.token_matches(t)[0] if len(t) > 1 else None for t in tokens]
    bits = index.bits
    for name_id in index.candidates(norm, identifiers, CANDIDATE_NAMES, CANDIDATE_MIN_SHARE):
        listed = index.name_tokens[name_id]
        if listed in done:
            cmp, guard = done[listed]
        else:
            cmp = F.compare_names(tokens, listed, bits, F.token_similarity, rows=rows)
            guard = -F.guard_shortfall(cmp) * WEIGHTS["common_name"][1]
            done[listed] = cmp, guard
        entry_id = index.name_entry[name_id]
        prelim = cmp.similarity + guard
        if entry_id not in best or prelim > best[entry_id][0]:
            best[entry_id] = (prelim, name_id, cmp)
    if len(cache) >= _COMPARED_MAX:
        cache.clear()
    cache[key] = best
    return best


def _features(query: Query, kind: str | None, q_tokens: tuple[str, ...], q_forms: tuple[str, ...],
              cmp: F.NameComparison, l_tokens: tuple[str, ...], l_forms: tuple[str, ...],
              entry: ListEntry, weak: bool = False,
              thresholds: Thresholds = THRESHOLDS) -> tuple[tuple[FeatureRow, ...], bool]:
    """The feature rows of one comparison, and whether a fact besides the name corroborates it."""
    person = kind == "person" and entry.kind == "person"
    born = F.birth_date(query.birth_date, entry.birth_dates, entry.approximate_birth)
    where = F.country(query.country, entry.countries, single_nationality=person)
    ident = F.identifier(query.identifiers, entry.identifiers)
    # A birth date or an identifier that agrees makes a name more than a name; a country alone
    # does not lift a common name or a weak alias (too many people share both).
    strong_fact = born.value >= 0.7 or ident.value > 0
    guard = F.common_name_guard(cmp, name_only=not strong_fact)
    corroborated = strong_fact or (where.value > 0 and not weak and guard.value == 0.0)
    feats = [
        F.name_similarity(cmp),
        guard,
        F.initials_compatibility(q_tokens, l_tokens),
        F.legal_form_compatibility(q_forms, l_forms, kind, entry.kind),
        F.kind_mismatch(kind, entry.kind),
        born,
        where,
        ident,
    ]
    rows = tuple(_row(f) for f in feats)
    return rows + _corroboration(rows, corroborated, weak, thresholds), corroborated


def _corroboration(rows: tuple[FeatureRow, ...], corroborated: bool, weak: bool,
                   thresholds: Thresholds) -> tuple[FeatureRow, ...]:
    """A row holding an uncorroborated match just below the hit level: a name alone is never a hit."""
    if corroborated:
        return ()
    excess = round(sum(r[3] for r in rows) - (thresholds.hit - _BELOW_HIT), 4)
    if excess <= 0:
        return ()
    what = ("The matched name is an alias the publisher marks as weak" if weak
            else "Only the name matches: no birth date, nationality, identifier or address agrees")
    return (("corroboration", -1.0, excess, -excess, f"{what}, so this is at most a possible match."),)


def compare(query: Query, entry: ListEntry, list_key: str = "") -> Match:
    """Score a query against one entry without an index (all its names; the best one counts)."""
    norm = normalise_name(query.name or "", query.kind != "person")
    kind = _query_kind(query, bool(norm.legal_forms))
    single = NameIndex([(list_key, entry)])
    best: Match | None = None
    for name_id in range(single.name_count):
        cmp = F.compare_names(norm.tokens, single.name_tokens[name_id], single.bits)
        weak = bool(single.name_weak[name_id])
        rows, corroborated = _features(query, kind, norm.tokens, norm.legal_forms, cmp, single.name_tokens[name_id],
                                       single.name_forms[name_id], entry, weak)
        match = Match(list_key, entry, _score(rows), single.name_text[name_id], query.name, rows, weak, corroborated)
        if best is None or match.score > best.score:
            best = match
    if best is None:
        return Match(list_key, entry, 0.0, entry.name, query.name, ())
    return best


_LABELS = {
    "name": "name similarity", "common_name": "common-name guard", "initials": "initials",
    "legal_form": "legal form", "kind": "kind of party", "birth_date": "birth date",
    "country": "country", "identifier": "identifier", "corroboration": "missing corroboration",
}


def explain(match: Match, thresholds: Thresholds = THRESHOLDS) -> str:
    """Plain-English account of a match: which names matched, each part's score, and the total."""
    entry = match.entry
    listed = (f'name "{match.matched_name}"' if match.matched_name == entry.name
              else f'{"weak " if match.weak_alias else ""}alias "{match.matched_name}" of "{entry.name}"')
    level = {"hit": "a likely hit", "possible": "a possible match", "none": "below the review level"}[
        match.level(thresholds)]
    lines = [
        f'"{match.query_name}" was compared with the listed {listed} '
        f"({match.list_key or 'list'} entry {entry.source_id}, {entry.kind}). "
        f"Score {match.score:.2f}: {level} (possible from {thresholds.possible:.2f}, hit from {thresholds.hit:.2f})."
    ]
    terms = []
    for name, _value, _weight, contribution, text in match.features:
        if name == "name":
            lines.append(text)
            terms.append(f"{contribution:.2f} for the name")
        elif contribution != 0.0:
            sign = "+" if contribution > 0 else "-"
            lines.append(f"{text.rstrip('.')} ({sign}{abs(contribution):.2f}).")
            terms.append(f"{sign} {abs(contribution):.2f} for the {_LABELS[name]}")
    total = sum(r[3] for r in match.features)
    clip = "" if abs(total - match.score) < 0.005 else f", clipped to {match.score:.2f}"
    lines.append(f"Total: {' '.join(terms)} = {total:.2f}{clip}." if terms else "No name parts matched.")
    return "\n".join(lines)
