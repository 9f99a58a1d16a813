"""The four indicators that need company facts (CO-04, CO-05, CO-07, TX-03) fire or not on fixtures, with the
procurement's side typed into the procurement form (yearly value, staff needed, labour-intensive) and the
company's side read from its annual report, through the app's own assessment (risk.assess, the model in use)."""
from __future__ import annotations

import re
from datetime import date

import pytest

from test_company_facts import store
from vetting.domain import procurements, risk
from vetting.domain.audit import SYSTEM
from vetting.store import risk as risk_store

FORM = {"reference": "UH-2026-0700", "title": "Lokalvård", "cpv_code": "90910000-9", "estimated_value": "15 000 000",
        "annual_value": "5 000 000", "required_staff": "5", "labour_intensive": "yes", "currency": "SEK",
        "protection_level": "none", "responsible_user_id": 0}


def _states(db, pid: int, org: int) -> dict[str, str]:
    procurements.add_participant(db, SYSTEM, pid, org, "bidder")
    assessment = risk_store.assessment(db, risk.assess(db, SYSTEM, pid, org))
    return {r["id"]: r["state"] for r in assessment["results"]}


@pytest.fixture
def suppliers(db, create_org):
    """Three Swedish suppliers with their newest annual report (the fixtures' figures in the comments)."""
    # Fixturbygg AB, K2 2017: 2 919 157 kr net revenue, 0 employees, equity 1 285 303 kr, share capital 25 000 kr.
    small = create_org(name="Fixturbygg AB", identifier_type="se_orgnr", identifier="5566778899")
    store(db, small, "k2-2017_wolters-kluwer.xhtml", "5566778899", "2019-12-31", "2020-07-02", date(2020, 10, 1))
    # Provmodul AB, K3 2020: about 70 MSEK net revenue and 26 employees.
    large = create_org(name="Provmodul AB", identifier_type="se_orgnr", identifier="5561234567")
    store(db, large, "k3-2020_e-revisor.xhtml", "5561234567", "2021-12-31", "2022-03-20", date(2022, 4, 1))
    # Sulfix Skor AB, K2 2021: negative equity against a 25 000 kr share capital.
    indebted = create_org(name="Sulfix Skor AB", identifier_type="se_orgnr", identifier="5599887766")
    store(db, indebted, "k2-2021_fortnox.xhtml", "5599887766", "2024-12-31", "2025-07-31", date(2025, 8, 1))
    return small, large, indebted


def test_the_procurement_form_stores_the_facts_the_model_reads(login_as, db):
    response = login_as("procurement_officer").post("/procurements/new", data=FORM)
    assert response.status_code == 302
    row = next(db.query("SELECT * FROM procurements"))
    assert (row["annual_value"], row["required_staff"], row["labour_intensive"]) == (5_000_000, 5, 1)
    page = login_as("procurement_officer").get(f"/procurements/{row['id']}").get_data(as_text=True)
    page = re.sub(r"[\s\u00a0\u202f]+", " ", page)
    assert "Uppskattat värde per avtalsår</dt><dd>5 000 000 SEK" in page and "Arbetsintensiv tjänst</dt><dd>Ja" in page


@pytest.mark.parametrize(("field", "value", "message"), [
    ("annual_value", "fem miljoner", "is not an amount"),
    ("annual_value", "1,234", "could mean two amounts"),
    ("required_staff", "många", "is not an amount"),
    ("labour_intensive", "kanske", "Not a valid choice"),
])
def test_bad_input_is_refused_on_the_field_and_kept(login_as, db, field, value, message):
    client = login_as("procurement_officer")
    client.post("/language", data={"lang": "en"})
    response = client.post("/procurements/new", data={**FORM, field: value})
    text = response.get_data(as_text=True)
    assert response.status_code == 400 and message in text
    assert db.execute("SELECT count(*) FROM procurements").fetchone()[0] == 0
    assert FORM["title"] in text  # what was typed is kept


def test_the_four_company_fact_indicators_fire_or_not(login_as, db, suppliers):
    small, large, indebted = suppliers
    login_as("procurement_officer").post("/procurements/new", data=FORM)
    pid = next(db.query("SELECT id FROM procurements"))["id"]
    small_states, large_states, indebted_states = (_states(db, pid, org) for org in suppliers)
    # CO-04: no employees against 5 needed is too few; 26 is enough.
    assert (small_states["CO-04"], large_states["CO-04"]) == ("fired", "not_fired")
    # CO-05: 2.9 MSEK turnover is lower than 5 MSEK a year of contract; 70 MSEK is not.
    assert (small_states["CO-05"], large_states["CO-05"]) == ("fired", "not_fired")
    # CO-07: negative equity is less than half the share capital; 1.3 MSEK against 25 000 kr is not.
    assert (indebted_states["CO-07"], small_states["CO-07"]) == ("fired", "not_fired")
    # TX-03: a labour-intensive service and a supplier with revenue but nobody employed; 26 employees is not.
    assert (small_states["TX-03"], large_states["TX-03"]) == ("fired", "not_fired")


def test_facts_not_stated_leave_the_indicators_undecided(db, suppliers, create_procurement):
    small, _large, _indebted = suppliers
    pid = create_procurement()  # no yearly value, no staff figure, labour-intensive not stated
    states = _states(db, pid, small)
    assert {states[i] for i in ("CO-04", "CO-05", "TX-03")} == {"insufficient_data"}


def test_an_edit_can_state_that_the_service_is_not_labour_intensive(db, suppliers, create_procurement):
    small, _large, _indebted = suppliers
    pid = create_procurement()
    procurements.update(db, SYSTEM, pid, {**procurements.get(db, pid), "labour_intensive": "no",
                                          "required_staff": "2,5", "annual_value": "900 000"})
    row = procurements.get(db, pid)
    assert (row["labour_intensive"], row["required_staff"], row["annual_value"]) == (0, 2.5, 900_000)
    states = _states(db, pid, small)
    assert (states["TX-03"], states["CO-04"], states["CO-05"]) == ("not_fired", "fired", "not_fired")


def test_every_fact_the_model_in_use_reads_has_words(db):
    from vetting.vocabulary.facts import FACTS

    model = risk.current_model(db)
    unnamed = {f for i in model.indicators for f in i.facts if f not in FACTS and not f.startswith("answer.")}
    assert unnamed == set()
