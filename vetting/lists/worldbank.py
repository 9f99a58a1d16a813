"""Importer for the World Bank list of debarred firms and individuals (official XLSX or CSV scrape)."""
from __future__ import annotations

import hashlib
import re
import warnings
import zipfile
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from .common import (
    ZIP_MAGIC, build_version, clean, country_code, iso_date, partial_date, read_csv, read_head, shorten,
    single_file, unique, unique_pairs,
)
from .model import ListEntry, ListFormatError, ListVersion

WHAT = "the World Bank debarred firms and individuals list (official XLSX export or its CSV scrape)"
PERMANENT = "2999-12-31"  # the World Bank's "To Date" for indefinite debarment
CSV_HEADER = ("firm name", "address", "country")
_TITLE = re.compile(r"^(?:MR|MRS|MS|MISS|DR|PROF|SHRI|SMT|ENG|ENGR)\.?\s", re.I)
_ORG_WORDS = re.compile(
    r"\b(?:LTD|LIMITED|LLC|LLP|INC|CORP|CORPORATION|CO|COMPANY|GROUP|S\.?A\.?|S\.?A\.?C|S\.?R\.?L|GMBH|AB|AG|BV|NV|PLC"
    r"|PVT|JSC|OOO|SARL|SAS|PT|CONSTRUCTION|CONSTRUTORA|CONSTRUCTORA|CONSORCIO|CONSULTING|CONSULTANTS|ENGINEERING"
    r"|ENTERPRISES?|TRADING|SERVICES|INDUSTR\w*|TECHNOLOG\w*|HOLDINGS?|FOUNDATION|ASSOCIATES|PARTNERS|BRANCH"
    r"|INTERNATIONAL|AGENCY|AGENCIES|SOCIETY|M/S|ZAO|CJSC|EOOD|LTDA|LIMITADA|EIRELI|S\.?P\.?A|ASSOCIATION"
    r"|ORGANIZATION|CENTRE|CENTER|CABINET|SOCI[EÉ]T[EÉ]|INCORPORATED|SYSTEMS|SOFTWARES?|CONSULT|SH\.?P\.?K|B\.V|SL"
    r"|SRL|TOO|DOO)\b\.?", re.I)
_XREF = re.compile(r"\*\s*\d+")  # "*677": cross-reference group shared by affiliated entries
_ALIAS_IN_TEXT = re.compile(r"\(?\b(?:AKA|A\.K\.A\.|ALSO KNOWN AS|NOW KNOWN AS|F/K/A|FKA|N/K/A"
                            r"|FORMERLY(?: KNOWN AS| OPERATING AS)?)"
                            r"\s*:?\s*([^()]+)\)?", re.I)
# A run of non-Latin text, possibly with brackets or spaces inside: "河南省地矿建设工程(集团)有限公司".
_SCRIPT_RUN = re.compile(r"[^\x00-\u024f\s]+(?:[()\s]*[^\x00-\u024f\s]+)*")
_REG_NO = re.compile(r"\((?:(?P<label>Reg\.? No\.?|Registration No\.?|TIN(?: No\.?)?|CNPJ|Tax ID|ID)"
                     r"(?![A-Za-z])\s*:?\s*(?P<value>[^)]+)|(?P<code>[0-9A-Z]{15,20}))\)", re.I)


def guess_kind(name: str) -> str:
    """Person when the name carries a title (MR., MS.), organisation when it carries a company word."""
    if _TITLE.match(name):
        return "person"
    return "organisation" if _ORG_WORDS.search(name) else "other"


def _details(*texts: str) -> tuple[list[str], list[tuple[str, str]], list[str]]:
    """Aliases, identifiers and cross-references found in the firm name and "Additional Firm Info"."""
    aliases: list[str] = []
    ids: list[tuple[str, str]] = []
    xrefs: list[str] = []
    for value in texts:
        xrefs += [re.sub(r"\s", "", x) for x in _XREF.findall(value)]
        for m in _REG_NO.finditer(value):
            label = m["label"] or ""
            if m["code"] and not re.search(r"\d", m["code"]):
                continue  # an acronym in brackets, not a registration code
            ids.append(("tax id" if re.match(r"TIN|CNPJ|Tax", label, re.I) else "registration number",
                        clean(m["value"] or m["code"])))
        aliases += [clean(m[1]).rstrip(" ,;") for m in _ALIAS_IN_TEXT.finditer(_XREF.sub("", value))]
        # Names in other scripts are given in brackets or alone: "(湖南建设集团有限公司)".
        aliases += [run for run in _SCRIPT_RUN.findall(value) if _non_latin(run)]
    return aliases, ids, xrefs


def _non_latin(value: str) -> bool:
    """True when the text has letters of a non-Latin script (Chinese, Cyrillic, Arabic...)."""
    return any(c.isalpha() and ord(c) > 0x24F for c in value)


def _strip_name(raw: str) -> str:
    """The firm name without ``*NNN`` references, bracketed non-Latin names and AKA clauses."""
    name = _ALIAS_IN_TEXT.sub("", _REG_NO.sub("", _XREF.sub("", raw)))
    name = re.sub(r"\([^()]*\)", lambda m: "" if _non_latin(m[0]) else m[0], name)
    return clean(name).rstrip(" ,;")


def row_key(name: str, country: str, start: str) -> str:
    """A stable id: the list has no ids, and row numbers shift whenever the list changes."""
    return hashlib.sha1(f"{name}|{country}|{start}".casefold().encode()).hexdigest()[:16]


def _last_day(end: str) -> str | None:
    """The debarment's last day as an ISO date; None when indefinite (``2999-12-31``) or not given."""
    found = partial_date(end) if end and end != PERMANENT else None
    return found if found and len(found) == 10 else None


def _entries(rows: list[tuple[str, str, str, str, str, str, str]]) -> list[ListEntry]:
    """Rows of (firm name, additional info, address, country, from, to, grounds) as entries."""
    entries = []
    keys: Counter[str] = Counter()
    for raw_name, info, _address, country, start, end, grounds in rows:
        aliases, ids, xrefs = _details(raw_name, info)
        # A few rows put only "A.K.A. ..." in the name column and the name itself in the next one.
        name = _strip_name(raw_name) or _strip_name(info) or (aliases[0] if aliases else "")
        if not name:
            continue
        key = row_key(name, country, start)
        keys[key] += 1
        until = "indefinitely" if end == PERMANENT else f"until {end}" if end else ""
        remarks = [f"Ineligible {until}." if until else "", f"Cross-reference {', '.join(xrefs)}." if xrefs else "",
                   clean(re.sub(r"\*\s*\d+", "", info)) if not aliases and not ids else ""]
        entries.append(ListEntry(
            source_id=key if keys[key] == 1 else f"{key}-{keys[key]}",
            kind=guess_kind(name), name=name,
            aliases=unique(aliases, exclude=[name]),
            countries=unique(c for c in [country_code(country)] if c),
            identifiers=unique_pairs(ids),
            programmes=unique([grounds]),
            listed_on=partial_date(start),
            valid_until=_last_day(end),
            remarks=shorten(" ".join(r for r in remarks if r)),
        ))
    return entries


def _cell(value: Any) -> str:
    return (iso_date(value) or "") if isinstance(value, date) else clean(value)


def _downloaded_on(cell: str, created: Any) -> date | None:
    """The "Downloaded on: 07/01/2025 10:37" date; day/month order checked against the file's creation date."""
    m = re.search(r"(\d{1,2})/(\d{1,2})/(\d{4})", cell)
    if not m:
        return None
    a, b, y = int(m[1]), int(m[2]), int(m[3])
    options = []
    for day, month in ((a, b), (b, a)):
        try:
            options.append(date(y, month, day))
        except ValueError:
            pass
    made = created.date() if hasattr(created, "date") else None
    return made if made in options else (options[0] if options else None)


def _parse_xlsx(path: Path) -> ListVersion:
    import openpyxl  # imported here: only this format needs it

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles it does not know; harmless here
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
            try:
                sheet = book.worksheets[0]
                sheet.reset_dimensions()  # the official export declares A1:A1288, hiding columns B-G
                rows = [tuple(_cell(v) for v in row) for row in sheet.iter_rows(values_only=True)]
                created = book.properties.created
            finally:
                book.close()
    except ListFormatError:
        raise
    except Exception as err:  # openpyxl raises many exception types on damaged workbooks
        raise ListFormatError(f"{path.name} is not a readable XLSX workbook (it may be cut off or damaged).") from err
    header = next((i for i, row in enumerate(rows[:10]) if row and row[0].lower() == "firm name"), None)
    if header is None or len(rows[header]) < 7:
        raise ListFormatError(f"{path.name} is not {WHAT}: no 'Firm Name' header row with 7 columns was found.")
    published = _downloaded_on(rows[0][0] if rows and rows[0] else "", created) if header > 0 else None
    body = rows[header + 1:]
    if body and body[0] and body[0][0] == "" and "from date" in " ".join(body[0]).lower():
        body = body[1:]  # second header row: "From Date" / "To Date" under "Ineligibility Period"
    data = [tuple((list(r) + [""] * 7)[:7]) for r in body if r and any(r)]
    entries = _entries([(r[0], r[1], r[2], r[3], r[4], r[5], r[6]) for r in data])
    return build_version("worldbank", [path], entries, what=WHAT, published=published)


def _parse_csv(path: Path) -> ListVersion:
    rows = read_csv(path, WHAT)
    header = [clean(h).lower() for h in rows[0]]
    if tuple(header[:3]) != CSV_HEADER or len(header) != 6:
        raise ListFormatError(f"{path.name} is not {WHAT}: expected the header Firm Name, Address, Country, "
                              f"Ineligibility Period (From), Ineligibility Period (To), Grounds.")
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != 6:
            cut = " It looks cut off." if number == len(rows) else ""
            raise ListFormatError(f"{path.name}: row {number} has {len(row)} columns, expected 6.{cut}")
    entries = _entries([(clean(r[0]), "", clean(r[1]), clean(r[2]), clean(r[3]), clean(r[4]), clean(r[5]))
                        for r in rows[1:]])
    return build_version("worldbank", [path], entries, what=WHAT)


def parse(paths: list[Path]) -> ListVersion:
    """Parse the World Bank XLSX (published = "Downloaded on" in A1) or the CSV scrape (no date)."""
    path = single_file(paths, "World Bank debarment list")
    if read_head(path).startswith(ZIP_MAGIC):
        if not zipfile.is_zipfile(path):
            raise ListFormatError(f"{path.name} is not a readable XLSX workbook (it may be cut off or damaged).")
        return _parse_xlsx(path)
    return _parse_csv(path)
