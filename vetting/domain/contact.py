"""Contact and payment details of an organisation: phone numbers and bankgiro, plusgiro or IBAN, checked
digit by digit (python-stdnum for the IBAN and the Luhn check digit) and refused with a message, never guessed."""
from __future__ import annotations

import re

from stdnum import iban, luhn
from stdnum.exceptions import ValidationError

from .errors import InvalidInput
from .message import _l

_PHONE_CHARS = re.compile(r"\+?[\d\s\-()/]+")
_SEPARATORS = re.compile(r"[\s\-()/.]")
_PREFIXED = re.compile(r"(?i)(bg|bankgiro|pg|plusgiro)\s*:?\s*(.+)")


def clean_phone(raw: str | None, field: str = "phone") -> str | None:
    """A phone number as typed, if it can be one: Swedish (0 and 7–9 digits more, or +46 without the 0) or
    international (+ and country code, 8–15 digits in all, ITU-T E.164).

    :param raw: what the user typed ("08-123 456 78", "+46 8 123 456 78", "+47 22 33 44 55")
    """
    text = " ".join((raw or "").split())
    if not text:
        return None
    if not _PHONE_CHARS.fullmatch(text):
        raise InvalidInput(_l("“%(value)s” is not a phone number: only digits, spaces, hyphens and a leading +.",
                              value=text[:40]), field)
    digits = _SEPARATORS.sub("", text)
    if digits.startswith("+46"):
        national = digits[3:]
        ok = not national.startswith("0") and 7 <= len(national) <= 9
    elif digits.startswith("00") or digits.startswith("+"):
        international = digits.lstrip("+")[2:] if digits.startswith("00") else digits[1:]
        ok = international[:1] not in ("", "0") and 8 <= len(international) <= 15
    else:
        ok = digits.startswith("0") and 8 <= len(digits) <= 10
    if not ok:
        raise InvalidInput(_l("“%(value)s” is not a complete phone number: a Swedish number begins with 0 and has "
                              "8 to 10 digits (e.g. 08-123 456 78); a foreign one begins with + and the country code.",
                              value=text[:40]), field)
    return text


def clean_bank_account(raw: str | None, field: str = "bank_account") -> str | None:
    """A bankgiro (7–8 digits, ``123-4567`` or ``1234-5678``), a plusgiro (2–8 digits, ``12 34 56-7``) or an IBAN,
    each with its check digit verified; an IBAN is returned grouped by four, the others as typed.

    Bankgiro and plusgiro numbers both end in a Luhn check digit, so a number typed without ``BG``/``PG``
    is checked the same way whichever of the two it is.
    """
    text = " ".join((raw or "").split())
    if not text:
        return None
    compact = text.replace(" ", "").upper()
    if compact[:2].isalpha() and compact[2:4].isdigit() and not _PREFIXED.fullmatch(text):
        try:
            return iban.format(iban.validate(compact))
        except ValidationError:
            raise InvalidInput(_l("“%(value)s” is not a valid IBAN: check the country code, the length and the "
                                  "check digits.", value=text[:40]), field) from None
    prefixed = _PREFIXED.fullmatch(text)
    kind: str | None = None
    if prefixed:
        kind = "bankgiro" if prefixed.group(1).lower() in ("bg", "bankgiro") else "plusgiro"
        text = prefixed.group(2)
    digits = _SEPARATORS.sub("", text)
    if not digits.isdigit():
        raise InvalidInput(_l("“%(value)s” is not a bankgiro, plusgiro or IBAN number.", value=(raw or "")[:40]), field)
    low = 7 if kind == "bankgiro" else 2
    if not low <= len(digits) <= 8:
        raise InvalidInput(_l("“%(value)s” has %(n)s digits: a bankgiro number has 7 or 8, a plusgiro number 2 to 8; "
                              "a bank account number is given as IBAN.", value=(raw or "")[:40], n=len(digits)), field)
    if not luhn.is_valid(digits):
        raise InvalidInput(_l("The check digit of “%(value)s” is wrong: check the number.", value=(raw or "")[:40]),
                           field)
    # Kept as typed: without BG/PG nobody can tell which of the two it is, and its grouping says so.
    return " ".join((raw or "").split())
