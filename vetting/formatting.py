"""Template filters that format dates, amounts and identifiers per locale."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from babel.numbers import format_decimal
from flask import Flask
from flask_babel import get_locale, to_user_timezone

from .domain.identifiers import IDENTIFIER_TYPES, is_sole_trader, mask_identifier, mask_personnummer_in_text


def amount(value: Any, currency: str | None = None) -> str:
    """``1 250 000 kr`` in Swedish (U+00A0 between groups), ``1,250,000 SEK`` in English."""
    if value is None or value == "":
        return ""
    text = format_decimal(value, locale=str(get_locale() or "sv"))
    return f"{text}\u00a0{currency}" if currency else text


def when(value: Any, kind: str = "datetime") -> str:
    """Format an ISO date or timestamp in the user's locale and time zone."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value) if "T" in value or " " in value else date.fromisoformat(value)
        except ValueError:
            return value
    # ISO-like in both languages (unambiguous), so the pattern needs no locale: written out directly, as Babel's
    # "yyyy-MM-dd HH:mm" would (15 µs a date through Babel; the inbox prints 25). A time is shown in the user's
    # time zone, as Babel's rebasing did (a naive one is UTC).
    if isinstance(value, datetime):
        value = to_user_timezone(value)
        if kind == "datetime":
            return f"{value.year:04d}-{value.month:02d}-{value.day:02d} {value.hour:02d}:{value.minute:02d}"
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


def identifier(value: str | None, identifier_type: str | None) -> str:
    """Show an identifier the way people write it (Swedish orgnr with a hyphen).

    A sole trader's organisation number is a personnummer: masked (``YYMMDD-****``) unless the
    reader may see personal data, on every page and report that prints identifiers.
    """
    if not value:
        return ""
    if is_sole_trader(identifier_type, value) and not _may_see_personal_data():
        return mask_identifier(identifier_type, value)
    if identifier_type == "se_orgnr" and len(value) == 10:
        return f"{value[:6]}-{value[6:]}"
    if identifier_type == "no_orgnr" and len(value) == 9:
        return f"{value[:3]} {value[3:6]} {value[6:]}"
    return value


def personal_text(value: Any) -> str:
    """Free text from a register or a user (an evidence address, a finding's words) with every personnummer,
    a sole trader's organisation number too, masked unless the reader may see personal data."""
    if value is None:
        return ""
    text = str(value)
    return text if _may_see_personal_data() else mask_personnummer_in_text(text)


def _may_see_personal_data() -> bool:
    from flask import has_request_context

    from .web.access import Permission, user_can

    return has_request_context() and user_can(Permission.REVEAL_PERSONAL_DATA)


def init_app(app: Flask) -> None:
    """Register the filters and the identifier-type names."""
    app.add_template_filter(amount, "amount")
    app.add_template_filter(when, "when")
    app.add_template_filter(identifier, "identifier")
    app.add_template_filter(personal_text, "personal_text")
    app.jinja_env.globals["IDENTIFIER_TYPES"] = IDENTIFIER_TYPES
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale() or "sv")
