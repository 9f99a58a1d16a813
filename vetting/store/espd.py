"""Imported ESPD responses with their answers, and recorded truth declarations (sanningsförsäkran)."""
from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from . import utcnow

_META = ("id, procurement_id, organisation_id, version, profile, document_id, contract_folder_id, issued,"
         " operator_name, operator_identifiers, operator_country, identifier_compared, filename, media_type, sha256,"
         " length(body) AS size, uploaded_by, uploaded_at,"
         " (SELECT f.erased_on FROM erased_files f WHERE f.kind = 'espd_response' AND f.file_id = espd_responses.id)"
         " AS erased_on")


def insert_response(db: sqlite_utils.Database, *, procurement_id: int, organisation_id: int, version: str,
                    profile: str | None, document_id: str | None, contract_folder_id: str | None, issued: str | None,
                    operator_name: str, operator_identifiers: list[str], operator_country: str | None,
                    identifier_compared: bool, filename: str, sha256: str, body: bytes, uploaded_by: str) -> int:
    """Store one ESPD file with what it says of itself; return its id."""
    cursor = db.execute(
        "INSERT INTO espd_responses (procurement_id, organisation_id, version, profile, document_id,"
        " contract_folder_id, issued, operator_name, operator_identifiers, operator_country, identifier_compared,"
        " filename, media_type, sha256, body, uploaded_by, uploaded_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'application/xml', ?, ?, ?, ?)",
        [procurement_id, organisation_id, version, profile, document_id, contract_folder_id, issued, operator_name,
         json.dumps(operator_identifiers), operator_country, int(identifier_compared), filename, sha256, body,
         uploaded_by, utcnow()])
    return int(cursor.lastrowid)


def insert_answer(db: sqlite_utils.Database, espd_id: int, position: int, *, uuid: str, code: str, name: str,
                  ground: str, indicator: str | None, declared: bool | None, details: list[dict[str, Any]]) -> None:
    """Store the answer to one exclusion criterion."""
    db.execute("INSERT INTO espd_answers (espd_id, position, criterion_uuid, criterion_code, name, ground, indicator,"
               " declared, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
               [espd_id, position, uuid, code, name, ground, indicator, None if declared is None else int(declared),
                json.dumps(details, ensure_ascii=False)])


def _response(row: dict[str, Any]) -> dict[str, Any]:
    row["operator_identifiers"] = json.loads(row["operator_identifiers"])
    row["identifier_compared"] = bool(row["identifier_compared"])
    return row


def latest_response(db: sqlite_utils.Database, procurement_id: int, organisation_id: int) -> dict[str, Any] | None:
    """The newest ESPD of an organisation in a procurement (without the file), or None."""
    rows = list(db.query(f"SELECT {_META} FROM espd_responses WHERE procurement_id = ? AND organisation_id = ?"
                         " ORDER BY id DESC LIMIT 1", [procurement_id, organisation_id]))
    return _response(rows[0]) if rows else None


def responses_of_organisation(db: sqlite_utils.Database, organisation_id: int) -> list[dict[str, Any]]:
    """Every ESPD of an organisation, newest first, with the procurement's reference (without the files)."""
    return [_response(r) for r in db.query(
        "SELECT e.id, e.procurement_id, e.organisation_id, e.version, e.profile, e.document_id, e.contract_folder_id,"
        " e.issued, e.operator_name, e.operator_identifiers, e.operator_country, e.identifier_compared, e.filename,"
        " e.media_type, e.sha256, length(e.body) AS size, e.uploaded_by, e.uploaded_at,"
        " (SELECT f.erased_on FROM erased_files f WHERE f.kind = 'espd_response' AND f.file_id = e.id) AS erased_on,"
        " p.reference AS procurement_reference, p.title AS procurement_title"
        " FROM espd_responses e JOIN procurements p ON p.id = e.procurement_id"
        " WHERE e.organisation_id = ? ORDER BY e.id DESC", [organisation_id])]


def response_file(db: sqlite_utils.Database, espd_id: int) -> dict[str, Any] | None:
    """One ESPD with its file."""
    rows = list(db.query("SELECT * FROM espd_responses WHERE id = ?", [espd_id]))
    return rows[0] if rows else None


def answers(db: sqlite_utils.Database, espd_id: int) -> list[dict[str, Any]]:
    """The answers of one ESPD in the order of the file."""
    out = []
    for row in db.query("SELECT * FROM espd_answers WHERE espd_id = ? ORDER BY position", [espd_id]):
        row["details"] = json.loads(row["details"])
        row["declared"] = None if row["declared"] is None else bool(row["declared"])
        out.append(row)
    return out


def insert_truth_declaration(db: sqlite_utils.Database, *, procurement_id: int, organisation_id: int,
                             signed_by: str, signed_on: str, filename: str, media_type: str, sha256: str,
                             body: bytes, recorded_by: str) -> int:
    """Store a signed truth declaration with its document; return its id."""
    cursor = db.execute(
        "INSERT INTO truth_declarations (procurement_id, organisation_id, signed_by, signed_on, filename, media_type,"
        " sha256, body, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [procurement_id, organisation_id, signed_by, signed_on, filename, media_type, sha256, body, recorded_by,
         utcnow()])
    return int(cursor.lastrowid)


def latest_truth_declaration(db: sqlite_utils.Database, procurement_id: int,
                             organisation_id: int) -> dict[str, Any] | None:
    """The newest truth declaration of an organisation in a procurement (without the document), or None."""
    rows = list(db.query(
        "SELECT id, procurement_id, organisation_id, signed_by, signed_on, filename, media_type, sha256,"
        " length(body) AS size, recorded_by, recorded_at, (SELECT f.erased_on FROM erased_files f"
        " WHERE f.kind = 'truth_declaration' AND f.file_id = truth_declarations.id) AS erased_on FROM truth_declarations"
        " WHERE procurement_id = ? AND organisation_id = ? ORDER BY id DESC LIMIT 1", [procurement_id, organisation_id]))
    return rows[0] if rows else None


def truth_declaration_file(db: sqlite_utils.Database, declaration_id: int) -> dict[str, Any] | None:
    """One truth declaration with its document."""
    rows = list(db.query("SELECT * FROM truth_declarations WHERE id = ?", [declaration_id]))
    return rows[0] if rows else None
