"""Dates as list publishers write them: partial dates, birth-date ranges, "circa", download dates."""
from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from anyascii import anyascii

from .text import clean


def download_date(paths: Iterable[Path]) -> date | None:
    """The date the files were downloaded, read from their modification time (newest file), UTC.

    For a publisher whose file carries no date (OFAC's SDN CSV): the version says this date is
    the download's, not the publisher's.
    """
    try:
        newest = max(Path(p).stat().st_mtime for p in paths)
    except (OSError, ValueError):
        return None
    return datetime.fromtimestamp(newest, tz=timezone.utc).date()


MONTHS = {name: i for i, names in enumerate((
    "jan january janv enero", "feb february fev febrero", "mar march mars marzo", "apr april avr abril",
    "may mai mayo", "jun june juin junio", "jul july juil julio", "aug august aout agosto",
    "sep sept september septembre septiembre", "oct october octobre octubre", "nov november novembre noviembre",
    "dec december decembre diciembre"), start=1) for name in names.split()}
_PREFIX_RE = re.compile(r"^(?:circa|approximately|approx\.?|about|around|ca\.?|c\.|between|from)\s+", re.I)
_RANGE_RE = re.compile(r"\s+(?:to|and|-|–|until)\s+", re.I)


def _fmt(year: int, month: int | None = None, day: int | None = None) -> str | None:
    try:
        date(year, month or 1, day or 1)  # validates month and day
    except ValueError:
        return None
    text = f"{year:04d}" + (f"-{month:02d}" if month else "") + (f"-{day:02d}" if month and day else "")
    return text if 1000 <= year <= 2200 else None


def partial_date(text: Any) -> str | None:
    """One date in a common published form as ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, else None.

    Reads ISO dates (with or without time), ``dd/mm/yyyy`` including ``dd/mm/1968`` placeholders,
    ``10 Dec 1948``, ``Dec. 1948``, ``December 10, 1948`` and bare years.
    """
    if isinstance(text, datetime):
        return text.date().isoformat()
    if isinstance(text, date):
        return text.isoformat()
    t = anyascii(clean(text)).lower().strip(" .,;")
    if not t:
        return None
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[t ].*|-\d\d:\d\d|z)?", t):
        return _fmt(int(m[1]), int(m[2]), int(m[3]))
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", t):
        return _fmt(int(m[1]), int(m[2]))
    if m := re.fullmatch(r"(\d{4})", t):
        return _fmt(int(m[1]))
    if m := re.fullmatch(r"(\d{1,2}|dd|00?)[/.](\d{1,2}|mm|00?)[/.](\d{4})", t):
        month = int(m[2]) if m[2].isdigit() and int(m[2]) else None
        day = int(m[1]) if m[1].isdigit() and int(m[1]) and month else None
        return _fmt(int(m[3]), month, day)
    if (m := re.fullmatch(r"(\d{1,2})\s+([a-z]+)\.?,?\s+(\d{4})", t)) and m[2] in MONTHS:
        return _fmt(int(m[3]), MONTHS[m[2]], int(m[1]))
    if (m := re.fullmatch(r"([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})", t)) and m[1] in MONTHS:
        return _fmt(int(m[3]), MONTHS[m[1]], int(m[2]))
    if (m := re.fullmatch(r"([a-z]+)\.?,?\s+(\d{4})", t)) and m[1] in MONTHS:
        return _fmt(int(m[2]), MONTHS[m[1]])
    return None


def year_span(first: str, last: str, max_years: int = 10) -> list[str]:
    """A date range as every year in it (when it covers whole years, up to ``max_years``), else its endpoints."""
    start_year, end_year = int(first[:4]), int(last[:4])
    whole = first[4:] in ("", "-01", "-01-01") and last[4:] in ("", "-12", "-12-31")
    if whole and 0 <= end_year - start_year <= max_years:
        return [str(y) for y in range(start_year, end_year + 1)]
    return [first, last] if first != last else [first]


def approximate(text: Any) -> bool:
    """True when a published date says it is approximate ("circa 1960", "approx. 1958", "1960 to 1962")."""
    t = clean(text)
    return bool(_PREFIX_RE.match(t) or _RANGE_RE.search(t))


def birth_dates(text: Any) -> list[str]:
    """Birth dates in a free-text value: a single date, ``circa 1960``, ``1960 to 1962``, ``Aug. and Sep. 1977``."""
    t = clean(text)
    if not t or "hijri" in t.lower():
        return []  # other calendars cannot be compared with Gregorian dates
    t = _PREFIX_RE.sub("", _PREFIX_RE.sub("", t))
    parts = _RANGE_RE.split(t, maxsplit=1)
    if len(parts) == 2:
        second = partial_date(parts[1])
        first = partial_date(parts[0])
        if second and not first and parts[0].lower().strip(". ") in MONTHS:
            first = _fmt(int(second[:4]), MONTHS[parts[0].lower().strip(". ")])  # "Aug. and Sep. 1977"
        if first and second:
            return year_span(first, second)
    single = partial_date(t)
    return [single] if single else []


def to_date(value: Any, *, day_first: bool = True) -> date | None:
    """A date from ISO date/datetime text, ``dd/mm/yyyy`` (or ``mm/dd/yyyy`` when not day_first), else None."""
    if isinstance(value, date):
        return value.date() if isinstance(value, datetime) else value
    text = clean(value)
    if "/" in text:  # "14/08/2026", "03/28/2025" (US order when not day_first), "07/01/2025 10:37"
        text = text.split(" ")[0]
        text = text if day_first else re.sub(r"^(\d{1,2})/(\d{1,2})/", r"\2/\1/", text)
    found = partial_date(text)
    return date.fromisoformat(found) if found and len(found) == 10 else None


def iso_date(value: Any, *, day_first: bool = True) -> str | None:
    """``to_date`` as an ISO string, or None."""
    found = to_date(value, day_first=day_first)
    return found.isoformat() if found else None
