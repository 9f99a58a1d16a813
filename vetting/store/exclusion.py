"""Exclusion under LOU ch. 13: grounds of a case, stated grounds of a procurement, communication, self-cleaning, decisions.

The case itself is a row of ``exclusion_cases`` (opened by an assessment, see ``store/risk.py``); its law lives
in the tables of migration 0019. Decisions are never updated (a trigger refuses it): a reconsideration is a new row.
"""
from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from . import utcnow


def _ground(row: dict[str, Any]) -> dict[str, Any]:
    row["name"] = json.loads(row["name"] or "{}")
    row["detail"] = json.loads(row["detail"]) if row["detail"] else None
    return row


def case(db: sqlite_utils.Database, case_id: int) -> dict[str, Any] | None:
    """One exclusion case (without its legacy text columns' meaning: read the 0019 tables for those)."""
    rows = list(db.query("SELECT id, assessment_id, procurement_id, organisation_id, created_at FROM exclusion_cases"
                         " WHERE id = ?", [case_id]))
    return rows[0] if rows else None


def cases(db: sqlite_utils.Database, procurement_id: int, organisation_id: int | None = None) -> list[dict[str, Any]]:
    """Cases of a procurement (or one party), oldest first."""
    where, params = "procurement_id = ?", [procurement_id]
    if organisation_id is not None:
        where += " AND organisation_id = ?"
        params.append(organisation_id)
    return list(db.query("SELECT id, assessment_id, procurement_id, organisation_id, created_at FROM exclusion_cases"
                         f" WHERE {where} ORDER BY id", params))


def grounds(db: sqlite_utils.Database, case_ids: list[int]) -> list[dict[str, Any]]:
    """The grounds of these cases, in the order they were opened."""
    return [_ground(r) for r in db.query(
        "SELECT * FROM exclusion_grounds WHERE case_id IN (SELECT value FROM json_each(?)) ORDER BY case_id, id",
        [json.dumps(case_ids)])]


def ground(db: sqlite_utils.Database, ground_id: int) -> dict[str, Any] | None:
    """One ground."""
    rows = list(db.query("SELECT * FROM exclusion_grounds WHERE id = ?", [ground_id]))
    return _ground(rows[0]) if rows else None


def party_grounds(db: sqlite_utils.Database, procurement_id: int, organisation_id: int) -> list[dict[str, Any]]:
    """Every ground ever opened for this party in this procurement, with its case id, oldest first."""
    return [_ground(r) for r in db.query(
        "SELECT g.* FROM exclusion_grounds g JOIN exclusion_cases c ON c.id = g.case_id"
        " WHERE c.procurement_id = ? AND c.organisation_id = ? ORDER BY g.id", [procurement_id, organisation_id])]


def insert_ground(db: sqlite_utils.Database, case_id: int, indicator: str, ground: str, legal_basis: str,
                  name: dict[str, str], detail: Any, facts_sha256: str) -> int:
    """Add a ground to a case."""
    cursor = db.execute(
        "INSERT INTO exclusion_grounds (case_id, indicator, ground, legal_basis, name, detail, facts_sha256, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [case_id, indicator, ground, legal_basis, json.dumps(name, ensure_ascii=False),
         json.dumps(detail, ensure_ascii=False, default=str), facts_sha256, utcnow()])
    return int(cursor.lastrowid)


def refresh_ground(db: sqlite_utils.Database, ground_id: int, detail: Any, facts_sha256: str) -> None:
    """An undecided case's ground fired again on other facts: keep the newest facts."""
    db.execute("UPDATE exclusion_grounds SET detail = ?, facts_sha256 = ? WHERE id = ?",
               [json.dumps(detail, ensure_ascii=False, default=str), facts_sha256, ground_id])


_GROUND_FACTS = ("established", "start_date", "remedy", "remedy_date", "remedy_evidence", "exception",
                 "exception_reason")


def set_ground_facts(db: sqlite_utils.Database, ground_id: int, user: str, **values: Any) -> None:
    """Record what the officer established about a ground (dates, how it was established, payment, exception)."""
    columns = [c for c in _GROUND_FACTS if c in values]
    db.execute(f"UPDATE exclusion_grounds SET {', '.join(f'{c} = ?' for c in columns)}, updated_by = ?, updated_at = ?"
               " WHERE id = ?", [values[c] for c in columns] + [user, utcnow(), ground_id])


def stated_grounds(db: sqlite_utils.Database, procurement_id: int) -> set[str]:
    """The optional grounds the procurement documents state."""
    return {r["ground"] for r in db.query("SELECT ground FROM procurement_stated_grounds WHERE procurement_id = ?",
                                          [procurement_id])}


def set_stated_grounds(db: sqlite_utils.Database, procurement_id: int, grounds: set[str], user: str) -> None:
    """Replace the procurement's stated optional grounds."""
    db.execute("DELETE FROM procurement_stated_grounds WHERE procurement_id = ?", [procurement_id])
    for ground in sorted(grounds):
        db.execute("INSERT INTO procurement_stated_grounds (procurement_id, ground, stated_by, stated_at)"
                   " VALUES (?, ?, ?, ?)", [procurement_id, ground, user, utcnow()])


def below_threshold(db: sqlite_utils.Database, procurement_id: int) -> bool:
    """Whether the procurement is below the threshold (LOU 19 kap.)."""
    row = db.execute("SELECT below_threshold FROM procurements WHERE id = ?", [procurement_id]).fetchone()
    return bool(row and row[0])


def set_below_threshold(db: sqlite_utils.Database, procurement_id: int, value: bool) -> None:
    """Mark the procurement as below or above the threshold."""
    db.execute("UPDATE procurements SET below_threshold = ? WHERE id = ?", [1 if value else 0, procurement_id])


def communications(db: sqlite_utils.Database, case_ids: list[int]) -> list[dict[str, Any]]:
    """The communications of these cases, oldest first."""
    return list(db.query("SELECT * FROM exclusion_communications WHERE case_id IN (SELECT value FROM json_each(?))"
                         " ORDER BY id", [json.dumps(case_ids)]))


def communication(db: sqlite_utils.Database, communication_id: int) -> dict[str, Any] | None:
    """One communication."""
    rows = list(db.query("SELECT * FROM exclusion_communications WHERE id = ?", [communication_id]))
    return rows[0] if rows else None


def insert_communication(db: sqlite_utils.Database, case_id: int, sent_on: str, means: str, content: str,
                         deadline: str, user: str) -> int:
    """Record that the supplier was given the chance to comment, by when."""
    cursor = db.execute("INSERT INTO exclusion_communications (case_id, sent_on, means, content, deadline, sent_by,"
                        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [case_id, sent_on, means, content, deadline, user, utcnow()])
    return int(cursor.lastrowid)


def record_reply(db: sqlite_utils.Database, communication_id: int, reply_on: str, text: str, documents: str,
                 user: str) -> bool:
    """Record the supplier's reply once; False if a reply is already recorded."""
    cursor = db.execute("UPDATE exclusion_communications SET reply_on = ?, reply_text = ?, reply_documents = ?,"
                        " reply_by = ?, reply_recorded_at = ? WHERE id = ? AND reply_on IS NULL",
                        [reply_on, text, documents, user, utcnow(), communication_id])
    return cursor.rowcount == 1


def self_cleanings(db: sqlite_utils.Database, case_ids: list[int]) -> list[dict[str, Any]]:
    """Every recorded self-cleaning assessment of these cases, oldest first (the newest per case counts)."""
    return list(db.query("SELECT * FROM exclusion_self_cleaning WHERE case_id IN (SELECT value FROM json_each(?))"
                         " ORDER BY id", [json.dumps(case_ids)]))


def insert_self_cleaning(db: sqlite_utils.Database, case_id: int, user: str, **values: Any) -> int:
    """Record a self-cleaning assessment (a later one supersedes it; the earlier stays)."""
    values = {**values, "case_id": case_id, "recorded_by": user, "recorded_at": utcnow()}
    cursor = db.execute(f"INSERT INTO exclusion_self_cleaning ({', '.join(values)})"
                        f" VALUES ({', '.join('?' for _ in values)})", list(values.values()))
    return int(cursor.lastrowid)


def _decision(row: dict[str, Any]) -> dict[str, Any]:
    row["grounds"] = json.loads(row["grounds"] or "[]")
    return row


def decisions(db: sqlite_utils.Database, case_ids: list[int]) -> list[dict[str, Any]]:
    """Every decision of these cases, oldest first."""
    return [_decision(r) for r in db.query(
        "SELECT * FROM exclusion_decisions WHERE case_id IN (SELECT value FROM json_each(?)) ORDER BY id",
        [json.dumps(case_ids)])]


def party_decisions(db: sqlite_utils.Database, procurement_id: int,
                    organisation_id: int | None = None) -> list[dict[str, Any]]:
    """Every decision on the cases of a procurement (or of one party), with the party, oldest first."""
    where, params = "c.procurement_id = ?", [procurement_id]
    if organisation_id is not None:
        where += " AND c.organisation_id = ?"
        params.append(organisation_id)
    return [_decision(r) for r in db.query(
        "SELECT d.*, c.organisation_id, c.procurement_id FROM exclusion_decisions d"
        f" JOIN exclusion_cases c ON c.id = d.case_id WHERE {where} ORDER BY d.id", params)]


def insert_decision(db: sqlite_utils.Database, **values: Any) -> int:
    """Store a decision (never updated afterwards)."""
    values = {**values, "grounds": json.dumps(values.get("grounds") or [], ensure_ascii=False, default=str),
              "decided_at": utcnow()}
    cursor = db.execute(f"INSERT INTO exclusion_decisions ({', '.join(values)})"
                        f" VALUES ({', '.join('?' for _ in values)})", list(values.values()))
    return int(cursor.lastrowid)


def undecided_cases(db: sqlite_utils.Database, procurement_id: int) -> list[dict[str, Any]]:
    """Cases of a procurement without any decision."""
    return list(db.query(
        "SELECT id, procurement_id, organisation_id FROM exclusion_cases c WHERE procurement_id = ?"
        " AND NOT EXISTS (SELECT 1 FROM exclusion_decisions d WHERE d.case_id = c.id) ORDER BY id", [procurement_id]))
