"""Evaluate the risk model's indicators for one organisation in one procurement."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .indicators import FIRED, INSUFFICIENT, NOT_FIRED, Fact, Facts, RuleResult

if TYPE_CHECKING:
    from .model import Indicator, Model, Text

# Facts the app provides from its own records (procurement, tender, contract follow-up), not from a check.
# Until a register check supplies them, the officer records the organisation.* figures from the tender
# (ESPD part IV), the annual report or SCB.
PROCUREMENT_FACTS: Mapping[str, str] = {
    "procurement.risk_industry": "The officer marked the procurement as a risk-exposed industry (bool).",
    "procurement.cpv_code": "Main CPV code of the procurement, e.g. '45000000-7'.",
    "procurement.estimated_value": "The agency's estimated value of the whole contract (SEK).",
    "procurement.annual_value": "The estimated contract value per contract year (SEK).",
    "procurement.labour_intensive": "The contract is a labour-intensive service (bool).",
    "procurement.required_staff": "Staff (full-time equivalents) the agency estimates the assignment needs.",
    "participant.role": "This organisation's role: bidder, awarded, subcontractor or capacity.",
    "bid.price": "The evaluated price of this organisation's tender (SEK, same basis as the estimate).",
    "bids.median_price": "Median evaluated price of all tenders in the procurement (SEK).",
    "subcontracting.depth": "Subcontractor tiers in the chain this organisation belongs to (1 = direct only).",
    "subcontractor.share_percent": "Share of the contract value this organisation performs (0-100).",
    "organisation.country": "Country of registration (ISO 3166 alpha-2).",
    "organisation.industry_code": "SNI 2007 code recorded for the organisation in the app.",
    "organisation.employees": "Number of employees (SCB size class, annual report or the tender).",
    "organisation.annual_turnover": "Turnover of the latest financial year (SEK).",
    "organisation.equity": "Equity in the latest annual report (SEK; negative when capital is consumed).",
    "organisation.share_capital": "Registered share capital (SEK; limited companies).",
    "contract.signed": "The contract with this organisation's chain is signed (bool); false before award.",
    "payment.account_not_owned": "Accounts payable: the payee account is not registered to the supplier (bool).",
    "payment.bank_details_changed": "Accounts payable: the supplier's bank details changed during the contract.",
    "invoice.other_issuer": "Accounts payable: invoices come from a legal person other than the supplier.",
    "followup.changed_facts": "Facts whose value changed since award when the checks were re-run (list).",
}

# Facts the app computes across cases (common denominators, DOMAIN 5.3).
GRAPH_FACTS: Mapping[str, str] = {
    "graph.shared_with_other_bidder": "Key persons, addresses or phone numbers shared with another bidder in the "
                                      "same procurement (list).",
    "graph.key_person_failed_companies": "Person: other organisations where the person held a key role that went "
                                         "bankrupt or into liquidation in the last five years (count).",
    "graph.key_person_engagements": "Person: organisations where the person holds a key role (count).",
    "graph.organisations_at_address": "Organisations registered at the same postal address (count, including this).",
    "graph.staff_conflict": "Key persons matching agency staff involved in the procurement, or their declared "
                            "relatives (list).",
}

ANSWER_PREFIX = "answer."


@dataclass(frozen=True)
class CaseFacts:
    """The facts for one organisation in one procurement.

    ``persons`` maps a label naming each key person (e.g. "Anna Svensson, VD"; never a personnummer) to that
    person's facts. The app turns check outcomes into facts: several findings with one code become a list;
    a code the check did not report is absent (unknown), except for checks that report only what they found
    (sanctions, debarment), where a clear outcome gives each such code the value False.
    """

    organisation: Facts
    persons: Mapping[str, Facts] = field(default_factory=dict)
    contract: Facts = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class IndicatorResult:
    """One indicator's state for the case; ``contribution`` is its weight when fired (before any multiplier)."""

    id: str
    state: str
    severity: str
    weight: float
    contribution: float
    detail: str
    evidence: tuple[str, ...]
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class Assessment:
    """The result of every indicator of one model version for one case."""

    model_version: str
    results: tuple[IndicatorResult, ...]
    risk_industry: bool | None

    def by_id(self, indicator_id: str) -> IndicatorResult:
        """The result of one indicator."""
        return next(r for r in self.results if r.id == indicator_id)

    def in_state(self, state: str) -> tuple[IndicatorResult, ...]:
        """The results in one state (fired, not_fired or insufficient_data)."""
        return tuple(r for r in self.results if r.state == state)


@dataclass(frozen=True, slots=True)
class Question:
    """A question an officer must answer for an indicator to be decided."""

    indicator_id: str
    fact: str
    text: Text


def _evidence(facts_seen: Sequence[tuple[Facts, Sequence[str]]]) -> tuple[str, ...]:
    refs: dict[str, None] = {}
    for facts, names in facts_seen:
        for name in names:
            fact = facts.get(name)
            if fact is not None:
                refs.update(dict.fromkeys(fact.evidence))
    return tuple(refs)


def _over_subjects(indicator: Indicator,
                   subjects: Sequence[tuple[str | None, Facts]]) -> tuple[RuleResult, tuple[str, ...]]:
    """Combine one indicator over several subjects: fired if any fires (naming it), insufficient if any lacks data."""
    results = [(label, facts, indicator.rule(facts)) for label, facts in subjects]
    if all(label is None for label, _ in subjects) and not any(r.state == FIRED for _, _, r in results):
        # Without a registered personkrets nothing is known of the persons: not a clean result.
        detail = "; ".join([*(r.detail for _, _, r in results), "no key persons are registered"])
        return RuleResult(INSUFFICIENT, (), detail, ("key persons",)), ()

    def named(label: str | None, r: RuleResult) -> str:
        return f"{label}: {r.detail}" if label else r.detail

    fired = [(lb, f, r) for lb, f, r in results if r.state == FIRED]
    chosen = fired or [(lb, f, r) for lb, f, r in results if r.state == INSUFFICIENT] or results
    state = FIRED if fired else INSUFFICIENT if chosen is not results else NOT_FIRED
    if state == NOT_FIRED:
        detail = "; ".join(named(lb, r) for lb, _, r in results)
    else:
        detail = "; ".join(named(lb, r) for lb, _, r in chosen)
    missing = tuple(dict.fromkeys(m for _, _, r in chosen for m in r.missing)) if state == INSUFFICIENT else ()
    used = tuple(dict.fromkeys(u for _, _, r in chosen for u in r.used))
    return RuleResult(state, used, detail, missing), _evidence([(f, r.used) for _, f, r in chosen])


def evaluate(model: Model, case: CaseFacts) -> Assessment:
    """Decide every indicator of ``model`` for one organisation: fired, not fired or insufficient data.

    Organisation and contract indicators read the organisation's and the contract's facts together; person
    indicators are decided for each key person and fire if any person's facts fire them; an organisation
    indicator marked ``with_key_persons`` is decided for the organisation and each key person alike.
    """
    # Contract facts first, so a fact the organisation has of its own (same name) is the one read.
    own: dict[str, Fact] = {**case.contract, **case.organisation}
    people: list[tuple[str | None, Facts]] = list(case.persons.items())
    results = []
    for indicator in model.indicators:
        if indicator.subject == "person":
            outcome, evidence = _over_subjects(indicator, people)
        elif indicator.with_key_persons:
            outcome, evidence = _over_subjects(indicator, [(None, own), *people])
        else:
            outcome = indicator.rule(own)
            evidence = _evidence([(own, outcome.used)])
        contribution = indicator.weight if outcome.state == FIRED else 0.0
        results.append(IndicatorResult(indicator.id, outcome.state, indicator.severity, indicator.weight, contribution,
                                       outcome.detail, evidence, outcome.missing))
    marker = model.risk_industry.indicator
    state = next((r.state for r in results if r.id == marker), None) if marker else None
    risk = True if state == FIRED else False if state == NOT_FIRED else None
    return Assessment(model.version, tuple(results), risk)


def questions(model: Model, case: CaseFacts) -> tuple[Question, ...]:
    """The officer's questions still needed: indicators left undecided whose missing facts include their answer.

    An indicator already decided by other facts (fired, or settled as not fired, e.g. a subcontractor's
    share below the limit) asks nothing; an answered question is not asked again.
    """
    assessment = evaluate(model, case)
    asked = []
    for indicator, result in zip(model.indicators, assessment.results):
        fact = indicator.answer_fact
        if fact and indicator.question and result.state == INSUFFICIENT and fact in result.missing:
            asked.append(Question(indicator.id, fact, indicator.question))
    return tuple(asked)
