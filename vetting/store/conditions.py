"""Conditions attached to "approved with conditions" sign-offs, followed until fulfilled."""
from __future__ import annotations

from typing import Any

import sqlite_utils

from . import utcnow

_SELECT = ("SELECT c.*, k.template_id, p.reference, p.title, p.responsible_user_id, u.display_name AS owner_name"
           " FROM conditions c JOIN checkpoints k ON k.id = c.checkpoint_id JOIN procurements p ON p.id = c.procurement_id"
           " LEFT JOIN users u ON u.id = c.owner_user_id")


def insert(db: sqlite_utils.Database, *, procurement_id: int, checkpoint_id: int, decision_id: int, text: str,
           owner_user_id: int | None, owner_role: str, due_on: str) -> int:
    """One condition to follow."""
    cursor = db.execute(
        "INSERT INTO conditions (procurement_id, checkpoint_id, decision_id, text, owner_user_id, owner_role, due_on,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [procurement_id, checkpoint_id, decision_id, text, owner_user_id, owner_role, due_on, utcnow()])
    return int(cursor.lastrowid)


def get(db: sqlite_utils.Database, condition_id: int) -> dict[str, Any] | None:
    """One condition with its checkpoint and procurement, or None."""
    rows = list(db.query(f"{_SELECT} WHERE c.id = ?", [condition_id]))
    return rows[0] if rows else None


def for_procurement(db: sqlite_utils.Database, procurement_id: int) -> list[dict[str, Any]]:
    """Every condition of a procurement, soonest due first."""
    return list(db.query(f"{_SELECT} WHERE c.procurement_id = ? ORDER BY c.due_on, c.id", [procurement_id]))


def open_conditions(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Conditions not yet fulfilled, soonest due first (for inboxes)."""
    return list(db.query(f"{_SELECT} WHERE c.fulfilled_at IS NULL ORDER BY c.due_on, c.id"))


def fulfil(db: sqlite_utils.Database, condition_id: int, user: str, evidence: str) -> int:
    """Record the fulfilment of an open condition; return rows changed (0: unknown or already fulfilled)."""
    return db.execute("UPDATE conditions SET fulfilled_at = ?, fulfilled_by = ?, evidence = ? WHERE id = ?"
                      " AND fulfilled_at IS NULL", [utcnow(), user, evidence, condition_id]).rowcount


def overdue_not_alerted(db: sqlite_utils.Database, today: str) -> list[dict[str, Any]]:
    """Open conditions past their due date that have not raised their alert yet."""
    return list(db.query(f"{_SELECT} WHERE c.fulfilled_at IS NULL AND c.due_on < ? AND c.overdue_alerted_at IS NULL"
                         " ORDER BY c.id", [today]))


def mark_alerted(db: sqlite_utils.Database, condition_id: int) -> int:
    """Mark the overdue alert raised; 0 when another worker raised it first."""
    return db.execute("UPDATE conditions SET overdue_alerted_at = ? WHERE id = ? AND overdue_alerted_at IS NULL",
                      [utcnow(), condition_id]).rowcount
