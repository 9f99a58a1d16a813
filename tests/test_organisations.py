"""Organisations and key persons: validation, masking, audited reveal, persons stored once."""
from __future__ import annotations

import pytest

from vetting.domain import organisations
from vetting.domain.audit import SYSTEM
from vetting.domain.errors import Conflict, InvalidInput
from vetting.store import organisations as org_store

PNR = "197003121238"


def test_officer_creates_organisation_with_valid_identifier(login_as, db):
    response = login_as("procurement_officer").post("/organisations/new", data={
        "name": "Norrlands Bygg AB", "country": "SE", "identifier_type": "se_orgnr", "identifier": "556677-8899"})
    assert response.status_code == 302
    assert next(db.query("SELECT identifier FROM organisations"))["identifier"] == "5566778899"


@pytest.mark.parametrize("values, message", [
    ({"identifier_type": "se_orgnr", "identifier": "556677-8898"}, "check digit"),
    ({"identifier_type": "no_orgnr", "identifier": "987654325"}, "only for organisations in NO"),
    ({"identifier_type": "", "identifier": "5566778899"}, "Choose what kind of identifier"),
    ({"country": "Svea rike"}, "is not a country"),
])
def test_invalid_organisation_input_is_explained(login_as, db, values, message):
    client = login_as("procurement_officer")
    client.post("/language", data={"lang": "en"})
    data = {"name": "X AB", "country": "SE", **values}
    response = client.post("/organisations/new", data=data)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert db.execute("SELECT count(*) FROM organisations").fetchone()[0] == 0


def test_duplicate_identifier_is_refused(create_org):
    create_org(identifier_type="se_orgnr", identifier="5566778899")
    with pytest.raises(Conflict):
        create_org(identifier_type="se_orgnr", identifier="556677-8899")


def test_personnummer_is_masked_on_every_page(login_as, db, create_org, create_procurement):
    from vetting.domain import procurements

    org = create_org()
    pid = create_procurement()
    procurements.add_participant(db, SYSTEM, pid, org, "bidder")
    organisations.add_key_person(db, SYSTEM, org, {"name": "Lars Öberg", "role": "ceo", "personnummer": PNR})
    client = login_as("security_officer")
    for url in (f"/organisations/{org}", f"/procurements/{pid}", "/persons/1"):
        page = client.get(url).get_data(as_text=True)
        assert "19700312-****" in page and "1238" not in page, url


def test_security_officer_reveals_with_a_reason_and_it_is_audited(login_as, db, create_org):
    org = create_org()
    organisations.add_key_person(db, SYSTEM, org, {"name": "Lars Öberg", "role": "ceo", "personnummer": PNR})
    response = login_as("security_officer").post("/persons/1/reveal", data={"reason": "Säpo-samråd ärende 12"},
                                                 follow_redirects=True)
    assert response.status_code == 200 and "19700312-1238" in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    entry = next(db.query("SELECT * FROM audit_log WHERE action = 'person.reveal_personnummer'"))
    assert entry["actor"] == "security_officer" and entry["reason"] == "Säpo-samråd ärende 12"


def test_reveal_without_reason_shows_nothing(login_as, db, create_org):
    organisations.add_key_person(db, SYSTEM, create_org(), {"name": "L", "role": "ceo", "personnummer": PNR})
    response = login_as("security_officer").post("/persons/1/reveal", data={"reason": ""})
    assert response.status_code == 400 and "1238" not in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["procurement_officer", "reviewer", "auditor", "admin"])
def test_other_roles_cannot_reveal(login_as, db, create_org, role):
    organisations.add_key_person(db, SYSTEM, create_org(), {"name": "L", "role": "ceo", "personnummer": PNR})
    response = login_as(role).post("/persons/1/reveal", data={"reason": "nyfiken"})
    assert response.status_code == 403 and "1238" not in response.get_data(as_text=True)


def test_person_is_stored_once_across_organisations(db, create_org):
    a, b = create_org(), create_org()
    organisations.add_key_person(db, SYSTEM, a, {"name": "Karin Lind", "role": "board_member", "personnummer": PNR})
    organisations.add_key_person(db, SYSTEM, b, {"name": "Karin Lind", "role": "ceo", "personnummer": "700312-1238"})
    assert db.execute("SELECT count(*) FROM persons").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM key_roles").fetchone()[0] == 2


def test_audit_log_never_holds_the_full_personnummer(db, create_org):
    organisations.add_key_person(db, SYSTEM, create_org(), {"name": "L", "role": "ceo", "personnummer": PNR})
    dump = "".join(str(tuple(r)) for r in db.execute("SELECT * FROM audit_log"))
    assert PNR not in dump and "19700312-1238" not in dump


@pytest.mark.parametrize("values, field", [
    ({"personnummer": "19700312-1239"}, "personnummer"),
    ({"personnummer": ""}, "personnummer"),
    ({"birth_date": "1970-13-01"}, "birth_date"),
    ({"personnummer": PNR, "birth_date": "1971-01-01"}, "birth_date"),
    ({"birth_date": "1970", "nationality": "Svensk"}, "nationality"),
])
def test_invalid_key_person_input_names_the_field(db, create_org, values, field):
    with pytest.raises(InvalidInput) as caught:
        organisations.add_key_person(db, SYSTEM, create_org(), {"name": "L", "role": "ceo", **values})
    assert caught.value.field == field


def test_person_without_personnummer_needs_a_birth_date_and_may_be_foreign(db, create_org):
    organisations.add_key_person(db, SYSTEM, create_org(), {"name": "Ola Nordmann", "role": "ceo", "birth_date": "1968",
                                                            "nationality": "no"})
    assert next(db.query("SELECT birth_date, nationality FROM persons")) == {"birth_date": "1968", "nationality": "NO"}


def test_organisation_search_by_identifier_with_hyphen(login_as, create_org):
    create_org(name="Sökbar AB", identifier_type="se_orgnr", identifier="5566778899")
    page = login_as("reviewer").get("/organisations/?q=556677-8899").get_data(as_text=True)
    assert "Sökbar AB" in page


def test_country_names_in_swedish_or_english_become_codes(db, create_org):
    org = create_org(country="Sverige")
    other = create_org(country="Norway")
    assert [r["country"] for r in db.query("SELECT country FROM organisations WHERE id IN (?, ?) ORDER BY id", [org, other])] == ["SE", "NO"]


def test_a_text_search_pages_its_matches_by_name_and_counts_them_all(db):
    names = [f"{word} Städ AB" for word in ("bravo", "Alfa", "charlie", "Delta", "echo", "Foxtrot", "golf")]
    for name in names + ["Annat Bolag AB"]:
        organisations.create(db, SYSTEM, {"name": name, "country": "SE", "address": "Storgatan 1"})
    expected = sorted(names, key=str.casefold)
    pages = [org_store.search(db, text="städ", page=n, page_size=3) for n in (1, 2, 3, 4)]
    assert [[r["name"] for r in rows] for rows, _total in pages] == [expected[0:3], expected[3:6], expected[6:], []]
    assert {total for _rows, total in pages} == {7}
    assert all(r["key_person_count"] == 0 and r["procurement_count"] == 0 for rows, _t in pages for r in rows)
