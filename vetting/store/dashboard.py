"""Counts for the dashboard. Each query reads an index range (see migration ``0006_search``), never a whole table."""
from __future__ import annotations

import json
from typing import Any

import sqlite_utils

CONTRACT_PHASES = ("signed", "active")
LISTED_CODES = ("sanctions.listed", "debarment.listed")

# "The newest outcome of its check for its subject": probes outcomes_subject for a newer row.
_IS_LATEST = ("NOT EXISTS (SELECT 1 FROM outcomes n WHERE n.subject_kind = o.subject_kind"
              " AND n.subject_id = o.subject_id AND n.check_id = o.check_id AND n.id > o.id)")
_SUBJECT_NAME = ("CASE o.subject_kind WHEN 'organisation' THEN (SELECT name FROM organisations WHERE id = o.subject_id)"
                 " ELSE (SELECT name FROM persons WHERE id = o.subject_id) END")


def contracts_by_risk(db: sqlite_utils.Database) -> dict[str, int]:
    """Signed and running contracts per risk level; ``""`` for those without a level.

    The level comes from the follow-up schedule until risk assessments are stored; only this
    query needs to change then.
    """
    return {row[0]: row[1] for row in db.execute(
        "SELECT coalesce(f.risk_level, '') AS level, count(*) FROM procurements p"
        " LEFT JOIN followups f ON f.procurement_id = p.id WHERE p.phase IN (?, ?) GROUP BY level",
        CONTRACT_PHASES)}


def followups_due(db: sqlite_utils.Database, today: str, until: str, limit: int = 5) -> dict[str, Any]:
    """Contracts whose follow-up falls due by ``until``: counts overdue (before ``today``) and due, soonest first.

    :param today: ISO date
    :param until: ISO date, the end of the window
    """
    overdue, due = db.execute(
        "SELECT coalesce(sum(f.next_due < ?), 0), count(*) FROM followups f JOIN procurements p ON p.id = f.procurement_id"
        " WHERE f.next_due <= ? AND p.phase IN (?, ?)", [today, until, *CONTRACT_PHASES]).fetchone()
    rows = list(db.query(
        "SELECT f.procurement_id, f.next_due, f.risk_level, p.reference, p.title FROM followups f"
        " JOIN procurements p ON p.id = f.procurement_id WHERE f.next_due <= ? AND p.phase IN (?, ?)"
        " ORDER BY f.next_due, f.procurement_id LIMIT ?", [until, *CONTRACT_PHASES, limit]))
    return {"overdue": overdue, "due": due - overdue, "rows": rows}


def errors_by_check(db: sqlite_utils.Database) -> dict[str, int]:
    """Checks whose newest outcome for a subject is an error nobody has overridden, counted per check."""
    return {row[0]: row[1] for row in db.execute(
        f"SELECT o.check_id, count(*) FROM outcomes o WHERE o.status = 'error' AND {_IS_LATEST}"
        " AND NOT EXISTS (SELECT 1 FROM outcome_overrides v WHERE v.outcome_id = o.id)"
        " GROUP BY o.check_id ORDER BY o.check_id")}


def latest_errors(db: sqlite_utils.Database, limit: int = 5) -> list[dict[str, Any]]:
    """The newest of those errors, with the subject's name."""
    return list(db.query(
        f"SELECT o.id, o.subject_kind, o.subject_id, o.check_id, o.reason, o.created_at, {_SUBJECT_NAME} AS subject_name"
        f" FROM outcomes o WHERE o.status = 'error' AND {_IS_LATEST}"
        " AND NOT EXISTS (SELECT 1 FROM outcome_overrides v WHERE v.outcome_id = o.id)"
        " ORDER BY o.created_at DESC LIMIT ?", [limit]))  # not "id": that invites a scan of the table in id order


def latest_match_outcomes(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Newest outcomes per subject and check that hold a possible match or a hit, newest first."""
    rows = list(db.query(
        "SELECT o.id, o.subject_kind, o.subject_id, o.check_id, o.status, o.explanation"
        f" FROM outcomes o WHERE o.status IN ('possible_match', 'hit') AND {_IS_LATEST}"))
    # Sorted here: an ORDER BY id lets the planner prefer a scan of the whole table in id order.
    rows.sort(key=lambda row: -row["id"])
    for row in rows:
        row["explanation"] = json.loads(row["explanation"])
    return rows


def subject_names(db: sqlite_utils.Database, subjects: list[tuple[str, int]]) -> dict[tuple[str, int], str]:
    """Names of a few organisations and persons, by (kind, id)."""
    names: dict[tuple[str, int], str] = {}
    for kind, table in (("organisation", "organisations"), ("person", "persons")):
        ids = sorted({sid for k, sid in subjects if k == kind})
        if ids:
            marks = ", ".join("?" for _ in ids)
            names.update({(kind, r[0]): r[1] for r in db.execute(f"SELECT id, name FROM {table} WHERE id IN ({marks})", ids)})
    return names


def decisions_on_latest_matches(db: sqlite_utils.Database) -> set[tuple[int, str, str]]:
    """(outcome id, list, listed id) of every decision taken on those outcomes."""
    return {(r[0], r[1], r[2]) for r in db.execute(
        "SELECT r.outcome_id, r.list_source, r.listed_id FROM match_reviews r WHERE r.outcome_id IN"
        f" (SELECT o.id FROM outcomes o WHERE o.status IN ('possible_match', 'hit') AND {_IS_LATEST})")}


def hits_by_month(db: sqlite_utils.Database, since: str) -> list[dict[str, Any]]:
    """Subjects with a hit per month (``YYYY-MM``) and list since a date, from the outcomes' ``*.listed`` findings.

    A subject counts once per month and list however often it was re-screened.

    :param since: ISO date or timestamp; outcomes created before it are left out
    """
    return list(db.query(
        "SELECT substr(o.created_at, 1, 7) AS month, json_extract(f.value, '$.value.list') AS list,"
        " count(DISTINCT o.subject_kind || ':' || o.subject_id) AS subjects"
        " FROM outcomes o, json_each(o.findings) f WHERE o.status = 'hit' AND o.created_at >= ?"
        " AND json_extract(f.value, '$.code') IN (?, ?) GROUP BY month, list ORDER BY month, list",
        [since, *LISTED_CODES]))
