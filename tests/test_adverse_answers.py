"""Real adverse register answers (sources in tests/fixtures/SOURCES.md) are never shown green, and every finding
is on the organisation page — through "Screen now" against a real HTTP server on 127.0.0.1, read in Swedish."""
from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from register_server import Answer, screen_organisation
from vetting.store import outcomes as outcome_store

pytestmark = pytest.mark.registers  # the app asks the local register server (conftest: server)

FIXTURES = Path(__file__).parent / "fixtures"
JSON = "application/json"
CH = "/gb.companies_house/company"


def _json(path: str, status: int = 200) -> Answer:
    return Answer(status, JSON, (FIXTURES / path).read_bytes())


REAL = "adverse/real"  # verbatim public payloads (tests/fixtures/SOURCES.md says where each comes from)
SCAFFOLD = "adverse/scaffold"  # the pages around a real payload that are not the fact under test
HENRY = "/gb.companies_house/disqualified-officers/natural/iJZbzhXjhanBiPC9LRVC-FfaRqg"

# name -> (check, country, identifier, routes, settings, what the Swedish page must say about the adverse fact)
CASES: dict[str, tuple[str, str, tuple[str, str], dict[tuple[str, str], Answer], dict[str, str], tuple[str, ...]]] = {
    "bankrupt (Brønnøysund, 1VASK AS)": (
        "no.brreg", "NO", ("no_orgnr", "915330193"),
        {("GET", "/no.brreg/enheter/915330193"): _json(f"{REAL}/brreg_enhet_915330193_konkurs.json"),
         ("GET", "/no.brreg/enheter/915330193/roller"): _json(f"{REAL}/brreg_roller_915330193_konkurs.json")},
        {}, ("Försatt i konkurs: Ja",)),
    "deleted (Brønnøysund, ROLS AS, 410 with the deleted entity)": (
        "no.brreg", "NO", ("no_orgnr", "989566733"),
        {("GET", "/no.brreg/enheter/989566733"): _json(f"{REAL}/brreg_enhet_989566733_slettet.json", 410)},
        {}, ("Avregistrerad ur registret: Ja",)),
    "Carillion in compulsory liquidation": (
        "gb.companies_house", "GB", ("gb_company", "03782379"),
        {("GET", f"{CH}/03782379"): _json(f"{REAL}/ch_profile_03782379_carillion.json"),
         ("GET", f"{CH}/03782379/officers"): _json(f"{SCAFFOLD}/ch_officers_empty.json"),
         ("GET", f"{CH}/03782379/insolvency"): _json(f"{REAL}/ch_insolvency_03782379_carillion.json")},
        {"api_key": "k"}, ("I likvidation: Ja", "Insolvensärenden: 1 (tvångslikvidation)")),
    "dissolved UK company (00000006)": (
        "gb.companies_house", "GB", ("gb_company", "00000006"),
        {("GET", f"{CH}/00000006"): _json(f"{REAL}/ch_profile_00000006_dissolved.json"),
         ("GET", f"{CH}/00000006/officers"): _json(f"{SCAFFOLD}/ch_officers_empty.json")},
        {"api_key": "k"}, ("Avregistrerad ur registret: Ja",)),
    "retired LEI (edited from a real lapsed record: no public RETIRED record was found)": (
        "gleif", "SE", ("lei", "213800SKOGSAKTIEBO60"),
        {("GET", "/gleif/lei-records/213800SKOGSAKTIEBO60"): _json("adverse/edited/gleif_retired.json")},
        {}, ("LEI har förfallit: Ja", "INACTIVE")),
    "invalid VAT number (edited: no captured invalid answer about a well-formed number was found)": (
        "eu.vies", "DK", ("vat", "DK12345674"),
        {("POST", "/eu.vies/check-vat-number"): _json("eu.vies/rest_invalid.json")},
        {}, ("Giltigt momsregistreringsnummer: Nej",)),
    "invalid VAT number (VIES SOAP, captured checkVatApprox answer about IT01739710307)": (
        "eu.vies", "IT", ("vat", "IT01739710307"),
        {("POST", "/eu.vies/check-vat-number"): Answer(502, "text/html", b"<html><body>Bad Gateway</body></html>"),
         ("POST", "/eu.vies.soap"): Answer(200, "text/xml; charset=utf-8",
                                            (FIXTURES / f"{REAL}/vies_soap_IT01739710307_invalid.xml").read_bytes())},
        {}, ("Giltigt momsregistreringsnummer: Nej",)),
    "director with a disqualification in force (Companies House, court order 2019-2029)": (
        "gb.companies_house", "GB", ("gb_company", "09876543"),
        {("GET", f"{CH}/09876543"): _json("gb.companies_house/company_active.json"),
         ("GET", f"{CH}/09876543/officers"): _json(f"{SCAFFOLD}/ch_officers_henry.json"),
         ("GET", "/gb.companies_house/search/disqualified-officers"):
             _json(f"{SCAFFOLD}/ch_search_disqualified_henry.json"),
         ("GET", HENRY): _json(f"{REAL}/ch_disqualified_natural_henry.json")},
        {"api_key": "k"}, ("HENRY, Charles", "diskvalificerad 2019-07-18 till 2029-07-17 (gäller)")),
}




@pytest.mark.parametrize("case", CASES)
def test_an_adverse_answer_is_an_observation_with_every_finding_on_the_page(app, login_as, server, accounts, case):
    check_id, country, identifier, routes, settings, words = CASES[case]
    db, org, _procurement = screen_organisation(app, login_as, server, routes, country=country, identifier=identifier,
                                                check_id=check_id, settings=settings)
    outcome = {o["check_id"]: o for o in outcome_store.latest(db, "organisation", org)}[check_id]
    assert outcome["status"] == "observation", (outcome["status"], outcome["reason"])
    page = html.unescape(login_as("procurement_officer").get(f"/organisations/{org}").get_data(as_text=True))
    row = page[page.index("status-observation"):]  # the register's row, with its badge in words
    row = row[:row.index("</tr>")]
    assert "Anmärkning" in row[:200] and "Utan anmärkning" not in row[:200]
    assert row.count("<li") == len(outcome["findings"])  # every finding listed, none cut off
    if check_id == "gb.companies_house" and identifier[1] == "09876543":
        # The disqualification is the last of many findings; the page once showed only the first six.
        codes = [f["code"] for f in outcome["findings"]]
        assert codes.index("company.officer_disqualified") >= 6
    for word in words:
        items = re.findall(r'<li class="adverse">(.*?)</li>', row)
        assert any(word in item for item in items), (word, items)
    assert "Anmärkning:" in row  # the adverse fact itself is marked in words, not only by colour
    for finding in outcome["findings"]:  # said from its code and values: the check's English note is never shown
        assert finding["detail"] not in row, finding
