"""Triage with effect: a deepened check becomes a security officer's task; a joint review calls for CP5.

"Deepened check" opens a task owned by a security officer with a deadline, what was examined and a
proportionality note; the party cannot be awarded until it is concluded (blockers.py reads the open
tasks). "Joint review" (or an exclusion assessment) makes CP5 required whatever the protection level
(protection.profile reads the levels).
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import sqlite_utils
from .message import _l

from ..store import gates as store
from ..store import risk as risk_store
from ..store import write_transaction
from . import events
from .audit import Actor, record
from .errors import Conflict, InvalidInput, NotFound

DEEPENED_CHECK_DAYS = 14
JOINT_LEVELS = ("joint_review", "exclusion_assessment")


def effective(row: dict[str, Any]) -> str:
    return row.get("override_level") or row["level"]


def joint_review(db: sqlite_utils.Database, procurement_id: int) -> bool:
    """Whether any party's assessment calls for the joint assessment (CP5)."""
    from ..store import procurements as procurement_store

    taking_part = {p["organisation_id"] for p in procurement_store.participants(db, procurement_id)}
    return any(effective(row) in JOINT_LEVELS for (_pid, oid), row in risk_store.latest_levels(db, procurement_id).items()
               if oid in taking_part)  # a removed party's level no longer shapes the procurement


def assessed(db: sqlite_utils.Database, actor: Actor, procurement_id: int, organisation_id: int,
             assessment_id: int) -> None:
    """Give the new assessment its effect (caller holds the transaction)."""
    row = risk_store.assessment(db, assessment_id) or {}
    level = row.get("override_level") or row.get("level")
    if level == "deepened_check" and not store.deepened_checks(db, procurement_id, organisation_id):
        due = (datetime.now(timezone.utc) + timedelta(days=DEEPENED_CHECK_DAYS)).isoformat(timespec="seconds")
        task_id = store.insert_deepened_check(db, procurement_id, organisation_id, assessment_id, due)
        if task_id:
            record(db, actor, "triage.deepened_check", "procurement", procurement_id,
                   after={"task_id": task_id, "organisation_id": organisation_id, "due_at": due})
            from .notify import tell_role

            tell_role(db, "security_officer", _l("A deepened check is yours to do (due %(due)s).", due=due[:10]),
                      f"/risk/procurements/{procurement_id}/organisations/{organisation_id}#deepened")
    events.publish(db, events.RiskLevelSet(actor, procurement_id))  # a joint review opens CP5


def conclude(db: sqlite_utils.Database, actor: Actor, task_id: int, examined: str, proportionality: str,
             conclusion: str) -> None:
    """The security officer records what was examined, the proportionality note and the conclusion."""
    examined, proportionality, conclusion = (examined or "").strip(), (proportionality or "").strip(), \
        (conclusion or "").strip()
    if not actor.has_role("security_officer"):
        raise InvalidInput(_l("Only a security officer concludes a deepened check."))
    if not (examined and proportionality and conclusion):
        raise InvalidInput(_l("State what was examined, the proportionality assessment and the conclusion."),
                           "examined")
    task = store.deepened_check(db, task_id)
    if task is None:
        raise NotFound(_l("No such deepened check."))
    with write_transaction(db):
        if not store.conclude_deepened_check(db, task_id, examined, proportionality, conclusion, actor.username):
            raise Conflict(_l("The deepened check is already concluded."))
        record(db, actor, "triage.deepened_check_concluded", "procurement", task["procurement_id"],
               after={"task_id": task_id, "organisation_id": task["organisation_id"]}, reason=conclusion)


def tasks(db: sqlite_utils.Database, procurement_id: int, organisation_id: int) -> list[dict[str, Any]]:
    """The deepened-check tasks of a case."""
    return store.deepened_checks(db, procurement_id, organisation_id)
