"""Company facts beyond Bolagsverket's annual reports: Brønnøysund's employee figure, and the officer's form with
the document the figures came from (kept with its SHA-256). Each feeds the same risk facts (CO-04, CO-05, CO-07)."""
from __future__ import annotations

import hashlib
import io
import json
from datetime import date
from pathlib import Path

import pytest
import responses

from checks.brreg import BrregCheck
from test_company_facts import store as store_annual_report
from vetting.domain import company_facts, manual, procurements, risk, screening
from vetting.domain.audit import SYSTEM
from vetting.domain.errors import InvalidInput
from vetting.store import risk as risk_store

BRREG = Path(__file__).parent / "fixtures" / "no.brreg"
PDF = b"%PDF-1.4\n% arsredovisning 2024\n"
FORM = {"fiscal_end": "2024-12-31", "employees": "3", "net_revenue": "1 200 000", "equity": "-40 000",
        "share_capital": "25 000", "currency": "SEK", "source": "annual_report"}


def _states(db, pid: int, org: int) -> dict[str, str]:
    assessment = risk_store.assessment(db, risk.assess(db, SYSTEM, pid, org))
    return {r["id"]: r["state"] for r in assessment["results"]}


@responses.activate
def test_brreg_gives_the_employee_figure_the_model_reads(app, db, create_org, create_procurement):
    body = json.loads((BRREG / "enhet_active.json").read_text("utf-8"))  # antallAnsatte 14, registered
    orgnr = body["organisasjonsnummer"]
    responses.get(f"https://data.brreg.no/enhetsregisteret/api/enheter/{orgnr}", json=body)
    responses.get(f"https://data.brreg.no/enhetsregisteret/api/enheter/{orgnr}/roller", json={"rollegrupper": []})
    org = create_org(name=body["navn"], country="NO", identifier_type="no_orgnr", identifier=orgnr)
    subject, results = screening.run_checks(db, "organisation", org, app.config, check_ids=(BrregCheck.id,))
    screening.store_outcome(db, SYSTEM, subject, results[0][0], results[0][1])
    facts = company_facts.risk_facts(db, org)
    assert facts["organisation.employees"].value == 14
    assert "organisation.share_capital" not in facts  # NOK share capital is shown, never compared with SEK
    pid = create_procurement(required_staff=20)
    procurements.add_participant(db, SYSTEM, pid, org, "bidder")
    assert _states(db, pid, org)["CO-04"] == "fired"  # 14 employees, 20 needed
    pid2 = create_procurement(required_staff=10)
    procurements.add_participant(db, SYSTEM, pid2, org, "bidder")
    assert _states(db, pid2, org)["CO-04"] == "not_fired"


def test_the_form_keeps_its_document_and_feeds_the_facts(db, create_org, create_procurement):
    org = create_org(name="Utlandsbolaget Ltd", country="GB", identifier_type="gb_company", identifier="01234567")
    outcome_id = manual.record_answer(db, SYSTEM, "organisation", org, "company.facts_document", FORM,
                                      ("arsredovisning.pdf", PDF))
    evidence = next(db.query("SELECT sha256 FROM evidence WHERE outcome_id = ?", [outcome_id]))
    assert evidence["sha256"] == hashlib.sha256(PDF).hexdigest()
    facts = company_facts.risk_facts(db, org)
    assert {k: f.value for k, f in facts.items()} == {"organisation.employees": 3,
                                                      "organisation.annual_turnover": 1_200_000,
                                                      "organisation.equity": -40_000,
                                                      "organisation.share_capital": 25_000}
    assert facts["organisation.equity"].evidence == (f"outcome:{outcome_id}",)
    pid = create_procurement(required_staff=2, annual_value=1_000_000)
    procurements.add_participant(db, SYSTEM, pid, org, "bidder")
    states = _states(db, pid, org)
    # Negative equity is less than half the share capital; 3 employees cover 2; 1.2 MSEK covers 1 MSEK a year.
    assert (states["CO-07"], states["CO-04"], states["CO-05"]) == ("fired", "not_fired", "not_fired")


@pytest.mark.parametrize(("change", "document", "field"), [
    ({}, None, "document"),  # figures without the document they came from
    ({"employees": "", "net_revenue": "", "equity": "", "share_capital": ""}, PDF, "employees"),
    ({"employees": "2,5"}, PDF, "employees"),
    ({"equity": "minus fyrtio"}, PDF, "equity"),
])
def test_the_form_refuses_what_it_cannot_keep(db, create_org, change, document, field):
    org = create_org(name="Utlandsbolaget Ltd", country="GB")
    with pytest.raises(InvalidInput) as caught:
        manual.record_answer(db, SYSTEM, "organisation", org, "company.facts_document", {**FORM, **change},
                             ("a.pdf", document) if document else None)
    assert caught.value.field == field
    assert company_facts.risk_facts(db, org) == {}


def test_the_newer_fiscal_year_wins_between_report_and_form(db, create_org):
    org = create_org(name="Fixturbygg AB", identifier_type="se_orgnr", identifier="5566778899")
    store_annual_report(db, org, "k2-2017_wolters-kluwer.xhtml", "5566778899", "2019-12-31", "2020-07-02",
                        date(2020, 10, 1))
    older = {**FORM, "fiscal_end": "2018-12-31", "employees": "9"}
    manual.record_answer(db, SYSTEM, "organisation", org, "company.facts_document", older, ("a.pdf", PDF))
    assert company_facts.risk_facts(db, org)["organisation.employees"].value == 0  # the 2019 report
    manual.record_answer(db, SYSTEM, "organisation", org, "company.facts_document", FORM, ("b.pdf", PDF))
    assert company_facts.risk_facts(db, org)["organisation.employees"].value == 3  # the 2024 document


def test_a_screening_run_does_not_ask_for_the_form(app, db, create_org):
    org = create_org(name="Utlandsbolaget Ltd", country="GB")
    _subject, results = screening.run_checks(db, "organisation", org, app.config)
    assert "company.facts_document" not in {check.id for check, _outcome in results}


def test_the_officer_records_the_figures_on_the_page(login_as, db, create_org):
    org = create_org(name="Utlandsbolaget Ltd", country="GB")
    client = login_as("procurement_officer")
    page = client.get(f"/organisations/{org}").get_data(as_text=True)
    assert "/manual/company.facts_document" in page
    response = client.post(f"/screening/organisation/{org}/manual/company.facts_document",
                           data={**FORM, "document": (io.BytesIO(PDF), "arsredovisning.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert company_facts.risk_facts(db, org)["organisation.equity"].value == -40_000
    shown = client.get(f"/screening/organisation/{org}").get_data(as_text=True)
    assert "Eget kapital" in shown and "Årsredovisning" in shown
