"""Why a register's answer could not be read is said in Swedish from the check's fault code and parameters (the
checks write no user's language); an outcome stored before fault codes existed still reads."""
from __future__ import annotations

import html
from pathlib import Path

import pytest

from register_server import Answer, check_row, screen_organisation
from vetting.domain.audit import SYSTEM
from vetting.store import outcomes as outcome_store

pytestmark = pytest.mark.registers  # the app asks the local register server (conftest: server)

FIXTURES = Path(__file__).parent / "fixtures"
JSON = "application/json"
ENHET = "/no.brreg/enheter/912345602"
OTHER = (FIXTURES / "no.brreg/enhet_active.json").read_bytes().replace(b"912345602", b"923609016")

CASES = {
    "about another number": ({("GET", ENHET): Answer(200, JSON, OTHER)},
                             ("svaret gäller", "923609016", "inte", "912345602", "som frågan gällde")),
    "an HTML 404 page (wrong base URL)": ({("GET", ENHET): Answer(404, "text/html", b"<html>404 Not Found</html>")},
                                          ("HTTP 404 utan registrets dokumenterade felsvar", "felaktig adress")),
    "a field of the wrong kind": ({("GET", ENHET): Answer(200, JSON, (FIXTURES / "no.brreg/enhet_active.json")
                                                          .read_bytes().replace(b'"konkurs": false', b'"konkurs": "nei"'))},
                                  ("konkurs", "fel sorts värde", "text", "sant/falskt")),
}




@pytest.mark.parametrize("case", CASES)
def test_an_unreadable_answer_is_said_in_swedish_on_the_organisation_page(app, login_as, server, accounts, case):
    routes, words = CASES[case]
    db, org, _p = screen_organisation(app, login_as, server, routes, country="NO", identifier=("no_orgnr", "912345602"),
                                      check_id="no.brreg")
    outcome = {o["check_id"]: o for o in outcome_store.latest(db, "organisation", org)}["no.brreg"]
    assert outcome["status"] == "error"
    assert [f["code"] for f in outcome["findings"]] == ["source.fault"]  # a code and parameters, not a sentence
    row = check_row(login_as("procurement_officer").get(f"/organisations/{org}").get_data(as_text=True),
                    "Enhetsregisteret (Norge)")
    assert "Registrets svar har inte den form som kontrollen känner till" in row
    for word in words:
        assert word in row, (word, row)
    assert 'lang="en"' not in row  # nothing left in the check's own language


def test_an_error_stored_before_fault_codes_still_reads(app, login_as, accounts):
    from vetting.db import connect
    from vetting.domain import organisations

    db = connect(app.config["DATABASE"])
    org = organisations.create(db, SYSTEM, {"name": "Gammal AS", "country": "NO", "identifier_type": "no_orgnr",
                                            "identifier": "912345602"})
    reason = "no.brreg: host name not found after 4 attempts"  # as stored by an earlier version: text only
    outcome_store.insert(db, subject_kind="organisation", subject_id=org, check_id="no.brreg", check_version="1",
                         status="error", reason=reason, findings=[], explanation=[], run_by="system", batch_item_id=None)
    row = check_row(login_as("procurement_officer").get(f"/organisations/{org}").get_data(as_text=True),
                    "Enhetsregisteret (Norge)")
    assert "Enhetsregisteret (Norge): värdnamnet hittades inte efter 4 försök" in row, row


def test_the_full_results_page_says_the_fault_in_swedish_too(app, login_as, server, accounts):
    routes, words = CASES["about another number"]
    db, org, _p = screen_organisation(app, login_as, server, routes, country="NO", identifier=("no_orgnr", "912345602"),
                                      check_id="no.brreg")
    page = html.unescape(login_as("procurement_officer").get(f"/screening/organisation/{org}").get_data(as_text=True))
    section = page[page.index("Enhetsregisteret (Norge) <span"):]
    section = section[:section.index("</section>")]
    assert "Registrets svar har inte den form som kontrollen känner till" in section and "som frågan gällde" in section
    assert 'lang="en"' not in section and section.count("som frågan gällde") == 1  # said once, not again as a fact
