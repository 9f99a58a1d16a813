"""One read model for the screening status of a subject and its key persons, used by every page.

The contradiction the review found: after a key person's match is dismissed, the organisation's
summary said "Clear" and the key-person row still said "Hit". The oracle is the page a user sees.
"""
from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from pathlib import Path

from checks import Evidence, Finding, Outcome, Status
from vetting.domain import organisations
from vetting.domain.audit import SYSTEM, Actor
from vetting.domain.screening import all_checks, decide, store_outcome, subject_of

ROOT = Path(__file__).resolve().parents[1]
KEY_PERSON = "Anna Andersson"


def listed_outcome(db, kind, subject_id, level="hit"):
    """A sanctions outcome with one match, as the list check stores it."""
    body = json.dumps({"checked": subject_id}).encode()
    evidence = Evidence(source="sanctions", fetched_at=datetime.now(timezone.utc), sha256=Evidence.digest(body),
                        body=body, list_version="2026-11-01", media_type="application/json")
    # Below the hit threshold: dismissing a hit takes a second officer (four eyes), a possible match one.
    score = 0.97 if level == "hit" else 0.85
    match = {"list": "un", "listed_id": "QDi.999", "level": level, "score": score, "entry_hash": "abc"}
    finding = Finding(f"sanctions.{level}", {"list": "un", "listed_id": "QDi.999"}, "Anna ANDERSSON (un QDi.999)")
    outcome = Outcome(Status(level), (finding,), (evidence,), None, (match,))
    return store_outcome(db, SYSTEM, subject_of(db, kind, subject_id), all_checks()["sanctions"], outcome)


def key_person_row(page: str) -> str:
    return next(tr for tr in page.split("<tr")[1:] if KEY_PERSON in tr)


def statuses(html: str) -> list[str]:
    return re.findall(r'class="status status-([a-z_]+)"', html)


def test_a_dismissed_key_person_match_reads_clear_in_the_summary_and_in_the_row(db, login_as, accounts, create_org):
    org = create_org(name="Byggbolaget Norrland AB")
    organisations.add_key_person(db, SYSTEM, org, {"name": KEY_PERSON, "role": "ceo", "birth_date": "1970-03-12"})
    person = db.execute("SELECT id FROM persons WHERE name = ?", [KEY_PERSON]).fetchone()[0]
    outcome = listed_outcome(db, "person", person, level="possible_match")
    client = login_as("security_officer")
    before = client.get(f"/organisations/{org}").get_data(as_text=True)
    assert statuses(key_person_row(before)) == ["possible_match"]

    officer = Actor(accounts["security_officer"], "security_officer", frozenset({"security_officer"}))
    decide(db, officer, outcome, "un", "QDi.999", "dismissed", "Annan person: född 1985, inte 1970")
    page = client.get(f"/organisations/{org}").get_data(as_text=True)
    summary = page.split('class="screening-line"', 1)[1].split("</p>", 1)[0]
    assert statuses(summary)[-1] == "clear"  # key persons: Clear
    assert statuses(key_person_row(page)) == ["clear"]


def test_a_dismissed_match_of_the_organisation_reads_clear_in_its_registers_table(db, login_as, accounts, create_org):
    org = create_org(name="Norrland Trading AB")
    outcome = listed_outcome(db, "organisation", org, level="possible_match")
    officer = Actor(accounts["security_officer"], "security_officer", frozenset({"security_officer"}))
    decide(db, officer, outcome, "un", "QDi.999", "dismissed", "Annat bolag, annat organisationsnummer")
    page = login_as("reviewer").get(f"/organisations/{org}").get_data(as_text=True)
    table = page.split('class="registers"', 1)[1].split("</table>", 1)[0]
    assert statuses(table) == ["clear"]
    summary = page.split('class="screening-line"', 1)[1].split("</p>", 1)[0]
    assert statuses(summary)[0] == "clear"


def test_a_key_persons_worst_check_shows_not_the_first_one(db, login_as, create_org):
    org = create_org(name="Fjordbygg AB")
    organisations.add_key_person(db, SYSTEM, org, {"name": KEY_PERSON, "role": "ceo", "birth_date": "1970-03-12"})
    person = db.execute("SELECT id FROM persons WHERE name = ?", [KEY_PERSON]).fetchone()[0]
    listed_outcome(db, "person", person, level="possible_match")
    page = login_as("reviewer").get(f"/organisations/{org}").get_data(as_text=True)
    assert statuses(key_person_row(page)) == ["possible_match"]


def test_the_old_copies_of_the_status_rule_are_gone():
    """One home: the effective status is computed in vetting/domain/screening_status.py only."""
    offenders = []
    for path in [*ROOT.glob("vetting/**/*.py"), *ROOT.glob("templates/**/*.html")]:
        if path.name == "screening_status.py":
            continue  # the home
        text = path.read_text(encoding="utf-8")
        for old in ("latest_statuses(", "_effective_statuses(", "person_status.get(", "latest_outcomes(",
                    "effective_status(o, "):
            if old in text:
                offenders.append(f"{path.relative_to(ROOT)}: {old}")
    assert offenders == []


def test_the_outcomes_export_and_the_report_read_the_same_status_as_the_page(app, db, accounts, create_org):
    from vetting.domain import exports
    from vetting.domain.exports import STATUS_NAMES
    from vetting.domain.reports import _check_lines

    org = create_org(name="Byggbolaget Norrland AB")
    organisations.add_key_person(db, SYSTEM, org, {"name": KEY_PERSON, "role": "ceo", "birth_date": "1970-03-12"})
    person = db.execute("SELECT id FROM persons WHERE name = ?", [KEY_PERSON]).fetchone()[0]
    outcome = listed_outcome(db, "person", person, level="possible_match")
    officer = Actor(accounts["security_officer"], "security_officer", frozenset({"security_officer"}))
    decide(db, officer, outcome, "un", "QDi.999", "dismissed", "Annan person")
    with app.test_request_context():
        table = exports.outcomes(db, personal_data=True, language="en")
        person_rows = [row for row in table.rows if KEY_PERSON in row[2]]
        assert [row[4] for row in person_rows] == [str(STATUS_NAMES["clear"])]  # the label, whatever its wording
        assert exports.outcomes(db, personal_data=True, status="hit", language="en").rows == []
        assert [line.effective_status for line in _check_lines(db, "person", [person], True)[person]] == ["clear"]
