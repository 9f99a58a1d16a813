"""The vocabulary's primitives: a code's word, numbers, yes/no, countries and check names per locale.

The other vocabulary modules build on these (imported at the top, no cycle through the package).
"""
from __future__ import annotations

from typing import Any

from babel import Locale
from babel.numbers import format_decimal
from flask_babel import get_locale
from markupsafe import Markup

from ..domain.screening import all_checks
from .words import VOCABULARIES, YES_NO


def _locale() -> str:
    return str(get_locale() or "sv")


def label(vocabulary: str, code: Any) -> str:
    """The word for ``code`` in one of the vocabularies in words.py (e.g. ``label("status", "hit")``)."""
    words = VOCABULARIES[vocabulary]
    if code in words:
        return str(words[code])
    if code is None:
        return ""
    return str(code).replace("_", " ").replace(".", " ")


def status_label(status: str | None) -> str:
    """``Träff``, ``Fel``, ``Ej kontrollerad``... for a check status."""
    return label("status", status)


def action_label(action: str) -> str:
    """An audit or timeline action in words."""
    return label("action", action)


def yes_no(value: Any) -> str:
    """``Ja``/``Nej`` for a truth value; empty for unknown."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = value.strip().lower() in ("1", "true", "yes", "ja", "y", "j")
    return str(YES_NO[bool(value)])


def number(value: Any, digits: int | None = None) -> str:
    """A number per locale (``1 234,5`` in Swedish); ``digits`` fixes the decimals (scores: 2)."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return yes_no(value)
    try:
        numeric = float(value)
    except (TypeError, ValueError):
        return str(value)
    pattern = None
    if digits is not None:
        pattern = "#,##0." + "0" * digits if digits else "#,##0"
    elif numeric == int(numeric) and abs(numeric) < 1e15:
        numeric = int(numeric)
    return format_decimal(numeric, format=pattern, locale=_locale())


def score(value: Any) -> str:
    """A match or risk score with two decimals per locale (``0,93``)."""
    return number(value, 2)


def country_name(code: str | None) -> str:
    """The country's name in the reader's language (Babel's territory names); the code when unknown."""
    if not code:
        return ""
    # The request's Locale object itself: parsing its name again cost 15 µs a country (a list's filter names ~25).
    names = (get_locale() or Locale.parse("sv")).territories
    return names.get(code.upper(), code)


def check_name(check_id: str | None) -> str:
    """A check's name in the reader's language, from the check itself (checks/*.py ``name``)."""
    if not check_id:
        return ""
    check = all_checks().get(check_id)
    names = getattr(check, "name", None) or {}
    if isinstance(names, dict) and names:
        return names.get(_locale()) or names.get("en") or check_id
    return {"sanctions": "Sanktionslistor"}.get(check_id, check_id)


def source_name(code: str | None) -> str:
    """A list's, register's or entry route's name for its stored code (``un``, ``se.bolagsverket``, ``manual``)."""
    if not code:
        return ""
    # A register's evidence may name a part of its check (eu.vies.soap) or the check itself: its check's name then.
    return label("source", code) if code in VOCABULARIES["source"] else check_name(code)


def in_language(text: str | None, lang: str = "en") -> Markup:
    """Text from a source in another language, shown as it is and marked (WCAG 3.1.2)."""
    if not text:
        return Markup("")
    if lang == _locale():
        return Markup.escape(text)
    return Markup('<span lang="{}">{}</span>').format(lang, text)
