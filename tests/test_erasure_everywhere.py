"""Finding 4: after a retention purge the person's name and number are nowhere in the database (the audit
log keeps its key_person.add names by design, never the number); and PDFs for roles without personal-data
rights do not name key persons in the risk line."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from vetting.domain import organisations, procurements, reports, retention, risk
from vetting.domain.audit import SYSTEM
from vetting.domain.exclusion import communication
from vetting.store import risk as risk_store

LONG_AGO = (datetime.now(timezone.utc) - timedelta(days=5 * 366)).isoformat()
NAME, PNR = "Lars Öberg", "197003121238"
SETTINGS = {"RETENTION_PERSONAL_DATA_YEARS": 3, "RETENTION_PENDING_IMPORTS_DAYS": 2}


@pytest.fixture
def vetted(db, create_org, create_procurement):
    """Lars Öberg, CEO of a bidder in a procurement that ended long ago, named in its risk assessment
    (the staff-conflict list knows him) and in an exclusion case's hearing."""
    org = create_org(name="Norrbygg AB")
    pid = create_procurement()
    procurements.add_participant(db, SYSTEM, pid, org, "bidder")
    organisations.add_key_person(db, SYSTEM, org, {"name": NAME, "role": "ceo", "personnummer": PNR})
    risk.add_staff_conflict(db, SYSTEM, NAME, "1970", "bror till handläggare")
    assessment_id = risk.assess(db, SYSTEM, pid, org)
    case_id = risk_store.open_exclusion_case(db, assessment_id, pid, org, [
        {"indicator": "EX-01", "legal_basis": "LOU 13:1", "name": {"sv": "Dom", "en": "Conviction"},
         "detail": f"{NAME} (ceo): sanctions.confirmed_hit = yes"}])
    communication.send(db, SYSTEM, case_id, date(2026, 5, 3), "meeting", f"{NAME} hördes den 3 maj, pnr {PNR[:8]}-{PNR[8:]}.",
                       date(2026, 5, 10))
    db.execute("UPDATE procurements SET phase = 'ended', updated_at = ? WHERE id = ?", [LONG_AGO, pid])
    person = db.execute("SELECT id FROM persons WHERE name = ?", [NAME]).fetchone()[0]
    db.execute("UPDATE persons SET created_at = ? WHERE id = ?", [LONG_AGO, person])
    db.execute("UPDATE key_roles SET created_at = ? WHERE person_id = ?", [LONG_AGO, person])
    db.execute("DELETE FROM staff_conflicts")  # the agency's own list is not the person's record
    return {"pid": pid, "org": org, "person": person}


def _dump(db, *, skip=("audit_log",)) -> str:
    from database_dump import dump  # blobs decoded and ZIPs unpacked: evidence bodies are searched too

    return dump(db, skip=skip)


def test_the_stored_assessment_names_him_before_the_purge(db, vetted):
    assert NAME in db.execute("SELECT results FROM risk_assessments").fetchone()[0]


def test_after_the_purge_the_name_and_number_are_nowhere(db, vetted):
    done = retention.purge(db, SYSTEM, SETTINGS)
    assert [d.id for d in done] == [vetted["person"]]
    dump = _dump(db)
    for needle in (NAME, "Öberg", PNR, PNR[2:], f"{PNR[:8]}-{PNR[8:]}", "1970-03-12"):
        assert needle not in dump, needle
    audit = _dump(db, skip=()).split("\n")
    assert not any(PNR in line or f"{PNR[:8]}-{PNR[8:]}" in line for line in audit)


def test_the_erasure_of_assessments_is_audited_and_the_rest_stays(db, vetted):
    before = next(db.query("SELECT level, total, model_version FROM risk_assessments"))
    retention.purge(db, SYSTEM, SETTINGS)
    assert next(db.query("SELECT level, total, model_version FROM risk_assessments")) == before
    entry = next(db.query("SELECT after_json FROM audit_log WHERE action = 'person.erase'"))["after_json"]
    assert '"risk_assessments": 1' in entry and '"exclusion_cases": 1' in entry and '"exclusion_communications": 1' in entry


def test_assessments_stay_immutable_outside_an_erasure(db, vetted):
    import sqlite3

    with pytest.raises(sqlite3.IntegrityError):
        db.execute("UPDATE risk_assessments SET results = '[]'")


def test_the_report_without_personal_data_does_not_name_key_persons_in_the_risk_line(db, vetted):
    summary = reports.risk_assessment(db, vetted["pid"], vetted["org"], personal_data=False)
    assert summary.reasons and not any(NAME in r["sv"] or NAME in r["en"] for r in summary.reasons)
    with_data = reports.risk_assessment(db, vetted["pid"], vetted["org"], personal_data=True)
    assert any(NAME in r["sv"] for r in with_data.reasons)
