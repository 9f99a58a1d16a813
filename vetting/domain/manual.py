"""Answers to manual checks: validated per field, with an optional document kept as evidence."""
from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date
from typing import Any

import sqlite_utils
from .message import _l

from checks.manual import ManualCheck, ManualField

from .audit import Actor
from .errors import InvalidInput, NotFound
from .amounts import parse_exact_amount
from .check_context import check_context
from .runner import run_one
from .screening import all_checks, store_outcome, subject_of

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# Recognised by their first bytes, not by the name the user gave the file.
DOCUMENT_TYPES = {b"%PDF-": "application/pdf", b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


def manual_check(check_id: str) -> ManualCheck:
    """The manual check with this id, or NotFound."""
    check = all_checks().get(check_id)
    if not isinstance(check, ManualCheck):
        raise NotFound(_l("No such manual check."))
    return check


def clean_answer(check: ManualCheck, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Validate each field by its kind; raise InvalidInput naming the field."""
    answer: dict[str, Any] = {}
    for field in check.FIELDS:
        value = raw.get(field.name)
        text = "" if value is None else str(value).strip()
        if not text:
            if field.required:
                raise InvalidInput(_l("Answer “%(label)s”.", label=field.label["en"]), field.name)
            continue
        answer[field.name] = _parse(field, text)
    if check.REQUIRED_ANY and not any(answer.get(name) is not None for name in check.REQUIRED_ANY):
        first = next(f for f in check.FIELDS if f.name == check.REQUIRED_ANY[0])
        raise InvalidInput(_l("Answer at least one of the figures."), first.name)
    return answer


def _parse(field: ManualField, text: str) -> Any:
    if field.kind == "bool":
        if text not in ("yes", "no"):
            raise InvalidInput(_l("Answer yes or no."), field.name)
        return text == "yes"
    if field.kind in ("amount", "count", "signed_amount"):
        # Equity may be negative: the sign is read here, the digits by the one amount parser.
        negative = field.kind == "signed_amount" and text.lstrip().startswith(("-", "\u2212"))
        value = parse_exact_amount(text.lstrip().lstrip("-\u2212") if negative else text, field.name)
        if value is not None and field.kind == "count" and value != value.to_integral_value():
            raise InvalidInput(_l("Write a whole number."), field.name)
        if value is not None and negative:
            value = -value
        return None if value is None else (int(value) if value == value.to_integral_value() else float(value))
    if field.kind == "date":
        try:
            parsed = date.fromisoformat(text)
        except ValueError:
            raise InvalidInput(_l("“%(value)s” is not a date: write YYYY-MM-DD.", value=text[:20]), field.name) from None
        if parsed > date.today():
            raise InvalidInput(_l("The date cannot be in the future."), field.name)
        return parsed.isoformat()
    if field.kind == "choice":
        if text not in {code for code, _label in field.choices}:
            raise InvalidInput(_l("Choose one of the options."), field.name)
        return text
    return text[:2000]


def clean_document(filename: str, data: bytes) -> dict[str, Any]:
    """Accept a PDF, PNG or JPEG up to 10 MB, recognised by content; return it with its SHA-256."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise InvalidInput(_l("The document is larger than 10 MB."), "document")
    media_type = next((t for magic, t in DOCUMENT_TYPES.items() if data.startswith(magic)), None)
    if media_type is None:
        raise InvalidInput(_l("Attach a PDF, PNG or JPEG document."), "document")
    return {"filename": filename[:200] or "document", "media_type": media_type, "body": data,
            "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}


def record_answer(db: sqlite_utils.Database, actor: Actor, kind: str, subject_id: int, check_id: str,
                  raw: Mapping[str, Any], document: tuple[str, bytes] | None = None) -> int:
    """Store an officer's answer as the check's new outcome (who answered, from what document)."""
    check = manual_check(check_id)
    subject = subject_of(db, kind, subject_id)
    if not check.applies(subject):
        raise InvalidInput(_l("This check does not apply to the subject."))
    answer = clean_answer(check, raw)
    doc = clean_document(*document) if document and document[1] else None
    if check.document_required and doc is None:
        raise InvalidInput(_l("Attach the document the figures come from."), "document")
    ctx = check_context(db, check, inputs={"answer": answer, "document": doc})
    outcome = run_one(check, subject, ctx)
    explanation = ({"answer": answer, "answered_by": actor.username,
                    "document": {k: doc[k] for k in ("filename", "media_type", "sha256", "size")} if doc else None},)
    outcome = type(outcome)(outcome.status, outcome.findings, outcome.evidence, outcome.reason, explanation)
    return store_outcome(db, actor, subject, check, outcome)
