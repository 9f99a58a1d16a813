"""Officers' decisions on possible matches and hits: confirmed or dismissed, with reasons."""
from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from . import utcnow
from .outcomes import IS_NEWEST


def insert(db: sqlite_utils.Database, *, outcome_id: int, subject_kind: str, subject_id: int, list_source: str,
           listed_id: str, entry_hash: str, decision: str, reason: str, decided_by: str) -> int:
    """Record a decision on one match."""
    cursor = db.execute(
        "INSERT INTO match_reviews (outcome_id, subject_kind, subject_id, list_source, listed_id, entry_hash, decision,"
        " reason, decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [outcome_id, subject_kind, subject_id, list_source, listed_id, entry_hash, decision, reason, decided_by, utcnow()])
    return int(cursor.lastrowid)


def for_subject(db: sqlite_utils.Database, subject_kind: str, subject_id: int) -> list[dict[str, Any]]:
    """Every decision about a subject, newest first."""
    return list(db.query("SELECT * FROM match_reviews WHERE subject_kind = ? AND subject_id = ? ORDER BY id DESC",
                         [subject_kind, subject_id]))


def for_outcome(db: sqlite_utils.Database, outcome_id: int) -> list[dict[str, Any]]:
    """Decisions taken on the matches of one outcome."""
    return list(db.query("SELECT * FROM match_reviews WHERE outcome_id = ? ORDER BY id", [outcome_id]))


def latest_decisions(db: sqlite_utils.Database, subject_kind: str, subject_id: int) -> dict[tuple[str, str], dict[str, Any]]:
    """The newest decision per (list source, listed id) for a subject."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for row in db.query("SELECT * FROM match_reviews WHERE subject_kind = ? AND subject_id = ? ORDER BY id",
                        [subject_kind, subject_id]):
        out[(row["list_source"], row["listed_id"])] = row
    return out


def decided_for_outcomes(db: sqlite_utils.Database, outcome_ids: list[int]) -> dict[int, set[tuple[str, str]]]:
    """For many outcomes in one statement: the (list source, listed id) pairs already decided on."""
    out: dict[int, set[tuple[str, str]]] = {i: set() for i in outcome_ids}
    for row in db.query("SELECT outcome_id, list_source, listed_id FROM match_reviews WHERE outcome_id IN"
                        " (SELECT value FROM json_each(?))", [json.dumps(sorted(set(outcome_ids)))]):
        out[row["outcome_id"]].add((row["list_source"], row["listed_id"]))
    return out


def latest_decisions_for_subjects(db: sqlite_utils.Database, subject_kind: str, subject_ids: list[int]
                                  ) -> dict[int, dict[tuple[str, str], dict[str, Any]]]:
    """``latest_decisions`` for many subjects in one statement, by subject id."""
    out: dict[int, dict[tuple[str, str], dict[str, Any]]] = {i: {} for i in subject_ids}
    if not subject_ids:
        return out
    for row in db.query("SELECT * FROM match_reviews WHERE subject_kind = ? AND subject_id IN"
                        " (SELECT value FROM json_each(?)) ORDER BY id",
                        [subject_kind, json.dumps(sorted(set(subject_ids)))]):
        out[row["subject_id"]][(row["list_source"], row["listed_id"])] = row
    return out


def open_matches(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Newest screening outcomes with a possible match or hit, per subject (the review queue's raw material)."""
    # INDEXED BY: matches are a few of many outcomes, but with statistics from ANALYZE (mostly "clear") SQLite
    # walked the whole table in id order instead of the status index (2 ms with 10,000 outcomes, 0.01 ms so);
    # unlikely() fixed that and made the plan without statistics a scan.
    rows = list(db.query(
        f"SELECT o.* FROM outcomes o INDEXED BY outcomes_status WHERE o.status IN ('possible_match', 'hit')"
        f" AND {IS_NEWEST} ORDER BY o.id DESC"))
    for row in rows:
        row["findings"] = json.loads(row["findings"])
        row["explanation"] = json.loads(row["explanation"])
    return rows
