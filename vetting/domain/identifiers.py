"""Validation of organisation identifiers, personnummer and dates, telling the user what is wrong."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .message import _l
from stdnum import lei, luhn
from stdnum.eu import vat
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength, ValidationError
from stdnum.no import orgnr as no_orgnr
from stdnum.se import orgnr as se_orgnr

from .errors import InvalidInput
from ..lists.common import country_code, iso2

IDENTIFIER_TYPES = {
    "se_orgnr": _l("Swedish organisation number"),
    "no_orgnr": _l("Norwegian organisation number"),
    "gb_company": _l("UK company number"),
    "vat": _l("EU VAT number"),
    "lei": _l("LEI"),
}

# Companies House numbers: 8 digits, or a two-letter prefix (SC, NI, OC, SO, NC, LP, SL, FC, R0...) and 6 digits.
_GB_COMPANY = re.compile(r"^(?:\d{8}|[A-Z]{2}\d{6}|R0\d{6})$")


@dataclass(frozen=True)
class Identifier:
    """A validated identifier: its type, the compact value stored, and how it is shown."""

    type: str
    value: str
    display: str


def _reason(exc: ValidationError) -> str:
    """A plain explanation of what python-stdnum found wrong."""
    if isinstance(exc, InvalidChecksum):
        return str(_l("the check digit is wrong (a typing error?)"))
    if isinstance(exc, InvalidLength):
        return str(_l("it has the wrong number of characters"))
    if isinstance(exc, InvalidFormat):
        return str(_l("it contains characters that do not belong there"))
    if isinstance(exc, InvalidComponent):
        return str(_l("a part of it is not valid (for example the date or the country code)"))
    return str(_l("it is not valid"))


def validate_identifier(identifier_type: str, raw: str, field: str = "identifier") -> Identifier:
    """Check an organisation identifier; return it compacted, or raise InvalidInput saying why."""
    raw = (raw or "").strip()
    if identifier_type not in IDENTIFIER_TYPES:
        raise InvalidInput(_l("Unknown identifier type “%(type)s”.", type=identifier_type), "identifier_type")
    if not raw:
        raise InvalidInput(_l("Enter the identifier."), field)
    label = IDENTIFIER_TYPES[identifier_type]
    try:
        if identifier_type == "se_orgnr":
            value = se_orgnr.validate(raw)
            return Identifier("se_orgnr", value, se_orgnr.format(value))
        if identifier_type == "no_orgnr":
            value = no_orgnr.validate(raw)
            return Identifier("no_orgnr", value, no_orgnr.format(value))
        if identifier_type == "vat":
            value = vat.validate(raw)
            return Identifier("vat", value, value)
        if identifier_type == "lei":
            value = lei.validate(raw)
            return Identifier("lei", value, value)
    except ValidationError as exc:
        raise InvalidInput(_l("“%(value)s” is not a valid %(label)s: %(reason)s.", value=raw[:40], label=label,
                              reason=_reason(exc)), field) from None
    value = re.sub(r"\s", "", raw).upper()
    if not _GB_COMPANY.match(value):
        raise InvalidInput(_l("“%(value)s” is not a valid %(label)s: it must be 8 digits, or two letters and 6 digits "
                              "(e.g. 06070408 or SC123456).", value=raw[:40], label=label), field)
    return Identifier("gb_company", value, value)


def validate_personnummer(raw: str, field: str = "personnummer") -> str:
    """Check a personnummer or samordningsnummer; return it as 12 digits ``YYYYMMDDNNNC``.

    Accepts 10 or 12 digits with or without ``-``/``+``. The century of a 10-digit number
    follows the Swedish rule (``+`` means 100 years or older).
    """
    text = (raw or "").strip().replace(" ", "")
    if not text:
        raise InvalidInput(_l("Enter the personnummer."), field)
    if not re.fullmatch(r"\d{6}(\d{2})?[-+]?\d{4}", text):
        raise InvalidInput(_l("“%(value)s” is not a personnummer: write YYYYMMDD-NNNN or YYMMDD-NNNN.",
                              value=text[:20]), field)
    digits = re.sub(r"\D", "", text)
    if len(digits) == 10:
        yy = int(digits[:2])
        today = date.today()
        century = (today.year // 100) * 100
        year = century + yy
        if year > today.year:
            year -= 100
        if "+" in text:
            year -= 100
        digits = f"{year:04d}{digits[2:]}"
    year, month, day = int(digits[:4]), int(digits[4:6]), int(digits[6:8])
    coordination = day > 60
    try:
        born = date(year, month, day - 60 if coordination else day)
    except ValueError:
        raise InvalidInput(_l("“%(value)s” contains a date that does not exist.", value=text[:20]), field) from None
    if born > date.today():
        raise InvalidInput(_l("“%(value)s” has a birth date in the future.", value=text[:20]), field)
    if not luhn.is_valid(digits[2:]):
        raise InvalidInput(_l("“%(value)s” has a wrong check digit (a typing error?).", value=text[:20]), field)
    return digits


def is_coordination_number(personnummer: str) -> bool:
    """True for a samordningsnummer (day of birth plus 60)."""
    return int(personnummer[6:8]) > 60


def birth_date_of(personnummer: str) -> str:
    """The ISO birth date hidden in a 12-digit personnummer or samordningsnummer."""
    day = int(personnummer[6:8])
    day = day - 60 if day > 60 else day
    return f"{personnummer[:4]}-{personnummer[4:6]}-{day:02d}"


_NUMBER_IN_TEXT = re.compile(r"(?<!\d)(\d{6}(?:\d{2})?)\s?([-+]?)\s?(\d{4})(?!\d)")
# A Swedish VAT number: SE, the organisation number's ten digits, 01 (of a sole trader: the owner's personnummer).
_VAT_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])(SE)\s?(\d{6})(\d{4})\s?(01)(?!\d)", re.IGNORECASE)


def vat_personnummer_in_text(text: str) -> list[str]:
    """The personnummer (ten digits) inside every sole trader's VAT number in free text."""
    found = []
    for match in _VAT_IN_TEXT.finditer(text or ""):
        try:
            validate_personnummer(match.group(2) + match.group(3))
        except InvalidInput:
            continue
        found.append(match.group(2) + match.group(3))
    return found


def mask_personnummer_in_text(text: str) -> str:
    """Every valid personnummer or samordningsnummer in free text (a sole trader's organisation number
    too) with its last four digits hidden; organisation numbers of legal persons stay as written."""
    def mask(match: re.Match[str]) -> str:
        try:
            validate_personnummer(match.group(0))
        except InvalidInput:
            return match.group(0)
        return f"{match.group(1)}{match.group(2) or '-'}****"

    def mask_vat(match: re.Match[str]) -> str:
        if not vat_personnummer_in_text(match.group(0)):
            return match.group(0)
        return f"{match.group(1)}{match.group(2)}****{match.group(4)}"

    if not text or not any(ch.isdigit() for ch in text):
        return text
    # The VAT form first: its twelve digits are no personnummer to the general pattern, which would miss it.
    return _NUMBER_IN_TEXT.sub(mask, _VAT_IN_TEXT.sub(mask_vat, text))


def is_sole_trader(identifier_type: str | None, identifier: str | None) -> bool:
    """True when a Swedish organisation number is a personnummer (a sole trader, enskild firma).

    A legal person's number has 20 or more in the "month" digits; a personnummer's month is 01-12.
    """
    return identifier_type == "se_orgnr" and bool(identifier) and len(identifier) == 10 and identifier[2] in "01"


def holds_personnummer(identifier_type: str | None, identifier: str | None) -> bool:
    """True for a sole trader's organisation number and for a Swedish VAT number built from one (SE + number
    + 01): either tells whose personnummer it is."""
    if is_sole_trader(identifier_type, identifier):
        return True
    return (identifier_type == "vat" and bool(identifier) and len(identifier or "") == 14
            and (identifier or "").startswith("SE") and is_sole_trader("se_orgnr", (identifier or "")[2:12]))


def mask_identifier(identifier_type: str | None, identifier: str | None) -> str:
    """A sole trader's organisation number masked like a personnummer (``YYMMDD-****``); others unchanged."""
    if not identifier:
        return ""
    if is_sole_trader(identifier_type, identifier):
        return f"{identifier[:6]}-****"
    return identifier


def mask_personnummer(personnummer: str | None) -> str:
    """``YYYYMMDD-****``: the date part only; the four last digits stay hidden."""
    if not personnummer:
        return ""
    return f"{personnummer[:8]}-****"


def format_personnummer(personnummer: str) -> str:
    """``YYYYMMDD-NNNN`` for showing a revealed number."""
    return f"{personnummer[:8]}-{personnummer[8:]}"


def validate_birth_date(raw: str, field: str = "birth_date") -> str:
    """Accept ``YYYY`` or ``YYYY-MM-DD`` (a full date must exist and not be in the future)."""
    text = (raw or "").strip()
    if re.fullmatch(r"\d{4}", text):
        if not 1900 <= int(text) <= date.today().year:
            raise InvalidInput(_l("The birth year %(value)s is not plausible.", value=text), field)
        return text
    try:
        parsed = date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(_l("“%(value)s” is not a date: write YYYY-MM-DD or just the year YYYY.", value=text[:20]),
                           field) from None
    if parsed > date.today() or parsed.year < 1900:
        raise InvalidInput(_l("The birth date %(value)s is not plausible.", value=text), field)
    return parsed.isoformat()


def validate_country(raw: str, field: str = "country") -> str:
    """An ISO 3166-1 alpha-2 code; a country name in Swedish or English is turned into its code."""
    text = (raw or "").strip()
    code = iso2(text) if len(text) == 2 else country_code(text)  # the one name -> ISO lookup (lists.common)
    if code:
        return code
    raise InvalidInput(_l("“%(value)s” is not a country: use the two-letter code, e.g. SE, NO, GB.", value=text[:40]),
                       field)
