"""Gate records: four-eyes proposals, art. 5k answers, sanction reports, deepened-check tasks, stale assessments."""
from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from . import utcnow


def _proposal(row: dict[str, Any]) -> dict[str, Any]:
    row["payload"] = json.loads(row["payload"])
    return row


def insert_proposal(db: sqlite_utils.Database, *, kind: str, target: str, payload: dict[str, Any], reason: str,
                    record_type: str | None, record_id: Any, user: str, user_id: int | None) -> int:
    """A first person's proposal, waiting for a second person."""
    cursor = db.execute(
        "INSERT INTO proposals (kind, target, payload, reason, record_type, record_id, proposed_by, proposed_by_id,"
        " proposed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [kind, target, json.dumps(payload, ensure_ascii=False, default=str), reason, record_type,
         None if record_id is None else str(record_id), user, user_id, utcnow()])
    return int(cursor.lastrowid)


def proposal(db: sqlite_utils.Database, proposal_id: int) -> dict[str, Any] | None:
    rows = list(db.query("SELECT * FROM proposals WHERE id = ?", [proposal_id]))
    return _proposal(rows[0]) if rows else None


def pending_proposal(db: sqlite_utils.Database, kind: str, target: str) -> dict[str, Any] | None:
    rows = list(db.query("SELECT * FROM proposals WHERE kind = ? AND target = ? AND state = 'pending'", [kind, target]))
    return _proposal(rows[0]) if rows else None


def pending_proposals(db: sqlite_utils.Database, kinds: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
    """Proposals waiting for a second person, oldest first."""
    rows = list(db.query("SELECT * FROM proposals WHERE state = 'pending' ORDER BY id"))
    return [_proposal(r) for r in rows if kinds is None or r["kind"] in kinds]


def decide_proposal(db: sqlite_utils.Database, proposal_id: int, state: str, user: str, user_id: int | None,
                    reason: str | None) -> bool:
    """Confirm or refuse a pending proposal; False when it was no longer pending."""
    cursor = db.execute("UPDATE proposals SET state = ?, decided_by = ?, decided_by_id = ?, decided_at = ?,"
                        " decision_reason = ? WHERE id = ? AND state = 'pending'",
                        [state, user, user_id, utcnow(), reason, proposal_id])
    return cursor.rowcount == 1


def art5k_answer(db: sqlite_utils.Database, organisation_id: int) -> dict[str, Any] | None:
    """The newest art. 5k answers about an organisation."""
    rows = list(db.query("SELECT * FROM art5k_answers WHERE organisation_id = ? ORDER BY id DESC LIMIT 1",
                         [organisation_id]))
    return rows[0] if rows else None


def insert_art5k_answer(db: sqlite_utils.Database, organisation_id: int, russian_owned: str, acting_for_russia: str,
                        note: str | None, user: str) -> int:
    cursor = db.execute("INSERT INTO art5k_answers (organisation_id, russian_owned, acting_for_russia, note,"
                        " answered_by, answered_at) VALUES (?, ?, ?, ?, ?, ?)",
                        [organisation_id, russian_owned, acting_for_russia, note, user, utcnow()])
    return int(cursor.lastrowid)


def sanction_reports(db: sqlite_utils.Database, procurement_id: int) -> list[dict[str, Any]]:
    return list(db.query("SELECT * FROM sanction_reports WHERE procurement_id = ? ORDER BY id", [procurement_id]))


def insert_sanction_report(db: sqlite_utils.Database, procurement_id: int, organisation_id: int,
                           review_id: int | None) -> int | None:
    """The security department was told of a confirmed hit; None when it already was."""
    cursor = db.execute("INSERT OR IGNORE INTO sanction_reports (procurement_id, organisation_id, review_id,"
                        " security_told_at) VALUES (?, ?, ?, ?)", [procurement_id, organisation_id, review_id, utcnow()])
    return int(cursor.lastrowid) if cursor.rowcount == 1 else None


def mark_reported(db: sqlite_utils.Database, report_id: int, user: str, recipient: str) -> bool:
    cursor = db.execute("UPDATE sanction_reports SET reported_by = ?, reported_to = ?, reported_at = ?"
                        " WHERE id = ? AND reported_at IS NULL", [user, recipient, utcnow(), report_id])
    return cursor.rowcount == 1


def deepened_checks(db: sqlite_utils.Database, procurement_id: int, organisation_id: int | None = None,
                    open_only: bool = False) -> list[dict[str, Any]]:
    where, params = ["procurement_id = ?"], [procurement_id]
    if organisation_id is not None:
        where.append("organisation_id = ?")
        params.append(organisation_id)
    if open_only:
        where.append("concluded_at IS NULL")
    return list(db.query(f"SELECT * FROM deepened_checks WHERE {' AND '.join(where)} ORDER BY id", params))


def insert_deepened_check(db: sqlite_utils.Database, procurement_id: int, organisation_id: int, assessment_id: int,
                          due_at: str) -> int | None:
    cursor = db.execute("INSERT OR IGNORE INTO deepened_checks (procurement_id, organisation_id, assessment_id, due_at,"
                        " created_at) VALUES (?, ?, ?, ?, ?)",
                        [procurement_id, organisation_id, assessment_id, due_at, utcnow()])
    return int(cursor.lastrowid) if cursor.rowcount == 1 else None


def conclude_deepened_check(db: sqlite_utils.Database, task_id: int, examined: str, proportionality: str,
                            conclusion: str, user: str) -> bool:
    cursor = db.execute("UPDATE deepened_checks SET examined = ?, proportionality = ?, conclusion = ?,"
                        " concluded_by = ?, concluded_at = ? WHERE id = ? AND concluded_at IS NULL",
                        [examined, proportionality, conclusion, user, utcnow(), task_id])
    return cursor.rowcount == 1


def deepened_check(db: sqlite_utils.Database, task_id: int) -> dict[str, Any] | None:
    rows = list(db.query("SELECT * FROM deepened_checks WHERE id = ?", [task_id]))
    return rows[0] if rows else None


def mark_stale(db: sqlite_utils.Database, procurement_id: int, organisation_id: int, assessment_id: int,
               why: str) -> None:
    db.execute("INSERT OR IGNORE INTO stale_assessments (procurement_id, organisation_id, assessment_id, why,"
               " marked_at) VALUES (?, ?, ?, ?, ?)", [procurement_id, organisation_id, assessment_id, why, utcnow()])


def stale_marks(db: sqlite_utils.Database, procurement_id: int, organisation_id: int) -> list[dict[str, Any]]:
    return list(db.query("SELECT * FROM stale_assessments WHERE procurement_id = ? AND organisation_id = ?"
                         " ORDER BY marked_at", [procurement_id, organisation_id]))


def organisations_of_person(db: sqlite_utils.Database, person_id: int) -> list[int]:
    """The organisations in which a person holds a key role."""
    return [r["organisation_id"] for r in db.query("SELECT DISTINCT organisation_id FROM key_roles WHERE person_id = ?"
                                                   " ORDER BY organisation_id", [person_id])]
