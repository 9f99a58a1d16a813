"""The named rule functions of the risk model: each decides fired, not fired or insufficient data from facts."""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

FIRED = "fired"
NOT_FIRED = "not_fired"
INSUFFICIENT = "insufficient_data"
STATES = (FIRED, NOT_FIRED, INSUFFICIENT)


@dataclass(frozen=True, slots=True)
class Fact:
    """One fact about a subject: its value and where it comes from ("outcome:17", "answer:3", "procurement:5")."""

    value: Any
    evidence: tuple[str, ...] = ()


Facts = Mapping[str, Fact]


@dataclass(frozen=True, slots=True)
class RuleResult:
    """What a rule decided, the facts it read (``used``) and, when it could not decide, the facts it lacked."""

    state: str
    used: tuple[str, ...]
    detail: str
    missing: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RuleCall:
    """A rule with its parameters as the model states them; nested rules are RuleCalls too."""

    name: str
    params: Mapping[str, Any]

    def __call__(self, facts: Facts) -> RuleResult:
        return RULES[self.name].function(facts, **self.params)

    def facts(self) -> tuple[str, ...]:
        """Every fact name the rule (and its nested rules) reads, in order, without repeats."""
        spec = RULES[self.name]
        names: list[str] = []
        for param, kind in {**spec.required, **spec.optional}.items():
            value = self.params.get(param)
            if value is None:
                continue
            if kind == "fact":
                names.append(value)
            elif kind == "facts":
                names.extend(value)
            elif kind == "rules":
                for nested in value:
                    names.extend(nested.facts())
        return tuple(dict.fromkeys(names))


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """A rule function with the kinds of its required and optional parameters (checked when a model loads)."""

    function: Callable[..., RuleResult]
    required: Mapping[str, str]
    optional: Mapping[str, str]


RULES: dict[str, RuleSpec] = {}
PARAM_KINDS = ("fact", "facts", "number", "value", "values", "prefixes", "rules", "table")


def rule(optional: Mapping[str, str] | None = None, **required: str) -> Callable[[Callable[..., RuleResult]],
                                                                              Callable[..., RuleResult]]:
    """Register a rule function under its own name with the kinds of its parameters."""
    def register(function: Callable[..., RuleResult]) -> Callable[..., RuleResult]:
        if not set(required.values()) | set((optional or {}).values()) <= set(PARAM_KINDS):
            raise ValueError(f"rule {function.__name__}: unknown parameter kind")
        RULES[function.__name__] = RuleSpec(function, dict(required), dict(optional or {}))
        return function
    return register


# --- reading facts: None and "unknown" are absent, so that missing data can never pass as "not fired" ---

_YES = frozenset({"yes", "true", "ja", "1"})
_NO = frozenset({"no", "false", "nej", "0", "none"})


def _get(facts: Facts, name: str) -> Any:
    fact = facts.get(name)
    if fact is None or fact.value is None:
        return None
    value = fact.value
    if isinstance(value, str) and value.strip().lower() in ("", "unknown", "okänt", "vet ej"):
        return None
    return value


def _truth(value: Any) -> bool | None:
    """Yes/no of a value: booleans, counts and amounts (> 0), lists (non-empty), yes/no words; else unknown."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value > 0
    if isinstance(value, (list, tuple, set, frozenset, dict)):
        return len(value) > 0
    if isinstance(value, str):
        word = value.strip().lower()
        return True if word in _YES else False if word in _NO else None
    return None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None  # a yes/no is not an amount
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.replace(" ", "").replace(",", "."))
        except ValueError:
            return None
    return None


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _missing(names: Sequence[str], why: str = "") -> RuleResult:
    why = why or ("is unknown" if len(names) == 1 else "are unknown")
    return RuleResult(INSUFFICIENT, (), f"{', '.join(names)} {why}", tuple(names))


def _unreadable(name: str, value: Any, expected: str) -> RuleResult:
    # A value of the wrong shape is treated as missing: guessing could turn it into "not fired".
    return RuleResult(INSUFFICIENT, (), f"{name} = {_show(value)} cannot be read as {expected}", (name,))


def _decide(fired: bool, used: tuple[str, ...], detail: str) -> RuleResult:
    return RuleResult(FIRED if fired else NOT_FIRED, used, detail)


@lru_cache(maxsize=4096)  # the same few CPV/SNI codes and prefixes recur in every case
def _digits(code: str) -> str:
    return re.sub(r"\D", "", code)


# --- single-fact rules ---

@rule(fact="fact")
def is_true(facts: Facts, fact: str) -> RuleResult:
    """Fires when the fact says yes: true, a number above zero, or a non-empty list of hits."""
    value = _get(facts, fact)
    if value is None:
        return _missing([fact])
    truth = _truth(value)
    if truth is None:
        return _unreadable(fact, value, "yes or no")
    return _decide(truth, (fact,), f"{fact} = {_show(value)}")


@rule(fact="fact")
def is_false(facts: Facts, fact: str) -> RuleResult:
    """Fires when the fact says no (e.g. not approved for F-tax); an unknown answer is not a no."""
    value = _get(facts, fact)
    if value is None:
        return _missing([fact])
    truth = _truth(value)
    if truth is None:
        return _unreadable(fact, value, "yes or no")
    return _decide(not truth, (fact,), f"{fact} = {_show(value)}")


@rule(fact="fact")
def answer_yes(facts: Facts, fact: str) -> RuleResult:
    """Fires when the officer answered "yes"; "no" does not fire; no answer or "unknown" leaves it undecided."""
    value = _get(facts, fact)
    if value is None:
        return _missing([fact], "has not been answered")
    truth = _truth(value)
    if truth is None:
        return _unreadable(fact, value, "yes or no")
    return _decide(truth, (fact,), f"answer {'yes' if truth else 'no'} ({fact})")


@rule(fact="fact", value="number")
def greater_than(facts: Facts, fact: str, value: float) -> RuleResult:
    """Fires when the number is above the limit (e.g. debts above 0 kr)."""
    number = _number(_get(facts, fact))
    if number is None:
        raw = _get(facts, fact)
        return _missing([fact]) if raw is None else _unreadable(fact, raw, "a number")
    return _decide(number > value, (fact,), f"{fact} = {number:g} ({'above' if number > value else 'not above'} "
                                            f"{value:g})")


@rule(fact="fact", value="number")
def less_than(facts: Facts, fact: str, value: float) -> RuleResult:
    """Fires when the number is below the limit (e.g. fewer than 730 days since registration)."""
    number = _number(_get(facts, fact))
    if number is None:
        raw = _get(facts, fact)
        return _missing([fact]) if raw is None else _unreadable(fact, raw, "a number")
    return _decide(number < value, (fact,), f"{fact} = {number:g} ({'below' if number < value else 'not below'} "
                                            f"{value:g})")


@rule(fact="fact", value="number")
def count_at_least(facts: Facts, fact: str, value: float) -> RuleResult:
    """Fires when there are at least this many (a count, or the number of items in a list)."""
    raw = _get(facts, fact)
    if raw is None:
        return _missing([fact])
    count = float(len(raw)) if isinstance(raw, (list, tuple, set, frozenset)) else _number(raw)
    if count is None:
        return _unreadable(fact, raw, "a count")
    return _decide(count >= value, (fact,), f"{fact}: {count:g} (limit {value:g})")


@rule(fact="fact", value="value")
def equals(facts: Facts, fact: str, value: Any) -> RuleResult:
    """Fires when the fact has exactly this value (text compared without regard to case)."""
    return in_set(facts, fact, [value])


@rule(fact="fact", values="values")
def in_set(facts: Facts, fact: str, values: Sequence[Any]) -> RuleResult:
    """Fires when the fact's value (or one of its values, for a list) is one of those listed."""
    raw = _get(facts, fact)
    items = _items(raw)
    if raw is None or items == []:
        return _missing([fact])
    if items is None:
        return _unreadable(fact, raw, "a value or a list of values")
    wanted = {v.casefold() if isinstance(v, str) else v for v in values}
    hit = [i for i in items if (i.casefold() if isinstance(i, str) else i) in wanted]
    return _decide(bool(hit), (fact,), f"{fact} = {_show(raw)}" + (" (listed)" if hit else " (not listed)"))


@rule(fact="fact", prefixes="prefixes")
def prefix_match(facts: Facts, fact: str, prefixes: Sequence[str]) -> RuleResult:
    """Fires when a code (CPV or SNI; dots and dashes ignored) begins with one of the listed prefixes."""
    raw = _get(facts, fact)
    items = _items(raw)
    if raw is None or items == []:
        return _missing([fact])
    codes = [str(c) for c in items or () if not isinstance(c, bool) and _digits(str(c))]
    if items is None or len(codes) != len(items):
        return _unreadable(fact, raw, "a code or a list of codes")
    wanted = tuple(_digits(p) for p in prefixes)
    hit = [c for c in codes if _digits(c).startswith(wanted)]
    return _decide(bool(hit), (fact,), f"{fact} = {_show(raw)}" + (f" (matches: {', '.join(hit)})" if hit else
                                                                   " (no listed prefix)"))


def _items(raw: Any) -> list[Any] | None:
    """A value as a list of plain values (text, number, yes/no); None when it holds anything else."""
    items = list(raw) if isinstance(raw, (list, tuple, set, frozenset)) else [raw]
    return items if all(isinstance(i, (str, int, float, bool)) for i in items) else None


# --- rules comparing two facts ---

@rule(fact="fact", reference="fact", ratio="number")
def ratio_below(facts: Facts, fact: str, reference: str, ratio: float) -> RuleResult:
    """Fires when the fact is below ``ratio`` times the reference (e.g. turnover below the yearly contract value)."""
    a, b = _number(_get(facts, fact)), _number(_get(facts, reference))
    lacking = [n for n, v in ((fact, a), (reference, b)) if v is None]
    if a is None or b is None:
        return _missing(lacking)
    limit = ratio * b
    return _decide(a < limit, (fact, reference), f"{fact} = {a:g}, limit {ratio:g} × {reference} = {limit:g}")


@rule(bid_fact="fact", median_fact="fact", ratio="number",
      optional={"estimate_fact": "fact", "estimate_ratio": "number"})
def price_below_median(facts: Facts, bid_fact: str, median_fact: str, ratio: float, estimate_fact: str | None = None,
                       estimate_ratio: float | None = None) -> RuleResult:
    """Fires when the bid is below ``ratio`` × the median of all bids, or below ``estimate_ratio`` × the agency's
    estimate; it is settled as "not fired" only when the bid clears every comparison."""
    bid = _number(_get(facts, bid_fact))
    if bid is None:
        return _missing([bid_fact])
    checks = [(median_fact, ratio)] + ([(estimate_fact, estimate_ratio or ratio)] if estimate_fact else [])
    used, lacking, notes, fired = [bid_fact], [], [], False
    for reference, share in checks:
        base = _number(_get(facts, reference))
        if base is None:
            lacking.append(reference)
            continue
        used.append(reference)
        below = bid < share * base
        fired = fired or below
        notes.append(f"{'below' if below else 'not below'} {share:g} × {reference} = {share * base:g}")
    detail = f"{bid_fact} = {bid:g}: " + "; ".join(notes) if notes else f"{bid_fact} = {bid:g}"
    if fired:
        return RuleResult(FIRED, tuple(used), detail)
    if lacking:
        return RuleResult(INSUFFICIENT, tuple(used), f"{detail}; {', '.join(lacking)} unknown", tuple(lacking))
    return RuleResult(NOT_FIRED, tuple(used), detail)


@rule(listed="fact", possible="fact")
def screening_hit(facts: Facts, listed: str, possible: str) -> RuleResult:
    """Fires on a confirmed list hit; a possible match still awaiting an officer's review leaves it undecided."""
    hit, maybe = _get(facts, listed), _get(facts, possible)
    if hit is None:
        return _missing([listed])
    if _truth(hit):
        return RuleResult(FIRED, (listed,), f"{listed}: {_show(hit)}")
    if maybe is None:
        return _missing([possible])
    if _truth(maybe):
        return RuleResult(INSUFFICIENT, (listed, possible), f"{possible}: {_show(maybe)} awaits review", (possible,))
    return RuleResult(NOT_FIRED, (listed, possible), f"no hit and no open possible match ({listed}, {possible})")


@rule(cpv_fact="fact", sni_fact="fact", table="table")
def industry_mismatch(facts: Facts, cpv_fact: str, sni_fact: str, table: Mapping[str, Sequence[str]]) -> RuleResult:
    """Fires when none of the organisation's industry codes (SNI/NACE) is one the model expects for the
    contract's CPV code; undecided when the model has no expectation for that CPV code."""
    cpv, sni = _get(facts, cpv_fact), _get(facts, sni_fact)
    lacking = [n for n, v in ((cpv_fact, cpv), (sni_fact, sni)) if v is None or v == []]
    if lacking:
        return _missing(lacking)
    keys = sorted((k for k in table if _digits(str(cpv)).startswith(_digits(k))), key=len, reverse=True)
    if not keys:
        return RuleResult(INSUFFICIENT, (cpv_fact,), f"the model expects no industry for CPV {cpv}", ())
    expected = tuple(_digits(p) for p in table[keys[0]])
    codes = sni if isinstance(sni, (list, tuple)) else [sni]
    match = [c for c in codes if _digits(str(c)).startswith(expected)]
    return _decide(not match, (cpv_fact, sni_fact), f"CPV {cpv} expects SNI {', '.join(table[keys[0]])}; "
                                                    f"{sni_fact} = {_show(sni)}")


# --- combining rules ---

def _union(results: Sequence[RuleResult], attr: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(n for r in results for n in getattr(r, attr)))


def _join(results: Sequence[RuleResult]) -> str:
    return "; ".join(r.detail for r in results)


def _combined(results: Sequence[RuleResult], decisive: str, unanimous: str) -> RuleResult:
    """``decisive`` as soon as one condition has that state (from those conditions); ``unanimous`` when every
    condition has the other; otherwise undecided, with what is missing."""
    settled = [r for r in results if r.state == decisive]
    if settled:
        return RuleResult(decisive, _union(settled, "used"), _join(settled))
    if all(r.state == unanimous for r in results):
        return RuleResult(unanimous, _union(results, "used"), _join(results))
    return RuleResult(INSUFFICIENT, _union(results, "used"), _join(results), _union(results, "missing"))


@rule(rules="rules")
def any_of(facts: Facts, rules: Sequence[RuleCall]) -> RuleResult:
    """Fires when any of the conditions fires; "not fired" only when every condition was checked and none fired."""
    return _combined([r(facts) for r in rules], FIRED, NOT_FIRED)


@rule(rules="rules")
def all_of(facts: Facts, rules: Sequence[RuleCall]) -> RuleResult:
    """Fires when every condition fires; "not fired" as soon as one condition is checked and does not hold."""
    return _combined([r(facts) for r in rules], NOT_FIRED, FIRED)


@rule(rules="rules")
def any_source(facts: Facts, rules: Sequence[RuleCall]) -> RuleResult:
    """The same question asked of several sources (registers, the officer): fires when any source reports the
    sign; "not fired" when at least one source answered and none reports it; undecided when none answered."""
    results = [r(facts) for r in rules]
    fired = [r for r in results if r.state == FIRED]
    if fired:
        return RuleResult(FIRED, _union(fired, "used"), _join(fired))
    answered = [r for r in results if r.state == NOT_FIRED]
    if answered:
        return RuleResult(NOT_FIRED, _union(answered, "used"), _join(answered))
    return RuleResult(INSUFFICIENT, _union(results, "used"), _join(results), _union(results, "missing"))


@rule(facts="facts")
def any_true(given: Facts, /, facts: Sequence[str]) -> RuleResult:
    """Fires when any of the facts says yes; "not fired" only when every one of them is known to say no."""
    # ``given`` is positional-only so that the model can name this rule's parameter ``facts``.
    return any_of(given, [RuleCall("is_true", {"fact": name}) for name in facts])
