"""Redaction of a person's identifying terms from stored text and JSON.

Its own module below ``retention`` (the purge) and ``erasure_related`` (the records beyond the
person's own), which both redact and which ``retention`` calls in that order: neither imports the other
for it, so the two stay free of an import cycle. Reports use it to keep key persons' names out.
"""
from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

ERASED = "[erased]"


def redact_text(text: str | None, terms: Mapping[str, str]) -> str | None:
    """``text`` with every occurrence of a term (case-insensitive, longest first) replaced by its replacement."""
    if not text or not terms:
        return text
    lowered = {t.lower(): r for t, r in terms.items()}
    pattern = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    return re.sub(pattern, lambda m: lowered[m.group(0).lower()], text, flags=re.IGNORECASE)


def redact_json(value: Any, terms: Mapping[str, str]) -> Any:
    """A JSON structure with the terms redacted in every string (keys included)."""
    if isinstance(value, str):
        return redact_text(value, terms)
    if isinstance(value, list):
        return [redact_json(v, terms) for v in value]
    if isinstance(value, dict):
        return {redact_text(k, terms): redact_json(v, terms) for k, v in value.items()}
    return value


def identifying_terms(person: Mapping[str, Any], placeholder: str) -> dict[str, str]:
    """What identifies a person in free text, each with its replacement.

    The name (also as "Surname, Given names") becomes ``placeholder``; the personnummer in its
    usual written forms and a full birth date become ``[erased]``.
    """
    terms: dict[str, str] = {}
    name = (person.get("name") or "").strip()
    if len(name) >= 3:
        terms[name] = placeholder
        parts = name.split()
        if len(parts) > 1:
            terms[f"{parts[-1]}, {' '.join(parts[:-1])}"] = placeholder
    pnr = person.get("personnummer") or ""
    if pnr:
        for form in (f"{pnr[:8]}-{pnr[8:]}", pnr, f"{pnr[2:8]}-{pnr[8:]}", f"{pnr[2:8]}+{pnr[8:]}", pnr[2:],
                     f"SE{pnr[2:]}01"):  # the last: the VAT number of their sole trader
            terms[form] = ERASED
    if person.get("birth_date") and len(person["birth_date"]) == 10:
        terms[person["birth_date"]] = ERASED
    return terms


def redact_json_text(text: str | None, terms: Mapping[str, str]) -> str | None:
    """Redact inside stored JSON (parsed, so escaped characters match); unchanged text stays byte-identical."""
    if not text:
        return text
    value = json.loads(text)
    redacted = redact_json(value, terms)
    return text if redacted == value else json.dumps(redacted, ensure_ascii=False, default=str)


def redact_stored_json(text: str | None, terms: Mapping[str, str]) -> str | None:
    """As :func:`redact_json_text` for a column that should hold JSON but was written by a supplier or a
    register and may not: what does not parse is redacted as plain text."""
    if not text:
        return text
    try:
        return redact_json_text(text, terms)
    except ValueError:
        return redact_text(text, terms)
