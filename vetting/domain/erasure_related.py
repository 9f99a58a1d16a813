"""What a person's erasure reaches beyond the person's own records (called by ``retention.erase_person``).

- The sole trader (enskild firma) whose organisation number is the person's personnummer (also one typed and waiting
  in the merge queue, whose typed number goes too): its name (which by
  law holds the owner's surname) and number go; the firm stays as a party, so procurements keep their shape.
- The register answers about the person's organisations and the sole trader: findings, explanations and
  evidence bodies and addresses are redacted of the name and number. An annual report is a ZIP of iXBRL
  documents whose signers are written as a given name and a surname in separate elements: each document
  inside the ZIP is redacted and the ZIP written again (figures, dates and the auditor's firm stay).
- Four-eyes proposals (their payloads and both reasons) that name the person.
- Not here: stored files other than register answers (ESPD responses, truth declarations, checkpoint documents)
  and their text fields (file names, signers, ESPD operators and answers): ``erasure_files``, called after this.
- A sole trader whose owner is no stored person is due by itself (``firms_due``) and erased the same way
  (``erase_sole_trader``, called by ``retention.purge``).

Evidence keeps its SHA-256 column, which still names what was received; the body is what is left of it.
"""
from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

import sqlite_utils

from ..store import privacy as store
from .errors import InvalidInput
from .identifiers import holds_personnummer, validate_personnummer
from .erasure_files import erase_firm_files
from .file_text import MAX_MEMBER_BYTES, TEXT_TYPES
from .redaction import ERASED, identifying_terms, redact_json_text, redact_stored_json, redact_text
from .retention_dates import Due, _day, add_years

if TYPE_CHECKING:
    from .audit import Actor

# The erased firm's name: stored data shown as it is on every page, PDF and export, so written in Swedish as an
# officer would ("enskild firma", erased by retention: "gallrad"); the id tells erased firms apart.
ANONYMISED_FIRM = "Enskild firma {id} (gallrad)"


def redact_related(db: sqlite_utils.Database, person: Mapping[str, Any], organisation_ids: list[int],
                   terms: Mapping[str, str], erasure_id: int) -> dict[str, int]:
    """Redact the person from their organisations' register answers, their sole trader and four-eyes
    proposals; return counts per kind of record. Runs inside the erasure's transaction."""
    counts = {"sole_traders": 0, "organisation_outcomes": 0, "organisation_evidence": 0, "proposals": 0}
    firms = store.sole_traders_of(db, person.get("personnummer"))
    terms = dict(terms)
    for firm in firms:
        placeholder = ANONYMISED_FIRM.format(id=firm["id"])
        store.anonymise_organisation(db, firm["id"], placeholder)
        if len(firm["name"]) >= 3:
            terms[firm["name"]] = placeholder  # the firm's name holds the owner's surname (a register repeats it)
        counts["sole_traders"] += 1
    if firms:
        from ..store import merges as merge_store

        merge_store.erase_identifier(db, (person.get("personnummer") or "")[2:])
    org_ids = sorted(set(organisation_ids) | {f["id"] for f in firms})
    parts = _name_parts(person.get("name") or "")
    outcomes = store.organisation_outcomes(db, org_ids)
    for outcome in outcomes:
        findings = redact_stored_json(outcome["findings"], terms)
        explanation = redact_stored_json(outcome["explanation"], terms)
        if (findings, explanation) != (outcome["findings"], outcome["explanation"]):
            store.rewrite_outcome(db, outcome["id"], findings, explanation)
            counts["organisation_outcomes"] += 1
    for evidence in store.evidence_bodies(db, [o["id"] for o in outcomes]):
        body = redact_body(evidence["body"], evidence["media_type"], terms, parts, erasure_id)
        url = redact_text(evidence["url"], terms)
        if (body, url) != (evidence["body"], evidence["url"]):
            store.rewrite_evidence(db, evidence["id"], body, url)
            counts["organisation_evidence"] += 1
    for proposal in store.proposal_texts(db):
        payload = redact_stored_json(proposal["payload"], terms)
        reason = redact_text(proposal["reason"], terms)
        decision_reason = redact_text(proposal["decision_reason"], terms)
        if (payload, reason, decision_reason) != (proposal["payload"], proposal["reason"], proposal["decision_reason"]):
            store.set_proposal_texts(db, proposal["id"], payload, reason, decision_reason)
            counts["proposals"] += 1
    return counts


def _name_parts(name: str) -> tuple[str, str] | None:
    """(given names, surname) of a name of two words or more, as an annual report writes them apart."""
    words = name.split()
    return (" ".join(words[:-1]), words[-1]) if len(words) > 1 and len(words[-1]) >= 2 else None


def redact_body(body: bytes | None, media_type: str | None, terms: Mapping[str, str],
                parts: tuple[str, str] | None, erasure_id: int) -> bytes | None:
    """An evidence body with the person taken out: text redacted, a ZIP redacted member by member, anything
    else (a PDF, an image) left as it is unless it is a ZIP that cannot be read, which becomes a note."""
    if not body:
        return body
    if body[:4] == b"PK\x03\x04":
        return _redact_zip(body, terms, parts, erasure_id)
    if media_type and not any(t in media_type for t in TEXT_TYPES):
        return body
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return body
    redacted = _redact_document(_redact_json_document(text, terms), terms, parts)
    return body if redacted == text else redacted.encode("utf-8")


def _redact_json_document(text: str, terms: Mapping[str, str]) -> str:
    """A JSON document redacted as parsed values (a register may write "Å" as ``\u00c5``, which the plain text
    would hide from the terms); anything else, or JSON without the terms, unchanged."""
    if not text.lstrip()[:1] in ("{", "["):
        return text
    try:
        return redact_json_text(text, terms) or text
    except ValueError:
        return text


def _redact_document(text: str, terms: Mapping[str, str], parts: tuple[str, str] | None) -> str:
    """Terms (full name, number) anywhere; in markup, an element holding only the given name or only the
    surname too, when the document holds both (an iXBRL signer tuple writes them apart)."""
    text = redact_text(text, terms) or ""
    if parts:
        elements = [re.compile(r">(\s*)" + re.escape(part) + r"(\s*)<", re.IGNORECASE) for part in parts]
        if all(e.search(text) for e in elements):
            for element in elements:
                text = element.sub(lambda m: f">{m.group(1)}{ERASED}{m.group(2)}<", text)
    return text


def _redact_zip(body: bytes, terms: Mapping[str, str], parts: tuple[str, str] | None, erasure_id: int) -> bytes:
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            members = archive.infolist()
            if any(m.file_size > MAX_MEMBER_BYTES for m in members):
                raise zipfile.BadZipFile("member too large to redact")
            out = io.BytesIO()
            changed = False
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as rewritten:
                for member in members:
                    data = archive.read(member)
                    try:
                        text = data.decode("utf-8")
                    except UnicodeDecodeError:
                        rewritten.writestr(member, data)
                        continue
                    redacted = _redact_document(text, terms, parts)
                    changed = changed or redacted != text
                    rewritten.writestr(member, redacted.encode("utf-8"))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError, NotImplementedError):
        return json.dumps({"erased": True, "erasure_id": erasure_id,
                           "note": "an archive that could not be redacted was removed"}).encode()
    return out.getvalue() if changed else body


def firm_number(identifier_type: str | None, identifier: str | None) -> str | None:
    """The ten digits of the personnummer a sole trader's organisation or VAT number holds, else None."""
    if not holds_personnummer(identifier_type, identifier):
        return None
    return identifier if identifier_type == "se_orgnr" else (identifier or "")[2:12]


def owner_personnummer(number: str) -> str:
    """The twelve-digit personnummer of a sole trader's ten digits (the century as for a number written with
    a hyphen: the owner is under 100)."""
    try:
        return validate_personnummer(f"{number[:6]}-{number[6:]}")
    except InvalidInput:  # the shape of one (domain/identifiers.is_sole_trader) without a valid date or check digit
        return "19" + number


def firm_due(db: sqlite_utils.Database, row: Mapping[str, Any], years: int, today: date) -> Due | None:
    """A sole trader as a Due item when its period has run out and its owner is no stored person (a stored
    owner's erasure takes the firm with it, ``redact_related``), else None."""
    number = firm_number(row["identifier_type"], row["identifier"])
    if number is None or row["running"] or store.has_live_person(db, number):
        return None
    dates = {"procurement_closed": row["procurement_closed_at"], "firm_registered": row["created_at"]}
    basis, reference = max(((k, v) for k, v in dates.items() if v), key=lambda kv: kv[1])
    until = add_years(_day(reference), years)
    if until > today:
        return None
    return Due("sole_trader", row["id"], row["name"], basis, _day(reference).isoformat(), until.isoformat())


def firms_due(db: sqlite_utils.Database, years: int, today: date, organisation_id: int | None = None) -> list[Due]:
    """Every sole trader due on ``today`` (or the one given, when it still is), once each."""
    due: dict[int, Due] = {}
    for row in store.firm_retention_dates(db, organisation_id):
        item = firm_due(db, row, years, today)
        if item and item.id not in due:
            due[item.id] = item
    return list(due.values())


def firm_terms(name: str, number: str, placeholder: str) -> dict[str, str]:
    """What identifies a sole trader in free text: its name (the owner's), and its number in every written
    form of the owner's personnummer (with and without century, hyphen or plus) and as a VAT number."""
    terms: dict[str, str] = {}
    for century in ("19", "20"):
        terms.update(identifying_terms({"name": name, "personnummer": century + number}, placeholder))
    for form in (f"SE {number} 01", f"SE{number[:6]}-{number[6:]}01"):
        terms[form] = ERASED
    return terms


def erase_sole_trader(db: sqlite_utils.Database, actor: Actor, item: Due, years: int) -> dict[str, int]:
    """Anonymise a sole trader whose owner is no stored person, the same way a person's erasure takes their
    firm (``redact_related``): the name, the number (organisation and VAT form, also typed into the merge
    queue) and the owner's contact details go from the firm, the records merged into it, its register answers,
    evidence, checkpoints, risk assessments, exclusion cases, alerts, match decisions, four-eyes proposals and
    notifications; its stored files as a person's (``erasure_files.erase_firm_files``). Kept: the firm as a party
    ("Enskild firma <id> (gallrad)", its country, industry and places in procurements), statuses, levels,
    decisions, dates and authors. The audit log is not rewritten: it never held the full number
    (``audit._masked``); organisation names in it are kept as for key persons.
    Runs inside the caller's transaction, with an erasure register row of its own (``organisation_id``)."""
    from ..store import merges as merge_store
    from ..store import organisations as org_store
    from ..store import reviews as review_store
    from .audit import record

    firm = org_store.get(db, item.id) or {}
    number = firm_number(firm.get("identifier_type"), firm.get("identifier"))
    if number is None:  # queued: the typed number waits beside the firm
        number = next(n for row in store.firm_retention_dates(db, item.id)
                      if (n := firm_number(row["identifier_type"], row["identifier"])))
    placeholder = ANONYMISED_FIRM.format(id=item.id)
    owner = {"name": firm.get("name") or "", "personnummer": owner_personnummer(number)}
    terms = firm_terms(owner["name"], number, placeholder)
    erasure_id = store.open_erasure(db, None, organisation_id=item.id, rule="RETENTION_PERSONAL_DATA_YEARS",
                                    basis=item.basis, reference_date=item.reference_date, erased_by=actor.username)
    # The firm and the copies merged into it, with their names as they are before redact_related takes them.
    firm_rows = store.sole_traders_of(db, owner["personnummer"]) or [{"id": item.id, "name": owner["name"]}]
    firms = [f["id"] for f in firm_rows]
    # Who signed a sole trader's truth declaration is the owner (or someone for the owner): a name that is
    # nowhere else, since the owner is no stored person.
    signers = store.truth_declaration_signers(db, firms)
    for signer in signers:
        terms.update(identifying_terms({"name": signer}, ERASED))
    counts = redact_related(db, owner, firms, terms, erasure_id)  # the firm, copies merged into it, answers, proposals
    counts["merge_queue"] = merge_store.erase_identifier(db, number)
    counts["checkpoints"], counts["checkpoint_decisions"] = redact_checkpoints(db, firms, terms)
    counts.update(redact_risk(db, firms, terms))
    counts["alerts"] = counts["match_reviews"] = counts["notifications"] = 0
    for organisation_id in firms:
        for alert in store.subject_alerts(db, "organisation", organisation_id):
            detail, note = redact_text(alert["detail"], terms) or "", redact_text(alert["handling_note"], terms)
            if (detail, note) != (alert["detail"], alert["handling_note"]):
                store.set_alert_texts(db, alert["id"], detail, note)
                counts["alerts"] += 1
        for review in review_store.for_subject(db, "organisation", organisation_id):
            reason = redact_text(review["reason"], terms) or ""
            if reason != review["reason"]:
                store.set_match_review_reason(db, review["id"], reason)
                counts["match_reviews"] += 1
    for notification in store.notifications_naming(db, [t for t, r in terms.items() if r == placeholder]):
        store.set_notification_text(db, notification["id"], redact_text(notification["text"], terms) or "")
        counts["notifications"] += 1
    # Its stored files (ESPDs, truth declarations, evidence, checkpoint documents): the same rules and audit as a
    # person's, in erasure_files.
    counts.update(erase_firm_files(db, actor, item.id, firm_rows, number, signers, terms, erasure_id))
    store.close_erasure(db, erasure_id, counts)
    record(db, actor, "organisation.erase", "organisation", item.id,
           before={"erased_fields": ["name", "identifier", "address", "phone", "email", "bank_account"]},
           after={"erasure_id": erasure_id, "name": placeholder, "basis": item.basis,
                  "reference_date": item.reference_date, "rewritten": counts},
           reason=f"retention: {years} years after {item.basis.replace('_', ' ')} on {item.reference_date}")
    return counts


def redact_checkpoints(db: sqlite_utils.Database, organisation_ids: list[int],
                        terms: Mapping[str, str]) -> tuple[int, int]:
    """Redact the terms from checkpoints and decisions of procurements these organisations took part in."""
    changed_checkpoints = changed_decisions = 0
    for checkpoint in store.checkpoint_texts(db, organisation_ids):
        answers = redact_json_text(checkpoint["answers"], terms) or "{}"
        detail = redact_json_text(checkpoint["event_detail"], terms)
        if (answers, detail) != (checkpoint["answers"], checkpoint["event_detail"]):
            store.set_checkpoint_texts(db, checkpoint["id"], answers, detail)
            changed_checkpoints += 1
        for decision in checkpoint["decisions"]:
            reason = redact_text(decision["reason"], terms) or ""
            conditions = redact_text(decision["conditions"], terms)
            snapshot = redact_json_text(decision["snapshot"], terms) or "{}"
            if (reason, conditions, snapshot) != (decision["reason"], decision["conditions"], decision["snapshot"]):
                store.set_decision_texts(db, decision["id"], reason, conditions, snapshot)
                changed_decisions += 1
    return changed_checkpoints, changed_decisions


def redact_risk(db: sqlite_utils.Database, organisation_ids: list[int], terms: Mapping[str, str]) -> dict[str, int]:
    """Take the terms out of the risk assessments (results, reasons, facts keyed by name), exclusion
    cases and questionnaire notes of these organisations; levels, scores and decisions stay."""
    counts = {"risk_assessments": 0, "exclusion_cases": 0, "risk_answers": 0, "exclusion_grounds": 0,
              "exclusion_communications": 0, "exclusion_self_cleaning": 0, "exclusion_decisions": 0}
    for row in store.risk_texts(db, organisation_ids):
        table, row_id = row.pop("table"), row.pop("id")
        changed = {column: (redact_json_text(text, terms) if table != "risk_answers" and column in
                            ("results", "reasons", "facts", "grounds", "detail") else redact_text(text, terms))
                   for column, text in row.items()}
        changed = {column: text for column, text in changed.items() if text != row[column]}
        if changed:
            store.set_risk_texts(db, table, row_id, changed)
            counts[table] += 1
    return counts
