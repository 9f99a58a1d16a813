"""Each of the 40 indicators of model v1 pinned fired / not fired / insufficient data, and the rules' edge cases."""
from __future__ import annotations

from typing import Any

import pytest

from checks import discover
from vetting.risk import PROCUREMENT_FACTS, RULES, CaseFacts, Fact, Model, evaluate, load_default_model
from vetting.risk.indicators import FIRED, INSUFFICIENT, NOT_FIRED, RuleCall

CLEAN_SCREENING = {"sanctions.listed": False, "sanctions.possible_match": False, "debarment.listed": False,
                   "debarment.possible_match": False}
PERSONS = "@persons"

# id: (facts that fire it, facts that settle it as not fired, facts that leave it undecided).
# Person facts go under "@persons" (label -> facts); everything else is the organisation's or the contract's.
CASES: dict[str, tuple[dict[str, Any], dict[str, Any], dict[str, Any]]] = {
    "EX-01": ({"espd.exclusion_declared": True},
              {"espd.exclusion_declared": False, "answer.EX-01": "no"},
              {"espd.exclusion_declared": False}),
    "EX-02": ({"debts.any": True, "debts.public_amount": 12_000},
              {"debts.any": False},
              {"debts.any": True}),
    "EX-03": ({"company.status": "bankrupt"},
              {"company.status": "active"},
              {}),
    "EX-04": ({"company.deleted": True},
              {"company.deleted": False, "company.operating": True},
              {"company.deleted": None}),
    "EX-05": ({PERSONS: {"Anna Svensson, VD": {"person.trading_prohibition": True}}},
              {PERSONS: {"Anna Svensson, VD": {"person.trading_prohibition": False}}},
              {PERSONS: {"Anna Svensson, VD": {}}}),
    "EX-06": ({"organisation.country": "RU", "participant.role": "bidder"},
              {"organisation.country": "SE", "answer.EX-06": "no", "participant.role": "bidder"},
              {"organisation.country": "SE", "participant.role": "bidder"}),
    "EX-07": ({**CLEAN_SCREENING, "sanctions.listed": [{"list": "eu", "listed_id": "EU.1"}],
               PERSONS: {"Anna Svensson, VD": CLEAN_SCREENING}},
              {**CLEAN_SCREENING, PERSONS: {"Anna Svensson, VD": CLEAN_SCREENING}},
              {**CLEAN_SCREENING, PERSONS: {"Anna Svensson, VD": {**CLEAN_SCREENING,
                                                                  "sanctions.possible_match": [{"list": "un"}]}}}),
    "EX-08": ({"espd.truth_declaration_signed": False},
              {"espd.truth_declaration_signed": True, "espd.exclusion_declared": False, "company.bankrupt": False,
               "answer.EX-08": "no"},
              {"espd.truth_declaration_signed": True, "espd.exclusion_declared": False, "company.bankrupt": False,
               "answer.EX-08": "unknown"}),
    "EX-09": ({"answer.EX-09": "yes"}, {"answer.EX-09": "no"}, {"answer.EX-09": "unknown"}),
    "EX-10": ({"workplace.sanction_fees": 1, "workplace.injunctions": 0},
              {"workplace.sanction_fees": 0, "workplace.injunctions": 0, "answer.EX-10": "no"},
              {"workplace.sanction_fees": 0, "workplace.injunctions": 0}),
    "EX-11": ({"graph.shared_with_other_bidder": ["key person Anna Svensson"], "answer.EX-11": "yes"},
              {"graph.shared_with_other_bidder": []},
              {"graph.shared_with_other_bidder": ["address Storgatan 1"]}),
    "EX-12": ({"graph.staff_conflict": ["Anna Svensson"]},
              {"graph.staff_conflict": [], "answer.EX-12": "no"},
              {"graph.staff_conflict": []}),
    "TX-01": ({"tax.f_skatt": False}, {"tax.f_skatt": True}, {"tax.f_skatt": "unknown"}),
    "TX-02": ({"tax.vat_registered": True, "vat.valid": False}, {"vat.valid": True}, {}),
    "TX-03": ({"procurement.labour_intensive": True, "tax.employer_registered": False},
              {"procurement.labour_intensive": False},
              {"procurement.labour_intensive": True}),
    "TX-04": ({"debts.any": True, "debts.private_amount": 5_000},
              {"debts.any": True, "debts.private_amount": 0},
              {"debts.any": True}),
    "TX-05": ({"answer.TX-05": "yes"}, {"answer.TX-05": "no"}, {}),
    "TX-06": ({"answer.TX-06": "yes"}, {"answer.TX-06": "no"}, {}),
    "CO-01": ({"company.age_days": 100}, {"company.age_days": 4_000}, {}),
    "CO-02": ({"answer.CO-02": "yes"}, {"answer.CO-02": "no"}, {}),
    "CO-03": ({"procurement.cpv_code": "90910000-9", "company.industry_codes": ["62010"]},
              {"procurement.cpv_code": "90910000-9", "company.industry_codes": ["62010", "81210"]},
              {"procurement.cpv_code": "90910000-9"}),
    "CO-04": ({"organisation.employees": 2, "procurement.required_staff": 20},
              {"organisation.employees": 25, "procurement.required_staff": 20},
              {"procurement.required_staff": 20}),
    "CO-05": ({"organisation.annual_turnover": 1_000_000, "procurement.annual_value": 5_000_000},
              {"organisation.annual_turnover": 10_000_000, "procurement.annual_value": 5_000_000},
              {"procurement.annual_value": 5_000_000}),
    "CO-06": ({"company.filings_overdue": True}, {"answer.CO-06": "no"}, {}),
    "CO-07": ({"organisation.equity": -50_000, "organisation.share_capital": 25_000},
              {"organisation.equity": 300_000, "organisation.share_capital": 25_000},
              {"organisation.share_capital": 25_000}),
    "CO-08": ({"answer.CO-08": "yes"}, {"answer.CO-08": "no"}, {}),
    "CO-09": ({"company.address_box": True},
              {"company.address_box": False, "company.address_co": False, "graph.organisations_at_address": 1},
              {"company.address_box": False, "company.address_co": False}),
    "CO-10": ({"answer.CO-10": "yes"}, {"answer.CO-10": "no"}, {}),
    "RP-01": ({"answer.RP-01": "yes"}, {"answer.RP-01": "no"}, {}),
    "RP-02": ({PERSONS: {"Anna Svensson, VD": {"graph.key_person_failed_companies": 3}}},
              {PERSONS: {"Anna Svensson, VD": {"graph.key_person_failed_companies": 0}}},
              {PERSONS: {"Anna Svensson, VD": {}}}),
    "RP-03": ({PERSONS: {"Anna Svensson, VD": {"graph.key_person_engagements": 14}}},
              {PERSONS: {"Anna Svensson, VD": {"graph.key_person_engagements": 2}}},
              {PERSONS: {"Anna Svensson, VD": {"graph.key_person_engagements": None}}}),
    "RP-04": ({"answer.RP-04": "yes"}, {"answer.RP-04": "no"}, {}),
    "RP-05": ({"answer.RP-05": "yes"}, {"answer.RP-05": "no"}, {}),
    "BD-01": ({"participant.role": "bidder", "bid.price": 600_000, "bids.median_price": 1_000_000,
               "procurement.estimated_value": 1_100_000},
              {"participant.role": "bidder", "bid.price": 950_000, "bids.median_price": 1_000_000,
               "procurement.estimated_value": 1_100_000},
              {"participant.role": "bidder", "bid.price": 950_000, "procurement.estimated_value": 1_000_000}),
    "BD-02": ({"subcontracting.depth": 4},
              {"subcontracting.depth": 1, "contract.signed": False},
              {"subcontracting.depth": 1, "contract.signed": True}),
    "BD-03": ({"contract.signed": True, "payment.account_not_owned": True},
              {"contract.signed": False},
              {"contract.signed": True, "payment.account_not_owned": False}),
    "BD-04": ({"contract.signed": True, "invoice.other_issuer": False, "payment.bank_details_changed": True},
              {"contract.signed": True, "invoice.other_issuer": False, "payment.bank_details_changed": False},
              {"contract.signed": True, "invoice.other_issuer": False}),
    "BD-05": ({"contract.signed": True, "answer.BD-05": "yes"}, {"contract.signed": False}, {"contract.signed": True}),
    "BD-06": ({"procurement.risk_industry": False, "procurement.cpv_code": "79710000-4"},
              {"procurement.risk_industry": False, "procurement.cpv_code": "72000000-5",
               "organisation.industry_code": "62.010"},
              {}),
    "BD-07": ({"contract.signed": True, "followup.changed_facts": ["company.status"]},
              {"contract.signed": True, "followup.changed_facts": []},
              {"contract.signed": True}),
}


def facts(values: dict[str, Any], ref: str) -> dict[str, Fact]:
    return {name: Fact(value, (ref,)) for name, value in values.items()}


def case_of(values: dict[str, Any]) -> CaseFacts:
    """Split a flat table row into the organisation's, the contract's and the key persons' facts."""
    values = dict(values)
    persons = values.pop(PERSONS, {})
    contract = {k: v for k, v in values.items() if k in PROCUREMENT_FACTS and not k.startswith("organisation.")}
    own = {k: v for k, v in values.items() if k not in contract}
    return CaseFacts(facts(own, "outcome:1"), {label: facts(p, "outcome:2") for label, p in persons.items()},
                     facts(contract, "procurement:5"))


@pytest.fixture(scope="module")
def model() -> Model:
    known = {code for check in discover(include_entry_points=False).values() for code in check.FINDINGS}
    return load_default_model(known)


def test_the_table_covers_every_indicator(model: Model) -> None:
    assert sorted(CASES) == sorted(i.id for i in model.indicators)
    assert len(CASES) == 40


@pytest.mark.parametrize(("indicator_id", "position", "expected"),
                         [(i, n, s) for i in CASES for n, s in enumerate((FIRED, NOT_FIRED, INSUFFICIENT))])
def test_indicator_rule(model: Model, indicator_id: str, position: int, expected: str) -> None:
    result = evaluate(model, case_of(CASES[indicator_id][position])).by_id(indicator_id)
    assert result.state == expected, result.detail
    if expected == FIRED:
        assert result.evidence, "a fired indicator must point at its evidence"
    if expected == INSUFFICIENT:
        assert result.contribution == 0


def test_every_rule_explains_itself() -> None:
    for name, spec in RULES.items():
        assert spec.function.__doc__ and len(spec.function.__doc__) > 30, name


@pytest.mark.parametrize("value", [None, "unknown", "", "vet ej"])
@pytest.mark.parametrize(("name", "params"), [
    ("is_true", {"fact": "x"}), ("is_false", {"fact": "x"}), ("answer_yes", {"fact": "x"}),
    ("greater_than", {"fact": "x", "value": 0}), ("less_than", {"fact": "x", "value": 10}),
    ("count_at_least", {"fact": "x", "value": 1}), ("equals", {"fact": "x", "value": "a"}),
    ("in_set", {"fact": "x", "values": ("a",)}), ("prefix_match", {"fact": "x", "prefixes": ("45",)}),
])
def test_unknown_is_never_not_fired(name: str, params: dict[str, Any], value: Any) -> None:
    for given in ({}, {"x": Fact(value)}):
        result = RuleCall(name, params)(given)
        assert result.state == INSUFFICIENT and result.missing == ("x",)


@pytest.mark.parametrize(("name", "params", "value"), [
    ("is_true", {}, "maybe"), ("is_false", {}, object()), ("greater_than", {"value": 0}, True),
    ("greater_than", {"value": 0}, "many"), ("in_set", {"values": ("a",)}, {"status": "a"}),
    ("in_set", {"values": ("a",)}, [["a"]]), ("prefix_match", {"prefixes": ("45",)}, ["45000000", None]),
    ("prefix_match", {"prefixes": ("45",)}, "construction"), ("answer_yes", {}, "perhaps"),
])
def test_unreadable_values_are_insufficient_not_guessed(name: str, params: dict[str, Any], value: Any) -> None:
    result = RuleCall(name, {"fact": "x", **params})({"x": Fact(value)})
    assert result.state == INSUFFICIENT and result.missing == ("x",) and "cannot be read" in result.detail


def test_truth_of_values() -> None:
    rule = RuleCall("is_true", {"fact": "x"})
    for value, state in ((True, FIRED), (False, NOT_FIRED), ([{"list": "un"}], FIRED), ([], NOT_FIRED), (3, FIRED),
                         (0, NOT_FIRED), ("ja", FIRED), ("nej", NOT_FIRED), ({"a": 1}, FIRED)):
        assert rule({"x": Fact(value)}).state == state, value


def test_any_of_needs_every_condition_but_any_source_needs_one() -> None:
    rules = (RuleCall("is_true", {"fact": "a"}), RuleCall("is_true", {"fact": "b"}))
    only_a_no = {"a": Fact(False)}
    assert RuleCall("any_of", {"rules": rules})(only_a_no).state == INSUFFICIENT
    assert RuleCall("any_source", {"rules": rules})(only_a_no).state == NOT_FIRED
    assert RuleCall("any_source", {"rules": rules})({}).state == INSUFFICIENT
    assert RuleCall("any_of", {"rules": rules})({"b": Fact(True)}).state == FIRED


def test_all_of_is_settled_by_one_failing_condition() -> None:
    rules = (RuleCall("is_true", {"fact": "a"}), RuleCall("is_true", {"fact": "b"}))
    assert RuleCall("all_of", {"rules": rules})({"a": Fact(False)}).state == NOT_FIRED
    assert RuleCall("all_of", {"rules": rules})({"a": Fact(True)}).state == INSUFFICIENT
    assert RuleCall("all_of", {"rules": rules})({"a": Fact(True), "b": Fact(1)}).state == FIRED


def test_price_below_median_uses_the_estimate_too() -> None:
    rule = RuleCall("price_below_median", {"bid_fact": "bid", "median_fact": "median", "ratio": 0.75,
                                           "estimate_fact": "estimate", "estimate_ratio": 0.6})
    assert rule({"bid": Fact(500), "estimate": Fact(1000)}).state == FIRED  # below 0.6 × estimate, median unknown
    assert rule({"bid": Fact(700), "estimate": Fact(1000)}).state == INSUFFICIENT
    assert rule({"bid": Fact(700), "estimate": Fact(1000), "median": Fact(900)}).state == NOT_FIRED
    assert rule({"median": Fact(900)}).missing == ("bid",)


def test_screening_hit_waits_for_review_of_a_possible_match() -> None:
    rule = RuleCall("screening_hit", {"listed": "l", "possible": "p"})
    assert rule({"l": Fact(False), "p": Fact([{"list": "un"}])}).state == INSUFFICIENT
    assert rule({"l": Fact(False)}).state == INSUFFICIENT
    assert rule({"l": Fact(False), "p": Fact(False)}).state == NOT_FIRED
    assert rule({"l": Fact([{"list": "eu"}])}).state == FIRED


def test_codes_compare_without_dots() -> None:
    rule = RuleCall("prefix_match", {"fact": "x", "prefixes": ("81.21", "74.3")})
    assert rule({"x": Fact("81210")}).state == FIRED
    assert rule({"x": Fact(["62010", "74.300"])}).state == FIRED
    assert rule({"x": Fact("8130")}).state == NOT_FIRED
    assert rule({"x": Fact([])}).state == INSUFFICIENT


def test_industry_mismatch_without_expectation_asks_nothing() -> None:
    rule = RuleCall("industry_mismatch", {"cpv_fact": "cpv", "sni_fact": "sni", "table": {"45": ("41", "42", "43")}})
    result = rule({"cpv": Fact("30200000-1"), "sni": Fact(["62010"])})
    assert result.state == INSUFFICIENT and result.missing == ()
    assert rule({"cpv": Fact("45210000-2"), "sni": Fact(["43.999"])}).state == NOT_FIRED
