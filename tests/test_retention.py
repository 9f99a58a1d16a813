"""Retention: what is due, the dry run, and the audited purge that anonymises key persons."""
from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from vetting.domain import lists, organisations, procurements, retention, screening
from vetting.domain.audit import SYSTEM
from vetting.store import imports as import_store

FIXTURES = Path(__file__).parent / "fixtures" / "lists"
SETTINGS = {"SCREENING_POSSIBLE_THRESHOLD": 0.80, "SCREENING_HIT_THRESHOLD": 0.93}
LONG_AGO = (datetime.now(timezone.utc) - timedelta(days=5 * 366)).isoformat()


def _person(db, org, name, personnummer=None, **extra):
    values = {"name": name, "role": "ceo", "personnummer": personnummer, "birth_date": "1960-04-28", **extra}
    if personnummer:
        values.pop("birth_date")
    organisations.add_key_person(db, SYSTEM, org, values)
    return next(db.query("SELECT id FROM persons WHERE name = ?", [name]))["id"]


def _age(db, person_id):
    """Pretend the person and their roles were registered five years ago."""
    db.execute("UPDATE persons SET created_at = ? WHERE id = ?", [LONG_AGO, person_id])
    db.execute("UPDATE key_roles SET created_at = ? WHERE person_id = ?", [LONG_AGO, person_id])


def _procurement(db, create_procurement, org, phase):
    pid = create_procurement()
    procurements.add_participant(db, SYSTEM, pid, org, "bidder")
    # Set the phase directly (no audit entry), so the procurement's last update is when it ended.
    db.execute("UPDATE procurements SET phase = ?, updated_at = ? WHERE id = ?", [phase, LONG_AGO, pid])
    return pid


@pytest.fixture
def people(db, create_org, create_procurement):
    """A: in an ended procurement; B: in none; C: in a running contract; D: registered today. A-C are old."""
    ended, free, running = create_org(), create_org(), create_org()
    _procurement(db, create_procurement, ended, "ended")
    _procurement(db, create_procurement, running, "active")
    ids = {"A": _person(db, ended, "Anna Andersson", "197003121238"), "B": _person(db, free, "Bo Berg"),
           "C": _person(db, running, "Cecilia Carlsson"), "D": _person(db, free, "Dan Dahl")}
    for key in "ABC":
        _age(db, ids[key])
    return ids


def _person_row(db, person_id):
    return next(db.query("SELECT * FROM persons WHERE id = ?", [person_id]))


def _state(db):
    return list(db.query("SELECT * FROM persons ORDER BY id")), db.execute("SELECT count(*) FROM audit_log").fetchone()


def test_dry_run_lists_what_is_due_and_changes_nothing(runner, db, people):
    before = _state(db)
    result = runner.invoke(args=["retention", "purge", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Anna Andersson" in result.output and "Bo Berg" in result.output
    assert "2 records would be erased" in result.output
    assert "Cecilia" not in result.output and "Dan Dahl" not in result.output
    assert _state(db) == before


def test_purge_anonymises_exactly_the_due_persons_with_one_audit_entry_each(runner, db, people):
    result = runner.invoke(args=["retention", "purge", "--yes"])
    assert result.exit_code == 0 and "Erased 2 records" in result.output, result.output
    for key in "AB":
        row = _person_row(db, people[key])
        assert row["name"] == f"Gallrad person {people[key]}" and row["erased_at"]
        assert (row["personnummer"], row["birth_date"], row["nationality"]) == (None, None, None)
    assert _person_row(db, people["D"])["name"] == "Dan Dahl"
    entries = list(db.query("SELECT record_id, after_json FROM audit_log WHERE action = 'person.erase'"))
    assert sorted(e["record_id"] for e in entries) == sorted(str(people[k]) for k in "AB")
    assert not any("Anna" in e["after_json"] or "Bo Berg" in e["after_json"] for e in entries)
    # Key roles stay, so the organisations' history stays coherent.
    assert db.execute("SELECT count(*) FROM key_roles WHERE person_id = ?", [people["A"]]).fetchone()[0] == 1


def test_person_in_a_running_contract_is_never_due(db, app, people):
    far_future = date.today() + timedelta(days=50 * 365)
    retention.purge(db, SYSTEM, app.config, today=far_future)
    assert _person_row(db, people["C"])["erased_at"] is None
    assert _person_row(db, people["D"])["erased_at"] is not None


def test_audit_chain_still_verifies_after_a_purge(runner, people):
    assert runner.invoke(args=["retention", "purge", "--yes"]).exit_code == 0
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "intact" in result.output


def test_erasure_strips_identifiers_from_results_evidence_and_decisions(db, app, create_org, create_procurement):
    lists.import_list(db, SYSTEM, "un", [FIXTURES / "un_consolidated.xml"])
    org = create_org()
    _procurement(db, create_procurement, org, "ended")
    person = _person(db, org, "Karim Abdul Al-Testi", nationality="IQ")
    screening.screen_subject(db, SYSTEM, "person", person, SETTINGS)
    outcome = screening.outcome_store.latest(db, "person", person)[0]
    assert outcome["status"] in ("hit", "possible_match")
    match = outcome["explanation"][0]
    from four_eyes import confirmed

    confirmed(db, screening.decide(db, SYSTEM, outcome["id"], match["list"], match["listed_id"], "dismissed",
                                   "Karim Abdul Al-Testi is born 1960-04-28 but in another city"))
    digests = [e["sha256"] for e in screening.outcome_store.evidence_of(db, outcome["id"])]
    _age(db, person)

    retention.purge(db, SYSTEM, app.config)

    stored = next(db.query("SELECT findings, explanation, status FROM outcomes WHERE id = ?", [outcome["id"]]))
    bodies = [r["body"].decode() for r in db.query("SELECT body FROM evidence WHERE outcome_id = ?", [outcome["id"]])]
    review = next(db.query("SELECT * FROM match_reviews WHERE outcome_id = ?", [outcome["id"]]))
    for text in (stored["findings"], stored["explanation"], *bodies, review["reason"]):
        assert "al-testi" not in text.lower() and "1960-04-28" not in text
    assert stored["status"] == outcome["status"] and match["listed_id"] in stored["explanation"]
    assert review["decision"] == "dismissed" and "in another city" in review["reason"]
    assert [e["sha256"] for e in screening.outcome_store.evidence_of(db, outcome["id"])] == digests


def test_outcomes_evidence_and_erasures_stay_immutable_outside_an_erasure(db, app, people):
    retention.purge(db, SYSTEM, app.config)
    outcome = db.execute("INSERT INTO outcomes (subject_kind, subject_id, check_id, check_version, status, findings,"
                         " explanation, run_by, created_at) VALUES ('person', ?, 'x', '1', 'clear', '[]', '[]', 's',"
                         " 'now')", [people["A"]]).lastrowid
    db.execute("INSERT INTO evidence (outcome_id, position, source, fetched_at, sha256, body)"
               " VALUES (?, 0, 'x', 'now', 'abc', x'00')", [outcome])
    with pytest.raises(sqlite3.IntegrityError, match="outcomes are immutable"):
        db.execute("UPDATE outcomes SET findings = '[{}]' WHERE id = ?", [outcome])
    with pytest.raises(sqlite3.IntegrityError, match="evidence is immutable"):
        db.execute("UPDATE evidence SET body = x'01' WHERE outcome_id = ?", [outcome])
    with pytest.raises(sqlite3.IntegrityError, match="can only be closed"):
        db.execute("UPDATE erasures SET open = 1")
    with pytest.raises(sqlite3.IntegrityError, match="permanent"):
        db.execute("DELETE FROM erasures")


def test_unconfirmed_import_previews_expire(db, app, accounts):
    import_store.save(db, token="t1", kind="persons", filename="styrelse.csv", user_id=accounts["admin"],
                      rows=[{"personnummer": "197003121238"}])
    assert retention.due_for_erasure(db, app.config) == []
    later = date.today() + timedelta(days=app.config["RETENTION_PENDING_IMPORTS_DAYS"] + 1)
    assert [d.kind for d in retention.purge(db, SYSTEM, app.config, today=later)] == ["pending_import"]
    assert db.execute("SELECT count(*) FROM pending_imports").fetchone()[0] == 0
