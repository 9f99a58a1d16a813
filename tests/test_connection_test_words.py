""""Test connection" on the Registers page says why a register failed in Swedish, as an outcome does (issue #19).

Each case presses the real button against a real HTTP server on 127.0.0.1 answering in a fault mode, and reads the
Registers page as an administrator does: the Swedish words under the heading of the fault's kind, and nothing marked
as English. A test stored before fault codes were kept with it (its reason text only) still reads.
"""
from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import make_app
from register_server import Answer, RegisterServer, register_config, register_server
from vetting.db import connect

JSON = "application/json"
EQUINOR = "/no.brreg/enheter/923609016"
TESCO = "/gb.companies_house/company/00445790"
CHANGED = "Registrets svar har inte den form som kontrollen känner till, så det kan inte läsas som ett svar"
UNAVAILABLE = "Registret svarade inte eller kunde inte frågas"
REFUSED = "Registret nekade åtkomst, så kontrollen hoppas över för resten av körningen"


@pytest.fixture
def server() -> Iterator[RegisterServer]:
    with register_server() as running:
        yield running


@pytest.fixture
def app(tmp_path: Path, server: RegisterServer) -> Any:
    return make_app(tmp_path, **register_config(server))


def _area(client: Any, check_id: str) -> str:
    """The check's connection-test result on the Registers page, entities decoded."""
    page = html.unescape(client.get("/admin/registers").get_data(as_text=True))
    area = page[page.index(f'id="test-{check_id}"'):]
    return area[:area.index("</div>")]


def _tested(client: Any, check_id: str) -> str:
    assert client.post(f"/admin/registers/{check_id}/test").status_code == 302
    area = _area(client, check_id)
    assert "Anslutningen fungerar inte." in area, area
    assert 'lang="en"' not in area, area  # nothing on the Swedish page is marked as English
    return area


def test_a_schema_fault_is_said_in_swedish(app, login_as, server, accounts):
    # Enhetsregisteret's documented error answer repeats the HTTP status; this one contradicts it (a proxy's 404 over
    # a register's 500): the answer cannot be read, whatever the check's own note says.
    server.routes[("GET", EQUINOR)] = Answer(404, JSON, b'{"timestamp": "2026-12-02T10:00:00.000+00:00", '
                                                        b'"status": 500, "error": "Internal Server Error", '
                                                        b'"path": "/enhetsregisteret/api/enheter/923609016"}')
    area = _tested(login_as("admin"), "no.brreg")
    assert f"{CHANGED}: Enhetsregisteret (Norge): felsvaret anger status <code lang=\"zxx\">500</code> men " \
           f"HTTP-statusen är 404" in area, area


def test_a_register_that_hangs_past_the_deadline_is_said_in_swedish(app, login_as, server, accounts):
    server.routes[("GET", EQUINOR)] = Answer(200, JSON, b"", mode="hang")
    area = _tested(login_as("admin"), "no.brreg")
    assert f"{UNAVAILABLE}: Enhetsregisteret (Norge): " in area, area
    # The register's read timeout is 5 s, the run's total budget 1 s (register_config): the budget ran out first.
    assert f"{UNAVAILABLE}: Enhetsregisteret (Norge): inget fullständigt svar kom inom den totala tidsgränsen på 1 s" \
        in area, area


@pytest.mark.parametrize("check_id, settings, route, answer, words", [
    ("gb.companies_house", {"api_key": "expired-key"}, ("GET", TESCO),
     Answer(401, JSON, b'{"error": "Invalid Authorization", "type": "ch:service"}'),
     f"{REFUSED}: Companies House (Storbritannien): det svarade HTTP 401: inloggningsuppgifterna avvisades eller har "
     f"gått ut; en administratör kontrollerar dem på sidan Register"),
    # Bolagsverket's token endpoint turns an unknown client away with OAuth2's 400 invalid_client (RFC 6749 5.2).
    ("se.bolagsverket", {"client_id": "gammal-klient", "client_secret": "utgånget"}, ("POST", "/se.bolagsverket.token"),
     Answer(400, JSON, b'{"error": "invalid_client", "error_description": "Client authentication failed"}'),
     f"{REFUSED}: Bolagsverket (värdefulla datamängder): det avvisade begäran om åtkomsttoken (HTTP 400: okänd klient eller behörighet)"),
])
def test_a_refused_credential_is_said_in_swedish(app, login_as, server, accounts, check_id, settings, route, answer,
                                                  words):
    from vetting.domain import register_settings
    from vetting.domain.audit import SYSTEM

    db = connect(app.config["DATABASE"])
    for key, value in settings.items():
        register_settings.put(db, SYSTEM, check_id, key, value)
    server.routes[route] = answer
    area = _tested(login_as("admin"), check_id)
    assert words in area, area


def _stored(app: Any, check_id: str, reason: str) -> None:
    """A connection test as a release before fault codes stored it: its state and reason text, no code."""
    db = connect(app.config["DATABASE"])
    db.execute("INSERT INTO connection_tests (check_id, state, ok, status, reason, started_by, created_at, finished_at)"
               " VALUES (?, 'done', 0, 'error', ?, 'admin', '2026-11-30T09:00:00+00:00', '2026-11-30T09:00:02+00:00')",
               [check_id, reason])


def test_a_test_stored_before_fault_codes_still_reads_in_swedish(app, login_as, accounts):
    _stored(app, "no.brreg", "Registret gav inget användbart svar: no.brreg: 503 Service Unavailable after 1 attempt")
    area = _area(login_as("admin"), "no.brreg")
    assert f"{UNAVAILABLE}: Enhetsregisteret (Norge): det svarade HTTP 503 efter 1 försök" in area, area
    assert 'lang="en"' not in area, area


def test_a_stored_note_the_app_does_not_know_keeps_its_swedish_unmarked(app, login_as, accounts):
    # Checks write some of their own notes in Swedish; an unrecognised one is shown as it is, but never as English.
    _stored(app, "gleif", "Registrets svar har inte den form som kontrollen känner till, så det kan inte läsas som ett "
                          "svar: gleif: direct-parent saknar både länk till moderbolag och rapporteringsundantag")
    area = _area(login_as("admin"), "gleif")
    assert f"{CHANGED}: gleif: direct-parent saknar både länk till moderbolag och rapporteringsundantag" in area, area
    assert 'lang="en"' not in area, area


def test_a_stored_english_note_the_app_does_not_know_is_marked_english(app, login_as, accounts):
    _stored(app, "no.brreg", "Registret gav inget användbart svar: no.brreg: something new happened")
    area = _area(login_as("admin"), "no.brreg")
    assert f'{UNAVAILABLE}: <span lang="en">no.brreg: something new happened</span>' in area, area


def test_an_annual_report_fault_stored_before_codes_with_the_readers_own_note_reads_in_swedish(app, login_as,
                                                                                              accounts):
    # The iXBRL reader's own message (str(exc)) was the note of an unreadable report: not one of the fixed ones.
    from vetting.domain import organisations
    from vetting.domain.audit import SYSTEM
    from vetting.store import outcomes as outcome_store

    detail = "Annual report 2019-12-31 (4eaa2201_paket): mismatched tag: line 3, column 2"
    db = connect(app.config["DATABASE"])
    org = organisations.create(db, SYSTEM, {"name": "Gamla AB", "country": "SE", "identifier_type": "se_orgnr",
                                            "identifier": "5566778899"})
    outcome_store.insert(db, subject_kind="organisation", subject_id=org, check_id="se.bolagsverket.arsredovisning",
                         check_version="1", status="error", reason=detail,
                         findings=[{"code": "annual_report.fault", "evidence": 0, "detail": detail, "value": None}],
                         explanation=[], run_by="system", batch_item_id=None)
    page = html.unescape(login_as("procurement_officer").get(f"/organisations/{org}").get_data(as_text=True))
    row = page[page.index("<td>Bolagsverket (årsredovisningar)</td>"):]
    row = row[:row.index("</tr>")]
    assert f"{CHANGED}: Bolagsverket (årsredovisningar): årsredovisningen för räkenskapsåret som slutar 2019-12-31 " \
           "kan inte läsas som iXBRL" in row, row
    assert 'lang="en"' not in row, row
