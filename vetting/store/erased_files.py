"""Stored files (blobs) as one list for an erasure: find them, replace a body by a tombstone, read tombstones.

Files live in four tables; each query below returns the same columns for every kind (``kind, id, body,
media_type, sha256, filename, uploaded_by, uploaded_at, signed_by, operator_name, operator_identifiers``)
so the domain treats them alike. Evidence has no uploader: the user who ran the check and the time the
answer was fetched stand in.
"""
from __future__ import annotations

import json
from typing import Any

import sqlite_utils

KINDS = ("evidence", "checkpoint_document", "espd_response", "truth_declaration")

_EVIDENCE = ("SELECT 'evidence' AS kind, e.id, e.body, e.media_type, e.sha256, NULL AS filename,"
             " o.run_by AS uploaded_by, e.fetched_at AS uploaded_at, NULL AS signed_by, NULL AS operator_name,"
             " NULL AS operator_identifiers FROM evidence e JOIN outcomes o ON o.id = e.outcome_id")
_CHECKPOINT = ("SELECT 'checkpoint_document' AS kind, d.id, d.body, d.media_type, d.sha256, d.filename, d.uploaded_by,"
               " d.uploaded_at, NULL AS signed_by, NULL AS operator_name, NULL AS operator_identifiers"
               " FROM checkpoint_documents d")
_ESPD = ("SELECT 'espd_response' AS kind, r.id, r.body, r.media_type, r.sha256, r.filename, r.uploaded_by,"
         " r.uploaded_at, NULL AS signed_by, r.operator_name, r.operator_identifiers FROM espd_responses r")
_TRUTH = ("SELECT 'truth_declaration' AS kind, t.id, t.body, t.media_type, t.sha256, t.filename,"
          " t.recorded_by AS uploaded_by, t.recorded_at AS uploaded_at, t.signed_by, NULL AS operator_name,"
          " NULL AS operator_identifiers FROM truth_declarations t")
_SELECT = {"evidence": _EVIDENCE, "checkpoint_document": _CHECKPOINT, "espd_response": _ESPD, "truth_declaration": _TRUTH}
_TABLE = {"evidence": "evidence", "checkpoint_document": "checkpoint_documents", "espd_response": "espd_responses",
          "truth_declaration": "truth_declarations"}
_ALIAS = {"evidence": "e", "checkpoint_document": "d", "espd_response": "r", "truth_declaration": "t"}
# The descriptive columns an erasure may redact, per kind (the migrations' triggers allow them while it is open).
_TEXT_COLUMNS = {"evidence": (), "checkpoint_document": ("filename",), "espd_response": ("filename", "operator_name",
                 "operator_identifiers"), "truth_declaration": ("filename", "signed_by")}


def _not_erased(kind: str) -> str:
    return f" {_ALIAS[kind]}.id NOT IN (SELECT file_id FROM erased_files WHERE kind = '{kind}')"


def person_files(db: sqlite_utils.Database, person_id: int) -> list[dict[str, Any]]:
    """Evidence of the person's own outcomes not yet erased, with bodies."""
    return list(db.query(_EVIDENCE + " WHERE o.subject_kind = 'person' AND o.subject_id = ? AND"
                         + _not_erased("evidence") + " ORDER BY e.id", [person_id]))


def organisation_files(db: sqlite_utils.Database, organisation_ids: list[int]) -> list[dict[str, Any]]:
    """Files about these organisations not yet erased: register answers and uploaded documents (evidence of their
    outcomes, ESPD files, truth declarations), with bodies."""
    ids = json.dumps(sorted(set(organisation_ids)))
    inside = " IN (SELECT value FROM json_each(?))"
    return (list(db.query(_EVIDENCE + " WHERE o.subject_kind = 'organisation' AND o.subject_id" + inside + " AND"
                          + _not_erased("evidence") + " ORDER BY e.id", [ids]))
            + list(db.query(_ESPD + " WHERE r.organisation_id" + inside + " AND" + _not_erased("espd_response")
                            + " ORDER BY r.id", [ids]))
            + list(db.query(_TRUTH + " WHERE t.organisation_id" + inside + " AND" + _not_erased("truth_declaration")
                            + " ORDER BY t.id", [ids])))


def checkpoint_files(db: sqlite_utils.Database, organisation_ids: list[int]) -> list[dict[str, Any]]:
    """Documents attached to checkpoints of procurements these organisations take part in, not yet erased."""
    return list(db.query(
        _CHECKPOINT + " JOIN checkpoints c ON c.id = d.checkpoint_id WHERE c.procurement_id IN"
        " (SELECT procurement_id FROM participants WHERE organisation_id IN (SELECT value FROM json_each(?))) AND"
        + _not_erased("checkpoint_document") + " ORDER BY d.id", [json.dumps(sorted(set(organisation_ids)))]))


def files_containing(db: sqlite_utils.Database, needles: list[bytes], person_id: int) -> list[dict[str, Any]]:
    """Files anywhere whose raw bytes hold one of ``needles`` (SQLite's ``instr`` on the blob), not yet erased.

    Evidence about another person is left out: it is rewritten only by that person's own erasure (trigger).
    """
    if not needles:
        return []
    out: list[dict[str, Any]] = []
    for kind in KINDS:
        alias = _ALIAS[kind]
        found = " OR ".join(f"instr({alias}.body, ?) > 0" for _ in needles)
        where = f" WHERE ({found}) AND" + _not_erased(kind)
        params: list[Any] = list(needles)
        if kind == "evidence":
            where += " AND (o.subject_kind != 'person' OR o.subject_id = ?)"
            params.append(person_id)
        out += db.query(_SELECT[kind] + where + f" ORDER BY {alias}.id", params)
    return out


def tombstone(db: sqlite_utils.Database, file: dict[str, Any], *, erasure_id: int, body: bytes, why: str,
              erased_on: str) -> None:
    """Replace a file's body by ``body`` (plain text) and register what it was (only while the erasure is open)."""
    db.execute(f"UPDATE {_TABLE[file['kind']]} SET body = ?, media_type = 'text/plain; charset=utf-8' WHERE id = ?",
               [body, file["id"]])
    db.execute("INSERT INTO erased_files (erasure_id, kind, file_id, sha256, size, media_type, uploaded_by, uploaded_at,"
               " why, erased_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               [erasure_id, file["kind"], file["id"], file["sha256"], len(file["body"] or b""), file["media_type"],
                file["uploaded_by"], file["uploaded_at"], why, erased_on])


def set_texts(db: sqlite_utils.Database, kind: str, file_id: int, values: dict[str, Any]) -> None:
    """Replace descriptive columns of a file (its name, a signer, an operator) with their redacted forms."""
    columns = [c for c in _TEXT_COLUMNS[kind] if c in values]
    if columns:
        db.execute(f"UPDATE {_TABLE[kind]} SET {', '.join(f'{c} = ?' for c in columns)} WHERE id = ?",
                   [values[c] for c in columns] + [file_id])


def erased(db: sqlite_utils.Database, kind: str, file_id: int) -> dict[str, Any] | None:
    """The tombstone of one file, or None when the file is as it was received."""
    rows = list(db.query("SELECT * FROM erased_files WHERE kind = ? AND file_id = ?", [kind, file_id]))
    return rows[0] if rows else None


def erased_ids(db: sqlite_utils.Database, kind: str, file_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Tombstones of these files by file id (for lists of documents)."""
    return {r["file_id"]: r for r in db.query(
        "SELECT * FROM erased_files WHERE kind = ? AND file_id IN (SELECT value FROM json_each(?))",
        [kind, json.dumps(file_ids)])}


def espd_answer_details(db: sqlite_utils.Database, espd_ids: list[int]) -> list[dict[str, Any]]:
    """The supplier's own words in the answers of these ESPDs (JSON text per answer)."""
    return list(db.query("SELECT id, espd_id, details FROM espd_answers"
                         " WHERE espd_id IN (SELECT value FROM json_each(?)) ORDER BY id", [json.dumps(espd_ids)]))


def set_espd_answer_details(db: sqlite_utils.Database, answer_id: int, details: str) -> None:
    """Replace an ESPD answer's details with their redacted form (the answer itself stays)."""
    db.execute("UPDATE espd_answers SET details = ? WHERE id = ?", [details, answer_id])
