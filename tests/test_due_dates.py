"""Due dates follow the phases and the planned dates; inboxes put the user's own decisions first."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from vetting.domain import checkpoints, inbox, timeline
from vetting.domain.audit import SYSTEM, Actor
from vetting.store import checkpoints as store
from vetting.store import procurements as procurement_store

ORDER = ["need", "documents", "advertised", "opening", "evaluation", "award", "standstill", "signed", "active",
         "ended"]
GATES = {"CP0": "documents", "CP1": "advertised", "CP2": "advertised", "CP3": "evaluation", "CP4": "award",
         "CP5": "award", "CP6": "signed", "CP7": "active", "CP12": "ended"}
CP0 = {"security_sensitive": "no", "access_needed": "no", "control_level": "basic"}


@pytest.fixture
def people(accounts: dict[str, int]) -> tuple[Actor, Actor]:
    return (Actor(accounts["procurement_officer"], "procurement_officer", frozenset({"procurement_officer"})),
            Actor(accounts["security_officer"], "security_officer", frozenset({"security_officer"})))


def due_by_template(db: Any, pid: int) -> dict[str, str]:
    return {c["template_id"]: c["due_at"][:10] for c in store.for_procurement(db, pid) if c["trigger"] == "phase"}


def test_a_new_procurement_has_due_dates_in_phase_order(db: Any, create_procurement: Any) -> None:
    pid = create_procurement(protection_level="sua1")
    due = due_by_template(db, pid)
    assert set(GATES) <= set(due)
    by_phase = sorted(due, key=lambda t: ORDER.index(GATES[t]))
    assert [due[t] for t in by_phase] == sorted(due.values())
    assert due["CP1"] < due["CP5"]  # the complaint: CP5 was due before CP1
    assert due["CP0"] > date.today().isoformat()


def test_planned_dates_set_the_due_dates_and_move_them(db: Any, create_procurement: Any) -> None:
    pid = create_procurement(protection_level="sua2")
    start = date.today() + timedelta(days=60)
    plan = {"planned_advertising": start, "planned_opening": start + timedelta(days=35),
            "planned_award": start + timedelta(days=60), "planned_contract_start": start + timedelta(days=90)}
    timeline.set_planned_dates(db, SYSTEM, pid, {k: v.isoformat() for k, v in plan.items()})
    due = due_by_template(db, pid)
    assert due["CP1"] == plan["planned_advertising"].isoformat()
    assert due["CP3"] == plan["planned_opening"].isoformat()
    assert due["CP4"] == due["CP5"] == plan["planned_award"].isoformat()
    assert due["CP6"] == plan["planned_contract_start"].isoformat()
    later = plan["planned_award"] + timedelta(days=14)
    timeline.set_planned_dates(db, SYSTEM, pid, {"planned_award": later.isoformat()})
    assert due_by_template(db, pid)["CP5"] == later.isoformat()


def test_security_officers_inbox_lists_his_decision_first(db: Any, people: Any, create_procurement: Any) -> None:
    officer, security = people
    later = create_procurement(protection_level="sua2", phase="documents")       # CP1: security prepares, not late
    late = create_procurement(protection_level="sua2", phase="documents")        # CP1 overdue
    decide = create_procurement(protection_level="sua2")                         # CP0 waits for his sign-off
    db.execute("UPDATE checkpoints SET due_at = '2000-01-01T00:00:00+00:00' WHERE procurement_id = ?"
               " AND template_id = 'CP1'", [late])
    db.conn.commit()
    cp0 = next(c for c in store.for_procurement(db, decide) if c["template_id"] == "CP0")
    checkpoints.prepare(db, officer, cp0["id"], CP0)
    boxes = inbox.for_user(db, security)
    waiting = [(c["procurement_id"], c["template_id"]) for c in boxes["waiting"]]
    assert waiting[0] == (decide, "CP0")
    assert waiting.index((late, "CP1")) < waiting.index((later, "CP1"))


def test_a_checkpoint_that_does_not_apply_yet_is_not_in_the_inbox(db: Any, people: Any,
                                                                  create_procurement: Any) -> None:
    officer, security = people
    pid = create_procurement(protection_level="sua1")
    mine = {c["template_id"] for c in inbox.for_user(db, officer)["waiting"] if c["procurement_id"] == pid}
    assert mine == {"CP0"}  # CP4 (before the award) waits for its phase
    procurement_store.update(db, pid, {"phase": "evaluation"})
    db.conn.commit()
    mine = {c["template_id"] for c in inbox.for_user(db, officer)["waiting"] if c["procurement_id"] == pid}
    assert "CP4" in mine and "CP6" not in mine


def test_inbox_page_shows_decisions_first(login_as: Any, db: Any, people: Any, create_procurement: Any) -> None:
    officer, _security = people
    pid = create_procurement(protection_level="sua2", phase="documents")
    cp0 = next(c for c in store.for_procurement(db, create_procurement()) if c["template_id"] == "CP0")
    checkpoints.prepare(db, officer, cp0["id"], CP0)
    page = login_as("security_officer").get("/checkpoints/").get_data(as_text=True)
    assert page.index("Väntar på ditt beslut") < page.index("Väntar på mig")
    assert page.index("CP0") < page.index("CP1") and pid
