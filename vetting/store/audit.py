"""Hash-chained, append-only audit rows and their verification."""
from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from . import escape_like, page_clause, utcnow, write_transaction

GENESIS = "0" * 64
_FIELDS = ("at", "actor_id", "actor", "action", "record_type", "record_id", "before_json", "after_json", "reason", "prev_hash")


# The chain key (HMAC-SHA256), held outside the database: set once by create_app from the
# configuration (domain/audit_anchor.py). Entries written before a key existed are plain SHA-256
# (``keyed`` = 0) and keep verifying; once a keyed entry is in the chain, every later one must be.
_KEY: bytes | None = None


def configure(key: bytes | None) -> None:
    """Use this key for new entries and for verifying keyed ones (None: unkeyed, as before 0013)."""
    global _KEY
    _KEY = key


def _entry_hash(row: dict[str, Any], key: bytes | None = None) -> str:
    """SHA-256 (or HMAC-SHA256 with the chain key) over the canonical JSON of an entry's fields,
    its predecessor's hash included."""
    canonical = json.dumps([row[f] for f in _FIELDS], ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if key is not None:
        return hmac.new(key, canonical, hashlib.sha256).hexdigest()
    return hashlib.sha256(canonical).hexdigest()


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
    fields = entry(actor_id=actor_id, actor=actor, action=action, record_type=record_type, record_id=record_id,
                   before=before, after=after, reason=reason)
    return append_many(db, [fields])[0]


def entry(*, actor_id: int | None, actor: str, action: str, record_type: str | None = None, record_id: Any = None,
          before: Any = None, after: Any = None, reason: str | None = None) -> dict[str, Any]:
    """The fields of an entry as recorded now, not yet chained (``append_many`` links and hashes it)."""
    return {"at": utcnow(), "actor_id": actor_id, "actor": actor, "action": action, "record_type": record_type,
            "record_id": None if record_id is None else str(record_id), "before_json": _to_json(before),
            "after_json": _to_json(after), "reason": reason}


def last_id(db: sqlite_utils.Database) -> int:
    """The newest entry's id (0 for an empty log)."""
    return db.execute("SELECT coalesce(max(id), 0) FROM audit_log").fetchone()[0]


def append_many(db: sqlite_utils.Database, entries: list[dict[str, Any]]) -> list[int]:
    """Append entries (from ``entry``) in order, each chained to the one before, in one statement; return their ids.

    Runs inside the caller's transaction when there is one, holding the write lock, so the ids
    follow the newest one without a gap.
    """
    if not entries:
        return []
    with write_transaction(db):
        last = db.execute("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
        prev_hash, first = (last[1], last[0] + 1) if last else (GENESIS, 1)
        rows = []
        for fields in entries:
            row = {**fields, "prev_hash": prev_hash}
            row["hash"] = prev_hash = _entry_hash(row, _KEY)
            row["keyed"] = 1 if _KEY is not None else 0
            rows.append(row)
        columns = list(rows[0])
        insert = f"INSERT INTO audit_log ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
        if len(rows) == 1:
            return [int(db.execute(insert, [rows[0][c] for c in columns]).lastrowid)]
        db.conn.executemany(insert, [[row[c] for c in columns] for row in rows])
    # An INTEGER PRIMARY KEY takes the next id after the newest, and the write lock is held: no gap, no other writer.
    return list(range(first, first + len(rows)))


@dataclass(frozen=True)
class ChainBreak:
    """The first entry whose content or link does not match the chain."""

    entry_id: int
    problem: str


def verify_chain(db: sqlite_utils.Database, anchors: dict[int, str] | None = None,
                 keyed_from: int | None = None) -> tuple[int, ChainBreak | None]:
    """Walk the log in order; return (entries checked, first break or None).

    A changed row no longer matches its own hash; a deleted row leaves its successor
    pointing at a hash that is not its predecessor's. Keyed entries need the chain key, so a
    chain re-computed without it fails; an unkeyed entry after a keyed one (or from
    ``keyed_from`` on) is a re-computed chain too. ``anchors`` (entry id -> hash, written outside
    the database) catch a log whose newest entries were deleted or that was rebuilt wholesale.
    """
    expected_prev = GENESIS
    checked = 0
    seen_keyed = False
    pending = dict(anchors or {})
    cursor = db.execute(f"SELECT id, hash, keyed, {', '.join(_FIELDS)} FROM audit_log ORDER BY id")
    columns = [d[0] for d in cursor.description]
    for values in cursor:
        row = dict(zip(columns, values))
        if row["prev_hash"] != expected_prev:
            return checked, ChainBreak(row["id"], "does not follow the entry before it (an entry was deleted or reordered)")
        keyed = bool(row["keyed"])
        if not keyed and (seen_keyed or (keyed_from is not None and row["id"] >= keyed_from)):
            return checked, ChainBreak(row["id"], "is not keyed although the chain is keyed from entry "
                                                  f"{keyed_from or 'before it'} (the chain was re-computed without the key)")
        if keyed and _KEY is None:
            return checked, ChainBreak(row["id"], "is keyed, but no audit key is configured to verify it")
        if _entry_hash(row, _KEY if keyed else None) != row["hash"]:
            return checked, ChainBreak(row["id"], "its content was altered after it was written"
                                                  + (" (or the chain was re-computed without the key)" if keyed else ""))
        anchored = pending.pop(row["id"], None)
        if anchored is not None and anchored != row["hash"]:
            return checked, ChainBreak(row["id"], "differs from the head anchored outside the database "
                                                  "(the chain was re-computed)")
        seen_keyed = seen_keyed or keyed
        expected_prev = row["hash"]
        checked += 1
    if pending:
        missing = min(pending)
        return checked, ChainBreak(missing, "was anchored outside the database but is missing: the newest entries "
                                            "were deleted")
    return checked, None


def head(db: sqlite_utils.Database) -> dict[str, Any] | None:
    """The newest entry's id and hash, and the first keyed entry's id (for the anchor)."""
    row = db.execute("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    if row is None:
        return None
    first_keyed = db.execute("SELECT min(id) FROM audit_log WHERE keyed = 1").fetchone()[0]
    return {"id": row[0], "hash": row[1], "keyed_from": first_keyed}


def search(
    db: sqlite_utils.Database,
    *,
    actor: str = "",
    action: str = "",
    record_type: str = "",
    record_id: str = "",
    date_from: str = "",
    date_to: str = "",
    page: int = 1,
    page_size: int = 50,
) -> tuple[list[dict[str, Any]], int]:
    """Audit entries newest first, filtered; return (rows of the page, total matching).

    :param actor: part of the user name or of the user's full name (case-insensitive)
    :param date_from: first day (``YYYY-MM-DD``, UTC) included; ``date_to``: last day included
    Each row carries ``actor_name``, the user's full name now (the entry itself keeps the user name).
    """
    where, params = ["1=1"], []
    if actor:
        where.append("(a.actor LIKE ? ESCAPE '\\' OR a.actor_id IN (SELECT id FROM users WHERE display_name LIKE ?"
                     " ESCAPE '\\'))")
        params += [f"%{escape_like(actor)}%"] * 2
    if date_from:
        where.append("a.at >= ?")
        params.append(date_from)
    if date_to:
        where.append("a.at < date(?, '+1 day')")
        params.append(date_to)
    if action:
        where.append("a.action LIKE ? ESCAPE '\\'")
        params.append(f"{escape_like(action)}%")
    if record_type:
        where.append("a.record_type = ?")
        params.append(record_type)
    if record_id:
        where.append("a.record_id = ?")
        params.append(record_id)
    condition = " AND ".join(where)
    total = db.execute(f"SELECT count(*) FROM audit_log a WHERE {condition}", params).fetchone()[0]
    limit, limit_params = page_clause(page, page_size)
    rows = list(db.query(f"SELECT a.*, u.display_name AS actor_name FROM audit_log a LEFT JOIN users u"
                         f" ON u.id = a.actor_id WHERE {condition} ORDER BY a.id DESC{limit}", params + limit_params))
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
