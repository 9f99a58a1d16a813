"""Officers named by a register are offered as key persons and added only when the officer confirms."""
from __future__ import annotations

from checks import Finding, Outcome, Status, Subject
from vetting.domain import register_persons
from vetting.domain.audit import SYSTEM
from vetting.domain.screening import store_outcome


class FakeRegister:
    id = "no.brreg"
    version = "1"


def _officers(db, org_id, officers):
    subject = Subject("organisation", org_id, "Fjordbygg AS", "NO", {"no_orgnr": "987654325"})
    store_outcome(db, SYSTEM, subject, FakeRegister(), Outcome(Status.CLEAR, (Finding("company.officers", officers, "x"),)))


def test_register_roles_map_to_key_roles():
    assert register_persons.map_role("Daglig leder") == "ceo"
    assert register_persons.map_role("Styrets leder") == "board_member"
    assert register_persons.map_role("Varamedlem") == "deputy"
    assert register_persons.map_role("director") == "board_member"


def test_candidates_are_offered_and_confirmed_ones_added_with_source(db, create_org, login_as):
    org = create_org(name="Fjordbygg AS", country="NO", identifier_type="no_orgnr", identifier="987654325")
    _officers(db, org, [{"name": "Ola Nordmann", "role": "Daglig leder", "birth_date": "1968-05"},
                        {"name": "Kari Nordmann", "role": "Styremedlem", "birth_date": None}])
    offered = register_persons.candidates(db, org)
    assert [(c["name"], c["role"]) for c in offered] == [("Ola Nordmann", "ceo"), ("Kari Nordmann", "board_member")]
    client = login_as("procurement_officer")
    client.post("/language", data={"lang": "en"})
    page = client.get(f"/organisations/{org}").get_data(as_text=True)
    offered_section = page.split("Persons the registers name", 1)[1]  # IndexError: the section is missing
    assert "Ola Nordmann" in offered_section and "Kari Nordmann" in offered_section
    register_persons.confirm(db, SYSTEM, org, [offered[0]["key"]])
    rows = list(db.query("SELECT p.name, p.birth_date, k.role, k.source FROM key_roles k JOIN persons p ON p.id = k.person_id"))
    assert rows == [{"name": "Ola Nordmann", "birth_date": "1968", "role": "ceo", "source": rows[0]["source"]}]
    assert rows[0]["source"].startswith("no.brreg 20")
    assert [c["name"] for c in register_persons.candidates(db, org)] == ["Kari Nordmann"]
