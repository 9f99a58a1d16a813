"""The checkpoint inbox shows one page per box, read as a page from the database, so its cost does not grow with
what waits (issue 14); the boxes follow the inbox rule, checked against the rule written out here."""
from __future__ import annotations

import re

from factories import procurement
from vetting.domain import clock, inbox
from vetting.domain.audit import Actor
from vetting.domain.checkpoint_templates import templates
from vetting.domain.procurements import PHASES
from vetting.store import checkpoints as store
from vetting.store import write_transaction

WAITING = 60  # periodic follow-ups (CP9) a reviewer prepares


def _open_follow_ups(db, count: int) -> None:
    pid = procurement(db)
    with write_transaction(db):
        for n in range(count):
            store.insert(db, procurement_id=pid, template_id="CP9", trigger="periodic", event_detail={"n": n},
                         due_at=f"2999-01-{n % 28 + 1:02d}T00:00:00")


def _rows_of_box(html: str, box: str) -> int:
    section = html.split(f'id="box-{box}"', 1)[1].split("</section>", 1)[0]
    return len(re.findall(r"<tr>\s*<td>", section))


def test_a_box_shows_one_page_and_links_to_the_next(db, client, login_as):
    _open_follow_ups(db, WAITING)
    login_as("reviewer")
    first = client.get("/checkpoints/").get_data(as_text=True)
    assert _rows_of_box(first, "rest") == 25
    assert f"({WAITING})" in first.split('id="box-rest"', 1)[1][:80]  # the heading still counts them all
    assert "rest_page=2" in first
    last = client.get("/checkpoints/?rest_page=3").get_data(as_text=True)
    assert _rows_of_box(last, "rest") == WAITING - 50
    assert "rest_page=4" not in last


def test_a_page_beyond_the_end_shows_the_last_page(db, client, login_as):
    _open_follow_ups(db, 30)
    login_as("reviewer")
    assert _rows_of_box(client.get("/checkpoints/?rest_page=99").get_data(as_text=True), "rest") == 5


def _expected_boxes(checkpoints, phase_of, actor, now):
    """The inbox rule in words, written for this test: mine to prepare (open, or returned to someone else),
    mine to sign (prepared by someone else), returned to me; past due counts as overdue, except a decision."""
    boxes = {"decide": [], "overdue": [], "rest": [], "returned": [], "waiting": []}
    for c in sorted(checkpoints, key=lambda c: (c["due_at"] is not None, c["due_at"] or "", c["id"])):
        template = templates()[c["template_id"]]
        phase = phase_of[c["procurement_id"]]
        if c["trigger"] == "phase" and template.gates in PHASES and PHASES.index(template.gates) > PHASES.index(phase) + 1:
            continue  # gates a phase more than one ahead: not worked on yet
        mine = c["prepared_by_id"] == actor.id
        late = bool(c["due_at"] and c["due_at"] < now)
        to_sign = c["state"] == "prepared" and template.signer in actor.roles and not mine
        to_prepare = template.preparer in actor.roles and (c["state"] == "open" or (c["state"] == "rejected" and not mine))
        returned = c["state"] == "rejected" and mine
        if to_sign:
            boxes["decide"].append(c["id"])
        elif to_prepare:
            boxes["overdue" if late else "rest"].append(c["id"])
        if returned:
            boxes["returned"].append(c["id"])
            if late:
                boxes["overdue"].append(c["id"])
    overdue_work = [i for i in boxes["overdue"] if i not in boxes["returned"]]
    boxes["waiting"] = boxes["decide"] + overdue_work + boxes["rest"]
    boxes["waiting"] = sorted(boxes["waiting"], key=lambda i: (i not in boxes["decide"], i not in overdue_work))
    return boxes


def test_the_boxes_follow_the_inbox_rule_and_a_page_is_a_slice_of_them(db, accounts):
    officer, security = accounts["procurement_officer"], accounts["security_officer"]
    phase_of = {}
    for phase in ("need", "evaluation", "active"):
        phase_of[procurement(db, phase=phase)] = phase
    pid = next(iter(phase_of))
    with write_transaction(db):
        for n, template_id in enumerate(sorted(templates())):
            for due in ("2001-01-01T00:00:00", "2999-01-01T00:00:00", None):
                store.insert(db, procurement_id=pid, template_id=template_id, trigger="periodic",
                             event_detail={"n": n, "due": due}, due_at=due)
        every = [c for p in phase_of for c in store.for_procurement(db, p)]
        for n, c in enumerate(every):  # states and preparers spread over the rows
            if n % 4 == 1:
                store.mark_prepared(db, c["id"], {}, "x", (officer, security, None)[n % 3])
            elif n % 4 == 2:
                store.mark_prepared(db, c["id"], {}, "x", (officer, security)[n % 2])
                store.insert_decision(db, checkpoint_id=c["id"], round_=1, decision="rejected", reason="r",
                                      conditions=None, user="y", user_id=security, snapshot={})
    every = [c for p in phase_of for c in store.for_procurement(db, p)]
    assert {c["state"] for c in every} == {"open", "prepared", "rejected"}
    now = clock.now().isoformat(timespec="seconds")
    actors = [Actor(officer, "procurement_officer", frozenset({"procurement_officer"})),
              Actor(security, "security_officer", frozenset({"security_officer"})),
              Actor(officer, "both", frozenset({"procurement_officer", "security_officer", "reviewer"}))]
    for actor in actors:
        expected = _expected_boxes(every, phase_of, actor, now)
        boxes = inbox.for_user(db, actor)
        assert {box: [c["id"] for c in rows] for box, rows in boxes.items()} == expected, actor
        page = inbox.page_for_user(db, actor, ("decide", "overdue", "rest", "returned"), lambda _b, _n: 2, 3)
        assert page.counts == {box: len(ids) for box, ids in expected.items()}
        assert {box: [c["id"] for c in rows] for box, rows in page.rows.items()} == \
            {box: expected[box][2:5] for box in ("decide", "overdue", "rest", "returned")}
    assert any(expected.values())
