"""Risk model versions, assessments, questionnaire answers, overrides, exclusion cases, staff conflicts."""
from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from . import utcnow


def active_model(db: sqlite_utils.Database) -> dict[str, Any] | None:
    """The published model in use, or None."""
    rows = list(db.query("SELECT * FROM risk_models WHERE active = 1"))
    return rows[0] if rows else None


def models(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Every published model version, newest first (without the text)."""
    return list(db.query("SELECT version, sha256, published_at, published_by, active FROM risk_models"
                         " ORDER BY published_at DESC"))


def model(db: sqlite_utils.Database, version: str) -> dict[str, Any] | None:
    """One model version with its text."""
    rows = list(db.query("SELECT * FROM risk_models WHERE version = ?", [version]))
    return rows[0] if rows else None


def publish_model(db: sqlite_utils.Database, version: str, sha256: str, text: str, user: str) -> None:
    """Store a model version and make it the active one."""
    db.execute("UPDATE risk_models SET active = 0 WHERE active = 1")
    db.execute("INSERT INTO risk_models (version, sha256, text, published_at, published_by, active)"
               " VALUES (?, ?, ?, ?, ?, 1)", [version, sha256, text, utcnow(), user])


def answers(db: sqlite_utils.Database, procurement_id: int, organisation_id: int) -> dict[str, dict[str, Any]]:
    """The newest answer per fact for a case."""
    out: dict[str, dict[str, Any]] = {}
    for row in db.query("SELECT * FROM risk_answers WHERE procurement_id = ? AND organisation_id = ? ORDER BY id",
                        [procurement_id, organisation_id]):
        out[row["fact"]] = row
    return out


def insert_answer(db: sqlite_utils.Database, procurement_id: int, organisation_id: int, fact: str, value: str,
                  note: str | None, user: str, user_id: int | None) -> int:
    """Record an officer's answer to a question."""
    cursor = db.execute(
        "INSERT INTO risk_answers (procurement_id, organisation_id, fact, value, note, answered_by, answered_by_id,"
        " answered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [procurement_id, organisation_id, fact, value, note, user, user_id, utcnow()])
    return int(cursor.lastrowid)


def insert_assessment(db: sqlite_utils.Database, **values: Any) -> int:
    """Store an assessment (immutable)."""
    values = {**values, "results": json.dumps(values["results"], ensure_ascii=False, default=str),
              "reasons": json.dumps(values["reasons"], ensure_ascii=False),
              "facts": json.dumps(values["facts"], ensure_ascii=False, default=str), "created_at": utcnow()}
    cursor = db.execute(f"INSERT INTO risk_assessments ({', '.join(values)}) VALUES ({', '.join('?' for _ in values)})",
                        list(values.values()))
    return int(cursor.lastrowid)


def _decode(row: dict[str, Any]) -> dict[str, Any]:
    for key in ("results", "reasons", "facts"):
        row[key] = json.loads(row[key])
    return row


def assessment(db: sqlite_utils.Database, assessment_id: int) -> dict[str, Any] | None:
    """One assessment with its override, if any."""
    rows = list(db.query("SELECT a.*, o.level AS override_level, o.reason AS override_reason,"
                         " o.overridden_by, o.overridden_at FROM risk_assessments a"
                         " LEFT JOIN risk_overrides o ON o.assessment_id = a.id WHERE a.id = ?", [assessment_id]))
    return _decode(rows[0]) if rows else None


def latest_assessment(db: sqlite_utils.Database, procurement_id: int, organisation_id: int) -> dict[str, Any] | None:
    """The newest assessment of a case."""
    row = db.execute("SELECT max(id) FROM risk_assessments WHERE procurement_id = ? AND organisation_id = ?",
                     [procurement_id, organisation_id]).fetchone()
    return assessment(db, row[0]) if row and row[0] else None


def latest_levels(db: sqlite_utils.Database, procurement_id: int | None = None) -> dict[tuple[int, int], dict[str, Any]]:
    """Per (procurement, organisation): the newest assessment's level and override (for lists and pages)."""
    where, params = ("WHERE procurement_id = ?", [procurement_id]) if procurement_id else ("", [])
    rows = db.query(
        "SELECT a.id, a.procurement_id, a.organisation_id, a.level, a.model_version, o.level AS override_level"
        f" FROM risk_assessments a LEFT JOIN risk_overrides o ON o.assessment_id = a.id"
        f" WHERE a.id IN (SELECT max(id) FROM risk_assessments {where} GROUP BY procurement_id, organisation_id)",
        params)
    return {(r["procurement_id"], r["organisation_id"]): r for r in rows}


def latest_assessments(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """The newest assessment of every case, with facts (for replay)."""
    return [_decode(r) for r in db.query(
        "SELECT * FROM risk_assessments WHERE id IN (SELECT max(id) FROM risk_assessments"
        " GROUP BY procurement_id, organisation_id)")]


def insert_override(db: sqlite_utils.Database, assessment_id: int, level: str, reason: str, user: str) -> None:
    """A security officer's override of an assessment's level (a later override replaces it; the audit log keeps both)."""
    db.execute("INSERT INTO risk_overrides (assessment_id, level, reason, overridden_by, overridden_at)"
               " VALUES (?, ?, ?, ?, ?) ON CONFLICT (assessment_id) DO UPDATE SET level = excluded.level,"
               " reason = excluded.reason, overridden_by = excluded.overridden_by,"
               " overridden_at = excluded.overridden_at", [assessment_id, level, reason, user, utcnow()])


def open_exclusion_case(db: sqlite_utils.Database, assessment_id: int, procurement_id: int, organisation_id: int,
                        grounds: list[dict[str, Any]]) -> int:
    """Open an exclusion assessment for the grounds that fired."""
    cursor = db.execute("INSERT INTO exclusion_cases (assessment_id, procurement_id, organisation_id, grounds,"
                        " created_at) VALUES (?, ?, ?, ?, ?)",
                        [assessment_id, procurement_id, organisation_id, json.dumps(grounds, ensure_ascii=False),
                         utcnow()])
    return int(cursor.lastrowid)


def staff_conflicts(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """The agency's own staff conflict list."""
    return list(db.query("SELECT * FROM staff_conflicts ORDER BY name"))


def insert_staff_conflict(db: sqlite_utils.Database, name: str, birth_year: str | None, note: str | None,
                          user: str) -> int:
    """Add a person to the staff conflict list."""
    cursor = db.execute("INSERT INTO staff_conflicts (name, birth_year, note, added_by, added_at) VALUES (?, ?, ?, ?, ?)",
                        [name, birth_year, note, user, utcnow()])
    return int(cursor.lastrowid)
