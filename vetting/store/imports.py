"""Parsed bulk-import files waiting for the user's confirmation."""
from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from . import utcnow


def save(db: sqlite_utils.Database, *, token: str, kind: str, filename: str, user_id: int, rows: list[dict[str, Any]]) -> None:
    """Keep a previewed import until it is confirmed (or abandoned)."""
    db.execute("INSERT INTO pending_imports (token, kind, filename, user_id, rows_json, created_at) VALUES (?, ?, ?, ?, ?, ?)",
               [token, kind, filename, user_id, json.dumps(rows, ensure_ascii=False), utcnow()])


def get(db: sqlite_utils.Database, token: str, user_id: int) -> dict[str, Any] | None:
    """The pending import with this token that belongs to this user, or None."""
    rows = list(db.query("SELECT * FROM pending_imports WHERE token = ? AND user_id = ?", [token, user_id]))
    if not rows:
        return None
    row = rows[0]
    row["rows"] = json.loads(row.pop("rows_json"))
    return row


def delete(db: sqlite_utils.Database, token: str) -> None:
    """Forget a pending import."""
    db.execute("DELETE FROM pending_imports WHERE token = ?", [token])
