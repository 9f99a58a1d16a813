"""The one vocabulary: words for every code the views show, and numbers, yes/no and countries per locale.

Domain modules keep codes (statuses, check ids, fact codes, criteria, audit actions, roles, ISO country codes)
and never render text; views and templates translate them here (Jinja filters registered by ``init_app``).
A code without a word is shown readable (``needs manual input``), never as the raw identifier; the crawl
test (tests/test_swedish_crawl.py) finds those.
"""
from __future__ import annotations

from typing import Any

from babel import Locale
from babel.numbers import format_decimal
from flask import Flask
from flask_babel import get_locale
from markupsafe import Markup

from .facts import FACTS, evidence_label, fact_label, reason_line, rule_detail
from .explanations import explanation, feature_name
from .outcomes import batch_description, change_text, finding_text, notification_text, reason_text
from .words import ACTIONS, CRITERIA, STATUSES, VOCABULARIES, YES_NO

__all__ = ["ACTIONS", "CRITERIA", "FACTS", "STATUSES", "action_label", "check_name", "country_name", "fact_label",
           "label", "number", "rule_detail", "score", "status_label", "yes_no", "init_app"]


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
    names = Locale.parse(_locale()).territories
    return names.get(code.upper(), code)


def check_name(check_id: str | None) -> str:
    """A check's name in the reader's language, from the check itself (checks/*.py ``name``)."""
    if not check_id:
        return ""
    from ..domain.screening import all_checks

    check = all_checks().get(check_id)
    names = getattr(check, "name", None) or {}
    if isinstance(names, dict) and names:
        return names.get(_locale()) or names.get("en") or check_id
    return {"sanctions": "Sanktionslistor"}.get(check_id, check_id)


def in_language(text: str | None, lang: str = "en") -> Markup:
    """Text from a source in another language, shown as it is and marked (WCAG 3.1.2)."""
    if not text:
        return Markup("")
    if lang == _locale():
        return Markup.escape(text)
    return Markup('<span lang="{}">{}</span>').format(lang, text)


def init_app(app: Flask) -> None:
    """Register the vocabulary as Jinja filters and globals."""
    filters = {"status_label": status_label, "action_label": action_label, "yes_no": yes_no, "number": number,
               "score": score, "country_name": country_name, "check_name": check_name, "fact_label": fact_label,
               "rule_detail": rule_detail, "in_language": in_language,
               "reason_text": reason_text, "finding_text": finding_text,
               "explanation": explanation, "feature_name": feature_name,
               "change_text": change_text, "evidence_label": evidence_label, "reason_line": reason_line,
               "batch_description": batch_description, "notification_text": notification_text}
    from .espd import declared_label, detail_value, ground_label

    filters.update(espd_ground=ground_label, espd_declared=declared_label, espd_detail=detail_value)
    for name, fn in filters.items():
        app.add_template_filter(fn, name)
    app.add_template_filter(lambda code, vocabulary: label(vocabulary, code), "label")
    from .audit import changes as audit_changes

    app.jinja_env.globals["vocabulary_label"] = label
    app.jinja_env.globals["audit_changes"] = audit_changes
    app.jinja_env.globals["status_labels"] = lambda: {k: str(v) for k, v in STATUSES.items() if k}
