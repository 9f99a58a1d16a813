"""Whatever a user types into a form, the answer is a page with a message, never a server error."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import PASSWORD

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(reference=TEXT, title=TEXT, cpv=TEXT, value=TEXT, level=TEXT, phase=TEXT)
def test_procurement_form_never_fails(client, accounts, reference, title, cpv, value, level, phase):
    client.post("/login", data={"username": "procurement_officer", "password": PASSWORD})
    response = client.post("/procurements/new", data={"reference": reference, "title": title, "cpv_code": cpv,
                                                      "estimated_value": value, "protection_level": level,
                                                      "phase": phase, "currency": "SEK", "responsible_user_id": "x"})
    assert response.status_code in (200, 302, 400, 409)


@pytest.fixture
def organisation(create_org):
    """The organisation whose key-person form the person half of the test posts to (it must exist)."""
    return create_org(name="Formtest AB")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=TEXT, country=TEXT, id_type=st.sampled_from(["", "se_orgnr", "no_orgnr", "gb_company", "vat", "lei", "x"]),
       identifier=TEXT, pnr=TEXT, birth=TEXT)
@example(name="Anna Andersson", country="SE", id_type="se_orgnr", identifier="5566778899", pnr="197003121238",
         birth="")
def test_organisation_and_person_forms_never_fail(client, accounts, organisation, name, country, id_type, identifier,
                                                  pnr, birth):
    client.post("/login", data={"username": "procurement_officer", "password": PASSWORD})
    response = client.post("/organisations/new", data={"name": name, "country": country, "identifier_type": id_type,
                                                       "identifier": identifier})
    assert response.status_code in (200, 302, 400, 409)
    response = client.post(f"/organisations/{organisation}/key-persons",
                           data={"name": name, "role": "ceo", "personnummer": pnr, "birth_date": birth,
                                 "nationality": country})
    assert response.status_code in (200, 302, 400, 409)  # 404 would mean the form was never reached
    if (name, pnr) == ("Anna Andersson", "197003121238"):  # the valid example is saved
        assert response.status_code == 302
        assert "Anna Andersson" in client.get(f"/organisations/{organisation}").get_data(as_text=True)


def test_unknown_ids_give_404_pages(login_as):
    client = login_as("reviewer")
    for url in ("/procurements/999", "/organisations/999", "/persons/999", "/screening/organisation/999"):
        response = client.get(url)
        assert response.status_code == 404 and "<h1>" in response.get_data(as_text=True), url
