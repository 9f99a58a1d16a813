"""CSV and XLSX files from export tables, with spreadsheet formula injection neutralised."""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from typing import Any

# A text cell starting with one of these is read as a formula by Excel and LibreOffice (OWASP
# "CSV injection"); tab and carriage return are on the list because some programs strip them first.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Control characters that XLSX (XML 1.0) cannot hold.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def neutralise(value: Any) -> Any:
    """A text cell that would start a formula gets a leading apostrophe; numbers and other text pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(headings: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    """UTF-8 with a byte-order mark and ``;`` between fields, lines ending CRLF.

    This is what Excel with Swedish regional settings opens correctly on a double-click: it
    only detects UTF-8 from the BOM (otherwise å, ä, ö turn into mojibake), and it expects
    ``;`` as the list separator because ``,`` is the decimal comma.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in headings])
    for row in rows:
        writer.writerow(["" if v is None else neutralise(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(headings: Sequence[str], rows: Sequence[Sequence[Any]], sheet_title: str = "Export") -> bytes:
    """One worksheet, headings in bold on a frozen first row; text cells never become formulas."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=re.sub(r"[\[\]:*?/\\]", "", sheet_title)[:31] or "Export")
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for heading in headings:
        cell = WriteOnlyCell(sheet, value=_xlsx_value(heading))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([_xlsx_value(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, str):
        return neutralise(_ILLEGAL_XML.sub("", value))
    return value
