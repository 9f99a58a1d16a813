"""Screening features for the facts beside the name: birth dates, countries, identifiers."""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Feature:
    """The outcome of one feature: a value in -1..1 (0 is neutral) and a sentence saying why."""

    name: str
    value: float
    explanation: str


_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def _date_parts(value: str) -> tuple[int, int | None, int | None] | None:
    m = _DATE.match(value.strip())
    if not m:
        return None
    return int(m.group(1)), int(m.group(2)) if m.group(2) else None, int(m.group(3)) if m.group(3) else None


# A listed birth year this many years off still counts as "near" when the list gives the date as
# approximate (circa, a range, a year only): lists often estimate the birth years of listed persons.
APPROXIMATE_YEARS = 3


def birth_date(query: str | None, listed: Sequence[str], approximate: bool = False) -> Feature:
    """Compares birth dates: the same date raises the score, a different year lowers it a lot.

    A year one off lowers it less. When the list's date is approximate (``approximate``, a year
    only, or several years as for a range) a year up to ``APPROXIMATE_YEARS`` off lowers it only
    a little, so an exact name stays a possible match. No date on either side is neutral. When
    the list gives several dates the closest one counts.
    """
    q = _date_parts(query) if query else None
    dates = [d for d in (_date_parts(v) for v in listed) if d]
    if q is None or not dates:
        return Feature("birth_date", 0.0, "Birth date not given on both sides.")
    vague = approximate or len({d[0] for d in dates}) > 1
    best, best_text = -1.0, ""
    for d, raw in zip(dates, listed):
        gap = abs(d[0] - q[0])
        if gap == 0:
            fine = [(a, b) for a, b in ((q[1], d[1]), (q[2], d[2])) if a is not None and b is not None]
            if any(a != b for a, b in fine):
                value = 0.0
            else:
                value = 1.0 if len(fine) == 2 else 0.7
        elif gap <= APPROXIMATE_YEARS and (vague or d[1] is None):
            value = -0.25
        else:
            value = -0.4 if gap == 1 else -1.0
        if value > best:
            best, best_text = value, raw
    listed_text = ", ".join(listed)
    if best >= 0.7:
        return Feature("birth_date", best, f"Birth date {query} agrees with the listed {best_text}.")
    if best == 0.0:
        return Feature("birth_date", 0.0, f"Birth year {q[0]} agrees but month or day differ from {listed_text}.")
    if best == -0.25:
        return Feature("birth_date", best, f"Birth date {query} is within {APPROXIMATE_YEARS} years of the listed "
                                           f"approximate {listed_text}.")
    if best > -1.0:
        return Feature("birth_date", best, f"Birth date {query} is a year off the listed {listed_text}.")
    return Feature("birth_date", -1.0, f"Birth date {query} contradicts the listed {listed_text}.")


def country(query: str | None, listed: Sequence[str], single_nationality: bool = False) -> Feature:
    """Compares the query's country with the listed nationalities/countries: same helps a little.

    A different country lowers the score slightly (people move and companies have branches), more
    when the listed party is a person with one nationality (``single_nationality``).
    """
    if not query or not listed:
        return Feature("country", 0.0, "Country not given on both sides.")
    code = query.strip().upper()
    if code in listed:
        return Feature("country", 1.0, f"Country {code} is among the listed countries.")
    if single_nationality and len(listed) == 1:
        return Feature("country", -1.0, f"Nationality {code} contradicts the listed person's only nationality "
                                        f"{listed[0]}.")
    return Feature("country", -0.34, f"Country {code} is not among the listed countries ({', '.join(listed)}).")


_ID_CHARS = re.compile(r"[^0-9A-Z]")
_ID_FAMILIES = {
    "passport": "passport", "pass": "passport", "national": "national_id", "id": "national_id",
    "registration": "registration", "reg": "registration", "company": "registration", "org": "registration",
    "imo": "imo", "lei": "lei", "tax": "tax", "vat": "tax", "inn": "tax", "swift": "swift", "bic": "swift",
}


_ID_LABEL = re.compile(r"^(?:IMO|LEI|NO|NR|NUMBER)\b[\s.:#]*")


def identifier_value(value: str) -> str:
    """An identifier reduced to upper-case letters and digits, so "AB 123-456" equals "ab123456".

    A leading label is dropped: "IMO 9123456" equals "9123456".
    """
    return _ID_CHARS.sub("", _ID_LABEL.sub("", value.upper().strip()))


def identifier_family(kind: str) -> str:
    """Which kind of number an identifier type names (passport, national_id, registration, imo, lei...)."""
    low = kind.lower()
    for word, family in _ID_FAMILIES.items():
        if word in low.split() or low.startswith(word):
            return family
    return "other"


def identifier(query: Sequence[tuple[str, str]], listed: Sequence[tuple[str, str]]) -> Feature:
    """Identical passport, registration, IMO or LEI numbers are a strong sign of the same party.

    Numbers of different kinds (a passport number against a registration number) are not compared;
    numbers shorter than five characters are ignored, as they match by chance.
    """
    for q_type, q_value in query:
        qv = identifier_value(q_value)
        if len(qv) < 5:
            continue
        for l_type, l_value in listed:
            if identifier_value(l_value) != qv:
                continue
            qf, lf = identifier_family(q_type), identifier_family(l_type)
            if qf == lf or "other" in (qf, lf):
                return Feature("identifier", 1.0, f"Identical {l_type or q_type} number {l_value}.")
    if query and listed:
        return Feature("identifier", 0.0, "No identifier in common (people and companies have several).")
    return Feature("identifier", 0.0, "Identifiers not given on both sides.")
