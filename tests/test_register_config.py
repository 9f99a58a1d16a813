"""Register configuration: a bad entry stops the app at start naming it; a register that is still unusable at run
time fails alone (the other checks run); "Test connection" succeeds only on a valid answer about the sample;
paging follows what the register says (a server that pages by 35)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import make_app
from register_server import Answer, screen_organisation
from vetting.config import ConfigurationError
from vetting.db import connect
from vetting.domain import register_settings
from vetting.domain.audit import SYSTEM
from vetting.store import outcomes as outcome_store

pytestmark = pytest.mark.registers  # the app asks the local register server (conftest: server)

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
JSON = "application/json"


@pytest.mark.parametrize("entry, says", [
    ("no.brreg", "is not source=https-url"),
    ("xx.unknown=https://example.org/api", "unknown source 'xx.unknown'"),
    ("no.brreg=http://data.brreg.no/enhetsregisteret/api", "https"),
    ("gleif=https://api.gleif.org/api/v1?key=1", "query"),
])
def test_a_bad_register_url_stops_the_app_naming_the_entry(tmp_path, entry, says):
    with pytest.raises(ConfigurationError) as raised:
        make_app(tmp_path, REGISTER_URLS=(entry,))
    assert "VETTING_REGISTER_URLS" in str(raised.value) and entry in str(raised.value) and says in str(raised.value)


def test_flask_does_not_start_with_a_bad_entry_in_the_environment(tmp_path):
    env = {**os.environ, "VETTING_REGISTER_URLS": "no.brreg=ftp://data.brreg.no", "VETTING_DATABASE":
           str(tmp_path / "x.sqlite3"), "VETTING_SECRET_KEY": "a-long-enough-secret-key-for-the-test"}
    run = subprocess.run([sys.executable, "-m", "flask", "--app", "vetting", "routes"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode != 0
    assert "VETTING_REGISTER_URLS" in run.stderr and "no.brreg=ftp://data.brreg.no" in run.stderr




def test_an_unusable_register_fails_alone_and_the_sanctions_check_still_runs(app, login_as, server, accounts):
    # A value that got past the start check (here: changed in the running app) breaks only its own register.
    app.config["REGISTER_URLS"] = ("no.brreg=http://example.org/not-allowed",)
    db, org, _p = screen_organisation(app, login_as, server, {}, country="NO", identifier=("no_orgnr", "912345602"),
                                      check_id="no.brreg")
    latest = {o["check_id"]: o for o in outcome_store.latest(db, "organisation", org)}
    assert latest["no.brreg"]["status"] == "error" and "cannot be used" in latest["no.brreg"]["reason"]
    assert "sanctions" in latest and not server.requests  # nothing was sent to the broken address either


@pytest.mark.parametrize("answer, ok", [
    (Answer(200, JSON, (FIXTURES / "no.brreg/enhet_active.json").read_bytes().replace(b"912345602", b"923609016")),
     True),
    (Answer(404, "text/html", b"<html><body>404 Not Found</body></html>"), False),  # a wrong base-URL prefix
    (Answer(200, JSON, (FIXTURES / "no.brreg/enhet_active.json").read_bytes()), False),  # about another number
    (Answer(404, JSON, b'{"status":404,"error":"Not Found"}'), False),  # "unknown" is no working connection
])
def test_test_connection_succeeds_only_on_a_valid_answer_about_the_sample(app, server, answer, ok):
    server.routes[("GET", "/no.brreg/enheter/923609016")] = answer
    server.routes[("GET", "/no.brreg/enheter/923609016/roller")] = Answer(200, JSON, (FIXTURES / "no.brreg/roller.json").read_bytes())
    db = connect(app.config["DATABASE"])
    with app.app_context():
        passed, status, reason = register_settings.test_connection(db, SYSTEM, "no.brreg", app.config)
    assert passed is ok, (status, reason)


def test_officers_are_read_to_the_end_from_a_server_that_pages_by_35(app, login_as, server, accounts):
    officers = [{"name": f"OFFICER{n:02d}, Anna", "officer_role": "director", "appointed_on": "2020-01-01"}
                for n in range(80)]

    def page(query: dict[str, str]) -> Answer:
        start = int(query.get("start_index", 0))
        body = {"items": officers[start:start + 35], "items_per_page": 35, "start_index": start,
                "total_results": len(officers), "kind": "officer-list", "active_count": len(officers)}
        return Answer(200, JSON, json.dumps(body).encode())

    routes = {("GET", "/gb.companies_house/company/09876543"):
              Answer(200, JSON, (FIXTURES / "gb.companies_house/company_active.json").read_bytes()),
              ("GET", "/gb.companies_house/company/09876543/officers"): page}
    db, org, _p = screen_organisation(app, login_as, server, routes, country="GB",
                                      identifier=("gb_company", "09876543"), check_id="gb.companies_house",
                                      settings={"api_key": "k"})
    outcome = {o["check_id"]: o for o in outcome_store.latest(db, "organisation", org)}["gb.companies_house"]
    listed = next(f["value"] for f in outcome["findings"] if f["code"] == "company.officers")
    assert sorted(o["name"] for o in listed) == sorted(o["name"] for o in officers)
    assert [r for r in server.requests if "/officers" in r[1]] == [
        ("GET", f"/gb.companies_house/company/09876543/officers?items_per_page=100&start_index={n}") for n in (0, 35, 70)]


def _test_area(page: str, check_id: str) -> str:
    area = page[page.index(f'id="test-{check_id}"'):]
    return area[:area.index("</div>")]


@pytest.mark.parametrize("answer, words", [
    (Answer(200, JSON, (FIXTURES / "no.brreg/enhet_active.json").read_bytes().replace(b"912345602", b"923609016")),
     ("Anslutningen fungerar.", "Registret svarade om Equinor ASA och svaret var giltigt (Utan anmärkning).")),
    (Answer(404, "text/html", b"<html><body>404 Not Found</body></html>"),  # a wrong base-URL prefix
     ("Anslutningen fungerar inte.", "Inget giltigt svar om Equinor ASA kom tillbaka (Fel):")),
])
def test_test_connection_runs_in_the_background_and_answers_in_words(app, server, login_as, accounts, answer, words):
    server.routes[("GET", "/no.brreg/enheter/923609016")] = answer
    server.routes[("GET", "/no.brreg/enheter/923609016/roller")] = Answer(200, JSON, (FIXTURES / "no.brreg/roller.json").read_bytes())
    admin = login_as("admin")
    response = admin.post("/admin/registers/no.brreg/test")
    assert response.status_code == 302 and response.headers["Location"].endswith("#test-no.brreg")
    page = admin.get("/admin/registers").get_data(as_text=True)
    area = _test_area(page, "no.brreg")
    for word in words:
        assert word in area, area
    for raw in ("clear", "error", "observation", "needs_manual_input"):  # no raw status on the page
        assert raw not in area.replace('class="danger"', "").replace('class="ok"', "")
    assert 'http-equiv="refresh"' not in page  # nothing running: the page does not reload itself


def test_a_test_waiting_for_the_worker_shows_its_progress_and_the_page_follows_it(app, login_as, accounts):
    db = connect(app.config["DATABASE"])
    # Outside the application nothing is queued: the test waits for a worker, as it does until one takes it.
    test_id = register_settings.start_connection_test(db, SYSTEM, "gleif")
    assert register_settings.start_connection_test(db, SYSTEM, "gleif") == test_id  # pressed twice: the same test
    page = login_as("admin").get("/admin/registers").get_data(as_text=True)
    area = _test_area(page, "gleif")
    assert "Väntar på bakgrundsarbetaren" in area and "<progress" in area and "av högst" in area
    assert 'http-equiv="refresh"' in page  # the page reloads itself until the result is there
    with app.app_context():
        ok, _status, _reason = register_settings.run_connection_test(db, SYSTEM, test_id, app.config)
    assert not ok  # the local server knows no GLEIF route: no valid answer about the sample
    page = login_as("admin").get("/admin/registers").get_data(as_text=True)
    assert "Anslutningen fungerar inte." in _test_area(page, "gleif") and 'http-equiv="refresh"' not in page
