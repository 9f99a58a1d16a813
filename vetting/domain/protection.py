"""Change control of the protection level and risk-industry flag, and what CP0's answers imply.

These two values decide which security checkpoints a procurement gets, so they change only through
CP0's outcome or by a security officer with a reason; a change after CP0 re-opens CP0.
"""
from __future__ import annotations

from typing import Any

import sqlite_utils
from .message import _l

from ..store import checkpoints as checkpoint_store
from ..store import procurements as procurement_store
from ..store import write_transaction
from . import events
from .audit import Actor, record
from .errors import InvalidInput, NotFound

CONTROLLED = ("protection_level", "risk_industry")
PROTECTION_LEVELS = ("none", "sua1", "sua2", "sua3")
# CP0 control levels beyond "basic" call for the security checkpoints (CP1, CP5, CP7) whatever the value.
RAISING_CONTROL = ("extended", "security_protected")


def cp0_answers(db: sqlite_utils.Database, procurement_id: int) -> dict[str, Any]:
    """CP0's answers once approved (before that they decide nothing)."""
    for checkpoint in checkpoint_store.for_procurement(db, procurement_id):
        if checkpoint["template_id"] == "CP0" and checkpoint["state"] in ("approved", "approved_with_conditions"):
            return checkpoint["answers"] or {}
    return {}


def profile(db: sqlite_utils.Database, procurement: dict[str, Any]) -> dict[str, Any]:
    """The procurement as the checkpoint rules see it: its fields plus what CP0 established."""
    from .triage import joint_review

    answers = cp0_answers(db, procurement["id"])
    return {**procurement, "joint_review": joint_review(db, procurement["id"]), "security_sensitive": bool(answers.get("security_sensitive")),
            "access_needed": bool(answers.get("access_needed")),
            "raised_control": answers.get("control_level") in RAISING_CONTROL}


def refuse_uncontrolled(before: dict[str, Any], values: dict[str, Any]) -> None:
    """The ordinary procurement form may not change the protection level or the risk-industry flag."""
    if "protection_level" in values and (values["protection_level"] or "none") != before["protection_level"]:
        raise InvalidInput(_l("The protection level changes only through CP0 or by a security officer with a reason."),
                           "protection_level")
    if "risk_industry" in values and bool(values["risk_industry"]) != bool(before["risk_industry"]):
        raise InvalidInput(_l("The risk-industry classification changes only through CP0 or by a security officer "
                              "with a reason."), "risk_industry")


def set_protection(db: sqlite_utils.Database, actor: Actor, procurement_id: int, level: str, risk_industry: bool,
                   reason: str) -> None:
    """A security officer changes the level or risk-industry flag with a reason; CP0 re-opens if it was decided."""
    reason = (reason or "").strip()
    if not actor.has_role("security_officer"):
        raise InvalidInput(_l("Only a security officer may change the protection level."))
    if level not in PROTECTION_LEVELS:
        raise InvalidInput(_l("Choose a security protection level."), "protection_level")
    if not reason:
        raise InvalidInput(_l("Give the reason for the change."), "reason")
    with write_transaction(db):
        before = procurement_store.get(db, procurement_id)
        if before is None:
            raise NotFound(_l("No such procurement."))
        after = {"protection_level": level, "risk_industry": int(bool(risk_industry))}
        if all(before[k] == after[k] for k in CONTROLLED):
            raise InvalidInput(_l("Nothing was changed."))
        procurement_store.update(db, procurement_id, after)
        record(db, actor, "procurement.protection", "procurement", procurement_id,
               before={k: before[k] for k in CONTROLLED}, after=after, reason=reason)
        _reopen_cp0(db, actor, procurement_id, reason)
        events.publish(db, events.ProtectionLevelSet(actor, procurement_id))


def _reopen_cp0(db: sqlite_utils.Database, actor: Actor, procurement_id: int, why: str) -> None:
    for checkpoint in checkpoint_store.for_procurement(db, procurement_id):
        if checkpoint["template_id"] == "CP0" and checkpoint["state"] != "open":
            checkpoint_store.reopen(db, checkpoint["id"])
            record(db, actor, "checkpoint.reopen", "procurement", procurement_id,
                   after={"checkpoint_id": checkpoint["id"], "template": "CP0"}, reason=why)


def apply_cp0(db: sqlite_utils.Database, actor: Actor, procurement_id: int, answers: dict[str, Any]) -> None:
    """CP0 approved: its answers set the level and open the checkpoints they imply (caller holds the transaction)."""
    procurement = procurement_store.get(db, procurement_id) or {}
    level = answers.get("protection_level")
    if level and level != procurement.get("protection_level"):
        procurement_store.update(db, procurement_id, {"protection_level": level})
        record(db, actor, "procurement.protection", "procurement", procurement_id,
               before={"protection_level": procurement.get("protection_level")},
               after={"protection_level": level, "by": "CP0"})
    events.publish(db, events.ProtectionLevelSet(actor, procurement_id))


def check_cp0(procurement: dict[str, Any], answers: dict[str, Any]) -> None:
    """A security-protected procurement needs a protection level: CP0 cannot leave it at "none"."""
    level = answers.get("protection_level") or procurement.get("protection_level") or "none"
    if answers.get("control_level") == "security_protected" and level == "none":
        raise InvalidInput(_l("A security-protected procurement needs a protection level (SUA level 1–3)."),
                           "protection_level")
