"""PDF vetting reports: content read back with poppler (pdftotext, pdftoppm), personal data by role, audit."""
from __future__ import annotations

import json
import subprocess
import sys
import types
from datetime import datetime, timezone
from pathlib import Path

import pytest
from conftest import require_pdf_tools

from checks import Evidence, Finding, Outcome, Status
from vetting.domain import organisations, procurements
from vetting.domain.audit import SYSTEM
from vetting.domain.reports import id_ranges
from vetting.domain.screening import all_checks, store_outcome, subject_of
from vetting.reports.pdf import local_path

PERSONNUMMER = "197003121238"
KEY_PERSON = "Anna Andersson"
BIDDER = "Byggbolaget Norrland AB"
SUBCONTRACTOR = "Fjordbygg AS"


def add_outcome(db, kind, subject_id, check_id, status, findings=(), reason=None, list_version=None):
    """Store an outcome as a check run would (with evidence and its audit entry); return its id."""
    body = json.dumps({"checked": subject_id}).encode()
    evidence = Evidence(source=check_id, fetched_at=datetime.now(timezone.utc), sha256=Evidence.digest(body),
                        body=body, list_version=list_version, media_type="application/json")
    # A list check explains each match; the report reads the status after officers' decisions from it.
    matches = tuple({"list": v["list"], "listed_id": v["listed_id"], "level": "possible"}
                    for c, v, _d in findings if c.startswith("sanctions."))
    outcome = Outcome(Status(status), tuple(Finding(c, v, d) for c, v, d in findings), (evidence,), reason, matches)
    return store_outcome(db, SYSTEM, subject_of(db, kind, subject_id), all_checks()[check_id], outcome)


@pytest.fixture
def case(db, create_org, create_procurement):
    """A procurement with a screened bidder (one key person) and a subcontractor under it."""
    bidder = create_org(name=BIDDER, identifier_type="se_orgnr", identifier="5566778899")
    sub = create_org(name=SUBCONTRACTOR, country="NO")
    proc = create_procurement(reference="UH-2026-0042", title="Ombyggnad av kommunhuset")
    bidder_participant = procurements.add_participant(db, SYSTEM, proc, bidder, "bidder")
    procurements.add_participant(db, SYSTEM, proc, sub, "subcontractor", bidder_participant)
    organisations.add_key_person(db, SYSTEM, bidder, {"name": KEY_PERSON, "role": "ceo", "personnummer": PERSONNUMMER})
    person = organisations.store.find_person_by_personnummer(db, PERSONNUMMER)["id"]
    add_outcome(db, "organisation", bidder, "se.bolagsverket", "clear",
                [("company.status", "active", "Registered and active since 1998"),
                 ("company.officers", [{"name": KEY_PERSON}], f"Board: {KEY_PERSON}")])
    add_outcome(db, "organisation", bidder, "sanctions", "possible_match",
                [("sanctions.possible_match", {"list": "un", "listed_id": "QDe.1"}, "Norrland Trading (un QDe.1), score 0.85")],
                list_version="2026-11-01")
    add_outcome(db, "person", person, "sanctions", "clear", list_version="2026-11-01")
    return {"procurement": proc, "bidder": bidder, "subcontractor": sub, "person": person}


def english(client):
    client.post("/language", data={"lang": "en"})
    return client


def pdf_text(tmp_path: Path, data: bytes, first: int | None = None, last: int | None = None) -> str:
    """The PDF's text as poppler reads it, whitespace collapsed (lines wrap where the layout says)."""
    require_pdf_tools("pdftotext")
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    out = subprocess.run(["pdftotext", *pages, str(path), "-"], capture_output=True, check=True, timeout=60)
    return " ".join(out.stdout.decode("utf-8").split())


def test_procurement_report_page_one_renders_and_reads_back(tmp_path, db, login_as, case):
    response = english(login_as("procurement_officer")).get(f"/reports/procurements/{case['procurement']}.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == "attachment; filename=vetting-report-UH-2026-0042.pdf"
    require_pdf_tools("pdftotext", "pdftoppm")
    text = pdf_text(tmp_path, response.data, 1, 1)
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", "-singlefile", str(tmp_path / "report.pdf"),
                    str(tmp_path / "page1")], check=True, timeout=60)
    png = (tmp_path / "page1.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 2000
    assert "UH-2026-0042" in text and BIDDER in text and "Possible match" in text


def test_report_lists_checks_with_source_result_list_version_facts_and_audit_entry(tmp_path, db, login_as, case):
    response = english(login_as("procurement_officer")).get(f"/reports/procurements/{case['procurement']}.pdf")
    text = pdf_text(tmp_path, response.data)
    check_run = db.execute("SELECT id FROM audit_log WHERE action = 'check.run' AND record_type = 'organisation'"
                           " ORDER BY id LIMIT 1").fetchone()[0]
    assert "Swedish Companies Registration Office" in text and "Register status: active" in text
    assert "version 2026-11-01" in text and "Norrland Trading" in text
    assert SUBCONTRACTOR in text and "under " + BIDDER in text
    assert f"2026-11-01 (" in text and f"Audit entry {check_run}." in text


def test_report_has_page_numbers_agency_header_and_date(tmp_path, app, db, login_as, case):
    app.config["AGENCY_NAME"] = "Exempelmyndigheten"
    response = english(login_as("procurement_officer")).get(f"/reports/procurements/{case['procurement']}.pdf")
    text = pdf_text(tmp_path, response.data)
    today = datetime.now().strftime("%Y-%m-")
    assert "Page 1 of" in text and "Exempelmyndigheten" in text and today in text


def test_personnummer_never_appears_in_any_report(tmp_path, db, login_as, case):
    client = english(login_as("security_officer"))
    for url in (f"/reports/procurements/{case['procurement']}.pdf",
                f"/reports/procurements/{case['procurement']}/organisations/{case['bidder']}.pdf"):
        text = pdf_text(tmp_path, client.get(url).data)
        assert "19700312-****" in text
        assert "1238" not in text


def test_security_officer_report_names_key_persons_with_their_checks(tmp_path, db, login_as, case):
    text = pdf_text(tmp_path, english(login_as("security_officer")).get(
        f"/reports/procurements/{case['procurement']}.pdf").data)
    assert f"{KEY_PERSON} · CEO · 19700312-****" in text


def test_reviewer_report_counts_key_persons_without_names(tmp_path, db, login_as, case):
    text = pdf_text(tmp_path, english(login_as("reviewer")).get(f"/reports/procurements/{case['procurement']}.pdf").data)
    assert KEY_PERSON not in text and "Andersson" not in text and "19700312" not in text
    assert "1 key person." in text and "Clear × 1" in text
    assert "Details about persons are withheld for your role." in text


def test_download_is_audited_with_its_subject_and_the_report_cites_the_entry(tmp_path, db, login_as, case):
    response = english(login_as("reviewer")).get(
        f"/reports/procurements/{case['procurement']}/organisations/{case['bidder']}.pdf")
    entry = db.execute("SELECT * FROM audit_log WHERE action = 'report.download'").fetchone()
    columns = [d[0] for d in db.execute("SELECT * FROM audit_log LIMIT 0").description]
    row = dict(zip(columns, entry))
    assert (row["actor"], row["record_type"], row["record_id"]) == ("reviewer", "organisation", str(case["bidder"]))
    assert json.loads(row["after_json"])["procurement_id"] == case["procurement"]
    assert json.loads(row["after_json"])["personal_data"] is False
    assert f"Audit entry {row['id']}" in pdf_text(tmp_path, response.data, 1, 1)


def test_organisation_report_shows_only_that_organisation(tmp_path, db, login_as, case):
    response = english(login_as("procurement_officer")).get(
        f"/reports/procurements/{case['procurement']}/organisations/{case['subcontractor']}.pdf")
    text = pdf_text(tmp_path, response.data)
    assert f"Vetting report: {SUBCONTRACTOR}" in text and "UH-2026-0042" in text
    assert "Norrland Trading" not in text
    assert "The organisation has not been screened." in text


def test_organisation_outside_the_procurement_is_not_found(db, login_as, case, create_org):
    stranger = create_org(name="Utomstående AB")
    response = login_as("procurement_officer").get(
        f"/reports/procurements/{case['procurement']}/organisations/{stranger}.pdf")
    assert response.status_code == 404


def test_report_is_in_the_users_language(tmp_path, db, login_as, case):
    text = pdf_text(tmp_path, login_as("procurement_officer").get(f"/reports/procurements/{case['procurement']}.pdf").data)
    assert "Anbudsgivare" in text and "Underleverantör" in text  # Swedish by default


def test_risk_level_not_assessed_until_the_risk_model_stores_assessments(tmp_path, db, login_as, case):
    text = pdf_text(tmp_path, english(login_as("procurement_officer")).get(
        f"/reports/procurements/{case['procurement']}.pdf").data)
    assert "Not assessed" in text


def test_stored_assessment_is_printed_without_weights(tmp_path, db, login_as, case, accounts):
    from vetting.domain import risk
    from vetting.domain.audit import Actor

    officer = Actor(accounts["procurement_officer"], "procurement_officer", frozenset({"procurement_officer"}))
    risk.assess(db, officer, case["procurement"], case["bidder"])
    text = pdf_text(tmp_path, english(login_as("procurement_officer")).get(
        f"/reports/procurements/{case['procurement']}.pdf").data)
    assert ("Deepened check" in text or "Joint review" in text or "Basic check done" in text)
    assert "× 1.5" not in text and "points)" not in text  # method secrecy: no weights or multiplier in a report


def test_checkpoint_sign_off_with_conditions_and_followup_review_appear(tmp_path, app, db, login_as, case):
    from vetting.domain import followup
    from vetting.store import checkpoints as checkpoint_store
    from vetting.store import write_transaction

    with write_transaction(db):
        checkpoint = checkpoint_store.insert(db, procurement_id=case["procurement"], template_id="CP1",
                                             trigger="phase", event_detail=None, due_at=None)
        checkpoint_store.insert_decision(db, checkpoint_id=checkpoint, round_=1, decision="approved_with_conditions",
                                         reason="Acceptable risk", conditions="Staff list every quarter",
                                         user="security_officer", user_id=None, snapshot={})
    followup.set_schedule(db, SYSTEM, case["procurement"], "high", app.config)
    followup.review(db, SYSTEM, case["procurement"], "No change since award")
    text = pdf_text(tmp_path, english(login_as("procurement_officer")).get(
        f"/reports/procurements/{case['procurement']}.pdf").data)
    assert "Approved with conditions" in text and "Staff list every quarter" in text
    assert "No change since award" in text


def test_report_without_weasyprint_says_so_and_the_app_keeps_running(db, login_as, case, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import fails as with a missing system library
    client = login_as("procurement_officer")
    assert client.get(f"/reports/procurements/{case['procurement']}.pdf").status_code == 503
    assert client.get(f"/procurements/{case['procurement']}").status_code == 200
    assert db.execute("SELECT count(*) FROM audit_log WHERE action = 'report.download'").fetchone()[0] == 0


def test_report_needs_export_permission_and_a_real_procurement(login_as, client, case):
    assert client.get(f"/reports/procurements/{case['procurement']}.pdf").status_code == 302  # to sign-in
    assert login_as("auditor").get("/reports/procurements/999.pdf").status_code == 404


def test_renderer_serves_static_files_only(app):
    static = Path(app.static_folder)
    assert local_path((static / "css" / "report.css").as_uri(), static).name == "report.css"
    for url in ("https://cdn.example.org/font.woff", "file:///etc/passwd", (static / ".." / "README.md").as_uri(),
                "data:text/css,body{}"):
        with pytest.raises(ValueError):
            local_path(url, static)


def test_id_ranges_joins_consecutive_entries():
    assert id_ranges([12, 3, 8, 7, 9, 3]) == "3, 7\u20139, 12"


def test_procurement_and_organisation_pages_link_their_reports(db, login_as, case):
    client = login_as("procurement_officer")
    assert f"/reports/procurements/{case['procurement']}.pdf".encode() in client.get(
        f"/procurements/{case['procurement']}").data
    assert f"/reports/procurements/{case['procurement']}/organisations/{case['bidder']}.pdf".encode() in client.get(
        f"/organisations/{case['bidder']}").data


def test_rendering_never_reaches_the_network(app, monkeypatch):
    import socket

    from vetting.reports.pdf import render_pdf

    attempts = []
    monkeypatch.setattr(socket.socket, "connect", lambda self, address: attempts.append(address))
    html = ('<link rel="stylesheet" href="https://cdn.example.org/x.css"><img src="http://example.org/logo.png">'
            '<img src="file:///etc/hostname"><p>Hej</p>')
    pdf = render_pdf(html, Path(app.static_folder))
    assert pdf.pages == 1 and attempts == []
