"""Tender prices per participant and the 16 kap. 7 § LOU requests for an explanation of an abnormally low tender."""
from __future__ import annotations

from typing import Any

import sqlite_utils

from . import utcnow


def set_bid_price(db: sqlite_utils.Database, participant_id: int, price: int | None) -> None:
    """Record (or clear) the evaluated price of a participant's tender."""
    db.execute("UPDATE participants SET bid_price = ? WHERE id = ?", [price, participant_id])


def explanations(db: sqlite_utils.Database, participant_id: int) -> list[dict[str, Any]]:
    """Every request for an explanation made of this participant, oldest first."""
    return list(db.query("SELECT * FROM bid_explanations WHERE participant_id = ? ORDER BY id", [participant_id]))


def explanation(db: sqlite_utils.Database, explanation_id: int) -> dict[str, Any] | None:
    """One request, or None."""
    rows = list(db.query("SELECT * FROM bid_explanations WHERE id = ?", [explanation_id]))
    return rows[0] if rows else None


def insert_explanation(db: sqlite_utils.Database, participant_id: int, requested_on: str, deadline: str, what: str,
                       user: str) -> int:
    """Record that an explanation was asked for."""
    cursor = db.execute("INSERT INTO bid_explanations (participant_id, requested_on, deadline, what, requested_by,"
                        " created_at) VALUES (?, ?, ?, ?, ?, ?)",
                        [participant_id, requested_on, deadline, what, user, utcnow()])
    return int(cursor.lastrowid)


def record_reply(db: sqlite_utils.Database, explanation_id: int, received_on: str, text: str) -> None:
    """The supplier's reply arrived."""
    db.execute("UPDATE bid_explanations SET reply_received_on = ?, reply_text = ? WHERE id = ?",
               [received_on, text, explanation_id])


def record_assessment(db: sqlite_utils.Database, explanation_id: int, assessment: str, reason: str, user: str,
                      on: str) -> None:
    """The agency's assessment of the explanation (accepted or rejected)."""
    db.execute("UPDATE bid_explanations SET assessment = ?, assessment_reason = ?, assessed_by = ?, assessed_on = ?"
               " WHERE id = ?", [assessment, reason, user, on, explanation_id])
