"""Conditions of an "approved with conditions" sign-off become items that are followed until fulfilled.

Each line of the conditions text is one item, owned by the checkpoint's preparer (their role
otherwise), due ``CONDITION_DUE_DAYS`` after the decision. An item appears in its owner's inbox,
goes overdue after its date, and then raises one alert (in-app and e-mail to the owner and the
procurement's responsible officer); fulfilling it needs the evidence of what was done.
"""
from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import sqlite_utils
from .message import _l

from ..store import conditions as store
from ..store import write_transaction
from . import clock
from .audit import SYSTEM, Actor, record
from .errors import Conflict, InvalidInput, NotFound

DEFAULT_DUE_DAYS = 30


def split(text: str) -> list[str]:
    """One condition per line; list bullets and numbering are dropped."""
    items = [re.sub(r"^\s*(?:[-*•]|\d+[.)])\s*", "", line).strip() for line in (text or "").splitlines()]
    return [item[:1000] for item in items if item]


def create_from_decision(db: sqlite_utils.Database, actor: Actor, checkpoint: dict[str, Any], decision_id: int,
                         text: str, due_days: int = DEFAULT_DUE_DAYS) -> list[int]:
    """Turn a decision's conditions into tracked items (inside the sign-off's transaction)."""
    due_on = (clock.today() + timedelta(days=due_days)).isoformat()
    ids = []
    with write_transaction(db):
        for item in split(text):
            condition_id = store.insert(db, procurement_id=checkpoint["procurement_id"],
                                        checkpoint_id=checkpoint["id"], decision_id=decision_id, text=item,
                                        owner_user_id=checkpoint.get("prepared_by_id"),
                                        owner_role=checkpoint["template"].preparer, due_on=due_on)
            record(db, actor, "condition.open", "procurement", checkpoint["procurement_id"],
                   after={"condition_id": condition_id, "checkpoint_id": checkpoint["id"], "text": item,
                          "due_on": due_on})
            ids.append(condition_id)
    return ids


def is_overdue(condition: dict[str, Any]) -> bool:
    """Open and past its due date."""
    return condition["fulfilled_at"] is None and condition["due_on"] < clock.today().isoformat()


def for_user(db: sqlite_utils.Database, actor: Actor) -> list[dict[str, Any]]:
    """Open conditions the user must fulfil: their own, or their role's when nobody owns them."""
    mine = []
    for condition in store.open_conditions(db):
        owned = condition["owner_user_id"] == actor.id if condition["owner_user_id"] else \
            actor.has_role(condition["owner_role"])
        if owned:
            condition["overdue"] = is_overdue(condition)
            mine.append(condition)
    return sorted(mine, key=lambda c: (not c["overdue"], c["due_on"]))


def fulfil(db: sqlite_utils.Database, actor: Actor, condition_id: int, evidence: str) -> None:
    """Record that a condition is met, with the evidence (what was done, which document)."""
    evidence = (evidence or "").strip()
    if not evidence:
        raise InvalidInput(_l("Describe the evidence that the condition is met."), "evidence")
    condition = store.get(db, condition_id)
    if condition is None:
        raise NotFound(_l("No such condition."))
    with write_transaction(db):
        if store.fulfil(db, condition_id, actor.username, evidence[:4000]) == 0:
            raise Conflict(_l("The condition is already fulfilled."))
        record(db, actor, "condition.fulfil", "procurement", condition["procurement_id"],
               after={"condition_id": condition_id, "text": condition["text"]}, reason=evidence[:500])


def alert_overdue(db: sqlite_utils.Database, actor: Actor = SYSTEM) -> list[int]:
    """Raise one alert per condition that went overdue (safe to repeat: each alerts once); return their ids."""
    from .notify import tell_user

    raised = []
    for condition in store.overdue_not_alerted(db, clock.today().isoformat()):
        with write_transaction(db):
            if store.mark_alerted(db, condition["id"]) == 0:
                continue
            record(db, actor, "condition.overdue", "procurement", condition["procurement_id"],
                   after={"condition_id": condition["id"], "text": condition["text"], "due_on": condition["due_on"]})
        text = _l("%(ref)s: the condition “%(text)s” of %(cp)s was due on %(day)s and is not fulfilled.",
                  ref=condition["reference"], text=condition["text"][:200], cp=condition["template_id"],
                  day=condition["due_on"])
        link = f"/procurements/{condition['procurement_id']}#conditions"
        for user_id in {condition["owner_user_id"], condition["responsible_user_id"]} - {None}:
            tell_user(db, user_id, text, link)
        raised.append(condition["id"])
    return raised
