"""Amounts as people type them, read exactly or refused: never a guess.

Accepted: Swedish ``1 234 567,50`` (spaces or no-break spaces between groups of three, decimal comma),
``1.234.567`` / ``1.234,50`` (dots between groups), English ``1,234,567.50`` and plain ``1234.50`` /
``1234,50``. A single separator followed by exactly three digits (``1,234`` or ``1.234``) could be either a
thousands separator or a decimal one, so it is refused with a message asking for the other notation.
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from .message import _l

from .errors import InvalidInput

_SPACES = re.compile(r"[\s\u00a0\u202f]")
_GROUPED = r"[0-9]{{1,3}}(?:{sep}[0-9]{{3}})+"
_SHAPES = (
    (re.compile(r"[0-9]+"), None, None),                                            # 1234567
    (re.compile(r"[0-9]+[.,][0-9]{1,2}"), None, "either"),                              # 1234,50 / 1234.5
    (re.compile(r"[0-9]+[.,][0-9]{4,}|[0-9]{4,}[.,][0-9]{3}"), None, "either"),                # 0,12345 / 1234,567
    (re.compile(_GROUPED.format(sep=r"\.") + r"(?:,[0-9]+)?"), ".", ","),           # 1.234.567 / 1.234,50
    (re.compile(_GROUPED.format(sep=",") + r"(?:\.[0-9]+)?"), ",", "."),            # 1,234,567 / 1,234.50
)


def _ambiguous(raw: str, field_name: str) -> InvalidInput:
    return InvalidInput(_l("“%(value)s” could mean two amounts: write 1 234 for a thousand and more, or 1,234 with "
                           "more or fewer decimals.", value=raw[:30]), field_name)


def parse_exact_amount(raw: Any, field_name: str = "amount") -> Decimal | None:
    """The amount exactly as written (``Decimal``); None for empty; InvalidInput for anything unclear."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise InvalidInput(_l("Not an amount."), field_name)
    if isinstance(raw, (int, Decimal)):
        value = Decimal(raw)
    else:
        text = str(raw).strip()
        text = re.sub(r"(?i)\s*(kr|sek|:-)\.?$", "", text).strip()
        negative = text.startswith("-")  # read, then refused by the range check with its own message
        text = text[1:].strip() if negative else text
        if re.search(r"[\s\u00a0\u202f]", text):
            # Spaces separate groups of three: check the grouping before removing them.
            if not re.fullmatch(r"[0-9]{1,3}(?:[\s\u00a0\u202f][0-9]{3})+(?:,[0-9]+)?", text):
                raise InvalidInput(_l("“%(value)s” is not an amount: write digits, e.g. 1 250 000 or 1 234,50.",
                                      value=str(raw)[:30]), field_name)
            text = _SPACES.sub("", text)
        if re.fullmatch(r"[0-9]{1,3}[.,][0-9]{3}", text):
            raise _ambiguous(str(raw), field_name)
        for pattern, thousands, decimal in _SHAPES:
            if pattern.fullmatch(text):
                if thousands:
                    text = text.replace(thousands, "")
                text = text.replace(",", ".")
                break
        else:
            raise InvalidInput(_l("“%(value)s” is not an amount: write digits, e.g. 1 250 000 or 1 234,50.",
                                  value=str(raw)[:30]), field_name)
        value = -Decimal(text) if negative else Decimal(text)
    if not value.is_finite() or value < 0 or value > Decimal("1e15"):
        raise InvalidInput(_l("The amount must be between 0 and 1 000 000 000 000 000."), field_name)
    return value
