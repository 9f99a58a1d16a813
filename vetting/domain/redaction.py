"""Redaction of a person's identifying terms from stored text and JSON.

Its own module below ``retention`` (the purge) and ``erasure_related`` (the records beyond the
person's own), which both redact and which ``retention`` calls in that order: neither imports the other
for it, so the two stay free of an import cycle. Reports use it to keep key persons' names out.
"""
from __future__ import annotations

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
