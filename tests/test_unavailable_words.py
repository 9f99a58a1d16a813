"""A register that did not answer, or could not be asked, is said in Swedish under its own heading (issue #19).

The checks raise ``SourceUnavailable``/``CheckAbort`` with a fault code and parameters, never a user's language;
each case drives the real check through "Screen now" against a real HTTP server on 127.0.0.1 and reads the
organisation page as an officer does: the Swedish words, no fragment in the check's own language, and the gate
still blocked. An outcome stored before these codes existed (text only) still reads.
"""
from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest

from register_server import Answer, check_row, screen_organisation
from vetting.domain.audit import SYSTEM
from vetting.domain.criteria import no_unresolved_errors
from vetting.store import outcomes as outcome_store

pytestmark = pytest.mark.registers  # the app asks the local register server (conftest: server)

FIXTURES = Path(__file__).parent / "fixtures"
JSON = "application/json"
ENHET = "/no.brreg/enheter/912345602"
NO = {"country": "NO", "identifier": ("no_orgnr", "912345602"), "check_id": "no.brreg"}
UNAVAILABLE = "Registret svarade inte eller kunde inte frågas"
REFUSED = "Registret nekade åtkomst, så kontrollen hoppas över för resten av körningen"




def _page(client: Any, org: int) -> str:
    response = client.get(f"/organisations/{org}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _said(db: Any, client: Any, org: int, procurement: int, check_id: str, name: str) -> str:
    """The check's row on the Swedish page, after asserting the outcome is a coded error that blocks the gate."""
    outcome = {o["check_id"]: o for o in outcome_store.latest(db, "organisation", org)}[check_id]
    assert outcome["status"] == "error", outcome
    assert [f["code"] for f in outcome["findings"]] == ["source.fault"], outcome["findings"]
    gate = no_unresolved_errors(db, procurement)
    assert not gate.held and f"({name})" in gate.detail
    row = check_row(_page(client, org), name)
    assert 'lang="en"' not in row, row  # no fragment in the check's own language
    return row


def test_an_open_circuit_breaker_is_said_in_swedish(app, login_as, server, accounts):
    # Five failed runs in a row open the breaker (checks/policy.py breaker_failures); the sixth does not ask at all.
    db, org, procurement = screen_organisation(
        app, login_as, server, {("GET", ENHET): Answer(503, "text/plain", b"Service Unavailable")}, **NO)
    client = login_as("procurement_officer")
    for _ in range(4):
        assert client.post(f"/screening/organisation/{org}/run").status_code == 302
    asked = len(server.requests)
    assert client.post(f"/screening/organisation/{org}/run").status_code == 302
    assert len(server.requests) == asked  # the register was not asked
    row = _said(db, login_as("procurement_officer"), org, procurement, "no.brreg", "Enhetsregisteret (Norge)")
    assert f"{UNAVAILABLE}: Enhetsregisteret (Norge): det har misslyckats 5 gånger i rad" in row, row
    assert re.search(r"frågas inte igen förrän \d{4}-\d\d-\d\d \d\d:\d\d", row), row


def test_a_register_answering_503_is_said_in_swedish(app, login_as, server, accounts):
    db, org, procurement = screen_organisation(
        app, login_as, server, {("GET", ENHET): Answer(503, "text/plain", b"Service Unavailable")}, **NO)
    row = _said(db, login_as("procurement_officer"), org, procurement, "no.brreg", "Enhetsregisteret (Norge)")
    assert f"{UNAVAILABLE}: Enhetsregisteret (Norge): det svarade HTTP 503 efter 1 försök" in row, row


def test_rejected_credentials_are_said_in_swedish(app, login_as, server, accounts):
    db, org, procurement = screen_organisation(
        app, login_as, server,
        {("GET", "/gb.companies_house/company/09876543"): Answer(401, JSON, b'{"error": "Invalid Authorization"}')},
        country="GB", identifier=("gb_company", "09876543"), check_id="gb.companies_house",
        settings={"api_key": "expired-key"})
    row = _said(db, login_as("procurement_officer"), org, procurement, "gb.companies_house",
                "Companies House (Storbritannien)")
    assert f"{REFUSED}: Companies House (Storbritannien): det svarade HTTP 401" in row, row
    assert "inloggningsuppgifterna avvisades eller har gått ut" in row and "Register" in row


def test_a_member_state_that_did_not_answer_vies_is_said_in_swedish(app, login_as, server, accounts):
    db, org, procurement = screen_organisation(
        app, login_as, server,
        {("POST", "/eu.vies/check-vat-number"):
         Answer(200, JSON, (FIXTURES / "eu.vies/rest_error_ms_unavailable.json").read_bytes())},
        country="SE", identifier=("vat", "SE556677889901"), check_id="eu.vies")
    row = _said(db, login_as("procurement_officer"), org, procurement, "eu.vies", "VIES (momsregistreringsnummer)")
    assert f"{UNAVAILABLE}: VIES (momsregistreringsnummer): medlemsstatens register svarade inte" in row, row
    assert '<code lang="zxx">MS_UNAVAILABLE</code>' in row  # VIES's own code stays as it is, marked as no language


def test_a_spent_deadline_is_said_in_swedish(app, login_as, server, accounts):
    body = (FIXTURES / "no.brreg/enhet_active.json").read_bytes()
    db, org, procurement = screen_organisation(app, login_as, server,
                                               {("GET", ENHET): Answer(200, JSON, body, mode="drip")}, **NO)
    row = _said(db, login_as("procurement_officer"), org, procurement, "no.brreg", "Enhetsregisteret (Norge)")
    assert f"{UNAVAILABLE}: Enhetsregisteret (Norge): svaret höll fortfarande på att komma när den totala " \
           "tidsgränsen på 1 s tog slut" in row, row


def test_a_register_not_configured_is_said_in_swedish_and_does_not_block(app, login_as, server, accounts):
    db, org, procurement = screen_organisation(app, login_as, server, {}, country="GB",
                                               identifier=("gb_company", "09876543"), check_id="gb.companies_house")
    outcome = {o["check_id"]: o for o in outcome_store.latest(db, "organisation", org)}["gb.companies_house"]
    assert outcome["status"] == "not_applicable"
    assert "Companies House" not in no_unresolved_errors(db, procurement).detail  # not applicable is no error
    row = check_row(_page(login_as("procurement_officer"), org), "Companies House (Storbritannien)")
    assert "Inte konfigurerad; en administratör anger inställningarna på sidan Register: Companies House " \
           '(Storbritannien): det behöver ett värde för <code lang="zxx">api_key</code>' in row, row
    assert 'lang="en"' not in row, row


def test_no_sanctions_list_loaded_is_said_in_swedish(app, login_as, server, accounts):
    db, org, procurement = screen_organisation(
        app, login_as, server, {("GET", ENHET): Answer(503, "text/plain", b"Service Unavailable")}, **NO)
    row = _said(db, login_as("procurement_officer"), org, procurement, "sanctions", "Sanktions- och uteslutningslistor")
    assert "ingen sanktions- eller uteslutningslista är inläst" in row, row


def test_the_english_page_reads_in_english(app, login_as, server, accounts):
    db, org, procurement = screen_organisation(
        app, login_as, server,
        {("POST", "/eu.vies/check-vat-number"):
         Answer(200, JSON, (FIXTURES / "eu.vies/rest_error_ms_unavailable.json").read_bytes())},
        country="SE", identifier=("vat", "SE556677889901"), check_id="eu.vies")
    client = login_as("procurement_officer")
    client.post("/language", data={"lang": "en", "next": "/"})
    row = check_row(_page(client, org), "VIES (EU VAT number validation)")
    assert ("The register did not answer, or could not be asked: VIES (EU VAT number validation): the member "
            "state's register did not answer (VIES answered MS_UNAVAILABLE") in html.unescape(re.sub("<[^>]+>", "", row))
    assert not re.search("[åäö]", row, re.IGNORECASE), row  # no Swedish left on the English page


@pytest.mark.parametrize("reason, words", [
    ("Registret gav inget användbart svar: no.brreg: circuit breaker open; the register has failed 5 times in a row, "
     "retry after 14:05:09 UTC", f"{UNAVAILABLE}: Enhetsregisteret (Norge): det har misslyckats 5 gånger i rad, så "
                                 "det frågas inte igen förrän 14:05:09 UTC"),
    ("Registret nekade åtkomst; kontrollen hoppas över för resten av körningen: no.brreg: 403 Forbidden: credentials "
     "rejected or expired", f"{REFUSED}: Enhetsregisteret (Norge): det svarade HTTP 403"),
    ("Registret gav inget användbart svar: no.brreg: connection timed out (3.05 s) after 3 attempts",
     f"{UNAVAILABLE}: Enhetsregisteret (Norge): anslutningen öppnades inte inom 3,05 s efter 3 försök"),
    ("Not configured: no.brreg: no address is configured for this register",
     "Inte konfigurerad; en administratör anger inställningarna på sidan Register: Enhetsregisteret (Norge): ingen "
     "adress är inställd för det"),
    ("Registret gav inget användbart svar: no.brreg: 502 Bad Gateway; no time left for another attempt within the "
     "total limit of 30 s", f"{UNAVAILABLE}: Enhetsregisteret (Norge): det svarade HTTP 502, och ingen tid finns kvar"),
])
def test_an_error_stored_as_text_before_these_codes_still_reads_in_swedish(app, login_as, accounts, reason, words):
    from vetting.db import connect
    from vetting.domain import organisations

    db = connect(app.config["DATABASE"])
    org = organisations.create(db, SYSTEM, {"name": "Gammal AS", "country": "NO", "identifier_type": "no_orgnr",
                                            "identifier": "912345602"})
    outcome_store.insert(db, subject_kind="organisation", subject_id=org, check_id="no.brreg", check_version="1",
                         status="error", reason=reason, findings=[], explanation=[], run_by="system", batch_item_id=None)
    row = check_row(_page(login_as("procurement_officer"), org), "Enhetsregisteret (Norge)")
    assert words in row, row
    assert 'lang="en"' not in row, row


def test_an_unknown_stored_note_keeps_its_heading_and_its_language(app, login_as, accounts):
    from vetting.db import connect
    from vetting.domain import organisations

    db = connect(app.config["DATABASE"])
    org = organisations.create(db, SYSTEM, {"name": "Gammal AS", "country": "NO", "identifier_type": "no_orgnr",
                                            "identifier": "912345602"})
    outcome_store.insert(db, subject_kind="organisation", subject_id=org, check_id="no.brreg", check_version="1",
                         status="error", reason="Registret gav inget användbart svar: no.brreg: something new",
                         findings=[], explanation=[], run_by="system", batch_item_id=None)
    row = check_row(_page(login_as("procurement_officer"), org), "Enhetsregisteret (Norge)")
    assert f'{UNAVAILABLE}: <span lang="en">no.brreg: something new</span>' in row, row


def test_a_failed_connection_test_says_why_in_swedish(app, login_as, server, accounts):
    # A connection test keeps only the reason's text, so this is the stored-text path on a fresh answer.
    server.routes[("GET", "/no.brreg/enheter/923609016")] = Answer(503, "text/plain", b"Service Unavailable")
    client = login_as("admin")
    assert client.post("/admin/registers/no.brreg/test").status_code == 302
    page = html.unescape(client.get("/admin/registers").get_data(as_text=True))
    area = page[page.index('id="test-no.brreg"'):]
    area = area[:area.index("</div>")]
    assert "Anslutningen fungerar inte." in area
    assert f"{UNAVAILABLE}: Enhetsregisteret (Norge): det svarade HTTP 503 efter 1 försök" in area, area
    assert 'lang="en"' not in area, area
