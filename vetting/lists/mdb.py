"""Importers for other development banks' debarment lists: EBRD ineligible entities (CSV) and IDB
sanctioned firms and individuals (XLSX).

Neither file carries a publication date, so a version is dated by the download (the file's
modification time) and says so. Each entry carries its debarment period: ``listed_on`` is the
first day, ``valid_until`` the last ("Ongoing" and "Indefinite" leave it open).
"""
from __future__ import annotations

import warnings
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

from .common import (
    ZIP_MAGIC, build_version, clean, country_code, download_date, partial_date, read_csv, read_head, shorten,
    single_file, unique,
)
from .model import ListEntry, ListFormatError, ListVersion
from .worldbank import guess_kind, row_key

WHAT_EBRD = "the EBRD ineligible entities CSV (header Firm Name, Address, Nationality, Ineligible From, ...)"
WHAT_IDB = "the IDB sanctioned firms and individuals XLSX (header Title, Entity, Nationality, Country, From, To, ...)"
EBRD_HEADER = ("firm name", "address", "nationality", "ineligible from", "ineligible until")
IDB_HEADER = ("title", "entity", "nationality", "country", "from", "to")
OPEN_ENDED = ("ongoing", "indefinite", "indefinitely", "permanent", "")


def _until(value: Any) -> str | None:
    """The last day of a debarment as an ISO date, or None when open-ended ("Ongoing", "Indefinite")."""
    text = clean(value)
    if text.lower() in OPEN_ENDED:
        return None
    found = partial_date(text)
    return found if found and len(found) == 10 else None


def _name(value: Any) -> str:
    """The party's name without the quotation marks the banks put around parts of it."""
    return clean(clean(value).translate(_QUOTES))


_QUOTES = str.maketrans({'"': " ", "“": " ", "”": " ", "„": " "})


def _remarks(start: str | None, until: str | None, *parts: str) -> str | None:
    period = f"Ineligible from {start or 'an unknown date'} {f'until {until}' if until else 'with no end date'}."
    return shorten(" ".join([period, *(p for p in parts if p)]))


def _key(keys: Counter[str], name: str, country: str, start: str) -> str:
    key = row_key(name, country, start)
    keys[key] += 1
    return key if keys[key] == 1 else f"{key}-{keys[key]}"


def parse_ebrd(paths: list[Path]) -> ListVersion:
    """Parse the EBRD ineligible entities CSV (UTF-8 with BOM, one row per debarred party)."""
    path = single_file(paths, "EBRD ineligible entities")
    rows = read_csv(path, WHAT_EBRD, strict=False)
    header = tuple(clean(h).lower() for h in rows[0])
    if header[:5] != EBRD_HEADER:
        raise ListFormatError(f"{path.name} is not {WHAT_EBRD}.")
    entries, keys = [], Counter[str]()
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            cut = " It looks cut off." if number == len(rows) else ""
            raise ListFormatError(f"{path.name}: row {number} has {len(row)} columns, expected {len(header)}.{cut}")
        rec = dict(zip(header, row))
        name = _name(rec["firm name"])
        if not name:
            continue
        start, until = partial_date(rec["ineligible from"]), _until(rec["ineligible until"])
        origin = clean(rec.get("originating institution"))
        entries.append(ListEntry(
            source_id=_key(keys, name, clean(rec["nationality"]), rec["ineligible from"]),
            kind=guess_kind(name), name=name,
            countries=unique(c for c in (country_code(rec["nationality"]),) if c),
            programmes=unique([rec.get("prohibited practice", "")]),
            listed_on=start, valid_until=until,
            remarks=_remarks(start, until, f"Originating institution: {origin}." if origin else ""),
        ))
    return build_version("ebrd", [path], entries, what=WHAT_EBRD, published=download_date([path]),
                         published_basis="download")


def _xlsx_rows(path: Path) -> list[tuple[Any, ...]]:
    import openpyxl  # imported here: only the spreadsheet formats need it

    if not read_head(path).startswith(ZIP_MAGIC) or not zipfile.is_zipfile(path):
        raise ListFormatError(f"{path.name} is not an XLSX workbook; expected {WHAT_IDB}.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles it does not know; harmless here
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
            try:
                sheet = book.worksheets[0]
                sheet.reset_dimensions()
                return [tuple(row) for row in sheet.iter_rows(values_only=True)]
            finally:
                book.close()
    except Exception as err:  # openpyxl raises many exception types on damaged workbooks
        raise ListFormatError(f"{path.name} is not a readable XLSX workbook (it may be cut off or damaged).") from err


def parse_idb(paths: list[Path]) -> ListVersion:
    """Parse the IDB sanctioned firms and individuals XLSX export (one sheet, header in row 1)."""
    path = single_file(paths, "IDB sanctioned firms and individuals")
    rows = _xlsx_rows(path)
    if not rows or tuple(clean(h).lower() for h in rows[0][:6]) != IDB_HEADER:
        raise ListFormatError(f"{path.name} is not {WHAT_IDB}.")
    header = [clean(h).lower() for h in rows[0]]
    entries, keys = [], Counter[str]()
    for row in rows[1:]:
        rec = dict(zip(header, (clean(v) if not hasattr(v, "isoformat") else v for v in row)))
        name = _name(rec.get("title"))
        if not name:
            continue
        entity = clean(rec.get("entity")).lower()
        kind = "person" if entity == "individual" else "organisation" if entity == "firm" else guess_kind(name)
        start, until = partial_date(rec.get("from")), _until(rec.get("to"))
        other = clean(rec.get("other name"))
        source = clean(rec.get("source"))
        entries.append(ListEntry(
            source_id=_key(keys, name, clean(rec.get("nationality")), str(rec.get("from") or "")),
            kind=kind, name=name, aliases=unique([other], exclude=[name]),
            countries=unique(c for c in (country_code(rec.get("nationality") or ""),) if c),
            programmes=unique([rec.get("grounds") or "", rec.get("idb sanction type") or ""]),
            listed_on=start, valid_until=until,
            remarks=_remarks(start, until, f"Source: {source}." if source else "",
                             f"Country of the sanctioned activity: {rec.get('country')}." if rec.get("country") else ""),
        ))
    return build_version("idb", [path], entries, what=WHAT_IDB, published=download_date([path]),
                         published_basis="download")
