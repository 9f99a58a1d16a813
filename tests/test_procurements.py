"""Procurements: create, validate, edit, list with search, filters and pages; the participant tree."""
from __future__ import annotations

import re

import pytest

from vetting.domain import procurements
from vetting.domain.audit import SYSTEM
from vetting.domain.errors import Conflict, InvalidInput

FORM = {"reference": "UH-2026-0500", "title": "Bevakning", "cpv_code": "79710000-4", "estimated_value": "1 250 000",
        "currency": "SEK", "protection_level": "sua2", "responsible_user_id": 0}


def test_officer_creates_a_procurement(login_as, db):
    response = login_as("procurement_officer").post("/procurements/new", data=FORM)
    assert response.status_code == 302
    row = next(db.query("SELECT * FROM procurements"))
    assert (row["reference"], row["estimated_value"], row["protection_level"]) == ("UH-2026-0500", 1250000, "sua2")


@pytest.mark.parametrize("field, value, message", [
    ("estimated_value", "tolv miljoner", "is not an amount"),
    ("estimated_value", "-5", "between 0"),
    ("cpv_code", "4500", "is not a CPV code"),
    ("title", "", "This field is required"),
])
def test_bad_input_is_explained_on_the_field_and_nothing_is_stored(login_as, db, field, value, message):
    client = login_as("procurement_officer")
    client.post("/language", data={"lang": "en"})
    response = client.post("/procurements/new", data={**FORM, field: value})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.execute("SELECT count(*) FROM procurements").fetchone()[0] == 0


def test_duplicate_reference_is_refused(db, create_procurement):
    create_procurement(reference="UH-1")
    with pytest.raises(Conflict):
        create_procurement(reference="UH-1")


@pytest.mark.parametrize("raw, value", [("1 250 000", 1250000), ("1\u00a0250\u00a0000", 1250000), ("1250000,50", 1250001),
                                        ("1,250,000", 1250000), ("", None)])
def test_amounts_as_people_type_them(raw, value):
    assert procurements.parse_amount(raw) == value


def test_reviewer_cannot_create(login_as):
    assert login_as("reviewer").post("/procurements/new", data=FORM).status_code == 403


def test_list_searches_filters_and_pages(login_as, create_procurement, app):
    for i in range(30):
        create_procurement(title=f"Städ {i}" if i % 2 else f"Bygg {i}", phase="need" if i < 20 else "signed")
    client = login_as("reviewer")
    page = client.get("/procurements/?q=Bygg").get_data(as_text=True)
    assert "Bygg 0" in page and "Städ 1<" not in page
    signed = client.get("/procurements/?phase=signed").get_data(as_text=True)
    assert len(re.findall(r'href="/procurements/\d+"', signed)) == 10
    first = client.get("/procurements/").get_data(as_text=True)
    second = client.get("/procurements/?page=2").get_data(as_text=True)
    assert "rel=\"next\"" in first and "rel=\"prev\"" in second
    assert client.get("/procurements/?page=abc").status_code == 200


def _chain(db, create_org, create_procurement):
    pid = create_procurement()
    a, b, c, d = (create_org(name=n) for n in ("A AB", "B AB", "C AB", "D AB"))
    top = procurements.add_participant(db, SYSTEM, pid, a, "bidder")
    level1 = procurements.add_participant(db, SYSTEM, pid, b, "subcontractor", top, 30)
    level2 = procurements.add_participant(db, SYSTEM, pid, c, "subcontractor", level1, 10)
    level3 = procurements.add_participant(db, SYSTEM, pid, d, "subcontractor", level2, 5)
    return pid, (a, b, c, d), (top, level1, level2, level3)


def test_subcontractor_chain_is_a_tree_of_any_depth(db, create_org, create_procurement):
    pid, _orgs, _parts = _chain(db, create_org, create_procurement)
    nodes = procurements.flatten(procurements.participant_tree(db, pid))
    assert [(n.participant["organisation_name"], n.depth) for n in nodes] == [
        ("A AB", 0), ("B AB", 1), ("C AB", 2), ("D AB", 3)]


def test_procurement_page_shows_the_tree(login_as, db, create_org, create_procurement):
    pid, _orgs, _parts = _chain(db, create_org, create_procurement)
    page = login_as("reviewer").get(f"/procurements/{pid}").get_data(as_text=True)
    assert page.index("A AB") < page.index("B AB") < page.index("C AB") < page.index("D AB")
    assert 'aria-level="4"' in page


def test_an_organisation_cannot_be_its_own_subcontractor_up_the_chain(db, create_org, create_procurement):
    pid, orgs, parts = _chain(db, create_org, create_procurement)
    with pytest.raises(InvalidInput, match="own subcontractor"):
        procurements.add_participant(db, SYSTEM, pid, orgs[0], "subcontractor", parts[3])


def test_subcontractor_needs_a_parent(db, create_org, create_procurement):
    with pytest.raises(InvalidInput):
        procurements.add_participant(db, SYSTEM, create_procurement(), create_org(), "subcontractor")


def test_removing_a_participant_removes_its_subtree(db, create_org, create_procurement):
    pid, _orgs, parts = _chain(db, create_org, create_procurement)
    procurements.remove_participant(db, SYSTEM, parts[1], "withdrawn")
    assert [n.participant["organisation_name"] for n in procurements.flatten(procurements.participant_tree(db, pid))] == ["A AB"]


def test_add_participant_form_creates_new_organisation_under_parent(login_as, db, create_org, create_procurement):
    pid = create_procurement()
    top = procurements.add_participant(db, SYSTEM, pid, create_org(name="Topp AB"), "bidder")
    response = login_as("procurement_officer").post(f"/procurements/{pid}/participants", data={
        "organisation_id": 0, "name": "Fjordbygg AS", "country": "NO", "identifier_type": "no_orgnr",
        "identifier": "987 654 325", "role": "subcontractor", "parent_id": top, "share_percent": "12.5"})
    assert response.status_code == 302
    row = next(db.query("SELECT x.*, o.identifier FROM participants x JOIN organisations o ON o.id = x.organisation_id"
                        " WHERE x.parent_id = ?", [top]))
    assert (row["identifier"], row["share_percent"]) == ("987654325", 12.5)


def test_one_organisation_in_many_procurements(login_as, db, create_org, create_procurement):
    org = create_org(name="Återkommande AB")
    for _ in range(2):
        procurements.add_participant(db, SYSTEM, create_procurement(), org, "bidder")
    page = login_as("reviewer").get(f"/organisations/{org}").get_data(as_text=True)
    assert len(re.findall(r'href="/procurements/\d+"', page)) == 2


def test_existing_organisation_is_found_by_identifier_or_exact_name(login_as, db, create_org, create_procurement):
    pid = create_procurement()
    create_org(name="Norrlands Bygg AB", identifier_type="se_orgnr", identifier="5566778899")
    client = login_as("procurement_officer")
    client.post("/language", data={"lang": "en"})
    assert client.post(f"/procurements/{pid}/participants", data={"existing": "556677-8899", "role": "bidder",
                                                                  "parent_id": 0}).status_code == 302
    response = client.post(f"/procurements/{pid}/participants", data={"existing": "Okänt Bolag AB", "role": "bidder",
                                                                      "parent_id": 0})
    assert response.status_code == 400 and "No registered organisation" in response.get_data(as_text=True)
    assert db.execute("SELECT count(*) FROM participants").fetchone()[0] == 1
