"""Bulk import: every common CSV dialect and XLSX, row-level errors, nothing written before confirmation."""
from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from vetting.domain import imports
from vetting.domain.audit import SYSTEM

HEADER_SV = "Namn;Land;Organisationsnummer;Adress\r\n"
ROWS_SV = "Åkeri Östlund AB;SE;556677-8899;Storgatan 1, Umeå\r\nFel Nummer AB;SE;556677-8898;\r\nBergen Bygg AS;NO;987654325;\r\n"


def _xlsx(rows):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("data", [
    (HEADER_SV + ROWS_SV).encode("cp1252"),                       # Excel "CSV (semikolonavgränsad)" on Windows
    (HEADER_SV + ROWS_SV).encode("latin-1"),
    "\ufeff".encode() + (HEADER_SV + ROWS_SV).encode("utf-8"),   # UTF-8 with BOM (Excel "CSV UTF-8")
    (HEADER_SV + ROWS_SV).replace(";", ",").encode("utf-8"),
    (HEADER_SV + ROWS_SV).replace(";", "\t").encode("utf-8"),
], ids=["excel-cp1252", "latin-1", "utf8-bom", "comma", "tab"])
def test_csv_dialects_give_the_same_preview(db, data):
    preview = imports.parse(db, "organisations", data, "leverantorer.csv")
    assert [r["name"] for r in preview.valid] == ["Åkeri Östlund AB", "Bergen Bygg AS"]
    assert [r["row"] for r in preview.rejected] == [3]
    assert "check digit" in preview.rejected[0]["reason"]
    assert db.execute("SELECT count(*) FROM organisations").fetchone()[0] == 0


def test_xlsx_is_read(db):
    data = _xlsx([["name", "country", "identifier_type", "identifier"], ["Thames Ltd", "GB", "gb_company", "06070408"],
                  ["Saknar land", None, None, None]])
    preview = imports.parse(db, "organisations", data, "lista.xlsx")
    assert [r["name"] for r in preview.valid] == ["Thames Ltd"]
    assert preview.rejected[0]["row"] == 3


@pytest.mark.parametrize("data, message", [
    (b"", "is empty"),
    (b"\x00\x01\x02garbage" * 10, "not a CSV or XLSX"),
    (b"PK\x03\x04 not really a zip", "not a readable Excel file"),
    (b"foo;bar\n1;2\n", "missing: name, country"),
    (b'name,country\n"Unclosed,SE\n', "could not be read as CSV"),
])
def test_broken_files_get_a_clear_message(db, data, message):
    with pytest.raises(imports.ImportFileError, match=message):
        imports.parse(db, "organisations", data, "x.csv")


def test_duplicate_rows_in_the_file_are_rejected(db):
    data = b"name;country;organisationsnummer\nA AB;SE;5566778899\nA igen AB;SE;556677-8899\n"
    preview = imports.parse(db, "organisations", data, "x.csv")
    assert len(preview.valid) == 1 and preview.rejected[0]["row"] == 3


def test_identifier_type_is_inferred(db):
    data = b"name,country,identifier\nLEI Co,DE,549300LBI3LRIZ2V8V66\nVAT GmbH,DE,DE136695976\n"
    preview = imports.parse(db, "organisations", data, "x.csv")
    assert [r["identifier_type"] for r in preview.valid] == ["lei", "vat"]


def test_key_persons_import_links_to_organisations(db, create_org):
    create_org(identifier_type="se_orgnr", identifier="5566778899")
    data = ("organisationsnummer;namn;roll;personnummer;födelsedatum\n"
            "556677-8899;Lars Öberg;VD;19700312-1238;\n"
            "556677-8899;Karin Lind;Styrelseledamot;;1982-07-04\n"
            "556123-4567;Okänd Bolag;VD;;1970\n"
            "556677-8899;Fel Nummer;VD;19700312-1239;\n").encode("cp1252")
    preview = imports.parse(db, "persons", data, "personer.csv")
    assert [(r["name"], r["role"]) for r in preview.valid] == [("Lars Öberg", "ceo"), ("Karin Lind", "board_member")]
    assert {r["row"]: r["reason"] for r in preview.rejected}.keys() == {4, 5}
    assert imports.commit(db, SYSTEM, preview, "personer.csv") == 2
    assert db.execute("SELECT count(*) FROM key_roles").fetchone()[0] == 2


def test_upload_preview_then_confirm(login_as, db):
    client = login_as("procurement_officer")
    client.post("/language", data={"lang": "en"})
    data = (HEADER_SV + ROWS_SV).encode("cp1252")
    response = client.post("/import/", data={"kind": "organisations", "file": (io.BytesIO(data), "lev.csv")},
                           content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "2 rows can be imported" in page and "1 rows are rejected" in page
    assert "check digit" in page
    assert db.execute("SELECT count(*) FROM organisations").fetchone()[0] == 0
    token = db.execute("SELECT token FROM pending_imports").fetchone()[0]
    assert client.post("/import/confirm", data={"token": token}).status_code == 302
    assert db.execute("SELECT count(*) FROM organisations").fetchone()[0] == 2
    assert db.execute("SELECT count(*) FROM pending_imports").fetchone()[0] == 0


def test_confirm_of_someone_elses_import_does_nothing(login_as, db, accounts):
    from vetting.store import imports as store

    store.save(db, token="abc", kind="organisations", filename="x.csv", user_id=accounts["admin"],
               rows=[{"row": 2, "name": "X AB", "country": "SE", "identifier_type": None, "identifier": None,
                      "address": "", "industry_code": None}])
    login_as("procurement_officer").post("/import/confirm", data={"token": "abc"})
    assert db.execute("SELECT count(*) FROM organisations").fetchone()[0] == 0


def test_broken_upload_shows_message_not_500(login_as):
    client = login_as("procurement_officer")
    response = client.post("/import/", data={"kind": "organisations", "file": (io.BytesIO(b"\x00\x00\x00"), "x.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 400 and 'class="error"' in response.get_data(as_text=True)


def test_cli_import_reports_rows_and_imports_valid_ones(runner, db, tmp_path):
    path = tmp_path / "lev.csv"
    path.write_bytes((HEADER_SV + ROWS_SV).encode("cp1252"))
    result = runner.invoke(args=["import", "organisations", str(path), "--yes"])
    assert result.exit_code == 0, result.output
    assert "row 3:" in result.output and "Imported 2 rows" in result.output
    assert db.execute("SELECT count(*) FROM organisations").fetchone()[0] == 2


def test_cli_import_of_broken_file_fails(runner, tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"foo;bar\n")
    result = runner.invoke(args=["import", "organisations", str(path), "--yes"])
    assert result.exit_code == 1 and "missing" in result.output
