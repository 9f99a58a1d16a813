"""Evaluation of one organisation: person indicators over several key persons, evidence, and the questions asked."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from vetting.risk import CaseFacts, Fact, Model, evaluate, load_default_model, load_model, questions
from vetting.risk.indicators import FIRED, INSUFFICIENT, NOT_FIRED

MINIMAL = Path(__file__).resolve().parent / "fixtures" / "risk" / "minimal.toml"


def facts(values: dict[str, Any], ref: str = "outcome:1") -> dict[str, Fact]:
    return {name: Fact(value, (ref,)) for name, value in values.items()}


@pytest.fixture(scope="module")
def minimal() -> Model:
    return load_model(MINIMAL)


@pytest.fixture(scope="module")
def v1() -> Model:
    return load_default_model()


def persons(*failed: int | None) -> dict[str, dict[str, Fact]]:
    """Key persons P1, P2... with the given number of failed companies (None: not known)."""
    return {f"P{n + 1}": facts({} if count is None else {"graph.key_person_failed_companies": count},
                               f"outcome:{10 + n}") for n, count in enumerate(failed)}


def test_person_indicator_fires_for_any_key_person_and_names_them(minimal: Model) -> None:
    result = evaluate(minimal, CaseFacts({}, persons(0, 3, None))).by_id("RP-02")
    assert result.state == FIRED
    assert result.detail.startswith("P2: ") and "P1" not in result.detail and "P3" not in result.detail
    assert result.evidence == ("outcome:11",)
    assert result.contribution == 3


def test_person_indicator_undecided_when_one_person_lacks_data(minimal: Model) -> None:
    result = evaluate(minimal, CaseFacts({}, persons(0, None, 1))).by_id("RP-02")
    assert result.state == INSUFFICIENT and result.detail.startswith("P2: ")
    assert result.contribution == 0


def test_person_indicator_not_fired_only_when_every_person_is_known(minimal: Model) -> None:
    result = evaluate(minimal, CaseFacts({}, persons(0, 1, 1))).by_id("RP-02")
    assert result.state == NOT_FIRED and all(p in result.detail for p in ("P1", "P2", "P3"))


def test_no_key_persons_is_not_a_clean_result(minimal: Model) -> None:
    assert evaluate(minimal, CaseFacts({})).by_id("RP-02").state == INSUFFICIENT


def test_organisation_facts_do_not_count_as_a_persons(minimal: Model) -> None:
    case = CaseFacts(facts({"graph.key_person_failed_companies": 5}), persons(None))
    assert evaluate(minimal, case).by_id("RP-02").state == INSUFFICIENT


def test_with_key_persons_screens_organisation_and_persons(minimal: Model) -> None:
    clear = {"sanctions.listed": False}
    case = CaseFacts(facts(clear), {"Anna": facts({"sanctions.listed": [{"list": "un"}]}, "outcome:7"),
                                    "Bo": facts(clear)})
    result = evaluate(minimal, case).by_id("EX-07")
    assert result.state == FIRED and result.detail.startswith("Anna: ") and result.evidence == ("outcome:7",)
    assert evaluate(minimal, CaseFacts(facts(clear), {"Bo": facts(clear)})).by_id("EX-07").state == NOT_FIRED
    assert evaluate(minimal, CaseFacts(facts(clear), {"Bo": {}})).by_id("EX-07").state == INSUFFICIENT
    unscreened_persons = evaluate(minimal, CaseFacts(facts(clear))).by_id("EX-07")
    assert unscreened_persons.state == INSUFFICIENT and "no key persons are registered" in unscreened_persons.detail
    listed = evaluate(minimal, CaseFacts(facts({"sanctions.listed": True}))).by_id("EX-07")
    assert listed.state == FIRED


def test_contract_and_organisation_facts_are_read_together(minimal: Model) -> None:
    case = CaseFacts(facts({"tax.f_skatt": False}), {}, facts({"procurement.cpv_code": "45210000-2"}, "procurement:5"))
    assessment = evaluate(minimal, case)
    assert assessment.by_id("TX-01").state == FIRED and assessment.by_id("TX-01").evidence == ("outcome:1",)
    assert assessment.by_id("BD-06").evidence == ("procurement:5",)
    assert assessment.risk_industry is True
    assert assessment.model_version == "test-1"


def test_risk_industry_unknown_without_data(minimal: Model) -> None:
    assert evaluate(minimal, CaseFacts({})).risk_industry is None


def test_results_follow_the_model_and_carry_weights(minimal: Model) -> None:
    assessment = evaluate(minimal, CaseFacts(facts({"sanctions.listed": True, "company.address_box": True}),
                                             persons(0)))
    assert [r.id for r in assessment.results] == [i.id for i in minimal.indicators]
    assert assessment.by_id("EX-07").contribution == 0  # exclusion is not weighted
    assert assessment.by_id("CO-09").contribution == 5  # the model's weight override
    assert assessment.by_id("CO-01").missing == ("company.age_days",)
    assert {r.id for r in assessment.in_state(FIRED)} == {"EX-07", "CO-09"}


def test_questions_only_those_still_needed(minimal: Model) -> None:
    assert [q.indicator_id for q in questions(minimal, CaseFacts({}))] == ["CO-10"]
    question = questions(minimal, CaseFacts({}))[0]
    assert question.fact == "answer.CO-10" and question.text.en == "Does the company lack premises?"
    assert questions(minimal, CaseFacts(facts({"answer.CO-10": "no"}, "answer:3"))) == ()
    assert [q.indicator_id for q in questions(minimal, CaseFacts(facts({"answer.CO-10": "unknown"})))] == ["CO-10"]


def test_questions_of_model_v1_depend_on_the_case(v1: Model) -> None:
    bidder = facts({"participant.role": "bidder", "organisation.country": "SE", "contract.signed": False,
                    "graph.shared_with_other_bidder": []})
    asked = {q.indicator_id for q in questions(v1, CaseFacts(bidder))}
    assert "EX-06" in asked  # a bidder must answer the Russia question
    assert not asked & {"EX-11", "BD-02", "BD-03", "BD-05"}  # no shared links; before award
    assert all(v1.indicator(i).question for i in asked)

    small_subcontractor = facts({"participant.role": "subcontractor", "subcontractor.share_percent": 5,
                                 "organisation.country": "SE"})
    assert "EX-06" not in {q.indicator_id for q in questions(v1, CaseFacts(small_subcontractor))}

    declared = facts({"espd.exclusion_declared": True})
    assert "EX-01" not in {q.indicator_id for q in questions(v1, CaseFacts(declared))}  # already fired

    after_award = facts({"contract.signed": True, "subcontracting.depth": 1, "payment.account_not_owned": False})
    assert {"BD-02", "BD-03", "BD-05"} <= {q.indicator_id for q in questions(v1, CaseFacts(after_award))}
