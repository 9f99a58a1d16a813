"""Planned dates, award notices (underrättelser) and requests for review (överprövningar)."""
from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from . import utcnow

PLANNED = ("planned_advertising", "planned_opening", "planned_award", "planned_contract_start")


def set_planned(db: sqlite_utils.Database, procurement_id: int, dates: dict[str, str | None]) -> None:
    """Store the planned dates given (ISO dates or None)."""
    columns = [k for k in PLANNED if k in dates]
    if columns:
        db.execute(f"UPDATE procurements SET {', '.join(f'{c} = ?' for c in columns)}, updated_at = ? WHERE id = ?",
                   [dates[c] for c in columns] + [utcnow(), procurement_id])


def insert_notice(db: sqlite_utils.Database, *, procurement_id: int, sent_on: str, method: str, reasons: str,
                  recipients: list[int], standstill_days: int, standstill_ends: str, recorded_by: str) -> int:
    """Record that the award decision was notified to the bidders."""
    cursor = db.execute(
        "INSERT INTO award_notices (procurement_id, sent_on, method, reasons, recipients, standstill_days,"
        " standstill_ends, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [procurement_id, sent_on, method, reasons, json.dumps(sorted(recipients)), standstill_days, standstill_ends,
         recorded_by, utcnow()])
    return int(cursor.lastrowid)


def latest_notice(db: sqlite_utils.Database, procurement_id: int) -> dict[str, Any] | None:
    """The newest notice of a procurement (a new award decision replaces the earlier one), or None."""
    rows = list(db.query("SELECT * FROM award_notices WHERE procurement_id = ? ORDER BY id DESC LIMIT 1",
                         [procurement_id]))
    if not rows:
        return None
    rows[0]["recipients"] = json.loads(rows[0]["recipients"])
    return rows[0]


def insert_appeal(db: sqlite_utils.Database, *, procurement_id: int, applicant: str, court: str, filed_on: str,
                  registered_by: str) -> int:
    """Register a request for review."""
    cursor = db.execute(
        "INSERT INTO appeals (procurement_id, applicant, court, filed_on, registered_by, registered_at)"
        " VALUES (?, ?, ?, ?, ?, ?)", [procurement_id, applicant, court, filed_on, registered_by, utcnow()])
    return int(cursor.lastrowid)


def decide_appeal(db: sqlite_utils.Database, appeal_id: int, *, decided_on: str, outcome: str, note: str,
                  decided_by: str) -> int:
    """Record the court's decision on an undecided request; return rows changed (0: unknown or already decided)."""
    return db.execute("UPDATE appeals SET decided_on = ?, outcome = ?, decision_note = ?, decided_by = ?"
                      " WHERE id = ? AND decided_on IS NULL",
                      [decided_on, outcome, note, decided_by, appeal_id]).rowcount


def appeals(db: sqlite_utils.Database, procurement_id: int) -> list[dict[str, Any]]:
    """Every request for review of a procurement, oldest first."""
    return list(db.query("SELECT * FROM appeals WHERE procurement_id = ? ORDER BY id", [procurement_id]))


def get_appeal(db: sqlite_utils.Database, appeal_id: int) -> dict[str, Any] | None:
    """One request for review, or None."""
    rows = list(db.query("SELECT * FROM appeals WHERE id = ?", [appeal_id]))
    return rows[0] if rows else None


def set_checkpoint_due(db: sqlite_utils.Database, checkpoint_id: int, due_at: str) -> None:
    """Move a checkpoint's due date (it follows the phase it gates)."""
    db.execute("UPDATE checkpoints SET due_at = ? WHERE id = ?", [due_at, checkpoint_id])
