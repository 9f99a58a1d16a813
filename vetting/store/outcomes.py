"""Append-only check outcomes and their evidence."""
from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from . import utcnow, write_transaction


def insert(db: sqlite_utils.Database, *, subject_kind: str, subject_id: int, check_id: str, check_version: str,
           status: str, reason: str | None, findings: list[dict[str, Any]], explanation: list[dict[str, Any]],
           run_by: str, batch_item_id: int | None = None) -> int:
    """Store an outcome; return its id. Within a batch, one outcome per item and check (a redo cannot duplicate)."""
    cursor = db.execute(
        "INSERT INTO outcomes (subject_kind, subject_id, check_id, check_version, status, reason, findings, explanation,"
        " run_by, created_at, batch_item_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [subject_kind, subject_id, check_id, check_version, status, reason,
         json.dumps(findings, ensure_ascii=False, default=str), json.dumps(explanation, ensure_ascii=False, default=str),
         run_by, utcnow(), batch_item_id])
    return int(cursor.lastrowid)


COLUMNS = ("subject_kind", "subject_id", "check_id", "check_version", "status", "reason", "findings", "explanation",
           "run_by", "created_at", "batch_item_id")


def insert_many(db: sqlite_utils.Database, rows: list[dict[str, Any]]) -> list[int]:
    """Store outcomes given as rows (``COLUMNS``, findings and explanation already JSON) in one statement; return
    their ids in order.

    The ids are given, not left to SQLite: the newest id plus one onwards, read and written under
    the write lock (held here, or by the caller's transaction), so no other writer can take one.
    """
    if not rows:
        return []
    with write_transaction(db):
        first = db.execute("SELECT coalesce(max(id), 0) + 1 FROM outcomes").fetchone()[0]
        db.conn.executemany(
            f"INSERT INTO outcomes (id, {', '.join(COLUMNS)}) VALUES (?, {', '.join('?' for _ in COLUMNS)})",
            [(first + i, *(row[c] for c in COLUMNS)) for i, row in enumerate(rows)])
    return list(range(first, first + len(rows)))


def insert_evidence_many(db: sqlite_utils.Database, outcome_id: int, pieces: list[dict[str, Any]]) -> None:
    """Attach an outcome's evidence in one statement (a list check brings a piece per list version consulted)."""
    insert_evidence_of_many(db, [(outcome_id, pieces)])


def insert_evidence_of_many(db: sqlite_utils.Database, outcomes: list[tuple[int, list[dict[str, Any]]]]) -> None:
    """Attach the evidence of many outcomes, ``(outcome id, pieces)`` each, in one statement."""
    db.conn.executemany(
        "INSERT INTO evidence (outcome_id, position, source, url, list_version, fetched_at, http_status, media_type,"
        " sha256, body, headers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(outcome_id, position, p["source"], p["url"], p["list_version"], p["fetched_at"], p["http_status"],
          p["media_type"], p["sha256"], p["body"], json.dumps(p["headers"], sort_keys=True) if p["headers"] else None)
         for outcome_id, pieces in outcomes for position, p in enumerate(pieces)])


# "The newest outcome of its check for its subject", for an outcome aliased ``o``: the one SQL home of the rule
# (no newer row for the same subject and check; probes the outcomes_subject index). Other store modules reuse it.
def is_newest(alias: str = "o", upto: str | None = None) -> str:
    """The condition for outcome ``alias`` (``upto``: as it stood at that id, a parameter or column)."""
    bound = f" AND n.id <= {upto}" if upto else ""
    return (f"NOT EXISTS (SELECT 1 FROM outcomes n WHERE n.subject_kind = {alias}.subject_kind"
            f" AND n.subject_id = {alias}.subject_id AND n.check_id = {alias}.check_id AND n.id > {alias}.id{bound})")


IS_NEWEST = is_newest()


def _decode(row: dict[str, Any]) -> dict[str, Any]:
    row["findings"] = json.loads(row["findings"])
    row["explanation"] = json.loads(row["explanation"])
    return row


def get(db: sqlite_utils.Database, outcome_id: int) -> dict[str, Any] | None:
    """One outcome, or None."""
    rows = list(db.query("SELECT * FROM outcomes WHERE id = ?", [outcome_id]))
    return _decode(rows[0]) if rows else None


def latest(db: sqlite_utils.Database, subject_kind: str, subject_id: int) -> list[dict[str, Any]]:
    """The newest outcome of each check for a subject (``latest_for_subjects`` for one)."""
    return latest_for_subjects(db, subject_kind, [subject_id])[subject_id]


def history(db: sqlite_utils.Database, subject_kind: str, subject_id: int, limit: int = 50) -> list[dict[str, Any]]:
    """Earlier outcomes of a subject, newest first (without evidence bodies)."""
    return [_decode(r) for r in db.query(
        "SELECT * FROM outcomes WHERE subject_kind = ? AND subject_id = ? ORDER BY id DESC LIMIT ?",
        [subject_kind, subject_id, limit])]


def evidence_of(db: sqlite_utils.Database, outcome_id: int) -> list[dict[str, Any]]:
    """Evidence rows of an outcome, without their bodies (sizes instead)."""
    return evidence_of_many(db, [outcome_id])[outcome_id]


def evidence_of_many(db: sqlite_utils.Database, outcome_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """``evidence_of`` for many outcomes in one statement, by outcome id; a file erased at retention has its date."""
    out: dict[int, list[dict[str, Any]]] = {i: [] for i in outcome_ids}
    if outcome_ids:
        for row in db.query(
                "SELECT id, outcome_id, position, source, url, list_version, fetched_at, http_status, media_type, sha256,"
                " headers, length(body) AS size,"
                " (SELECT f.erased_on FROM erased_files f WHERE f.kind = 'evidence' AND f.file_id = evidence.id) AS erased_on"
                " FROM evidence WHERE outcome_id IN (SELECT value FROM json_each(?))"
                " ORDER BY outcome_id, position", [json.dumps(sorted(set(outcome_ids)))]):
            out[row.pop("outcome_id")].append(row)
    return out


def evidence_body(db: sqlite_utils.Database, evidence_id: int) -> dict[str, Any] | None:
    """One evidence row with its raw body."""
    rows = list(db.query("SELECT * FROM evidence WHERE id = ?", [evidence_id]))
    return rows[0] if rows else None


def latest_for_subjects(db: sqlite_utils.Database, subject_kind: str,
                        subject_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """For many subjects in one statement: the newest outcome of each check, by subject id."""
    out: dict[int, list[dict[str, Any]]] = {i: [] for i in subject_ids}
    if not subject_ids:
        return out
    for row in db.query(
            "SELECT o.* FROM outcomes o WHERE o.subject_kind = ? AND o.subject_id IN (SELECT value FROM json_each(?))"
            f" AND {IS_NEWEST} ORDER BY o.check_id, o.id", [subject_kind, json.dumps(sorted(set(subject_ids)))]):
        out[row["subject_id"]].append(_decode(row))
    return out


def newest_ids(db: sqlite_utils.Database, subject_kind: str, subject_ids: list[int]) -> dict[int, dict[str, int]]:
    """For many subjects in one statement: the id of the newest outcome of each check, by subject id and check."""
    out: dict[int, dict[str, int]] = {}
    for subject_id, check_id, newest in db.execute(
            "SELECT subject_id, check_id, max(id) FROM outcomes WHERE subject_kind = ?"
            " AND subject_id IN (SELECT value FROM json_each(?)) GROUP BY subject_id, check_id",
            [subject_kind, json.dumps(sorted(set(subject_ids)))]):
        out.setdefault(subject_id, {})[check_id] = newest
    return out


def subject_of_evidence(db: sqlite_utils.Database, evidence_id: int) -> dict[str, Any]:
    """Whom an evidence row is about: subject kind and id, and an organisation's identifier."""
    return next(db.query(
        "SELECT o.subject_kind, o.subject_id, g.identifier_type, g.identifier FROM evidence e"
        " JOIN outcomes o ON o.id = e.outcome_id"
        " LEFT JOIN organisations g ON o.subject_kind = 'organisation' AND g.id = o.subject_id WHERE e.id = ?",
        [evidence_id]))
