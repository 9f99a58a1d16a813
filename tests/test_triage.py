"""Triage with effect: a deepened check is a security officer's task that blocks award; joint review requires CP5."""
from __future__ import annotations

import pytest
from four_eyes import second

from vetting.domain import foureyes, procurements, risk, triage, workflow
from vetting.domain.audit import Actor
from vetting.domain.errors import InvalidInput
from vetting.risk.score import score as risk_score
from vetting.store import checkpoints as cp_store


@pytest.fixture
def people(accounts):
    return (Actor(accounts["procurement_officer"], "procurement_officer", frozenset({"procurement_officer"})),
            Actor(accounts["security_officer"], "security_officer", frozenset({"security_officer"})))


def _case(db, officer, create_org, create_procurement):
    pid = create_procurement(phase="evaluation", protection_level="none", estimated_value=100_000)
    org = create_org(name="Bygg AB")
    procurements.add_participant(db, officer, pid, org, "awarded")
    return pid, org


def _override(db, security, assessment_id, level):
    proposed = risk.override(db, security, assessment_id, level, "Uppgifter från annan myndighet")
    foureyes.confirm(db, second(db, "security_officer"), proposed.proposal_id)


def test_deepened_check_is_a_task_for_security_and_blocks_award_until_concluded(db, people, create_org,
                                                                                create_procurement):
    officer, security = people
    pid, org = _case(db, officer, create_org, create_procurement)
    _override(db, security, risk.assess(db, officer, pid, org), "deepened_check")
    [task] = triage.tasks(db, pid, org)
    assert task["owner_role"] == "security_officer" and task["due_at"] and task["concluded_at"] is None
    assert [b.kind for b in workflow.gate(db, pid).blockers] == ["deepened_check"]
    with pytest.raises(InvalidInput):
        triage.conclude(db, officer, task["id"], "Ägarstruktur", "Proportionerligt", "Inga hinder")
    with pytest.raises(InvalidInput):
        triage.conclude(db, security, task["id"], "Ägarstruktur", "", "Inga hinder")
    triage.conclude(db, security, task["id"], "Ägarstruktur och styrelse", "Uppgifterna står i proportion till "
                    "kontraktets art", "Inga hinder mot tilldelning")
    assert workflow.gate(db, pid).blockers == []


def test_joint_review_makes_cp5_required_whatever_the_protection_level(db, people, create_org, create_procurement):
    officer, security = people
    pid, org = _case(db, officer, create_org, create_procurement)
    assert "CP5" not in {c["template_id"] for c in cp_store.for_procurement(db, pid)}
    _override(db, security, risk.assess(db, officer, pid, org), "joint_review")
    assert "CP5" in {c["template_id"] for c in cp_store.for_procurement(db, pid)}
    assert "CP5" in {b["template"].id for b in workflow.gate(db, pid).blocking}


def test_missing_manual_facts_alone_do_not_push_a_case_up(db):
    """Indicators only a manual source can answer are asked for; lacking them is not 'could not be checked'."""
    from vetting.risk.evaluate import IndicatorResult

    model = risk.current_model(db)
    manual = risk.manual_facts()
    manual_only = {i.id for i in model.automatic if i.facts and set(i.facts) <= manual}
    assert manual_only, "the model has indicators that read manual checks only"
    results = [IndicatorResult(i.id, "insufficient_data" if i.id in manual_only else "not_fired", i.severity, 0.0, 0.0,
                               "", ()) for i in model.indicators]
    assert risk_score(model, results, False, manual).level == "basic_done"
    every_automatic_missing = [IndicatorResult(i.id, "insufficient_data", i.severity, 0.0, 0.0, "", ())
                               for i in model.indicators]
    assert risk_score(model, every_automatic_missing, False, manual).level == "deepened_check"
