"""Conditions of an "approved with conditions" sign-off are followed: owner, due date, inbox, overdue alert, evidence."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from vetting.domain import checkpoints, clock, conditions, inbox
from vetting.domain.audit import Actor
from vetting.domain.errors import InvalidInput
from vetting.store import checkpoints as checkpoint_store
from vetting.store import conditions as store

CP0 = {"security_sensitive": "yes", "access_needed": "yes", "control_level": "extended"}


@pytest.fixture
def people(accounts: dict[str, int]) -> tuple[Actor, Actor]:
    return (Actor(accounts["procurement_officer"], "procurement_officer", frozenset({"procurement_officer"})),
            Actor(accounts["security_officer"], "security_officer", frozenset({"security_officer"})))


@pytest.fixture
def signed(db: Any, people: Any, create_procurement: Any) -> int:
    """CP0 approved with one condition on 1 March 2027."""
    officer, security = people
    pid = create_procurement(responsible_user_id=officer.id)
    cp0 = next(c for c in checkpoint_store.for_procurement(db, pid) if c["template_id"] == "CP0")
    checkpoints.prepare(db, officer, cp0["id"], CP0)
    with clock.frozen(date(2027, 3, 1)):
        checkpoints.sign(db, security, cp0["id"], "approved_with_conditions", "Kan godkännas",
                         "- Säkerhetsskyddsavtal tecknas före start")
    return pid


def notifications(db: Any, user_id: int) -> list[str]:
    return [r["text"] for r in db.query("SELECT text FROM notifications WHERE user_id = ? ORDER BY id", [user_id])]


def test_each_condition_becomes_an_item_with_owner_and_due_date(db: Any, people: Any, signed: int) -> None:
    officer, security = people
    items = store.for_procurement(db, signed)
    assert [(c["text"], c["owner_user_id"], c["due_on"]) for c in items] == [
        ("Säkerhetsskyddsavtal tecknas före start", officer.id, "2027-03-31")]
    assert [c["text"] for c in conditions.for_user(db, officer)] == ["Säkerhetsskyddsavtal tecknas före start"]
    assert conditions.for_user(db, security) == []


def test_an_overdue_condition_raises_one_alert(db: Any, people: Any, signed: int) -> None:
    officer, _security = people
    before = len(notifications(db, officer.id))
    with clock.frozen(date(2027, 3, 31)):
        assert conditions.alert_overdue(db) == []  # due today: not overdue yet
    with clock.frozen(date(2027, 4, 1)):
        assert len(conditions.alert_overdue(db)) == 1
        assert conditions.alert_overdue(db) == []
        assert conditions.for_user(db, officer)[0]["overdue"]
    texts = notifications(db, officer.id)[before:]
    assert len(texts) == 1 and "Säkerhetsskyddsavtal" in texts[0] and "2027-03-31" in texts[0]


def test_fulfilment_needs_evidence_and_shows_on_the_pages(db: Any, people: Any, signed: int, login_as: Any) -> None:
    officer, _security = people
    condition = store.for_procurement(db, signed)[0]
    with pytest.raises(InvalidInput):
        conditions.fulfil(db, officer, condition["id"], "  ")
    client = login_as("procurement_officer")
    page = client.get(f"/procurements/{signed}").get_data(as_text=True)
    assert "Säkerhetsskyddsavtal tecknas före start" in page and "Villkor som ska följas upp" in page
    inbox_page = client.get("/checkpoints/").get_data(as_text=True)
    assert "Säkerhetsskyddsavtal tecknas före start" in inbox_page
    response = client.post(f"/procurements/conditions/{condition['id']}/fulfil",
                           data={"evidence": "Avtal SUA-2027-4 undertecknat 2027-03-20"})
    assert response.status_code == 302
    assert store.get(db, condition["id"])["evidence"] == "Avtal SUA-2027-4 undertecknat 2027-03-20"
    assert conditions.for_user(db, officer) == []
    with clock.frozen(date.today() + timedelta(days=400)):
        assert conditions.alert_overdue(db) == []  # fulfilled: never overdue
    assert "SUA-2027-4" in client.get(f"/followup/contracts/{signed}").get_data(as_text=True)
