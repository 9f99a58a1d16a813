"""Screening: lists imported as versions, subjects screened with explained results, matches reviewed."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from checks import CheckContext, Outcome, Status, Subject
from vetting.domain import lists, organisations, procurements, screening, screening_status
from vetting.domain.audit import SYSTEM
from vetting.domain.errors import Conflict, InvalidInput

FIXTURES = Path(__file__).parent / "fixtures" / "lists"
SETTINGS = {"SCREENING_POSSIBLE_THRESHOLD": 0.80, "SCREENING_HIT_THRESHOLD": 0.93}


@pytest.fixture
def loaded(db):
    lists.import_list(db, SYSTEM, "un", [FIXTURES / "un_consolidated.xml"])
    lists.import_list(db, SYSTEM, "ofac-sdn", [FIXTURES / f for f in ("ofac_sdn.csv", "ofac_alt.csv", "ofac_add.csv")])
    return db


def _latest(db, kind, subject_id):
    return {o["check_id"]: o for o in screening.outcome_store.latest(db, kind, subject_id)}


def test_listed_company_is_a_hit_with_explanation_and_evidence(loaded, create_org):
    org = create_org(name="Test Bank PJSC", country="RU")
    screening.screen_subject(loaded, SYSTEM, "organisation", org, SETTINGS)
    outcome = _latest(loaded, "organisation", org)["sanctions"]
    assert outcome["status"] == "hit"
    assert outcome["findings"][0]["code"] == "sanctions.listed"
    match = outcome["explanation"][0]
    assert match["list"] == "ofac-sdn" and match["listed_name"] == "TEST BANK PJSC"
    assert "was compared with the listed" in match["explanation"]
    evidence = screening.outcome_store.evidence_of(loaded, outcome["id"])
    assert {e["source"] for e in evidence} == {"un", "ofac-sdn"}
    assert {e["list_version"] for e in evidence} >= {"2026-01-15"}


def test_unlisted_person_is_clear_and_names_the_lists_consulted(loaded, create_org):
    org = create_org()
    organisations.add_key_person(loaded, SYSTEM, org, {"name": "Anna Svensson", "role": "ceo",
                                                       "personnummer": "19820704-5678"})
    screening.screen_subject(loaded, SYSTEM, "person", 1, SETTINGS)
    outcome = _latest(loaded, "person", 1)["sanctions"]
    assert outcome["status"] == "clear" and outcome["explanation"] == []
    assert len(screening.outcome_store.evidence_of(loaded, outcome["id"])) == 2


def test_no_lists_loaded_is_an_error_never_clear(db, create_org):
    org = create_org(name="Vad Som Helst AB")
    screening.screen_subject(db, SYSTEM, "organisation", org, SETTINGS)
    outcome = _latest(db, "organisation", org)["sanctions"]
    assert outcome["status"] == "error" and "No sanctions" in outcome["reason"]


def test_reversed_and_transliterated_person_name_is_found(loaded, create_org):
    org = create_org()
    organisations.add_key_person(loaded, SYSTEM, org, {"name": "Al-Testi, Karim Abdul", "role": "board_member",
                                                       "birth_date": "1960-04-28", "nationality": "IQ"})
    screening.screen_subject(loaded, SYSTEM, "person", 1, SETTINGS)
    assert _latest(loaded, "person", 1)["sanctions"]["status"] in ("hit", "possible_match")


def test_hit_on_key_person_shows_on_company_and_procurement(loaded, login_as, create_org, create_procurement):
    org = create_org(name="Helt Vanligt Bygg AB")
    pid = create_procurement()
    procurements.add_participant(loaded, SYSTEM, pid, org, "bidder")
    organisations.add_key_person(loaded, SYSTEM, org, {"name": "Karim Abdul Al-Testi", "role": "beneficial_owner",
                                                       "birth_date": "1960-04-28"})
    screening.screen_organisation_and_people(loaded, SYSTEM, org, SETTINGS)
    summary = screening_status.organisations(loaded, [org])[org]
    assert summary["people"] == "hit" and summary["own"] != "hit"
    client = login_as("reviewer")
    for url in (f"/organisations/{org}", f"/procurements/{pid}"):
        assert 'status-hit' in client.get(url).get_data(as_text=True), url


def test_dismissal_is_remembered_until_the_listed_entry_changes(loaded, create_org, tmp_path):
    org = create_org(name="Test Bank PJSC", country="RU")
    screening.screen_subject(loaded, SYSTEM, "organisation", org, SETTINGS)
    first = _latest(loaded, "organisation", org)["sanctions"]
    from four_eyes import confirmed

    confirmed(loaded, screening.decide(loaded, SYSTEM, first["id"], "ofac-sdn", first["explanation"][0]["listed_id"],
                                       "dismissed", "Annat bolag: ryskt orgnr skiljer sig"))
    screening.screen_subject(loaded, SYSTEM, "organisation", org, SETTINGS)
    second = _latest(loaded, "organisation", org)["sanctions"]
    assert second["status"] == "clear" and second["explanation"][0]["dismissed_before"] is True
    # A new list version where the entry changed: the match is raised again.
    changed = tmp_path / "sdn.csv"
    shutil.copy(FIXTURES / "ofac_sdn.csv", changed)
    text = changed.read_bytes().replace(b'"RUSSIA-EO14024"', b'"RUSSIA-EO14024] [UKRAINE-EO13662"', 1)
    changed.write_bytes(text)
    lists.import_list(loaded, SYSTEM, "ofac-sdn", [changed, FIXTURES / "ofac_alt.csv", FIXTURES / "ofac_add.csv"])
    screening.screen_subject(loaded, SYSTEM, "organisation", org, SETTINGS)
    third = _latest(loaded, "organisation", org)["sanctions"]
    assert third["status"] in ("hit", "possible_match")


def test_decisions_need_a_reason_and_are_audited_once(loaded, create_org):
    org = create_org(name="Test Bank PJSC", country="RU")
    screening.screen_subject(loaded, SYSTEM, "organisation", org, SETTINGS)
    outcome = _latest(loaded, "organisation", org)["sanctions"]
    listed_id = outcome["explanation"][0]["listed_id"]
    with pytest.raises(InvalidInput):
        screening.decide(loaded, SYSTEM, outcome["id"], "ofac-sdn", listed_id, "confirmed", " ")
    screening.decide(loaded, SYSTEM, outcome["id"], "ofac-sdn", listed_id, "confirmed", "Samma bolag enligt register")
    with pytest.raises(Conflict):
        screening.decide(loaded, SYSTEM, outcome["id"], "ofac-sdn", listed_id, "dismissed", "Ångrar mig")
    entry = next(loaded.query("SELECT * FROM audit_log WHERE action = 'match.confirmed'"))
    assert entry["reason"] == "Samma bolag enligt register"


def test_review_queue_lists_undecided_matches_and_the_decision_empties_it(loaded, login_as, create_org):
    org = create_org(name="Test Bank PJSC", country="RU")
    screening.screen_subject(loaded, SYSTEM, "organisation", org, SETTINGS)
    client = login_as("procurement_officer")
    page = client.get("/screening/review").get_data(as_text=True)
    assert "TEST BANK PJSC" in page
    outcome = _latest(loaded, "organisation", org)["sanctions"]
    response = client.post(f"/screening/outcomes/{outcome['id']}/decide", data={
        "list_source": "ofac-sdn", "listed_id": outcome["explanation"][0]["listed_id"], "decision": "dismissed",
        "reason": "Annat land och annat organisationsnummer"})
    assert response.status_code == 302
    # A hit-level match: the dismissal waits for a security officer's confirmation (four eyes).
    assert len(screening.open_reviews(loaded)) == 1
    from four_eyes import second
    from vetting.domain import foureyes

    pending = foureyes.waiting_for(loaded, second(loaded, "security_officer"))
    foureyes.confirm(loaded, second(loaded, "security_officer"), pending[0]["id"])
    assert screening.open_reviews(loaded) == []


def test_subject_page_shows_each_list_version_and_the_explanation(loaded, login_as, create_org):
    org = create_org(name="Test Bank PJSC", country="RU")
    screening.screen_subject(loaded, SYSTEM, "organisation", org, SETTINGS)
    page = login_as("reviewer").get(f"/screening/organisation/{org}").get_data(as_text=True)
    assert "2026-01-15" in page and "OFAC SDN" in page and "TEST BANK PJSC" in page
    assert "status-hit" in page and 'class="features"' in page


def test_refused_list_file_keeps_the_previous_version(loaded, tmp_path):
    truncated = tmp_path / "un.xml"
    truncated.write_bytes((FIXTURES / "un_consolidated.xml").read_bytes()[:800])
    with pytest.raises(InvalidInput):
        lists.import_list(loaded, SYSTEM, "un", [truncated])
    active = lists.store.active_version(loaded, "un")
    assert active["record_count"] == 3


def test_lists_import_cli_and_lists_page(runner, login_as, db):
    result = runner.invoke(args=["lists", "import", "un", str(FIXTURES / "un_consolidated.xml")])
    assert result.exit_code == 0 and "imported 3 records" in result.output
    bad = runner.invoke(args=["lists", "import", "un", str(FIXTURES / "ofac_sdn.csv")])
    assert bad.exit_code == 1
    page = login_as("reviewer").get("/screening/lists").get_data(as_text=True)
    row = next(tr for tr in page.split("<tr")[1:] if "FN:s säkerhetsråd" in tr)  # StopIteration: not listed
    assert "2026-01-15" in row or "15 jan" in row


def test_batch_screen_cli(runner, loaded, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("name;kind;birth_date;country;identifier\nTEST BANK PJSC;organisation;;RU;\n"
                      "Anna Svensson;person;1980;SE;\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    result = runner.invoke(args=["screen", str(source), "--output", str(out)])
    assert result.exit_code == 0, result.output
    lines = out.read_text().splitlines()
    assert lines[0].endswith("status,score,list,listed_id,listed_name,explanation")
    assert ",hit," in lines[1] and ",clear," in "".join(lines[2:])


def test_a_crashing_check_is_an_error_not_clear():
    from checks import Check
    from vetting.domain.runner import run_one

    class Broken(Check):
        id = "broken"
        name = {"sv": "Trasig", "en": "Broken"}
        applies_to = frozenset({"organisation"})

        def run(self, subject, ctx):
            raise KeyError("boom")

    outcome = run_one(Broken(), Subject("organisation", 1, "X"), CheckContext())
    assert outcome.status == Status.ERROR and "Internal error" in outcome.reason


def test_undeclared_finding_is_an_error():
    from checks import Check, Finding
    from vetting.domain.runner import run_one

    class Sloppy(Check):
        id = "sloppy"
        name = {"sv": "S", "en": "S"}
        applies_to = frozenset({"organisation"})

        def run(self, subject, ctx):
            return Outcome(Status.CLEAR, (Finding("made.up", True, "x"),))

    assert run_one(Sloppy(), Subject("organisation", 1, "X"), CheckContext()).status == Status.ERROR


def test_screening_a_procurement_covers_the_whole_chain_and_key_persons(loaded, login_as, create_org, create_procurement):
    pid = create_procurement()
    top = procurements.add_participant(loaded, SYSTEM, pid, create_org(name="Topp AB"), "bidder")
    sub = create_org(name="Test Bank PJSC", country="RU")
    procurements.add_participant(loaded, SYSTEM, pid, sub, "subcontractor", top)
    organisations.add_key_person(loaded, SYSTEM, sub, {"name": "Anna Svensson", "role": "ceo", "birth_date": "1980"})
    response = login_as("procurement_officer").post(f"/screening/procurement/{pid}/run")
    assert response.status_code == 302
    assert screening_status.organisations(loaded, [sub])[sub]["own"] == "hit"
    assert loaded.execute("SELECT count(DISTINCT subject_kind || subject_id) FROM outcomes").fetchone()[0] == 3


def test_outcomes_and_evidence_are_immutable(loaded, create_org):
    import sqlite3

    org = create_org(name="Test Bank PJSC", country="RU")
    screening.screen_subject(loaded, SYSTEM, "organisation", org, SETTINGS)
    for sql in ("UPDATE outcomes SET status = 'clear'", "DELETE FROM evidence", "UPDATE evidence SET body = x'00'"):
        with pytest.raises(sqlite3.IntegrityError):
            loaded.execute(sql)


def test_evidence_download_matches_its_hash(loaded, login_as, create_org):
    import hashlib

    org = create_org(name="Test Bank PJSC", country="RU")
    screening.screen_subject(loaded, SYSTEM, "organisation", org, SETTINGS)
    response = login_as("reviewer").get("/screening/evidence/1")
    assert hashlib.sha256(response.data).hexdigest() == response.headers["X-Content-SHA256"]


def test_lists_update_downloads_from_configured_publisher(app, runner, db):
    import responses

    app.config["LIST_URLS"] = ("un=https://lists.example.org/un.xml",)
    with responses.RequestsMock() as mock:
        mock.get("https://lists.example.org/un.xml", body=(FIXTURES / "un_consolidated.xml").read_bytes())
        result = runner.invoke(args=["lists", "update"])
    assert result.exit_code == 0 and "imported 3 records" in result.output


def test_lists_update_failure_keeps_loaded_version_and_fails(app, runner, loaded):
    import responses

    app.config["LIST_URLS"] = ("un=https://lists.example.org/un.xml",)
    with responses.RequestsMock() as mock:
        mock.get("https://lists.example.org/un.xml", status=503)
        result = runner.invoke(args=["lists", "update"])
    assert result.exit_code == 1 and "download failed" in result.output
    assert lists.store.active_version(loaded, "un")["record_count"] == 3
