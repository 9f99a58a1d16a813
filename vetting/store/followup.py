"""Background batches and their items, follow-up schedules, reviews and change alerts."""
from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from . import utcnow
from ..contract import CONTRACT_PHASES, phases_sql
from .outcomes import is_newest


def create_batch(db: sqlite_utils.Database, *, kind: str, description: str, procurement_id: int | None,
                 check_ids: tuple[str, ...] | None, subjects: list[tuple[str, int]], created_by: str,
                 fresh: bool = False) -> int:
    """A batch with one pending item per subject (``fresh``: register answers are fetched, not cached)."""
    cursor = db.execute(
        "INSERT INTO batches (kind, description, procurement_id, check_ids, state, total, created_by, created_at,"
        " fresh) VALUES (?, ?, ?, ?, 'running', ?, ?, ?, ?)",
        [kind, description, procurement_id, json.dumps(check_ids) if check_ids else None, len(subjects), created_by,
         utcnow(), int(fresh)])
    batch_id = int(cursor.lastrowid)
    db.conn.executemany("INSERT INTO batch_items (batch_id, subject_kind, subject_id) VALUES (?, ?, ?)",
                        [(batch_id, kind_, sid) for kind_, sid in subjects])
    return batch_id


def batch(db: sqlite_utils.Database, batch_id: int) -> dict[str, Any] | None:
    """A batch with its progress counts."""
    rows = list(db.query("SELECT * FROM batches WHERE id = ?", [batch_id]))
    if not rows:
        return None
    row = rows[0]
    row["check_ids"] = tuple(json.loads(row["check_ids"])) if row["check_ids"] else None
    row["done"] = db.execute("SELECT count(*) FROM batch_items WHERE batch_id = ? AND state = 'done'",
                             [batch_id]).fetchone()[0]
    row["by_status"] = {r["worst_status"]: r["n"] for r in db.query(
        "SELECT worst_status, count(*) AS n FROM batch_items WHERE batch_id = ? AND state = 'done' GROUP BY worst_status",
        [batch_id])}
    return row


def batch_check_ids(db: sqlite_utils.Database, batch_id: int) -> tuple[str, ...] | None:
    """The checks a batch runs (None: all applicable ones)."""
    row = db.execute("SELECT check_ids FROM batches WHERE id = ?", [batch_id]).fetchone()
    return tuple(json.loads(row[0])) if row and row[0] else None


def batch_is_fresh(db: sqlite_utils.Database, batch_id: int) -> bool:
    """Whether the batch was asked for by a user who wants today's answers (no cache)."""
    row = db.execute("SELECT fresh FROM batches WHERE id = ?", [batch_id]).fetchone()
    return bool(row and row[0])


def running_batch(db: sqlite_utils.Database, procurement_id: int, kinds: tuple[str, ...]) -> dict[str, Any] | None:
    """The newest batch of these kinds still running for a procurement, or None."""
    marks = ", ".join("?" for _ in kinds)
    row = db.execute(f"SELECT id FROM batches WHERE procurement_id = ? AND state = 'running' AND kind IN ({marks})"
                     " ORDER BY id DESC LIMIT 1", [procurement_id, *kinds]).fetchone()
    return batch(db, row[0]) if row else None


def batch_items(db: sqlite_utils.Database, batch_id: int) -> list[dict[str, Any]]:
    """A batch's items with the subject's name and the outcomes each stored."""
    rows = list(db.query(
        "SELECT i.*, coalesce(o.name, p.name) AS name FROM batch_items i"
        " LEFT JOIN organisations o ON i.subject_kind = 'organisation' AND o.id = i.subject_id"
        " LEFT JOIN persons p ON i.subject_kind = 'person' AND p.id = i.subject_id"
        " WHERE i.batch_id = ? ORDER BY i.id", [batch_id]))
    outcomes: dict[int, list[int]] = {}
    for row in db.query("SELECT o.id, o.batch_item_id FROM outcomes o JOIN batch_items i ON i.id = o.batch_item_id"
                        " WHERE i.batch_id = ? ORDER BY o.id", [batch_id]):
        outcomes.setdefault(row["batch_item_id"], []).append(row["id"])
    for row in rows:
        row["outcome_ids"] = outcomes.get(row["id"], [])
    return rows


def recent_batches(db: sqlite_utils.Database, limit: int = 20) -> list[dict[str, Any]]:
    """The newest batches with their progress."""
    return [batch(db, r["id"]) for r in db.query("SELECT id FROM batches ORDER BY id DESC LIMIT ?", [limit])]  # type: ignore[misc]


def pending_items(db: sqlite_utils.Database, batch_id: int | None = None) -> list[dict[str, Any]]:
    """Items not done yet (of one batch, or of every running batch)."""
    if batch_id is None:
        return list(db.query("SELECT i.* FROM batch_items i JOIN batches b ON b.id = i.batch_id"
                             " WHERE b.state = 'running' AND i.state = 'pending' ORDER BY i.id"))
    return list(db.query("SELECT * FROM batch_items WHERE batch_id = ? AND state = 'pending' ORDER BY id", [batch_id]))


def item(db: sqlite_utils.Database, item_id: int) -> dict[str, Any] | None:
    """One batch item."""
    rows = list(db.query("SELECT * FROM batch_items WHERE id = ?", [item_id]))
    return rows[0] if rows else None


def items(db: sqlite_utils.Database, item_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Many batch items in one statement, by id (missing ones left out)."""
    return {row["id"]: row for row in db.query("SELECT * FROM batch_items WHERE id IN (SELECT value FROM json_each(?))",
                                               [json.dumps(sorted(set(item_ids)))])}


def finish_item(db: sqlite_utils.Database, item_id: int, worst_status: str | None) -> None:
    """Mark an item done."""
    finish_items(db, [(item_id, worst_status)])


def finish_items(db: sqlite_utils.Database, done: list[tuple[int, str | None]]) -> None:
    """Mark items done, ``(item id, worst status)`` each, in one statement."""
    now = utcnow()
    db.conn.executemany("UPDATE batch_items SET state = 'done', worst_status = ?, done_at = ? WHERE id = ?",
                        [(worst_status, now, item_id) for item_id, worst_status in done])


def close_batch_if_done(db: sqlite_utils.Database, batch_id: int) -> bool:
    """Mark the batch done when no item is pending; return whether it is done."""
    pending = db.execute("SELECT count(*) FROM batch_items WHERE batch_id = ? AND state = 'pending'",
                         [batch_id]).fetchone()[0]
    if pending == 0:
        db.execute("UPDATE batches SET state = 'done', finished_at = coalesce(finished_at, ?) WHERE id = ?",
                   [utcnow(), batch_id])
    return pending == 0


def previous_outcome(db: sqlite_utils.Database, subject_kind: str, subject_id: int, check_id: str,
                     before_id: int) -> dict[str, Any] | None:
    """The outcome of the same check on the same subject just before ``before_id``."""
    rows = list(db.query("SELECT * FROM outcomes WHERE subject_kind = ? AND subject_id = ? AND check_id = ? AND id < ?"
                         " ORDER BY id DESC LIMIT 1", [subject_kind, subject_id, check_id, before_id]))
    if not rows:
        return None
    row = rows[0]
    row["findings"], row["explanation"] = json.loads(row["findings"]), json.loads(row["explanation"])
    return row


def schedule(db: sqlite_utils.Database, procurement_id: int) -> dict[str, Any] | None:
    """The follow-up schedule of a contract."""
    rows = list(db.query("SELECT * FROM followups WHERE procurement_id = ?", [procurement_id]))
    return rows[0] if rows else None


def put_schedule(db: sqlite_utils.Database, procurement_id: int, risk_level: str, interval_months: int,
                 next_due: str) -> None:
    """Create or change a contract's follow-up schedule."""
    db.execute("INSERT INTO followups (procurement_id, risk_level, interval_months, next_due) VALUES (?, ?, ?, ?)"
               " ON CONFLICT (procurement_id) DO UPDATE SET risk_level = excluded.risk_level,"
               " interval_months = excluded.interval_months, next_due = excluded.next_due",
               [procurement_id, risk_level, interval_months, next_due])


def mark_run(db: sqlite_utils.Database, procurement_id: int, at: str | None = None) -> None:
    """Remember when the contract's parties were last re-checked (``at``: the domain clock's time)."""
    db.execute("UPDATE followups SET last_run_at = ? WHERE procurement_id = ?", [at or utcnow(), procurement_id])


def schedules(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Every contract schedule with its procurement, soonest due first."""
    return list(db.query("SELECT f.*, p.reference, p.title, p.phase, p.responsible_user_id FROM followups f"
                         " JOIN procurements p ON p.id = f.procurement_id ORDER BY f.next_due"))


def insert_review(db: sqlite_utils.Database, procurement_id: int, conclusion: str, user: str, next_due: str,
                  watermark: int) -> int:
    """Record a periodic review and move the schedule on."""
    cursor = db.execute("INSERT INTO followup_reviews (procurement_id, conclusion, reviewed_by, reviewed_at, next_due,"
                        " outcome_watermark) VALUES (?, ?, ?, ?, ?, ?)",
                        [procurement_id, conclusion, user, utcnow(), next_due, watermark])
    db.execute("UPDATE followups SET next_due = ?, last_review_at = ?, last_review_outcome_id = ? WHERE procurement_id = ?",
               [next_due, utcnow(), watermark, procurement_id])
    return int(cursor.lastrowid)


def reviews(db: sqlite_utils.Database, procurement_id: int) -> list[dict[str, Any]]:
    """Earlier reviews of a contract, newest first."""
    return list(db.query("SELECT * FROM followup_reviews WHERE procurement_id = ? ORDER BY id DESC", [procurement_id]))


def max_outcome_id(db: sqlite_utils.Database) -> int:
    """The newest outcome id (a watermark: what a review has seen)."""
    return db.execute("SELECT coalesce(max(id), 0) FROM outcomes").fetchone()[0]


def outcome_at(db: sqlite_utils.Database, subject_kind: str, subject_id: int, watermark: int) -> list[dict[str, Any]]:
    """A subject's newest outcome per check as it stood at a watermark."""
    rows = list(db.query(
        "SELECT o.* FROM outcomes o WHERE o.subject_kind = ? AND o.subject_id = ? AND o.id <= ?"
        f" AND {is_newest(upto='?')} ORDER BY o.check_id", [subject_kind, subject_id, watermark, watermark]))
    for row in rows:
        row["findings"], row["explanation"] = json.loads(row["findings"]), json.loads(row["explanation"])
    return rows


def insert_alert(db: sqlite_utils.Database, *, procurement_id: int, subject_kind: str, subject_id: int, check_id: str,
                 outcome_id: int, previous_outcome_id: int | None, kind: str, detail: str) -> int | None:
    """Raise an alert once (a redone run finds the same outcome and kind and adds nothing)."""
    cursor = db.execute(
        "INSERT OR IGNORE INTO alerts (procurement_id, subject_kind, subject_id, check_id, outcome_id,"
        " previous_outcome_id, kind, detail, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [procurement_id, subject_kind, subject_id, check_id, outcome_id, previous_outcome_id, kind, detail, utcnow()])
    return int(cursor.lastrowid) if cursor.rowcount else None


def alerts(db: sqlite_utils.Database, *, open_only: bool = True, procurement_id: int | None = None) -> list[dict[str, Any]]:
    """Alerts, newest first."""
    where, params = ["1=1"], []
    if open_only:
        where.append("a.handled_at IS NULL")
    if procurement_id is not None:
        where.append("a.procurement_id = ?")
        params.append(procurement_id)
    return list(db.query(f"SELECT a.*, p.reference FROM alerts a LEFT JOIN procurements p ON p.id = a.procurement_id"
                         f" WHERE {' AND '.join(where)} ORDER BY a.id DESC", params))


def handle_alert(db: sqlite_utils.Database, alert_id: int, user: str, note: str) -> int:
    """Mark an alert handled; return rows changed (0 when someone already did)."""
    return db.execute("UPDATE alerts SET handled_by = ?, handled_at = ?, handling_note = ? WHERE id = ?"
                      " AND handled_at IS NULL", [user, utcnow(), note, alert_id]).rowcount


def contract_parties(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Organisations taking part in signed or running contracts, with the procurement."""
    return list(db.query("SELECT DISTINCT x.organisation_id, x.procurement_id FROM participants x JOIN procurements p"
                         " ON p.id = x.procurement_id WHERE p.phase IN " + phases_sql(), CONTRACT_PHASES))
