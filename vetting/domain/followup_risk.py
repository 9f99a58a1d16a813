"""A signed contract's follow-up follows its current risk level; CP9 opens when a follow-up is due.

The contract's level is the highest among the awarded supplier, the entities it relies on and its
subcontractors at any depth (a security officer's override counts). The risk model's levels of
control map onto follow-up levels: joint review and exclusion assessment are high, a deepened
check medium, a basic check low; a contract nobody has assessed is medium, never low.
"""
from __future__ import annotations

from datetime import date
from collections.abc import Mapping
from typing import Any

import sqlite_utils

from ..store import followup as store
from ..store import procurements as procurement_store
from ..store import risk as risk_store
from ..store import write_transaction
from . import clock
from .audit import Actor, record
from .followup import RISK_LEVELS, add_months, intervals
from .settings import DomainSettings
from ..contract import is_under_contract

FROM_RISK = {"basic_done": "low", "deepened_check": "medium", "joint_review": "high", "exclusion_assessment": "high"}
UNASSESSED = "medium"


def contract_organisations(db: sqlite_utils.Database, procurement_id: int) -> set[int]:
    """The awarded supplier and capacity providers with every subcontractor beneath them."""
    rows = procurement_store.participants(db, procurement_id)
    children: dict[int | None, list[dict[str, Any]]] = {}
    for row in rows:
        children.setdefault(row["parent_id"], []).append(row)
    stack = [r for r in rows if r["role"] in ("awarded", "capacity")]
    found: set[int] = set()
    while stack:
        row = stack.pop()
        found.add(row["organisation_id"])
        stack.extend(children.get(row["id"], []))
    return found


def contract_level(db: sqlite_utils.Database, procurement_id: int) -> str:
    """The follow-up level the contract's current risk assessments call for."""
    parties = contract_organisations(db, procurement_id)
    levels = [FROM_RISK.get(row.get("override_level") or row["level"], UNASSESSED)
              for (_pid, oid), row in risk_store.latest_levels(db, procurement_id).items() if oid in parties]
    return min(levels, key=RISK_LEVELS.index) if levels else UNASSESSED


def follow_risk_level(db: sqlite_utils.Database, actor: Actor, procurement_id: int,
                      settings: DomainSettings | Mapping[str, Any] | None = None) -> dict[str, Any] | None:
    """Set the schedule of a signed contract from its current level; move the next date when the level changed.

    The next follow-up is counted from the last one (or from when the schedule started). Returns the
    schedule, or None for a procurement that is not under contract. Without ``settings`` the installed
    ones apply (``domain.settings``).
    """
    procurement = procurement_store.get(db, procurement_id)
    if not is_under_contract(procurement):
        return None
    level = contract_level(db, procurement_id)
    months = intervals(settings)[level]
    with write_transaction(db):
        current = store.schedule(db, procurement_id)
        if current and current["risk_level"] == level and current["interval_months"] == months:
            return current
        if current is None:
            base = clock.today()
        elif current["last_run_at"]:
            base = date.fromisoformat(current["last_run_at"][:10])
        else:
            base = add_months(date.fromisoformat(current["next_due"]), -current["interval_months"])
        next_due = add_months(base, months).isoformat()
        store.put_schedule(db, procurement_id, level, months, next_due)
        record(db, actor, "followup.schedule", "procurement", procurement_id,
               before={"risk_level": current["risk_level"], "next_due": current["next_due"]} if current else None,
               after={"risk_level": level, "interval_months": months, "next_due": next_due, "from": "risk_level"})
    return store.schedule(db, procurement_id)


def level_changed(db: sqlite_utils.Database, actor: Actor, procurement_id: int) -> None:
    """A risk assessment or override changed: the contract's follow-up follows (a no-op before signing)."""
    follow_risk_level(db, actor, procurement_id)


def open_periodic(db: sqlite_utils.Database, actor: Actor, procurement_id: int) -> list[int]:
    """The follow-up is due: open CP9 (periodic follow-up), due within the template's days."""
    from .checkpoints import open_event

    schedule = store.schedule(db, procurement_id) or {}
    return open_event(db, actor, procurement_id, "periodic",
                      {"risk_level": schedule.get("risk_level"), "due": schedule.get("next_due")})

