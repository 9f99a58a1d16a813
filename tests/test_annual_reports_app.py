"""The organisation page with annual reports: key figures table and chart, the auditor, the signers offered as
key persons (roles mapped, matched by name within the company only) and screened once accepted."""
from __future__ import annotations

import re
from datetime import date

from checks.annual_reports import AnnualReportsCheck
from annual_report_server import FakeBolagsverket, fixture_zip, run_check, single
from vetting.domain import register_persons, screening
from vetting.domain.audit import SYSTEM
from vetting.domain.organisations import add_key_person

DOC = "4eaa2201-7ad0-4de4-9b2d-1f5f952b74d9_paket"


def read_reports(db, org: int, *xhtml: str, orgnr: str = "5566778899", end: str = "2019-12-31",
                 today: date = date(2020, 10, 1)) -> int:
    fake = FakeBolagsverket()
    fake.listing = (200, single(DOC, end, "2020-07-02"))
    fake.document(DOC, fixture_zip(*xhtml))
    outcome = run_check(fake, orgnr, today, subject_id=org)
    return screening.store_outcome(db, SYSTEM, screening.subject_of(db, "organisation", org), AnnualReportsCheck(),
                                   outcome)


def test_the_page_shows_key_figures_a_chart_and_the_signers_on_offer(db, create_org, login_as):
    org = create_org(name="Fixturbygg AB", identifier_type="se_orgnr", identifier="5566778899")
    read_reports(db, org, "k2-2017_wolters-kluwer.xhtml")
    page = login_as("procurement_officer").get(f"/organisations/{org}").get_data(as_text=True)
    section = page[page.index('id="key-figures"'):page.index('id="key-persons"')]
    assert 'id="key-figures-chart"' in section and section.count("<rect") >= 4
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", section, re.S)
    assert len(rows) == 2 and "2019-01-01 – 2019-12-31" in rows[0]
    assert "2\u00a0919\u00a0157" in rows[0] and "-243\u00a0356" in rows[0] and "80,7 %" in rows[0]
    assert "Simon Testström" in page and "Vice verkställande direktör" in page


def test_roles_as_written_map_to_key_roles():
    assert [register_persons.map_role(r) for r in ("VD", "Verkställande direktör", "Styrelseordförande", "",
                                                   "Vice verkställande direktör", "Styrelseledamot",
                                                   "Arbetstagarrepresentant")] == [
        "ceo", "ceo", "board_member", "board_member", "signatory", "board_member", "board_member"]


def test_accepted_signers_become_key_persons_with_the_role_as_written_and_are_screened(db, create_org):
    org = create_org(name="Fixturbygg AB", identifier_type="se_orgnr", identifier="5566778899")
    read_reports(db, org, "k2-2017_wolters-kluwer.xhtml")
    offered = register_persons.candidates(db, org)
    assert [(c["name"], c["role"]) for c in offered] == [("Simon Testström", "ceo"), ("Marcus Provlund", "signatory"),
                                                         ("Greta Fixtursson", "board_member")]
    register_persons.confirm(db, SYSTEM, org, [c["key"] for c in offered])
    rows = {r["name"]: r for r in db.query("SELECT p.id, p.name, p.personnummer, k.role, k.source FROM key_roles k"
                                          " JOIN persons p ON p.id = k.person_id WHERE k.organisation_id = ?", [org])}
    assert rows["Marcus Provlund"]["source"].endswith("(Vice verkställande direktör)")
    assert all(r["personnummer"] is None for r in rows.values())
    assert register_persons.candidates(db, org) == []
    screening.screen_organisation_and_people(db, SYSTEM, org, {"SCREENING_POSSIBLE_THRESHOLD": 0.8,
                                                               "SCREENING_HIT_THRESHOLD": 0.93}, ("sanctions",))
    screened = {r["subject_id"] for r in db.query("SELECT subject_id FROM outcomes WHERE subject_kind = 'person'")}
    assert screened == {r["id"] for r in rows.values()}


def test_a_signer_already_stored_with_a_personnummer_is_matched_by_name_in_the_company_without_telling(
        db, create_org, login_as):
    org = create_org(name="Fixturbygg AB", identifier_type="se_orgnr", identifier="5566778899")
    add_key_person(db, SYSTEM, org, {"name": "Simon Testström", "role": "board_member",
                                     "personnummer": "197003121238"})
    other = create_org(name="Annat AB")
    add_key_person(db, SYSTEM, other, {"name": "Greta Fixtursson", "role": "ceo", "personnummer": "198112189876"})
    read_reports(db, org, "k2-2017_wolters-kluwer.xhtml")
    page = login_as("procurement_officer").get(f"/organisations/{org}").get_data(as_text=True)
    offer = page[page.index('name="person"'):]
    assert "1970" not in offer and "1238" not in offer and "1981" not in offer
    keys = {c["name"]: c["key"] for c in register_persons.candidates(db, org)}
    register_persons.confirm(db, SYSTEM, org, [keys["Simon Testström"], keys["Greta Fixtursson"]])
    simon = list(db.query("SELECT k.person_id, k.role FROM key_roles k JOIN persons p ON p.id = k.person_id"
                          " WHERE p.name = 'Simon Testström' ORDER BY k.role"))
    assert [r["role"] for r in simon] == ["board_member", "ceo"] and len({r["person_id"] for r in simon}) == 1
    # Greta of another company is not this company's Greta: a new person, nothing joined across companies.
    gretas = {r["person_id"] for r in db.query("SELECT k.person_id FROM key_roles k JOIN persons p"
                                                " ON p.id = k.person_id WHERE p.name = 'Greta Fixtursson'")}
    assert len(gretas) == 2


def test_the_auditor_and_firm_are_shown(db, create_org, login_as):
    org = create_org(name="Provmodul AB", identifier_type="se_orgnr", identifier="5561234567")
    read_reports(db, org, "k3-2020_e-revisor.xhtml", "k3-2020_revisionsberattelse.xhtml", orgnr="5561234567",
                 end="2021-12-31", today=date(2022, 4, 1))
    page = login_as("procurement_officer").get(f"/organisations/{org}").get_data(as_text=True)
    assert "Sofie Granskarsson, Auktoriserad revisor (Revisorerna Prov KB)" in page


def test_the_zip_is_kept_as_evidence_and_downloads_with_its_sha256(db, create_org, login_as):
    import hashlib

    org = create_org(name="Fixturbygg AB", identifier_type="se_orgnr", identifier="5566778899")
    outcome_id = read_reports(db, org, "k2-2017_wolters-kluwer.xhtml")
    rows = list(db.query("SELECT id, sha256, media_type FROM evidence WHERE outcome_id = ? ORDER BY position",
                         [outcome_id]))
    assert [r["media_type"] for r in rows] == ["application/json", "application/zip"]
    client = login_as("procurement_officer")
    download = client.get(f"/screening/evidence/{rows[1]['id']}")
    assert download.status_code == 200 and download.data[:2] == b"PK"
    assert hashlib.sha256(download.data).hexdigest() == rows[1]["sha256"] == download.headers["X-Content-SHA256"]
    assert download.headers["Content-Disposition"].endswith(".zip")
    page = client.get(f"/screening/organisation/{org}")
    assert page.status_code == 200 and "Bolagsverket" in page.get_data(as_text=True)
