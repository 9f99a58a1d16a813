"""A signed contract's follow-up follows its current risk level; CP9 opens when it is due."""
from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from four_eyes import confirmed

from vetting.domain import clock, followup, organisations, procurements, risk, workflow
from vetting.domain.audit import SYSTEM, Actor
from vetting.store import checkpoints as checkpoint_store
from vetting.store import followup as store
from vetting.store import risk as risk_store

SETTINGS = {"FOLLOWUP_INTERVAL_MONTHS": ("high=3", "medium=6", "low=12")}


@pytest.fixture
def security(accounts: dict[str, int]) -> Actor:
    return Actor(accounts["security_officer"], "security_officer", frozenset({"security_officer"}))


@pytest.fixture
def contract(db: Any, create_procurement: Any) -> dict[str, int]:
    """A signed contract with an awarded supplier and a losing bidder, each with a risk assessment."""
    pid = create_procurement(title="Bevakning")
    supplier = organisations.create(db, SYSTEM, {"name": "Vakt AB", "country": "SE"})
    loser = organisations.create(db, SYSTEM, {"name": "Annan AB", "country": "SE"})
    procurements.add_participant(db, SYSTEM, pid, supplier, "awarded")
    procurements.add_participant(db, SYSTEM, pid, loser, "bidder")
    assessments = {oid: risk.assess(db, SYSTEM, pid, oid) for oid in (supplier, loser)}
    db.execute("UPDATE procurements SET phase = 'signed' WHERE id = ?", [pid])
    db.conn.commit()
    return {"procurement": pid, "supplier": assessments[supplier], "loser": assessments[loser]}


def set_level(db: Any, actor: Actor, assessment_id: int, level: str) -> None:
    """A security officer's override, confirmed by a second one (four eyes)."""
    confirmed(db, risk.override(db, actor, assessment_id, level, "Bedömning av säkerhetsenheten"))


def months_between(start: str, end: str) -> int:
    a, b = date.fromisoformat(start), date.fromisoformat(end)
    return (b.year - a.year) * 12 + b.month - a.month


def test_a_high_risk_contract_gets_a_three_month_schedule(db: Any, contract: Any, security: Actor) -> None:
    set_level(db, security, contract["supplier"], "joint_review")
    set_level(db, security, contract["loser"], "basic_done")  # a losing bidder does not set the contract's level
    with clock.frozen(date(2026, 12, 2)):
        workflow.start_followup_if_signed(db, SYSTEM, contract["procurement"], SETTINGS)
    schedule = store.schedule(db, contract["procurement"])
    assert (schedule["risk_level"], schedule["interval_months"], schedule["next_due"]) == ("high", 3, "2027-03-02")


def test_lowering_the_level_moves_the_next_follow_up(db: Any, contract: Any, security: Actor) -> None:
    set_level(db, security, contract["supplier"], "joint_review")
    with clock.frozen(date(2026, 12, 2)):
        workflow.start_followup_if_signed(db, SYSTEM, contract["procurement"], SETTINGS)
        set_level(db, security, contract["supplier"], "basic_done")
    schedule = store.schedule(db, contract["procurement"])
    assert (schedule["risk_level"], schedule["interval_months"], schedule["next_due"]) == ("low", 12, "2027-12-02")


def test_an_unassessed_contract_is_followed_as_medium(db: Any, create_procurement: Any) -> None:
    pid = create_procurement()
    procurements.add_participant(db, SYSTEM, pid, organisations.create(db, SYSTEM, {"name": "Ny AB", "country": "SE"}),
                                 "awarded")
    db.execute("UPDATE procurements SET phase = 'signed' WHERE id = ?", [pid])
    db.conn.commit()
    workflow.start_followup_if_signed(db, SYSTEM, pid, SETTINGS)
    assert store.schedule(db, pid)["risk_level"] == "medium"


def test_cp9_opens_when_the_follow_up_is_due_and_only_once(db: Any, contract: Any, security: Actor) -> None:
    set_level(db, security, contract["supplier"], "joint_review")
    with clock.frozen(date(2026, 12, 2)):
        workflow.start_followup_if_signed(db, SYSTEM, contract["procurement"], SETTINGS)
    cp9 = lambda: [c for c in checkpoint_store.for_procurement(db, contract["procurement"])  # noqa: E731
                   if c["template_id"] == "CP9"]
    with clock.frozen(date(2027, 3, 1)):
        assert followup.start_due(db) == [] and cp9() == []
    with clock.frozen(date(2027, 3, 2)):
        assert len(followup.start_due(db)) == 1
        assert followup.start_due(db) == []
    opened = cp9()
    assert len(opened) == 1 and opened[0]["due_at"][:10] == "2027-04-01"  # 30 days to do it
    from vetting.domain import checkpoint_templates

    assert checkpoint_templates.templates()["CP9"].signer == "security_officer"
    assert risk_store.latest_levels(db, contract["procurement"])  # assessed, as the level says
