"""Real adverse register answers (sources in tests/fixtures/SOURCES.md) are never shown green, and every finding
is on the organisation page — through "Screen now" against a real HTTP server on 127.0.0.1, read in Swedish."""
from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import make_app
from register_server import Answer, RegisterServer, register_config, register_server, screen_organisation
from vetting.store import outcomes as outcome_store

FIXTURES = Path(__file__).parent / "fixtures"
JSON = "application/json"
CH = "/gb.companies_house/company"
DISQUALIFIED = "/gb.companies_house/disqualified-officers/natural/kP3sQ9wLm2XrT7vB1yHn5cZ8dFa"
NOT_FOUND = b'{"timestamp":"2026-10-01T10:00:00.000+00:00","status":404,"error":"Not Found","path":"/roller"}'


def _json(path: str, status: int = 200) -> Answer:
    return Answer(status, JSON, (FIXTURES / path).read_bytes())


# name -> (check, country, identifier, routes, settings, what the Swedish page must say, marked as an observation)
CASES: dict[str, tuple[str, str, tuple[str, str], dict[tuple[str, str], Answer], dict[str, str], tuple[str, ...]]] = {
    "bankrupt (Brønnøysund)": (
        "no.brreg", "NO", ("no_orgnr", "921456700"),
        {("GET", "/no.brreg/enheter/921456700"): _json("no.brreg/enhet_konkurs.json"),
         ("GET", "/no.brreg/enheter/921456700/roller"): Answer(404, JSON, NOT_FOUND)}, {}, ("Försatt i konkurs: Ja",)),
    "deleted (Brønnøysund, 410 with the deleted entity)": (
        "no.brreg", "NO", ("no_orgnr", "987654309"),
        {("GET", "/no.brreg/enheter/987654309"): _json("no.brreg/enhet_slettet.json", 410)}, {}, ("Avregistrerad ur registret: Ja",)),
    "Carillion in compulsory liquidation": (
        "gb.companies_house", "GB", ("gb_company", "03782379"),
        {("GET", f"{CH}/03782379"): _json("adverse/ch_carillion_profile.json"),
         ("GET", f"{CH}/03782379/officers"): _json("adverse/ch_officers_empty.json"),
         ("GET", f"{CH}/03782379/insolvency"): _json("adverse/ch_carillion_insolvency.json")},
        {"api_key": "k"}, ("I likvidation: Ja", "Insolvensärenden: 1")),
    "dissolved UK company": (
        "gb.companies_house", "GB", ("gb_company", "00000006"),
        {("GET", f"{CH}/00000006"): _json("adverse/ch_dissolved_profile.json"),
         ("GET", f"{CH}/00000006/officers"): _json("adverse/ch_officers_empty.json")},
        {"api_key": "k"}, ("Avregistrerad ur registret: Ja",)),
    "retired LEI": (
        "gleif", "SE", ("lei", "213800SKOGSAKTIEBO60"),
        {("GET", "/gleif/lei-records/213800SKOGSAKTIEBO60"): _json("adverse/gleif_retired.json")}, {}, ("LEI har förfallit: Ja", "INACTIVE")),
    "invalid VAT number": (
        "eu.vies", "DK", ("vat", "DK12345674"),
        {("POST", "/eu.vies/check-vat-number"): _json("eu.vies/rest_invalid.json")}, {}, ("Giltigt momsregistreringsnummer: Nej",)),
    "director with a disqualification in force": (
        "gb.companies_house", "GB", ("gb_company", "09876543"),
        {("GET", f"{CH}/09876543"): _json("gb.companies_house/company_active.json"),
         ("GET", f"{CH}/09876543/officers"): _json("gb.companies_house/officers.json"),
         ("GET", "/gb.companies_house/search/disqualified-officers"):
             _json("gb.companies_house/search_disqualified_whitfield.json"),
         ("GET", DISQUALIFIED): _json("gb.companies_house/disqualified_natural.json")},
        {"api_key": "k"}, ("WHITFIELD, James Edward: disqualified", "(in force)")),
}


@pytest.fixture
def server() -> Iterator[RegisterServer]:
    with register_server() as running:
        yield running


@pytest.fixture
def app(tmp_path: Path, server: RegisterServer) -> Any:
    return make_app(tmp_path, **register_config(server))


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
