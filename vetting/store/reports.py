"""Read-only queries for reports and exports: many subjects at once, and the audit entries behind them."""
from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from .merges import PENDING_IDENTIFIER, PENDING_IDENTIFIER_TYPE


def _ids(values: list[int] | list[str]) -> str:
    """A list of ids as one JSON parameter (read with ``json_each``: no limit on the number of ids)."""
    return json.dumps([str(v) for v in values])


def evidence_of(db: sqlite_utils.Database, outcome_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Evidence rows (without bodies) of many outcomes, by outcome id, in their order."""
    out: dict[int, list[dict[str, Any]]] = {}
    for row in db.query(
            "SELECT id, outcome_id, position, source, url, list_version, fetched_at, http_status, media_type, sha256"
            " FROM evidence WHERE outcome_id IN (SELECT CAST(value AS INTEGER) FROM json_each(?))"
            " ORDER BY outcome_id, position", [_ids(outcome_ids)]):
        out.setdefault(row["outcome_id"], []).append(row)
    return out


def match_decisions(db: sqlite_utils.Database, outcome_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Officers' decisions on the matches of many outcomes, by outcome id, oldest first."""
    out: dict[int, list[dict[str, Any]]] = {}
    for row in db.query("SELECT * FROM match_reviews WHERE outcome_id IN (SELECT CAST(value AS INTEGER) FROM"
                        " json_each(?)) ORDER BY id", [_ids(outcome_ids)]):
        out.setdefault(row["outcome_id"], []).append(row)
    return out


def overrides(db: sqlite_utils.Database, outcome_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Accepted errors among many outcomes, by outcome id."""
    return {r["outcome_id"]: r for r in db.query(
        "SELECT * FROM outcome_overrides WHERE outcome_id IN (SELECT CAST(value AS INTEGER) FROM json_each(?))",
        [_ids(outcome_ids)])}


def key_persons(db: sqlite_utils.Database, organisation_ids: list[int]) -> list[dict[str, Any]]:
    """Key roles of many organisations with the person and the organisation, by organisation name then person.

    The full personnummer is in the rows: callers mask it before it leaves the domain.
    """
    return list(db.query(
        "SELECT k.id AS key_role_id, k.role, k.source, k.created_at AS role_since, k.organisation_id,"
        " o.name AS organisation_name,"
        f" coalesce(o.identifier_type, {PENDING_IDENTIFIER_TYPE.format(o='o')}) AS organisation_identifier_type,"
        f" coalesce(o.identifier, {PENDING_IDENTIFIER.format(o='o')}) AS organisation_identifier, p.id AS person_id, p.name, p.personnummer, p.birth_date,"
        " p.nationality FROM key_roles k JOIN persons p ON p.id = k.person_id"
        " JOIN organisations o ON o.id = k.organisation_id"
        " WHERE k.organisation_id IN (SELECT CAST(value AS INTEGER) FROM json_each(?))"
        " ORDER BY o.name COLLATE NOCASE, o.id, k.role, p.name", [_ids(organisation_ids)]))


def check_run_entries(db: sqlite_utils.Database, subject_kind: str, subject_ids: list[int]) -> dict[int, int]:
    """The ``check.run`` audit entry of each outcome of these subjects: outcome id -> audit entry id."""
    return {int(r["outcome_id"]): r["id"] for r in db.query(
        "SELECT id, json_extract(after_json, '$.outcome_id') AS outcome_id FROM audit_log"
        " WHERE record_type = ? AND record_id IN (SELECT value FROM json_each(?)) AND action = 'check.run'"
        " AND json_extract(after_json, '$.outcome_id') IS NOT NULL", [subject_kind, _ids(subject_ids)])}


def entries_about(db: sqlite_utils.Database, record_type: str, record_ids: list[int],
                  skip_prefixes: tuple[str, ...] = ()) -> dict[int, list[int]]:
    """Ids of the audit entries about these records, by record id, oldest first.

    :param skip_prefixes: leave out actions starting with these (e.g. ``person.view``, ``report.``).
    """
    where, params = "", [record_type, _ids(record_ids)]
    for prefix in skip_prefixes:
        where += " AND substr(action, 1, ?) != ?"
        params += [len(prefix), prefix]
    out: dict[int, list[int]] = {}
    for entry_id, record_id in db.execute(
            "SELECT id, record_id FROM audit_log WHERE record_type = ? AND record_id IN (SELECT value FROM json_each(?))"
            f"{where} ORDER BY id", params):
        out.setdefault(int(record_id), []).append(entry_id)
    return out
