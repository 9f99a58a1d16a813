"""Finding 6: an import stops reading at the row limit and refuses an XLSX whose contents unpack too large.

The files are built here as the minimal XLSX a spreadsheet program writes (a ZIP of XML parts); the
time and memory of the real 3-million-row bomb are measured in bench/xlsx_bomb.py.
"""
from __future__ import annotations

import io
import zipfile

import pytest

from vetting.domain import imports

PARTS = {
    "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '</Types>',
    "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    '</Relationships>',
    "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '</Relationships>',
}


def xlsx(rows: list[list[str]], tail: str = "") -> bytes:
    """An XLSX with these rows of inline strings; ``tail`` is raw XML appended after the last row."""
    def cell(value: str) -> str:
        return f'<c t="inlineStr"><is><t>{value}</t></is></c>'

    body = "".join(f'<row r="{n}">{"".join(cell(v) for v in row)}</row>' for n, row in enumerate(rows, start=1))
    sheet = ('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f"<sheetData>{body}{tail}</sheetData></worksheet>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in {**PARTS, "xl/worksheets/sheet1.xml": sheet}.items():
            archive.writestr(name, text)
    return buffer.getvalue()


HEADER = ["namn", "land"]


def test_a_small_xlsx_is_read(db):
    preview = imports.parse(db, "organisations", xlsx([HEADER, ["Norrlands Bygg AB", "SE"]]), "lev.xlsx")
    assert [r["name"] for r in preview.valid] == ["Norrlands Bygg AB"]


def test_reading_stops_at_the_row_limit(db, monkeypatch):
    # Rows beyond the limit are not even read: broken XML far after them does not matter.
    monkeypatch.setattr(imports, "MAX_ROWS", 50)
    data = xlsx([HEADER] + [[f"Bolag {i} AB", "SE"] for i in range(5000)], tail="<row><c><broken")
    with pytest.raises(imports.ImportFileError) as refused:
        imports.parse(db, "organisations", data, "bomb.xlsx")
    assert "more than 50 rows" in str(refused.value.message)


def test_a_file_that_unpacks_too_large_is_refused_before_parsing(db, monkeypatch):
    monkeypatch.setattr(imports, "MAX_UNPACKED_BYTES", 10_000)
    data = xlsx([HEADER] + [["A" * 200, "SE"] for _ in range(100)])
    assert len(data) < 10_000
    with pytest.raises(imports.ImportFileError) as refused:
        imports.parse(db, "organisations", data, "bomb.xlsx")
    assert "too large" in str(refused.value.message)


def test_very_wide_rows_are_cut_to_the_columns_an_import_can_use(db):
    data = xlsx([HEADER + [""] * 5000, ["Norrlands Bygg AB", "SE"] + ["x"] * 5000])
    preview = imports.parse(db, "organisations", data, "lev.xlsx")
    assert [r["name"] for r in preview.valid] == ["Norrlands Bygg AB"]


def test_the_upload_is_refused_with_a_message_not_a_500(login_as, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 50)
    client = login_as("procurement_officer")
    client.post("/language", data={"lang": "en"})
    data = xlsx([HEADER] + [[f"Bolag {i} AB", "SE"] for i in range(5000)], tail="<row><c><broken")
    response = client.post("/import/", data={"kind": "organisations", "file": (io.BytesIO(data), "bomb.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code == 400 and "more than 50 rows" in response.get_data(as_text=True)
