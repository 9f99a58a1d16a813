"""One-time reveal tickets: which user may see which person's personnummer once, shortly after the audited POST."""
from __future__ import annotations

from typing import Any

import sqlite_utils

from . import utcnow


def insert(db: sqlite_utils.Database, token_hash: str, user_id: int, person_id: int, audit_id: int) -> int:
    """A ticket for one showing; return its id."""
    return int(db.execute("INSERT INTO reveal_tickets (token_hash, user_id, person_id, audit_id, created_at)"
                          " VALUES (?, ?, ?, ?, ?)", [token_hash, user_id, person_id, audit_id, utcnow()]).lastrowid)


def take(db: sqlite_utils.Database, token_hash: str, user_id: int, person_id: int, since: str) -> dict[str, Any] | None:
    """Use the ticket up (it must be unused, this user's, for this person and created after ``since``);
    the ticket row as it was, or None."""
    row = next(db.query("SELECT * FROM reveal_tickets WHERE token_hash = ? AND user_id = ? AND person_id = ?"
                        " AND shown_at IS NULL AND created_at > ?", [token_hash, user_id, person_id, since]), None)
    if row is not None:
        db.execute("UPDATE reveal_tickets SET shown_at = ? WHERE id = ?", [utcnow(), row["id"]])
    return row


def forget_before(db: sqlite_utils.Database, before: str) -> int:
    """Delete tickets created before ``before`` (used or not); how many."""
    return db.execute("DELETE FROM reveal_tickets WHERE created_at < ?", [before]).rowcount
