"""Personal-data lifecycle: retention dates, the erasure register and its rewrites, access log, extracts."""
from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from . import utcnow

# Audit actions that show or hand out a person's data (views, reveals, extracts, exports, reports).
_ACCESS_CONDITION = ("(action IN ('person.view', 'person.reveal_personnummer', 'person.extract', 'person.access_log',"
                     " 'person.evidence_download')"
                     " OR action LIKE '%export%' OR action LIKE '%report%')")
# Entries about a person: those filed under the person, and key-role changes naming them.
_ABOUT_PERSON = ("((record_type = 'person' AND record_id = ?) OR (action IN ('key_person.add', 'key_person.remove')"
                 " AND coalesce(json_extract(after_json, '$.person_id'),"
                 " json_extract(before_json, '$.person_id')) = ?))")


def retention_dates(db: sqlite_utils.Database, person_id: int | None = None) -> list[dict[str, Any]]:
    """Every person not yet erased (or the one given) with the dates retention can run from.

    ``running`` counts linked procurements not yet ended; ``procurement_closed_at`` is the latest
    time a linked procurement was put in phase ``ended`` (its last update if the log has none);
    ``role_ended_at`` is the latest removal of one of the person's roles.
    """
    return list(db.query(
        "WITH links AS (SELECT DISTINCT k.person_id, pr.id AS procurement_id, pr.phase, pr.updated_at"
        "  FROM key_roles k JOIN participants pa ON pa.organisation_id = k.organisation_id"
        "  JOIN procurements pr ON pr.id = pa.procurement_id"
        # The sole trader whose number is the person's personnummer is the person too.
        "  UNION SELECT s.id, pr.id, pr.phase, pr.updated_at FROM persons s JOIN organisations o"
        "  ON ((o.identifier_type = 'se_orgnr' AND o.identifier = substr(s.personnummer, 3))"
        "  OR (o.identifier_type = 'vat' AND o.identifier = 'SE' || substr(s.personnummer, 3) || '01'))"
        "  JOIN participants pa ON pa.organisation_id = o.id JOIN procurements pr ON pr.id = pa.procurement_id"
        "  WHERE length(s.personnummer) = 12),"
        " closed AS (SELECT record_id, max(at) AS at FROM audit_log WHERE record_type = 'procurement'"
        "  AND json_extract(after_json, '$.phase') = 'ended' GROUP BY record_id),"
        " removed AS (SELECT json_extract(before_json, '$.person_id') AS person_id, max(at) AS at FROM audit_log"
        "  WHERE action = 'key_person.remove' GROUP BY 1)"
        " SELECT p.id, p.name, p.created_at,"
        " (SELECT count(*) FROM links l WHERE l.person_id = p.id AND l.phase != 'ended') AS running,"
        " (SELECT max(coalesce(c.at, l.updated_at)) FROM links l LEFT JOIN closed c"
        "   ON c.record_id = CAST(l.procurement_id AS TEXT) WHERE l.person_id = p.id) AS procurement_closed_at,"
        " (SELECT max(k.created_at) FROM key_roles k WHERE k.person_id = p.id) AS role_created_at,"
        " (SELECT r.at FROM removed r WHERE r.person_id = p.id) AS role_ended_at"
        " FROM persons p WHERE p.erased_at IS NULL AND (? IS NULL OR p.id = ?) ORDER BY p.id", [person_id, person_id]))


def pending_imports_before(db: sqlite_utils.Database, before: str) -> list[dict[str, Any]]:
    """Unconfirmed import previews created before ``before`` (without their rows)."""
    return list(db.query("SELECT id, kind, filename, user_id, created_at FROM pending_imports WHERE created_at < ?"
                         " ORDER BY id", [before]))


def delete_pending_import(db: sqlite_utils.Database, import_id: int) -> None:
    """Forget one import preview."""
    db.execute("DELETE FROM pending_imports WHERE id = ?", [import_id])


def open_erasure(db: sqlite_utils.Database, person_id: int | None, *, rule: str, basis: str, reference_date: str,
                 erased_by: str, organisation_id: int | None = None) -> int:
    """Register an erasure and open it: while open, the person's (or the sole trader's) outcomes and evidence
    may be rewritten."""
    cursor = db.execute("INSERT INTO erasures (person_id, organisation_id, rule, basis, reference_date, erased_at,"
                        " erased_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [person_id, organisation_id, rule, basis, reference_date, utcnow(), erased_by])
    return int(cursor.lastrowid)


def close_erasure(db: sqlite_utils.Database, erasure_id: int, counts: dict[str, int]) -> None:
    """Close an erasure for good, noting how many records it rewrote."""
    db.execute("UPDATE erasures SET open = 0, counts = ? WHERE id = ?",
               [json.dumps(counts, sort_keys=True), erasure_id])


def open_erasures(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Erasures left open (there should never be any outside an erasure's own transaction)."""
    return list(db.query("SELECT * FROM erasures WHERE open = 1 ORDER BY id"))


def erasures(db: sqlite_utils.Database, person_id: int | None = None, limit: int = 50) -> list[dict[str, Any]]:
    """Erasures, newest first, of one person or of everyone."""
    where, params = ("WHERE person_id = ?", [person_id]) if person_id is not None else ("", [])
    return list(db.query(f"SELECT * FROM erasures {where} ORDER BY id DESC LIMIT ?", [*params, limit]))


def anonymise_person(db: sqlite_utils.Database, person_id: int, name: str) -> None:
    """Replace the name, clear the identifying fields and mark the person erased."""
    now = utcnow()
    db.execute("UPDATE persons SET name = ?, personnummer = NULL, birth_date = NULL, nationality = NULL,"
               " erased_at = ?, updated_at = ? WHERE id = ?", [name, now, now, person_id])


def person_outcomes(db: sqlite_utils.Database, person_id: int) -> list[dict[str, Any]]:
    """The person's outcomes with findings and explanation as stored (JSON text)."""
    return list(db.query("SELECT * FROM outcomes WHERE subject_kind = 'person' AND subject_id = ? ORDER BY id",
                         [person_id]))


def rewrite_outcome(db: sqlite_utils.Database, outcome_id: int, findings: str, explanation: str) -> None:
    """Replace an outcome's findings and explanation (only allowed while an erasure is open)."""
    db.execute("UPDATE outcomes SET findings = ?, explanation = ? WHERE id = ?", [findings, explanation, outcome_id])


def person_evidence(db: sqlite_utils.Database, person_id: int) -> list[dict[str, Any]]:
    """Evidence metadata of the person's outcomes (no bodies), oldest first."""
    return list(db.query(
        "SELECT e.id, e.outcome_id, e.position, e.source, e.url, e.list_version, e.fetched_at, e.http_status,"
        " e.media_type, e.sha256, length(e.body) AS size FROM evidence e JOIN outcomes o ON o.id = e.outcome_id"
        " WHERE o.subject_kind = 'person' AND o.subject_id = ? ORDER BY e.id", [person_id]))


def replace_evidence_body(db: sqlite_utils.Database, evidence_id: int, body: bytes, media_type: str) -> None:
    """Replace an evidence body (only allowed while an erasure of its subject is open)."""
    db.execute("UPDATE evidence SET body = ?, media_type = ? WHERE id = ?", [body, media_type, evidence_id])


def set_match_review_reason(db: sqlite_utils.Database, review_id: int, reason: str) -> None:
    """Replace the reason of a match decision (redacted, the decision itself stays)."""
    db.execute("UPDATE match_reviews SET reason = ? WHERE id = ?", [reason, review_id])


def organisations_of_person(db: sqlite_utils.Database, person_id: int) -> list[int]:
    """Organisations in which the person holds or has held a role (the latter from the audit log)."""
    return [r[0] for r in db.execute(
        "SELECT organisation_id FROM key_roles WHERE person_id = ? UNION SELECT CAST(record_id AS INTEGER)"
        " FROM audit_log WHERE action IN ('key_person.add', 'key_person.remove') AND record_type = 'organisation'"
        " AND coalesce(json_extract(after_json, '$.person_id'), json_extract(before_json, '$.person_id')) = ?",
        [person_id, person_id])]


def checkpoint_texts(db: sqlite_utils.Database, organisation_ids: list[int]) -> list[dict[str, Any]]:
    """Checkpoints (answers, event detail) of procurements these organisations take part in, with their decisions."""
    ids = json.dumps(organisation_ids)
    rows = list(db.query(
        "SELECT c.id, c.answers, c.event_detail FROM checkpoints c WHERE c.procurement_id IN"
        " (SELECT procurement_id FROM participants WHERE organisation_id IN (SELECT value FROM json_each(?)))"
        " ORDER BY c.id", [ids]))
    for row in rows:
        row["decisions"] = list(db.query("SELECT id, reason, conditions, snapshot FROM checkpoint_decisions"
                                         " WHERE checkpoint_id = ? ORDER BY id", [row["id"]]))
    return rows


def set_checkpoint_texts(db: sqlite_utils.Database, checkpoint_id: int, answers: str, event_detail: str | None) -> None:
    """Replace a checkpoint's answers and event detail (JSON text)."""
    db.execute("UPDATE checkpoints SET answers = ?, event_detail = ? WHERE id = ?",
               [answers, event_detail, checkpoint_id])


def set_decision_texts(db: sqlite_utils.Database, decision_id: int, reason: str, conditions: str | None,
                       snapshot: str) -> None:
    """Replace a decision's reason, conditions and snapshot (only allowed while an erasure is open)."""
    db.execute("UPDATE checkpoint_decisions SET reason = ?, conditions = ?, snapshot = ? WHERE id = ?",
               [reason, conditions, snapshot, decision_id])


def person_alerts(db: sqlite_utils.Database, person_id: int) -> list[dict[str, Any]]:
    """Follow-up alerts about the person."""
    return list(db.query("SELECT * FROM alerts WHERE subject_kind = 'person' AND subject_id = ? ORDER BY id",
                         [person_id]))


def set_alert_texts(db: sqlite_utils.Database, alert_id: int, detail: str, handling_note: str | None) -> None:
    """Replace an alert's detail and handling note."""
    db.execute("UPDATE alerts SET detail = ?, handling_note = ? WHERE id = ?", [detail, handling_note, alert_id])


def access_entries(db: sqlite_utils.Database, person_id: int, limit: int = 500) -> list[dict[str, Any]]:
    """Audit entries in which someone saw, revealed, exported or extracted the person's data, newest first."""
    return list(db.query(
        f"SELECT id, at, actor_id, actor, action, reason, after_json FROM audit_log WHERE {_ABOUT_PERSON}"
        f" AND {_ACCESS_CONDITION} ORDER BY id DESC LIMIT ?", [str(person_id), person_id, limit]))


def indirect_access_entries(db: sqlite_utils.Database, organisation_ids: list[int],
                            limit: int = 500) -> list[dict[str, Any]]:
    """Report downloads about these organisations or their procurements, and exports of datasets that
    list key persons: each may have included the person (they are not filed under the person).
    """
    orgs = json.dumps([str(i) for i in organisation_ids])
    return list(db.query(
        "SELECT id, at, actor_id, actor, action, reason, after_json FROM audit_log WHERE"
        " (action LIKE 'report.%' AND ((record_type = 'organisation' AND record_id IN (SELECT value FROM json_each(?)))"
        "  OR (record_type = 'procurement' AND record_id IN (SELECT CAST(procurement_id AS TEXT) FROM participants"
        "   WHERE CAST(organisation_id AS TEXT) IN (SELECT value FROM json_each(?))))))"
        " OR (action = 'evidence.download' AND record_type = 'organisation' AND record_id IN (SELECT value FROM json_each(?)))"
        " OR (action = 'checkpoint.document_download' AND record_type = 'procurement' AND record_id IN"
        "  (SELECT CAST(procurement_id AS TEXT) FROM participants WHERE CAST(organisation_id AS TEXT) IN"
        "   (SELECT value FROM json_each(?))))"
        " OR (action LIKE 'export.%' AND json_extract(after_json, '$.dataset') IN ('key_persons', 'outcomes'))"
        " ORDER BY id DESC LIMIT ?", [orgs, orgs, orgs, orgs, limit]))


def audit_about(db: sqlite_utils.Database, person_id: int) -> list[dict[str, Any]]:
    """Every audit entry about the person, oldest first."""
    return list(db.query(f"SELECT * FROM audit_log WHERE {_ABOUT_PERSON} ORDER BY id", [str(person_id), person_id]))


def outcome_overrides(db: sqlite_utils.Database, person_id: int) -> list[dict[str, Any]]:
    """Accepted errors on the person's outcomes."""
    return list(db.query(
        "SELECT v.* FROM outcome_overrides v JOIN outcomes o ON o.id = v.outcome_id"
        " WHERE o.subject_kind = 'person' AND o.subject_id = ? ORDER BY v.id", [person_id]))


def risk_texts(db: sqlite_utils.Database, organisation_ids: list[int]) -> list[dict[str, Any]]:
    """Risk assessments, exclusion cases and questionnaire answers of these organisations, with their texts."""
    ids = json.dumps(organisation_ids)
    where = " WHERE organisation_id IN (SELECT value FROM json_each(?)) ORDER BY id"
    return [{"table": "risk_assessments", **row} for row in db.query(
                "SELECT id, results, reasons, facts FROM risk_assessments" + where, [ids])] + \
           [{"table": "exclusion_cases", **row} for row in db.query(
                "SELECT id, grounds, hearing, self_cleaning, reason FROM exclusion_cases" + where, [ids])] + \
           [{"table": "risk_answers", **row} for row in db.query("SELECT id, note FROM risk_answers" + where, [ids])] + \
           [{"table": table, **row} for table, columns in _EXCLUSION_COLUMNS.items() for row in db.query(
                f"SELECT id, {', '.join(columns)} FROM {table} WHERE case_id IN (SELECT id FROM exclusion_cases"
                " WHERE organisation_id IN (SELECT value FROM json_each(?))) ORDER BY id", [ids])]


# The texts of an exclusion case under LOU ch. 13 (migration 0019) that may name a person.
_EXCLUSION_COLUMNS = {"exclusion_grounds": ("detail", "remedy_evidence", "exception_reason"),
                      "exclusion_communications": ("content", "reply_text", "reply_documents"),
                      "exclusion_self_cleaning": ("compensation_evidence", "cooperation_evidence", "measures_evidence",
                                                  "conclusion_reason", "legacy_text"),
                      "exclusion_decisions": ("reasons", "evidence")}


_RISK_COLUMNS = {"risk_assessments": ("results", "reasons", "facts"),
                 "exclusion_cases": ("grounds", "hearing", "self_cleaning", "reason"), "risk_answers": ("note",),
                 **_EXCLUSION_COLUMNS}


def set_risk_texts(db: sqlite_utils.Database, table: str, row_id: int, values: dict[str, Any]) -> None:
    """Replace the texts of one risk record (assessments only while an erasure is open)."""
    columns = [c for c in _RISK_COLUMNS[table] if c in values]
    db.execute(f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in columns)} WHERE id = ?",
               [values[c] for c in columns] + [row_id])


# What a sole trader's number is stored as: the organisation number, and the VAT number built from it.
_FIRM_NUMBERS = ("((identifier_type = 'se_orgnr' AND identifier = :number)"
                 " OR (identifier_type = 'vat' AND identifier = 'SE' || :number || '01'))")


def sole_traders_of(db: sqlite_utils.Database, personnummer: str | None) -> list[dict[str, Any]]:
    """Organisations whose Swedish organisation number (or VAT number) is this personnummer (a sole trader,
    enskild firma), stored or typed and waiting in the merge queue (``organisation_merges``), and those merged
    into one of them (their names were typed for the same firm)."""
    if not personnummer or len(personnummer) != 12:
        return []
    return list(db.query(
        f"WITH firm AS (SELECT id FROM organisations WHERE {_FIRM_NUMBERS} UNION SELECT organisation_id"
        f" FROM organisation_merges WHERE {_FIRM_NUMBERS})"
        " SELECT id, name, identifier FROM organisations WHERE id IN (SELECT id FROM firm)"
        " OR merged_into IN (SELECT id FROM firm) ORDER BY id", {"number": personnummer[2:]}))


def anonymise_organisation(db: sqlite_utils.Database, organisation_id: int, name: str) -> None:
    """A sole trader erased with its owner: the name (which by law holds the owner's surname), the number and
    the owner's contact details (a sole trader's address, telephone, e-mail and bank account are the owner's) go;
    country, industry and the firm's places in procurements stay."""
    db.execute("UPDATE organisations SET name = ?, identifier = NULL, address = '', phone = NULL, email = NULL,"
               " bank_account = NULL, updated_at = ? WHERE id = ?", [name, utcnow(), organisation_id])


def firm_retention_dates(db: sqlite_utils.Database, organisation_id: int | None = None) -> list[dict[str, Any]]:
    """Organisations (not merged away) with a Swedish organisation or VAT number, stored or queued, with the
    dates retention can run from: ``running`` procurements, ``procurement_closed_at`` (as for persons) and
    registration. Which of them are sole traders, and whose owner is a stored person, the caller decides."""
    return list(db.query(
        "WITH firms AS (SELECT o.id, o.name, o.created_at, o.identifier_type, o.identifier FROM organisations o"
        "  WHERE o.merged_into IS NULL AND o.identifier IS NOT NULL AND o.identifier_type IN ('se_orgnr', 'vat')"
        "  UNION SELECT o.id, o.name, o.created_at, m.identifier_type, m.identifier FROM organisation_merges m"
        "  JOIN organisations o ON o.id = m.organisation_id WHERE o.merged_into IS NULL"
        "  AND m.identifier IS NOT NULL AND m.identifier_type IN ('se_orgnr', 'vat')),"
        " links AS (SELECT DISTINCT pa.organisation_id, pr.id AS procurement_id, pr.phase, pr.updated_at"
        "  FROM participants pa JOIN procurements pr ON pr.id = pa.procurement_id"
        "  WHERE pa.organisation_id IN (SELECT id FROM firms)),"
        " closed AS (SELECT record_id, max(at) AS at FROM audit_log WHERE record_type = 'procurement'"
        "  AND json_extract(after_json, '$.phase') = 'ended' GROUP BY record_id)"
        " SELECT f.id, f.name, f.created_at, f.identifier_type, f.identifier,"
        " (SELECT count(*) FROM links l WHERE l.organisation_id = f.id AND l.phase != 'ended') AS running,"
        " (SELECT max(coalesce(c.at, l.updated_at)) FROM links l LEFT JOIN closed c"
        "   ON c.record_id = CAST(l.procurement_id AS TEXT) WHERE l.organisation_id = f.id) AS procurement_closed_at"
        " FROM firms f WHERE (? IS NULL OR f.id = ?) ORDER BY f.id", [organisation_id, organisation_id]))


def has_live_person(db: sqlite_utils.Database, number: str) -> bool:
    """True when a person not erased holds the personnummer of these ten digits (a sole trader's number: the
    firm is erased with them)."""
    return db.execute("SELECT 1 FROM persons WHERE personnummer IN ('19' || ?, '20' || ?) AND erased_at IS NULL",
                      [number, number]).fetchone() is not None


def subject_alerts(db: sqlite_utils.Database, kind: str, subject_id: int) -> list[dict[str, Any]]:
    """Follow-up alerts about one subject (a person or an organisation)."""
    return list(db.query("SELECT * FROM alerts WHERE subject_kind = ? AND subject_id = ? ORDER BY id",
                         [kind, subject_id]))


def notifications_naming(db: sqlite_utils.Database, names: list[str]) -> list[dict[str, Any]]:
    """Notifications whose text holds one of these names (a notice about an organisation repeats its name)."""
    rows: dict[int, dict[str, Any]] = {}
    for name in names:
        for row in db.query("SELECT id, text FROM notifications WHERE instr(lower(text), lower(?)) > 0", [name]):
            rows[row["id"]] = row
    return [rows[k] for k in sorted(rows)]


def set_notification_text(db: sqlite_utils.Database, notification_id: int, text: str) -> None:
    """Replace a notification's text with its redacted form."""
    db.execute("UPDATE notifications SET text = ? WHERE id = ?", [text, notification_id])


def organisation_outcomes(db: sqlite_utils.Database, organisation_ids: list[int]) -> list[dict[str, Any]]:
    """Outcomes about these organisations, findings and explanation as stored (JSON text)."""
    return list(db.query("SELECT id, check_id, findings, explanation, reason FROM outcomes"
                         " WHERE subject_kind = 'organisation' AND subject_id IN (SELECT value FROM json_each(?))"
                         " ORDER BY id", [json.dumps(organisation_ids)]))


def evidence_bodies(db: sqlite_utils.Database, outcome_ids: list[int]) -> list[dict[str, Any]]:
    """Evidence of these outcomes with body, address and media type."""
    return list(db.query("SELECT id, outcome_id, url, media_type, body FROM evidence"
                         " WHERE outcome_id IN (SELECT value FROM json_each(?)) ORDER BY id", [json.dumps(outcome_ids)]))


def rewrite_evidence(db: sqlite_utils.Database, evidence_id: int, body: bytes, url: str | None) -> None:
    """Replace an evidence body and address with their redacted forms (only while an erasure is open);
    the SHA-256 column keeps naming what was received."""
    db.execute("UPDATE evidence SET body = ?, url = ? WHERE id = ?", [body, url, evidence_id])


def proposal_texts(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Every four-eyes proposal's texts (the table is small: one row per decision under four eyes)."""
    return list(db.query("SELECT id, payload, reason, decision_reason FROM proposals ORDER BY id"))


def set_proposal_texts(db: sqlite_utils.Database, proposal_id: int, payload: str, reason: str,
                       decision_reason: str | None) -> None:
    """Replace a proposal's payload and reasons with their redacted forms."""
    db.execute("UPDATE proposals SET payload = ?, reason = ?, decision_reason = ? WHERE id = ?",
               [payload, reason, decision_reason, proposal_id])


def truth_declaration_signers(db: sqlite_utils.Database, organisation_ids: list[int]) -> list[str]:
    """Who signed the truth declarations of these organisations, as recorded (each name once)."""
    return [r["signed_by"] for r in db.query(
        "SELECT DISTINCT signed_by FROM truth_declarations WHERE organisation_id IN (SELECT value FROM json_each(?))"
        " AND signed_by IS NOT NULL AND signed_by != '' ORDER BY signed_by", [json.dumps(organisation_ids)])]
