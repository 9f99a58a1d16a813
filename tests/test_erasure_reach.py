"""Erasure reaches every copy: the signers inside a stored annual-report ZIP, four-eyes proposals, the sole
trader whose number is the person's personnummer (finding 2: "erased with the person"); the whole-database
search reads evidence bodies and documents too (decoded, and ZIPs unpacked), not only their Python repr.
The register extract (the data subject's) lists the merge-queue entries about the person.
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from checks import Evidence, Finding, Outcome, Status
from database_dump import dump, text_of_blob as _text_of_blob
from vetting.domain import organisations, procurements, retention
from vetting.domain.audit import SYSTEM
from vetting.domain.foureyes import propose
from vetting.domain.screening import all_checks, store_outcome, subject_of

LONG_AGO = (datetime.now(timezone.utc) - timedelta(days=5 * 366)).isoformat()
SETTINGS = {"RETENTION_PERSONAL_DATA_YEARS": 3, "RETENTION_PENDING_IMPORTS_DAYS": 2}
ZIP = Path(__file__).parent / "fixtures" / "se.bolagsverket.arsredovisning" / "k2-2017_wolters-kluwer.zip"
NAME, PNR = "Greta Fixtursson", "197003121238"  # she signed the fixture's annual report


@pytest.fixture
def vetted(db, create_org, create_procurement):
    """Greta Fixtursson: board member of Fixtur AB (its annual report, signed by her, stored as a ZIP), owner of
    a sole trader with her number (a register answer about it carries the number in its address and body),
    named in a four-eyes proposal; all in a procurement that ended long ago."""
    company = create_org(name="Fixtur AB", identifier_type="se_orgnr", identifier="5566778899")
    firm = create_org(name="Fixturssons Konsult", identifier_type="se_orgnr", identifier=PNR[2:])
    pid = create_procurement()
    for org in (company, firm):
        procurements.add_participant(db, SYSTEM, pid, org, "bidder")
    organisations.add_key_person(db, SYSTEM, company, {"name": NAME, "role": "board_member", "personnummer": PNR})
    body = ZIP.read_bytes()
    report = Evidence(source="se.bolagsverket.arsredovisning", fetched_at=datetime.now(timezone.utc),
                      sha256=Evidence.digest(body), body=body, url="https://gw.api.bolagsverket.se/dokument/4eaa2201",
                      http_status=200, media_type="application/zip")
    store_outcome(db, SYSTEM, subject_of(db, "organisation", company), all_checks()["se.bolagsverket.arsredovisning"],
                  Outcome(Status.CLEAR, (Finding("company.officers", [{"name": NAME, "role": "Styrelseledamot"}],
                                                 "Signed the annual report 2017-09-30", 0),), (report,)))
    answer = f'{{"organisationsnummer": "{PNR[2:]}", "namn": "Fixturssons Konsult"}}'.encode()
    register = Evidence(source="se.bolagsverket", fetched_at=datetime.now(timezone.utc), sha256=Evidence.digest(answer),
                        body=answer, url=f"https://gw.api.bolagsverket.se/organisationer/{PNR[2:]}", http_status=200,
                        media_type="application/json")
    store_outcome(db, SYSTEM, subject_of(db, "organisation", firm), all_checks()["se.bolagsverket"],
                  Outcome(Status.CLEAR, (Finding("company.name", "Fixturssons Konsult", "Registered name", 0),),
                          (register,)))
    propose(db, SYSTEM, "risk_override", f"{pid}:{company}", {"procurement_id": pid, "organisation_id": company,
                                                               "note": f"{NAME} intygade rättelse"},
            f"{NAME} ({PNR[:8]}-{PNR[8:]}) har förklarat skulden", "organisation", company)
    db.execute("UPDATE procurements SET phase = 'ended', updated_at = ? WHERE id = ?", [LONG_AGO, pid])
    person = db.execute("SELECT id FROM persons WHERE name = ?", [NAME]).fetchone()[0]
    db.execute("UPDATE persons SET created_at = ? WHERE id = ?", [LONG_AGO, person])
    db.execute("UPDATE key_roles SET created_at = ? WHERE person_id = ?", [LONG_AGO, person])
    return {"pid": pid, "company": company, "firm": firm, "person": person}


NEEDLES = (NAME, "Fixtursson", PNR, PNR[2:], f"{PNR[:8]}-{PNR[8:]}", f"{PNR[2:8]}-{PNR[8:]}")


def test_before_the_purge_the_search_finds_her_inside_the_zip(db, vetted):
    zipped = next(db.query("SELECT body FROM evidence WHERE source = 'se.bolagsverket.arsredovisning'"))["body"]
    assert "Fixtursson" not in str(zipped) and "Fixtursson" in _text_of_blob(zipped)  # repr alone would miss her


def test_after_the_purge_she_is_nowhere_not_even_inside_evidence(db, vetted):
    assert [d.id for d in retention.purge(db, SYSTEM, SETTINGS)] == [vetted["person"]]
    text = dump(db)
    for needle in NEEDLES:
        assert needle not in text, needle


def test_the_annual_report_keeps_what_is_not_hers(db, vetted):
    retention.purge(db, SYSTEM, SETTINGS)
    row = next(db.query("SELECT body, sha256 FROM evidence WHERE source = 'se.bolagsverket.arsredovisning'"))
    text = _text_of_blob(row["body"])
    assert "Testström" in text and "Provlund" in text  # the other signers stay
    assert row["sha256"] == Evidence.digest(ZIP.read_bytes())  # still names what was received


def test_the_sole_trader_goes_with_her_and_stays_a_party(db, vetted):
    retention.purge(db, SYSTEM, SETTINGS)
    firm = next(db.query("SELECT name, identifier FROM organisations WHERE id = ?", [vetted["firm"]]))
    assert firm["identifier"] is None and "Fixtursson" not in firm["name"]
    assert db.execute("SELECT count(*) FROM participants WHERE organisation_id = ?", [vetted["firm"]]).fetchone()[0] == 1
    counts = json.loads(next(db.query("SELECT after_json FROM audit_log WHERE action = 'person.erase'"))["after_json"])
    rewritten = counts["rewritten"]
    assert rewritten["sole_traders"] == 1 and rewritten["proposals"] == 1 and rewritten["organisation_evidence"] >= 2


def test_a_sole_trader_in_a_running_procurement_keeps_her_from_being_due(db, vetted, create_procurement):
    running = create_procurement()
    procurements.add_participant(db, SYSTEM, running, vetted["firm"], "bidder")
    assert retention.purge(db, SYSTEM, SETTINGS) == []


def test_outside_an_erasure_organisation_evidence_stays_immutable(db, vetted):
    import sqlite3

    with pytest.raises(sqlite3.IntegrityError):
        db.execute("UPDATE evidence SET body = x'00' WHERE source = 'se.bolagsverket'")
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("UPDATE outcomes SET findings = '[]' WHERE subject_kind = 'organisation'")


def test_the_register_extract_lists_the_merge_queue_entries_about_her(login_as, db, accounts, vetted, create_org):
    from vetting.domain import privacy
    from vetting.domain.audit import Actor

    # An officer types her number for a new key person elsewhere: it waits in the queue for a security officer.
    officer = Actor(accounts["procurement_officer"], "procurement_officer", frozenset({"procurement_officer"}))
    organisations.add_key_person(db, officer, create_org(name="Annat AB"),
                                 {"name": "G. Fixtursson", "role": "ceo", "personnummer": PNR})
    extract, _document, _digest = privacy.register_extract(db, SYSTEM, vetted["person"], "Begäran dnr 2026-17")
    assert [(m["created_by"], m["resolved_at"]) for m in extract["merge_queue"]] == [("procurement_officer", None)]
    page = login_as("admin").post(f"/privacy/persons/{vetted['person']}/extract",
                                  data={"reason": "Begäran dnr 2026-17", "output": "html"}).get_data(as_text=True)
    assert "Möjliga dubbletter" in page and "G. Fixtursson" in page


def test_nor_in_the_database_files_themselves(app, db, vetted):
    """Free pages and the write-ahead log keep old page versions unless deleted content is zeroed and the log
    emptied after the purge."""
    retention.purge(db, SYSTEM, SETTINGS)
    folder = Path(app.config["DATABASE"]).parent
    files = [p for p in folder.iterdir() if p.is_file() and p.name.startswith(Path(app.config["DATABASE"]).name)]
    assert files
    raw = b"".join(p.read_bytes() for p in files)
    # The audit log keeps the name of whom was vetted by design (never the number): as many copies as it holds.
    audit = "\n".join(str(tuple(r)) for r in db.execute("SELECT * FROM audit_log"))
    for needle in NEEDLES:
        assert raw.count(needle.encode()) <= audit.count(needle), (needle, raw.count(needle.encode()),
                                                                   audit.count(needle))


def test_a_queued_copy_of_her_sole_trader_goes_with_her(db, vetted, accounts):
    from vetting.domain.audit import Actor

    officer = Actor(accounts["procurement_officer"], "procurement_officer", frozenset({"procurement_officer"}))
    copy = organisations.create(db, officer, {"name": "G. Fixturssons firma", "country": "SE",
                                              "identifier_type": "se_orgnr", "identifier": PNR[2:]})
    assert db.execute("SELECT count(*) FROM organisation_merges WHERE identifier = ?", [PNR[2:]]).fetchone()[0] == 1
    retention.purge(db, SYSTEM, SETTINGS)
    text = dump(db)
    for needle in NEEDLES:
        assert needle not in text, needle
    assert "Fixtursson" not in db.execute("SELECT name FROM organisations WHERE id = ?", [copy]).fetchone()[0]
