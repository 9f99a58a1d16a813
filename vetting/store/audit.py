"""Hash-chained, append-only audit rows and their verification."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from . import escape_like, page_clause, utcnow, write_transaction

GENESIS = "0" * 64
_FIELDS = ("at", "actor_id", "actor", "action", "record_type", "record_id", "before_json", "after_json", "reason", "prev_hash")


def _entry_hash(row: dict[str, Any]) -> str:
    """SHA-256 over the canonical JSON of an entry's fields, its predecessor's hash included."""
    canonical = json.dumps([row[f] for f in _FIELDS], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _to_json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def append(
    db: sqlite_utils.Database,
    *,
    actor_id: int | None,
    actor: str,
    action: str,
    record_type: str | None = None,
    record_id: Any = None,
    before: Any = None,
    after: Any = None,
    reason: str | None = None,
) -> int:
    """Append one entry chained to the newest; return its id.

    Runs inside the caller's transaction when there is one, so a change and its audit
    entry commit together.

    :param actor: user name (or ``system``) kept as text so it survives user deletion.
    """
    with write_transaction(db):
        last = db.execute("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
        row = {
            "at": utcnow(),
            "actor_id": actor_id,
            "actor": actor,
            "action": action,
            "record_type": record_type,
            "record_id": None if record_id is None else str(record_id),
            "before_json": _to_json(before),
            "after_json": _to_json(after),
            "reason": reason,
            "prev_hash": last[0] if last else GENESIS,
        }
        row["hash"] = _entry_hash(row)
        cursor = db.execute(
            f"INSERT INTO audit_log ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
            list(row.values()),
        )
        return int(cursor.lastrowid)


@dataclass(frozen=True)
class ChainBreak:
    """The first entry whose content or link does not match the chain."""

    entry_id: int
    problem: str


def verify_chain(db: sqlite_utils.Database) -> tuple[int, ChainBreak | None]:
    """Walk the log in order; return (entries checked, first break or None).

    A changed row no longer matches its own hash; a deleted row leaves its successor
    pointing at a hash that is not its predecessor's.
    """
    expected_prev = GENESIS
    checked = 0
    cursor = db.execute(f"SELECT id, hash, {', '.join(_FIELDS)} FROM audit_log ORDER BY id")
    columns = [d[0] for d in cursor.description]
    for values in cursor:
        row = dict(zip(columns, values))
        if row["prev_hash"] != expected_prev:
            return checked, ChainBreak(row["id"], "does not follow the entry before it (an entry was deleted or reordered)")
        if _entry_hash(row) != row["hash"]:
            return checked, ChainBreak(row["id"], "its content was altered after it was written")
        expected_prev = row["hash"]
        checked += 1
    return checked, None


def search(
    db: sqlite_utils.Database,
    *,
    actor: str = "",
    action: str = "",
    record_type: str = "",
    record_id: str = "",
    page: int = 1,
    page_size: int = 50,
) -> tuple[list[dict[str, Any]], int]:
    """Audit entries newest first, filtered; return (rows of the page, total matching)."""
    where, params = ["1=1"], []
    if actor:
        where.append("actor LIKE ? ESCAPE '\\'")
        params.append(f"%{escape_like(actor)}%")
    if action:
        where.append("action LIKE ? ESCAPE '\\'")
        params.append(f"{escape_like(action)}%")
    if record_type:
        where.append("record_type = ?")
        params.append(record_type)
    if record_id:
        where.append("record_id = ?")
        params.append(record_id)
    condition = " AND ".join(where)
    total = db.execute(f"SELECT count(*) FROM audit_log WHERE {condition}", params).fetchone()[0]
    limit, limit_params = page_clause(page, page_size)
    rows = list(db.query(f"SELECT * FROM audit_log WHERE {condition} ORDER BY id DESC{limit}", params + limit_params))
    return rows, total


def actions(db: sqlite_utils.Database) -> list[str]:
    """Distinct action names, for the filter."""
    return [r[0] for r in db.execute("SELECT DISTINCT action FROM audit_log ORDER BY action")]


def procurement_timeline(db: sqlite_utils.Database, procurement_id: int, organisation_ids: list[int]) -> list[dict[str, Any]]:
    """Entries about a procurement, and the checks and match decisions on its parties, oldest first."""
    ids = json.dumps([str(i) for i in organisation_ids])
    return list(db.query(
        "SELECT * FROM audit_log WHERE (record_type = 'procurement' AND record_id = ?)"
        " OR ((action LIKE 'check.%' OR action LIKE 'match.%') AND record_type = 'organisation'"
        " AND record_id IN (SELECT value FROM json_each(?))) ORDER BY id", [str(procurement_id), ids]))


def phase_entered_at(db: sqlite_utils.Database, procurement_id: int, phase: str) -> str | None:
    """When the procurement last moved into a phase, or None."""
    row = db.execute("SELECT at FROM audit_log WHERE action = 'procurement.phase' AND record_type = 'procurement'"
                     " AND record_id = ? AND json_extract(after_json, '$.phase') = ? ORDER BY id DESC LIMIT 1",
                     [str(procurement_id), phase]).fetchone()
    return row[0] if row else None
