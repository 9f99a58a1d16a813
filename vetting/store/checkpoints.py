"""Checkpoint instances, decisions, documents, error overrides and notifications."""
from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from . import utcnow


def _decode(row: dict[str, Any]) -> dict[str, Any]:
    row["answers"] = json.loads(row["answers"] or "{}")
    row["event_detail"] = json.loads(row["event_detail"]) if row.get("event_detail") else None
    return row


def for_procurement(db: sqlite_utils.Database, procurement_id: int) -> list[dict[str, Any]]:
    """Every checkpoint of a procurement, in the order they were opened."""
    return [_decode(r) for r in db.query("SELECT * FROM checkpoints WHERE procurement_id = ? ORDER BY id",
                                         [procurement_id])]


def get(db: sqlite_utils.Database, checkpoint_id: int) -> dict[str, Any] | None:
    """One checkpoint, or None."""
    rows = list(db.query("SELECT * FROM checkpoints WHERE id = ?", [checkpoint_id]))
    return _decode(rows[0]) if rows else None


def insert(db: sqlite_utils.Database, *, procurement_id: int, template_id: str, trigger: str,
           event_detail: dict[str, Any] | None, due_at: str | None) -> int:
    """Open a checkpoint."""
    cursor = db.execute(
        "INSERT INTO checkpoints (procurement_id, template_id, trigger, event_detail, state, round, answers, due_at,"
        " created_at) VALUES (?, ?, ?, ?, 'open', 0, '{}', ?, ?)",
        [procurement_id, template_id, trigger, json.dumps(event_detail, ensure_ascii=False) if event_detail else None,
         due_at, utcnow()])
    return int(cursor.lastrowid)


def mark_prepared(db: sqlite_utils.Database, checkpoint_id: int, answers: dict[str, Any], user: str, user_id: int | None) -> None:
    """The preparer has filled it in: a new round awaits sign-off."""
    db.execute("UPDATE checkpoints SET state = 'prepared', round = round + 1, answers = ?, prepared_by = ?,"
               " prepared_by_id = ?, prepared_at = ? WHERE id = ?",
               [json.dumps(answers, ensure_ascii=False), user, user_id, utcnow(), checkpoint_id])


def insert_decision(db: sqlite_utils.Database, *, checkpoint_id: int, round_: int, decision: str, reason: str,
                    conditions: str | None, user: str, user_id: int | None, snapshot: dict[str, Any]) -> int:
    """Record a sign-off decision (one per round: a second one fails on the unique constraint)."""
    cursor = db.execute(
        "INSERT INTO checkpoint_decisions (checkpoint_id, round, decision, reason, conditions, decided_by, decided_by_id,"
        " decided_at, snapshot) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [checkpoint_id, round_, decision, reason, conditions, user, user_id, utcnow(),
         json.dumps(snapshot, ensure_ascii=False, default=str)])
    db.execute("UPDATE checkpoints SET state = ? WHERE id = ?", [decision, checkpoint_id])
    return int(cursor.lastrowid)


def reopen(db: sqlite_utils.Database, checkpoint_id: int) -> None:
    """A decided checkpoint must be worked again (its premises changed); its decisions stay on record."""
    db.execute("UPDATE checkpoints SET state = 'open' WHERE id = ?", [checkpoint_id])


def decisions(db: sqlite_utils.Database, checkpoint_id: int) -> list[dict[str, Any]]:
    """Every decision on a checkpoint, oldest first."""
    rows = list(db.query("SELECT * FROM checkpoint_decisions WHERE checkpoint_id = ? ORDER BY round", [checkpoint_id]))
    for row in rows:
        row["snapshot"] = json.loads(row["snapshot"])
    return rows


# The inbox boxes of one user as SQL (the rule is written once, here; ``domain.inbox`` hands in the values):
# ``decide`` waits for the user's sign-off; ``overdue`` is other work of theirs past due; ``rest`` the rest
# of their work; ``returned`` came back to them (and, past due, shows under ``overdue`` as well).
_INBOX_BOX = (
    "CASE WHEN c.state = 'prepared' AND c.template_id IN (SELECT value FROM json_each(:sign))"
    " AND c.prepared_by_id IS NOT :user THEN 'decide'"
    " WHEN c.state = 'rejected' AND c.prepared_by_id IS :user THEN 'returned'"
    " WHEN c.template_id IN (SELECT value FROM json_each(:prepare)) AND (c.state = 'open' OR"
    " (c.state = 'rejected' AND c.prepared_by_id IS NOT :user))"
    " THEN CASE WHEN c.due_at IS NOT NULL AND c.due_at != '' AND c.due_at < :now THEN 'overdue' ELSE 'rest' END"
    " END")
_INBOX_FROM = (
    f"FROM (SELECT c.id, c.procurement_id, c.template_id, c.state, c.prepared_by_id, c.due_at, c.trigger, p.reference,"
    f" p.title, p.phase, {_INBOX_BOX} AS box,"
    " (c.due_at IS NOT NULL AND c.due_at != '' AND c.due_at < :now) AS late"
    " FROM checkpoints c JOIN procurements p ON p.id = c.procurement_id"
    " WHERE c.state IN ('open', 'prepared', 'rejected')"
    " AND NOT (c.trigger = 'phase' AND coalesce(p.phase, '') != ''"
    " AND c.template_id || ' ' || p.phase IN (SELECT value FROM json_each(:not_yet))))"
    " WHERE box IS NOT NULL")
# What each box lists, in its order; ``waiting`` is the user's work: decisions first, then overdue, by due date.
_INBOX_LISTS = {
    "decide": ("box = 'decide'", "due_at, id"),
    "overdue": ("(box = 'overdue' OR (box = 'returned' AND late))", "due_at, id"),
    "rest": ("box = 'rest'", "due_at, id"),
    "returned": ("box = 'returned'", "due_at, id"),
    "waiting": ("box IN ('decide', 'overdue', 'rest')",
                "CASE box WHEN 'decide' THEN 0 WHEN 'overdue' THEN 1 ELSE 2 END, coalesce(due_at, ''), due_at, id"),
}
INBOX_BOXES = tuple(_INBOX_LISTS)


def _inbox_params(prepare: list[str], sign: list[str], user_id: int | None, now: str,
                  not_yet: list[str]) -> dict[str, Any]:
    return {"prepare": json.dumps(prepare), "sign": json.dumps(sign), "user": user_id, "now": now,
            "not_yet": json.dumps(not_yet)}


_INBOX_ROW = ("id", "procurement_id", "template_id", "state", "prepared_by_id", "due_at", "trigger", "reference", "title",
              "phase")


def inbox_pages(db: sqlite_utils.Database, pages: dict[str, tuple[int, int]], prepare: list[str], sign: list[str],
                user_id: int | None, now: str, not_yet: list[str]) -> dict[str, list[dict[str, Any]]]:
    """A page of each box in ``pages`` (box → (offset, limit); limit -1: to the end), in one statement that reads
    the open checkpoints once; see ``inbox``."""
    return inbox(db, pages, prepare, sign, user_id, now, not_yet, counts=False)[1]


def inbox(db: sqlite_utils.Database, pages: dict[str, tuple[int, int]], prepare: list[str], sign: list[str],
          user_id: int | None, now: str, not_yet: list[str], counts: bool = True
          ) -> tuple[dict[str, int], dict[str, list[dict[str, Any]]]]:
    """How many checkpoints each box holds and a page of each box in ``pages`` (box → (offset, limit); limit -1: to
    the end), in one statement that decides the boxes of the open checkpoints once (counts and pages apart read
    them twice: 1.3 ms more a page with 1,440 checkpoints).

    ``prepare``/``sign``: template ids the user's roles prepare/sign; ``now``: ISO time that due dates are
    compared with; ``not_yet``: "template_id phase" pairs of phase checkpoints that do not apply yet.
    """
    wanted = list(pages)
    params: dict[str, Any] = _inbox_params(prepare, sign, user_id, now, not_yet)
    for n, box in enumerate(wanted):
        params.update({f"list{n}": box, f"offset{n}": pages[box][0], f"limit{n}": pages[box][1]})
    row = ", ".join(_INBOX_ROW)
    parts = [f"SELECT * FROM (SELECT :list{n} AS list, {n} AS k, row_number() OVER () AS n, {row} FROM"
             f" (SELECT * FROM boxed WHERE {_INBOX_LISTS[box][0]} ORDER BY {_INBOX_LISTS[box][1]}"
             f" LIMIT :limit{n} OFFSET :offset{n}))" for n, box in enumerate(wanted)]
    if counts:  # one row first (k = -1) whose id column holds the counts, in INBOX_BOXES order, as a JSON array
        sums = ", ".join(f"coalesce(sum({where}), 0)" for where, _order in _INBOX_LISTS.values())
        empty = ", ".join(f"NULL AS {name}" for name in _INBOX_ROW[1:])
        parts.insert(0, f"SELECT NULL AS list, -1 AS k, 0 AS n, json_array({sums}) AS id, {empty} FROM boxed")
    out: dict[str, list[dict[str, Any]]] = {box: [] for box in wanted}
    found: dict[str, int] = {}
    for got in db.query(f"WITH boxed AS MATERIALIZED (SELECT * {_INBOX_FROM}) SELECT list, {row} FROM"
                        f" ({' UNION ALL '.join(parts)}) ORDER BY k, n", params):
        box = got.pop("list")
        if box is None:
            found = dict(zip(INBOX_BOXES, json.loads(got["id"])))
        else:
            out[box].append(got)
    return found, out


def insert_document(db: sqlite_utils.Database, checkpoint_id: int, field: str, doc: dict[str, Any], user: str) -> int:
    """Keep a document attached to a checkpoint answer."""
    cursor = db.execute(
        "INSERT INTO checkpoint_documents (checkpoint_id, field, filename, media_type, sha256, body, uploaded_by,"
        " uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [checkpoint_id, field, doc["filename"], doc["media_type"], doc["sha256"], doc["body"], user, utcnow()])
    return int(cursor.lastrowid)


def documents_of(db: sqlite_utils.Database, checkpoint_id: int) -> list[dict[str, Any]]:
    """Documents attached to a checkpoint, without their bodies."""
    return list(db.query("SELECT id, field, filename, sha256, uploaded_by, uploaded_at, (SELECT f.erased_on"
                         " FROM erased_files f WHERE f.kind = 'checkpoint_document' AND f.file_id = checkpoint_documents.id)"
                         " AS erased_on FROM checkpoint_documents"
                         " WHERE checkpoint_id = ? ORDER BY id", [checkpoint_id]))


def document(db: sqlite_utils.Database, document_id: int) -> dict[str, Any] | None:
    """One checkpoint document with its body."""
    rows = list(db.query("SELECT * FROM checkpoint_documents WHERE id = ?", [document_id]))
    return rows[0] if rows else None


def override_outcome(db: sqlite_utils.Database, outcome_id: int, reason: str, user: str) -> None:
    """Accept a check in error for gating purposes, with the reason."""
    db.execute("INSERT INTO outcome_overrides (outcome_id, reason, overridden_by, overridden_at) VALUES (?, ?, ?, ?)",
               [outcome_id, reason, user, utcnow()])


def overridden_outcomes(db: sqlite_utils.Database) -> dict[int, dict[str, Any]]:
    """Overrides by outcome id."""
    return {r["outcome_id"]: r for r in db.query("SELECT * FROM outcome_overrides")}


def overridden_among(db: sqlite_utils.Database, outcome_ids: list[int]) -> set[int]:
    """Which of these outcomes have an accepted error override (one statement)."""
    marks = ",".join("?" * len(outcome_ids))
    return {r["outcome_id"] for r in db.query(f"SELECT outcome_id FROM outcome_overrides WHERE outcome_id IN ({marks})",
                                              outcome_ids)}


def notify(db: sqlite_utils.Database, user_id: int, text: str, link: str | None) -> None:
    """Leave a message in a user's in-app inbox."""
    db.execute("INSERT INTO notifications (user_id, text, link, created_at) VALUES (?, ?, ?, ?)",
               [user_id, text, link, utcnow()])


def notifications(db: sqlite_utils.Database, user_id: int, limit: int = 30) -> list[dict[str, Any]]:
    """A user's newest notifications."""
    return list(db.query("SELECT * FROM notifications WHERE user_id = ? ORDER BY id DESC LIMIT ?", [user_id, limit]))


def unread_count(db: sqlite_utils.Database, user_id: int) -> int:
    """How many notifications the user has not opened."""
    return db.execute("SELECT count(*) FROM notifications WHERE user_id = ? AND read_at IS NULL", [user_id]).fetchone()[0]


def mark_read(db: sqlite_utils.Database, user_id: int) -> None:
    """Mark all of a user's notifications read."""
    db.execute("UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL", [utcnow(), user_id])


def procurement_of_checkpoint(db: sqlite_utils.Database, checkpoint_id: int) -> int | None:
    """The procurement a checkpoint belongs to."""
    row = db.execute("SELECT procurement_id FROM checkpoints WHERE id = ?", [checkpoint_id]).fetchone()
    return row[0] if row else None
