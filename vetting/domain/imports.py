"""Bulk import of organisations and key persons from CSV or XLSX: parse, preview, then commit.

Nothing is written while parsing; the user sees every rejected row with its number and
reason and confirms before the valid rows are written (in one transaction).
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils
from .message import _l

from ..store import organisations as org_store
from ..store import write_transaction
from .audit import Actor, record
from .errors import DomainError, InvalidInput
from .identifiers import holds_personnummer
from .organisations import clean_organisation, clean_person
from .text import decode_bytes, fold
from . import organisations as organisations_domain

KINDS = ("organisations", "persons")
MAX_ROWS = 20000
# An XLSX is a ZIP: 1 MB can unpack to gigabytes. The parts' declared sizes bound what zipfile will
# inflate, so their sum is checked before anything is parsed; rows past the limit are never read,
# nor columns past those an import can use, and reading stops after a time budget (finding 6).
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
MAX_COLUMNS = 64
MAX_READ_SECONDS = 20.0

# Column names people actually use (Swedish and English exports), mapped to our fields.
HEADER_ALIASES = {
    "name": {"name", "namn", "foretagsnamn", "foretag", "company", "company name", "leverantor", "supplier"},
    "country": {"country", "land", "landkod", "country code"},
    "identifier_type": {"identifier_type", "identifier type", "id_type", "id-typ", "typ av id"},
    "identifier": {"identifier", "id", "organisationsnummer", "orgnr", "org.nr", "org nr", "organisation number",
                   "company number", "vat", "momsnummer", "lei"},
    "address": {"address", "adress", "postadress"},
    "industry_code": {"industry_code", "industry code", "sni", "sni-kod", "sni kod", "nace"},
    "organisation_identifier": {"organisation_identifier", "organisation identifier", "organisationsnummer",
                                "orgnr", "org.nr", "foretagets organisationsnummer", "company number"},
    "role": {"role", "roll", "befattning"},
    "personnummer": {"personnummer", "personal identity number", "samordningsnummer", "pnr"},
    "birth_date": {"birth_date", "birth date", "fodelsedatum", "date of birth", "dob"},
    "nationality": {"nationality", "nationalitet", "medborgarskap"},
}
FIELDS = {
    "organisations": ("name", "country", "identifier_type", "identifier", "address", "industry_code"),
    "persons": ("organisation_identifier", "name", "role", "personnummer", "birth_date", "nationality"),
}
REQUIRED = {"organisations": ("name", "country"), "persons": ("organisation_identifier", "name", "role")}
ROLE_ALIASES = {
    "styrelseledamot": "board_member", "ledamot": "board_member", "board member": "board_member",
    "suppleant": "deputy", "styrelsesuppleant": "deputy", "vd": "ceo", "verkstallande direktor": "ceo",
    "firmatecknare": "signatory", "verklig huvudman": "beneficial_owner", "huvudman": "beneficial_owner",
    "kontaktperson": "contact", "kontakt": "contact",
}
_DEFAULT_ID_TYPE = {"SE": "se_orgnr", "NO": "no_orgnr", "GB": "gb_company"}


class ImportFileError(DomainError):
    """The file as a whole cannot be read (wrong format, encoding, no header...)."""


@dataclass
class Preview:
    """What an import would do: the valid rows ready to write, and the rejected ones with reasons."""

    kind: str
    valid: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)


def _fold(text: str) -> str:
    """Lower case without diacritics, underscores or repeated spaces, for comparing column names and role words."""
    return " ".join(fold(text).replace("_", " ").split())


def read_table(data: bytes, filename: str) -> list[list[str]]:
    """Rows of cells from CSV (any common delimiter) or XLSX bytes."""
    if not data.strip():
        raise ImportFileError(_l("The file %(name)s is empty.", name=filename))
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data, filename)
    if b"\x00" in data[:2048]:
        raise ImportFileError(_l("%(name)s is not a CSV or XLSX file (it looks like another binary format).",
                                 name=filename))
    text = decode_bytes(data)
    first_line = text.splitlines()[0] if text.splitlines() else ""
    delimiter = max(";,\t|", key=first_line.count)
    try:
        return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)]
    except csv.Error as exc:
        raise ImportFileError(_l("%(name)s could not be read as CSV: %(reason)s.", name=filename, reason=str(exc))) from None


def _too_many_rows() -> ImportFileError:
    return ImportFileError(_l("The file has more than %(n)s rows; split it.", n=MAX_ROWS))


_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")


def _most_rows_in_a_sheet(data: bytes) -> int:
    """Row elements in the longest worksheet, counted in the raw XML stream (constant memory, stops early)."""
    most = 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            count, carry = 0, b""
            with archive.open(name) as part:
                while count <= MAX_ROWS + 1 and (chunk := part.read(1 << 20)):
                    window = carry + chunk
                    matches = list(_ROW_TAG.finditer(window))
                    count += len(matches)
                    # Carry the unmatched tail, so a tag split between chunks is counted once.
                    carry = window[max(matches[-1].end() if matches else 0, len(window) - 64):]
            most = max(most, count)
    return most


def _read_xlsx(data: bytes, filename: str) -> list[list[str]]:
    import time
    from xml.etree.ElementTree import ParseError

    from openpyxl import load_workbook

    unreadable = (zipfile.BadZipFile, KeyError, OSError, ValueError, ParseError, EOFError)
    try:
        unpacked = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(data)).infolist())
    except unreadable as exc:
        raise ImportFileError(_l("%(name)s is not a readable Excel file (%(reason)s).", name=filename,
                                 reason=type(exc).__name__)) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportFileError(_l("%(name)s is too large once unpacked (more than %(mb)s MB); split it.", name=filename,
                                 mb=MAX_UNPACKED_BYTES // (1024 * 1024)))
    # openpyxl parses a whole sheet without a <dimension> element just to size it: count rows first.
    if _most_rows_in_a_sheet(data) > MAX_ROWS + 1:
        raise _too_many_rows()
    deadline = time.monotonic() + MAX_READ_SECONDS
    rows: list[list[str]] = []
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            for row in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
                # Header plus MAX_ROWS data rows are allowed; one more proves the file too long.
                if len(rows) > MAX_ROWS:
                    raise _too_many_rows()
                if time.monotonic() > deadline:
                    raise ImportFileError(_l("%(name)s took too long to read; split it or save it again as CSV.",
                                             name=filename))
                rows.append(["" if cell is None else str(cell).strip() for cell in row])
        finally:
            workbook.close()
    except unreadable as exc:
        raise ImportFileError(_l("%(name)s is not a readable Excel file (%(reason)s).", name=filename,
                                 reason=type(exc).__name__)) from None
    return rows


def _header_map(header: list[str], kind: str) -> dict[str, int]:
    """Column index of each of our fields found in the header row."""
    found: dict[str, int] = {}
    for index, name in enumerate(header):
        folded = _fold(name)
        for field_name in FIELDS[kind]:
            if field_name not in found and folded in HEADER_ALIASES[field_name]:
                found[field_name] = index
                break
    return found


def _infer_identifier_type(country: str, identifier: str) -> str | None:
    """Guess the identifier type when the file has no such column: LEI, VAT, else the country's register."""
    from stdnum import lei
    from stdnum.eu import vat

    if lei.is_valid(identifier):
        return "lei"
    if identifier[:2].isalpha() and vat.is_valid(identifier):
        return "vat"
    return _DEFAULT_ID_TYPE.get(country.strip().upper())


def parse(db: sqlite_utils.Database, kind: str, data: bytes, filename: str, actor: Actor | None = None) -> Preview:
    """Read and validate every row without writing anything.

    ``actor`` is who will commit (None: the system). For a role that may not see personnummer, a sole
    trader's number is never checked against the stored ones (finding 1): the preview would tell which of
    a thousand guessed numbers is stored.
    """
    if kind not in KINDS:
        raise ImportFileError(_l("Unknown import kind %(kind)s.", kind=kind))
    rows = [r for r in read_table(data, filename)]
    while rows and not any(cell.strip() for cell in rows[0]):
        rows.pop(0)
    if not rows:
        raise ImportFileError(_l("The file %(name)s has no rows.", name=filename))
    columns = _header_map(rows[0], kind)
    missing = [f for f in REQUIRED[kind] if f not in columns]
    if missing:
        raise ImportFileError(_l("The first row must name the columns; missing: %(cols)s. Found: %(found)s.",
                                 cols=", ".join(missing), found=", ".join(c for c in rows[0] if c)[:200]))
    if len(rows) - 1 > MAX_ROWS:
        raise _too_many_rows()
    preview = Preview(kind)
    seen: set[tuple[Any, ...]] = set()
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        values = {f: (row[i].strip() if i < len(row) else "") for f, i in columns.items()}
        try:
            cleaned = _clean_row(db, kind, values, actor)
            key = _row_key(kind, cleaned)
            if key in seen:
                raise InvalidInput(_l("The same row appears earlier in the file."))
            seen.add(key)
        except DomainError as exc:
            preview.rejected.append({"row": number, "values": values, "reason": str(exc.message)})
        else:
            preview.valid.append({"row": number, **cleaned})
    return preview


def _row_key(kind: str, row: dict[str, Any]) -> tuple[Any, ...]:
    if kind == "organisations":
        return (row["identifier_type"], row["identifier"]) if row["identifier"] else (fold(row["name"]), row["country"])
    return (row["organisation_id"], row["personnummer"] or fold(row["name"]), row["role"])


def _clean_row(db: sqlite_utils.Database, kind: str, values: dict[str, str], actor: Actor | None) -> dict[str, Any]:
    from .merges import links_at_once

    blind = actor is not None and not links_at_once(actor)
    if kind == "organisations":
        if values.get("identifier") and not values.get("identifier_type"):
            values["identifier_type"] = _infer_identifier_type(values.get("country", ""), values["identifier"]) or ""
        cleaned = clean_organisation(values)
        personal = holds_personnummer(cleaned["identifier_type"], cleaned["identifier"])
        if (cleaned["identifier"] and not (blind and personal)
                and org_store.find_by_identifier(db, cleaned["identifier_type"], cleaned["identifier"])):
            raise InvalidInput(_l("An organisation with this identifier is already registered."))
        return cleaned
    org_id_raw = values.get("organisation_identifier", "").replace(" ", "").replace("-", "").upper()
    if blind and (holds_personnummer("se_orgnr", org_id_raw) or holds_personnummer("vat", org_id_raw)):
        # Looking it up would say whether the personnummer is stored, for known and unknown alike.
        raise InvalidInput(_l("A sole trader's number (a personnummer) cannot name the organisation in an import; "
                              "add the key persons on the organisation's page."))
    organisation = _find_organisation(db, org_id_raw)
    if organisation is None:
        raise InvalidInput(_l("No registered organisation has the identifier %(id)s.", id=values.get("organisation_identifier", "")))
    role = values.get("role", "")
    values["role"] = ROLE_ALIASES.get(_fold(role), _fold(role).replace(" ", "_"))
    cleaned = clean_person({**values, "source": "import"})
    cleaned["organisation_id"] = organisation["id"]
    cleaned["organisation_name"] = organisation["name"]
    return cleaned


def _find_organisation(db: sqlite_utils.Database, identifier: str) -> dict[str, Any] | None:
    for id_type in ("se_orgnr", "no_orgnr", "gb_company", "vat", "lei"):
        row = org_store.find_by_identifier(db, id_type, identifier.upper())
        if row:
            return row
    return None


def commit(db: sqlite_utils.Database, actor: Actor, preview: Preview, filename: str) -> int:
    """Write the valid rows in one transaction; return how many were written.

    Rows are validated again inside the transaction: a row that became a duplicate since
    the preview (someone else registered it) stops the whole import rather than half of it.
    """
    written = 0
    with write_transaction(db):
        for row in preview.valid:
            if preview.kind == "organisations":
                organisations_domain.create(db, actor, row)
            else:
                organisations_domain.add_key_person(db, actor, row["organisation_id"], row)
            written += 1
        record(db, actor, f"import.{preview.kind}", None, None,
               after={"filename": filename, "written": written, "rejected_rows": [r["row"] for r in preview.rejected]})
    return written
