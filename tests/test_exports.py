"""CSV and XLSX exports: the list page's filters, roles, formula injection, the audit entry."""
from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from vetting.domain import organisations, procurements
from vetting.domain.audit import SYSTEM
from vetting.reports.tabular import neutralise, to_csv

from test_reports import add_outcome

PERSONNUMMER = "197003121238"


def read_csv(data: bytes) -> list[list[str]]:
    """Rows of a `;`-separated CSV that must start with a UTF-8 byte-order mark."""
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def read_xlsx(data: bytes) -> list[list[object]]:
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def last_export(db) -> dict:
    cursor = db.execute("SELECT * FROM audit_log WHERE action = 'export.download' ORDER BY id DESC LIMIT 1")
    row = dict(zip([d[0] for d in cursor.description], cursor.fetchone()))
    row["after"] = json.loads(row["after_json"])
    return row


@pytest.fixture
def orgs(db, create_org, create_procurement):
    """Three organisations in two countries; one in a procurement, with a key person and a check outcome."""
    ids = {"se1": create_org(name="Alfa Bygg AB", identifier_type="se_orgnr", identifier="5566778899"),
           "se2": create_org(name="Beta Städ AB"),
           "no": create_org(name="Gamma Bygg AS", country="NO")}
    proc = create_procurement()
    procurements.add_participant(db, SYSTEM, proc, ids["se1"], "bidder")
    organisations.add_key_person(db, SYSTEM, ids["se1"], {"name": "Anna Andersson", "role": "ceo",
                                                          "personnummer": PERSONNUMMER})
    add_outcome(db, "organisation", ids["se1"], "se.bolagsverket", "clear",
                [("company.status", "active", "Registered and active")])
    return {**ids, "procurement": proc}


def test_organisations_csv_keeps_the_lists_filters_and_ignores_paging(login_as, orgs):
    response = login_as("procurement_officer").get("/reports/export/organisations.csv?q=bygg&country=SE&page=3")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == "attachment; filename=organisations.csv"
    rows = read_csv(response.data)
    assert [r[1] for r in rows[1:]] == ["Alfa Bygg AB"]
    assert rows[1][4] == "556677-8899"


def test_organisations_export_has_every_row_beyond_one_page(app, login_as, create_org):
    app.config["PAGE_SIZE"] = 2
    for i in range(5):
        create_org(name=f"Sidbolaget {i} AB")
    rows = read_csv(login_as("reviewer").get("/reports/export/organisations.csv?q=Sidbolaget").data)
    assert len(rows) == 1 + 5


def test_organisations_xlsx_matches_the_csv(login_as, orgs):
    client = login_as("procurement_officer")
    response = client.get("/reports/export/organisations.xlsx?country=SE")
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = read_xlsx(response.data)
    assert [r[1] for r in sheet[1:]] == [r[1] for r in read_csv(client.get(
        "/reports/export/organisations.csv?country=SE").data)[1:]] == ["Alfa Bygg AB", "Beta Städ AB"]


def test_export_is_audited_with_user_dataset_filters_and_row_count(db, login_as, orgs):
    login_as("procurement_officer").get("/reports/export/organisations.xlsx?q=bygg&country=")
    entry = last_export(db)
    assert entry["actor"] == "procurement_officer"
    assert entry["after"] == {"dataset": "organisations", "format": "xlsx", "filters": {"q": "bygg"}, "rows": 2}


def test_formula_injection_is_neutralised_in_csv_and_xlsx(login_as, create_org):
    create_org(name="=HYPERLINK(\"http://evil.example\",\"x\")")
    create_org(name="@SUM(A1)", address="+46 8 123 456")
    client = login_as("procurement_officer")
    names = {r[1] for r in read_csv(client.get("/reports/export/organisations.csv").data)[1:]}
    assert names == {"'=HYPERLINK(\"http://evil.example\",\"x\")", "'@SUM(A1)"}
    sheet = read_xlsx(client.get("/reports/export/organisations.xlsx").data)
    cells = {c for row in sheet[1:] for c in row if isinstance(c, str)}
    assert "'=HYPERLINK(\"http://evil.example\",\"x\")" in cells and "'+46 8 123 456" in cells
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)


def test_neutralise_leaves_numbers_and_ordinary_text():
    assert [neutralise(v) for v in (-5, 3.5, "Alfa", "-1", "\tx")] == [-5, 3.5, "Alfa", "'-1", "'\tx"]


def test_csv_is_semicolon_separated_utf8_with_bom():
    data = to_csv(["Namn", "Ort"], [["Åkesson; AB", "Malmö"]])
    assert data == "\ufeffNamn;Ort\r\n\"Åkesson; AB\";Malmö\r\n".encode("utf-8")


def test_key_persons_export_is_for_security_officers_and_masks_personnummer(db, login_as, orgs):
    client = login_as("security_officer")
    rows = read_csv(client.get("/reports/export/key-persons.csv?q=alfa").data)
    assert rows[1][0] == "Alfa Bygg AB" and rows[1][2] == "Anna Andersson" and rows[1][4] == "19700312-****"
    assert PERSONNUMMER not in client.get("/reports/export/key-persons.xlsx").data.decode("latin-1")
    assert last_export(db)["after"]["dataset"] == "key_persons"


@pytest.mark.parametrize("role", ["procurement_officer", "reviewer", "auditor", "admin"])
def test_key_persons_export_is_refused_to_other_roles(login_as, orgs, role):
    assert login_as(role).get("/reports/export/key-persons.csv").status_code == 403


def test_key_persons_export_of_a_procurement_chain(login_as, orgs):
    rows = read_csv(login_as("security_officer").get(
        f"/reports/export/key-persons.csv?procurement_id={orgs['procurement']}").data)
    assert [r[2] for r in rows[1:]] == ["Anna Andersson"]


def test_outcomes_export_filters_by_procurement_and_status(login_as, orgs):
    client = login_as("reviewer")
    rows = read_csv(client.get(f"/reports/export/outcomes.csv?procurement_id={orgs['procurement']}").data)
    assert [(r[2], r[4]) for r in rows[1:]] == [("Alfa Bygg AB", "Utan anmärkning")]
    assert rows[1][8] == "Status i registret: aktivt"  # the vocabulary's words, not the check's English note
    assert read_csv(client.get("/reports/export/outcomes.csv?status=hit").data)[1:] == []


def test_outcomes_export_leaves_out_key_persons_without_personal_data_rights(db, login_as, orgs):
    person = organisations.store.find_person_by_personnummer(db, PERSONNUMMER)["id"]
    add_outcome(db, "person", person, "sanctions", "clear")
    assert {r[1] for r in read_csv(login_as("procurement_officer").get(
        "/reports/export/outcomes.csv").data)[1:]} == {"Organisation"}


def test_outcomes_export_names_key_persons_for_security_officers(db, login_as, orgs):
    person = organisations.store.find_person_by_personnummer(db, PERSONNUMMER)["id"]
    add_outcome(db, "person", person, "sanctions", "clear")
    subjects = {r[2] for r in read_csv(login_as("security_officer").get("/reports/export/outcomes.csv").data)[1:]}
    assert "Anna Andersson (Alfa Bygg AB)" in subjects


def test_audit_export_follows_the_audit_pages_filters(db, login_as, orgs):
    client = login_as("auditor")
    rows = read_csv(client.get("/reports/export/audit.csv?action=key_person&record_type=organisation").data)
    assert [r[3] for r in rows[1:]] == ["key_person.add"]
    assert len(rows[1][-1]) == 64  # the entry's hash, to check the chain outside the app


@pytest.mark.parametrize("role", ["procurement_officer", "security_officer", "reviewer"])
def test_audit_export_is_for_auditors_and_admins(login_as, role):
    assert login_as(role).get("/reports/export/audit.csv").status_code == 403


def test_list_pages_link_exports_with_their_current_filters(login_as, orgs):
    client = login_as("security_officer")
    page = client.get("/organisations/?q=bygg&country=SE&page=1").data.decode()
    assert 'href="/reports/export/organisations.csv?q=bygg&amp;country=SE"' in page
    assert 'href="/reports/export/key-persons.xlsx?q=bygg&amp;country=SE"' in page


def test_key_persons_export_is_not_offered_without_the_right(login_as, orgs):
    assert "/reports/export/key-persons" not in login_as("reviewer").get("/organisations/").data.decode()


def test_audit_page_links_its_exports(login_as):
    page = login_as("auditor").get("/audit/?actor=admin").data.decode()
    assert 'href="/reports/export/audit.csv?actor=admin"' in page
