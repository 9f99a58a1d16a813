"""Settings and credentials of register checks (API keys, client ids), kept per check."""
from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from . import utcnow


def for_check(db: sqlite_utils.Database, check_id: str) -> dict[str, str]:
    """Every setting of a check, secrets included (for building its context only; never for display)."""
    return {r["key"]: r["value"] for r in db.query("SELECT key, value FROM register_settings WHERE check_id = ?", [check_id])}


def overview(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Which settings exist, with secret values left out."""
    return list(db.query(
        "SELECT check_id, key, CASE WHEN secret THEN NULL ELSE value END AS value, secret, updated_at, updated_by"
        " FROM register_settings ORDER BY check_id, key"))


def put(db: sqlite_utils.Database, check_id: str, key: str, value: str, secret: bool, user: str) -> None:
    """Set (or replace) a setting."""
    db.execute(
        "INSERT INTO register_settings (check_id, key, value, secret, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (check_id, key) DO UPDATE SET value = excluded.value, secret = excluded.secret,"
        " updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        [check_id, key, value, int(secret), utcnow(), user])


def delete(db: sqlite_utils.Database, check_id: str, key: str) -> None:
    """Remove a setting."""
    db.execute("DELETE FROM register_settings WHERE check_id = ? AND key = ?", [check_id, key])


def rate_limits(db: sqlite_utils.Database) -> dict[str, int]:
    """Requests per minute an administrator set per register (setting ``per_minute``)."""
    return {r["check_id"]: int(r["value"]) for r in db.query(
        "SELECT check_id, value FROM register_settings WHERE key = 'per_minute'") if str(r["value"]).isdigit()}


def start_test(db: sqlite_utils.Database, check_id: str, user: str) -> int:
    """Record a connection test waiting for the background worker; return its id."""
    cursor = db.execute("INSERT INTO connection_tests (check_id, state, started_by, created_at) VALUES (?, 'pending', ?, ?)",
                        [check_id, user, utcnow()])
    return int(cursor.lastrowid)


def get_test(db: sqlite_utils.Database, test_id: int) -> dict[str, Any] | None:
    """One connection test."""
    return next((_test(r) for r in db.query("SELECT * FROM connection_tests WHERE id = ?", [test_id])), None)


def mark_test(db: sqlite_utils.Database, test_id: int, state: str) -> None:
    """Move a test to 'running'."""
    db.execute("UPDATE connection_tests SET state = ? WHERE id = ?", [state, test_id])


def finish_test(db: sqlite_utils.Database, test_id: int, ok: bool, status: str, reason: str,
                fault: str | None = None, fault_params: dict[str, Any] | None = None) -> None:
    """Store a test's result: the check's note, and the fault code and parameters its failure was raised with."""
    params = json.dumps(fault_params or {}, ensure_ascii=False, default=str) if fault else None
    db.execute("UPDATE connection_tests SET state = 'done', ok = ?, status = ?, reason = ?, fault = ?, fault_params = ?,"
               " finished_at = ? WHERE id = ?", [int(ok), status, reason, fault, params, utcnow(), test_id])


def _test(row: dict[str, Any]) -> dict[str, Any]:
    """A test as stored, its fault parameters decoded (tests stored before 0030 have neither code nor parameters)."""
    row["fault_params"] = json.loads(row["fault_params"]) if row.get("fault_params") else {}
    return row


def latest_tests(db: sqlite_utils.Database) -> dict[str, dict[str, Any]]:
    """The newest connection test of each check."""
    return {r["check_id"]: _test(r) for r in db.query(
        "SELECT * FROM connection_tests WHERE id IN (SELECT MAX(id) FROM connection_tests GROUP BY check_id)")}
