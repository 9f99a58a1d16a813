"""Counts for the dashboard. Each query reads an index range (see migration ``0006_search``), never a whole table."""
from __future__ import annotations

from typing import Any

import sqlite_utils

from ..contract import CONTRACT_PHASES, phases_sql
from .outcomes import IS_NEWEST

LISTED_CODES = ("sanctions.listed", "debarment.listed")

_SUBJECT_NAME = ("CASE o.subject_kind WHEN 'organisation' THEN (SELECT name FROM organisations WHERE id = o.subject_id)"
                 " ELSE (SELECT name FROM persons WHERE id = o.subject_id) END")


def contract_levels(db: sqlite_utils.Database) -> list[tuple[int, str | None]]:
    """(procurement id, level) for each party's newest risk assessment of each signed or running contract.

    The level is the override when there is one. A contract without any assessment comes once
    with level None. (The contract's follow-up schedule has a risk level of its own: high,
    medium or low; this counts the risk model's levels of control instead.)
    """
    return [(row[0], row[1]) for row in db.execute(
        "SELECT p.id, coalesce(v.level, a.level) FROM procurements p"
        " LEFT JOIN risk_assessments a ON a.procurement_id = p.id AND NOT EXISTS (SELECT 1 FROM risk_assessments n"
        " WHERE n.procurement_id = a.procurement_id AND n.organisation_id = a.organisation_id AND n.id > a.id)"
        " LEFT JOIN risk_overrides v ON v.assessment_id = a.id WHERE p.phase IN " + phases_sql(), CONTRACT_PHASES)]


def followups_due(db: sqlite_utils.Database, today: str, until: str, limit: int = 5) -> dict[str, Any]:
    """Contracts whose follow-up falls due by ``until``: counts overdue (before ``today``) and due, soonest first.

    :param today: ISO date
    :param until: ISO date, the end of the window
    """
    overdue, due = db.execute(
        "SELECT coalesce(sum(f.next_due < ?), 0), count(*) FROM followups f JOIN procurements p ON p.id = f.procurement_id"
        " WHERE f.next_due <= ? AND p.phase IN " + phases_sql(), [today, until, *CONTRACT_PHASES]).fetchone()
    rows = list(db.query(
        "SELECT f.procurement_id, f.next_due, f.risk_level, p.reference, p.title FROM followups f"
        " JOIN procurements p ON p.id = f.procurement_id WHERE f.next_due <= ? AND p.phase IN " + phases_sql() +
        " ORDER BY f.next_due, f.procurement_id LIMIT ?", [until, *CONTRACT_PHASES, limit]))
    return {"overdue": overdue, "due": due - overdue, "rows": rows}


def errors_by_check(db: sqlite_utils.Database) -> dict[str, int]:
    """Checks whose newest outcome for a subject is an error nobody has overridden, counted per check."""
    return {row[0]: row[1] for row in db.execute(
        f"SELECT o.check_id, count(*) FROM outcomes o WHERE o.status = 'error' AND {IS_NEWEST}"
        " AND NOT EXISTS (SELECT 1 FROM outcome_overrides v WHERE v.outcome_id = o.id)"
        " GROUP BY o.check_id ORDER BY o.check_id")}


def latest_errors(db: sqlite_utils.Database, limit: int = 5) -> list[dict[str, Any]]:
    """The newest of those errors, with the subject's name."""
    return list(db.query(
        f"SELECT o.id, o.subject_kind, o.subject_id, o.check_id, o.reason, o.created_at, {_SUBJECT_NAME} AS subject_name"
        f" FROM outcomes o WHERE o.status = 'error' AND {IS_NEWEST}"
        " AND NOT EXISTS (SELECT 1 FROM outcome_overrides v WHERE v.outcome_id = o.id)"
        " ORDER BY o.created_at DESC LIMIT ?", [limit]))  # not "id": that invites a scan of the table in id order


# One row per match in the newest outcomes that nobody has decided on (the review queue's rule):
# not dismissed before (the check knew), and no decision on it for this outcome.
def hits_by_month(db: sqlite_utils.Database, since: str) -> list[dict[str, Any]]:
    """Subjects with a hit per month (``YYYY-MM``) and list since a date, from the outcomes' ``*.listed`` findings.

    A subject counts once per month and list however often it was re-screened.

    :param since: ISO date or timestamp; outcomes created before it are left out
    """
    return list(db.query(
        "SELECT substr(o.created_at, 1, 7) AS month, json_extract(finding.value, '$.value.list') AS list,"
        " count(DISTINCT o.subject_kind || ':' || o.subject_id) AS subjects"
        # unlikely(): through the status index, not a scan of every outcome (see reviews.open_matches)
        " FROM outcomes o, json_each(o.findings) finding WHERE unlikely(o.status = 'hit') AND o.created_at >= ?"
        " AND json_extract(finding.value, '$.code') IN (?, ?) GROUP BY month, list ORDER BY month, list",
        [since, *LISTED_CODES]))
