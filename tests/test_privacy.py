"""Personal-data pages: the per-person access log, register extracts and the purge page."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta, timezone

import pytest

from vetting.domain import organisations, screening
from vetting.domain.audit import SYSTEM

SETTINGS = {"SCREENING_POSSIBLE_THRESHOLD": 0.80, "SCREENING_HIT_THRESHOLD": 0.93}


@pytest.fixture
def two_people(db, create_org):
    """Two key persons of the same organisation, each screened once."""
    org = create_org(name="Gemensamt Bygg AB")
    organisations.add_key_person(db, SYSTEM, org, {"name": "Lars Öberg", "role": "ceo", "personnummer": "197003121238"})
    organisations.add_key_person(db, SYSTEM, org, {"name": "Greta Ström", "role": "board_member",
                                                   "personnummer": "19820704-5678"})
    ids = {r["name"]: r["id"] for r in db.query("SELECT id, name FROM persons")}
    for person_id in ids.values():
        screening.screen_subject(db, SYSTEM, "person", person_id, SETTINGS)
    return ids["Lars Öberg"], ids["Greta Ström"]


def test_access_log_shows_views_and_reveals_with_reasons(login_as, client, two_people):
    lars, _greta = two_people
    officer = login_as("security_officer")
    officer.get(f"/persons/{lars}")
    officer.post(f"/persons/{lars}/reveal", data={"reason": "Kontroll inför tilldelning UH-2026-0001"})
    client.post("/logout")
    page = login_as("admin").get(f"/privacy/persons/{lars}").get_data(as_text=True)
    assert "Person visad" in page and "Personnummer visat" in page  # actions in words
    assert "Kontroll inför tilldelning UH-2026-0001" in page and "security_officer" in page
    assert "1238" not in page  # the log never shows the personnummer


def test_register_extract_holds_everything_about_the_person_and_nothing_about_others(login_as, db, two_people):
    lars, greta = two_people
    response = login_as("admin").post(f"/privacy/persons/{lars}/extract",
                                      data={"reason": "Begäran om registerutdrag dnr 2026-77", "output": "json"})
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    body = response.get_data()
    extract = json.loads(body)
    assert extract["person"]["personnummer"] == "197003121238"
    assert [r["organisation_name"] for r in extract["roles"]] == ["Gemensamt Bygg AB"]
    assert extract["outcomes"]
    assert all((o["subject_kind"], o["subject_id"]) == ("person", lars) for o in extract["outcomes"])
    assert {e["action"] for e in extract["audit_entries"]} >= {"key_person.add", "check.run"}
    text = body.decode()
    assert "Greta" not in text and "19820704" not in text and f'"subject_id": {greta}' not in text
    entry = next(db.query("SELECT * FROM audit_log WHERE action = 'person.extract'"))
    assert entry["record_id"] == str(lars) and entry["reason"] == "Begäran om registerutdrag dnr 2026-77"
    assert json.loads(entry["after_json"])["sha256"] == hashlib.sha256(body).hexdigest()


def test_purge_page_lists_what_is_due_and_erases_only_after_confirmation(login_as, db, create_org):
    org = create_org()
    organisations.add_key_person(db, SYSTEM, org, {"name": "Gammal Styrelseledamot", "role": "board_member",
                                                   "birth_date": "1950"})
    long_ago = (datetime.now(timezone.utc) - timedelta(days=5 * 366)).isoformat()
    db.execute("UPDATE persons SET created_at = ?", [long_ago])
    db.execute("UPDATE key_roles SET created_at = ?", [long_ago])
    admin = login_as("admin")
    assert "Gammal Styrelseledamot" in admin.get("/privacy/").get_data(as_text=True)
    refused = admin.post("/privacy/purge", data={"records": "person:1"})
    assert refused.status_code == 400 and db.execute("SELECT erased_at FROM persons").fetchone()[0] is None
    assert admin.post("/privacy/purge", data={"records": "person:1", "confirm": "y"}).status_code == 302
    assert db.execute("SELECT name FROM persons").fetchone()[0] == "Gallrad person 1"


def test_access_log_lists_reports_on_the_persons_organisation_as_possible_accesses(db, two_people):
    from vetting.domain import privacy
    from vetting.domain.audit import record

    lars, _greta = two_people
    org = next(db.query("SELECT organisation_id FROM key_roles WHERE person_id = ?", [lars]))["organisation_id"]
    record(db, SYSTEM, "report.download", "organisation", org, after={"format": "pdf"})
    record(db, SYSTEM, "report.download", "organisation", org + 1, after={"format": "pdf"})
    log = privacy.access_log(db, SYSTEM, lars)
    assert [e["action"] for e in log["indirect"]] == ["report.download"]
    assert log["entries"][0]["action"] == "person.access_log"
