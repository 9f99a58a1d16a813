"""What a person's erasure reaches beyond the person's own records (called by ``retention.erase_person``).

- The sole trader (enskild firma) whose organisation number is the person's personnummer (also one typed and waiting
  in the merge queue, whose typed number goes too): its name (which by
  law holds the owner's surname) and number go; the firm stays as a party, so procurements keep their shape.
- The register answers about the person's organisations and the sole trader: findings, explanations and
  evidence bodies and addresses are redacted of the name and number. An annual report is a ZIP of iXBRL
  documents whose signers are written as a given name and a surname in separate elements: each document
  inside the ZIP is redacted and the ZIP written again (figures, dates and the auditor's firm stay).
- Four-eyes proposals (their payloads and both reasons) that name the person.

Evidence keeps its SHA-256 column, which still names what was received; the body is what is left of it.
"""
from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Mapping
from typing import Any

import sqlite_utils

from ..store import privacy as store
from .redaction import ERASED, redact_json, redact_text

ANONYMISED_FIRM = "Anonymised sole trader {id}"
# Members of a ZIP larger than this are not unpacked to be redacted: the whole body is replaced by a note.
MAX_MEMBER_BYTES = 64 * 1024 * 1024
_TEXT_TYPES = ("json", "xml", "html", "text", "csv", "javascript")


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
        findings = _redacted_json_text(outcome["findings"], terms)
        explanation = _redacted_json_text(outcome["explanation"], terms)
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
        payload = _redacted_json_text(proposal["payload"], terms)
        reason = redact_text(proposal["reason"], terms)
        decision_reason = redact_text(proposal["decision_reason"], terms)
        if (payload, reason, decision_reason) != (proposal["payload"], proposal["reason"], proposal["decision_reason"]):
            store.set_proposal_texts(db, proposal["id"], payload, reason, decision_reason)
            counts["proposals"] += 1
    return counts


def _redacted_json_text(text: str | None, terms: Mapping[str, str]) -> Any:
    if not text:
        return text
    try:
        value = json.loads(text)
    except ValueError:
        return redact_text(text, terms)
    redacted = redact_json(value, terms)
    return text if redacted == value else json.dumps(redacted, ensure_ascii=False, default=str)


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
    if media_type and not any(t in media_type for t in _TEXT_TYPES):
        return body
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return body
    redacted = _redact_document(text, terms, parts)
    return body if redacted == text else redacted.encode("utf-8")


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
