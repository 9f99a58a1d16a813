"""The PDF report and the outcomes export say each finding in the reader's language, in the organisation page's
words, never in the checks' own English notes (``Finding.detail``)."""
from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timezone

import pytest

from checks import Evidence, Finding, Outcome, Status
from test_reports import pdf_text
from vetting.domain import procurements, screening_status
from vetting.domain.audit import SYSTEM
from vetting.domain.screening import all_checks, store_outcome, subject_of

BIDDER = "Konkursbygg i Luleå AB"


def _store(db, org, check_id, status, findings, reason=None):
    body = b'{"answer": true}'
    evidence = Evidence(source=check_id, fetched_at=datetime.now(timezone.utc), sha256=Evidence.digest(body), body=body,
                        list_version="2026-11-01" if check_id == "sanctions" else None, media_type="application/json")
    matches = tuple({"list": f.value["list"], "listed_id": f.value["listed_id"], "level": "possible"}
                    for f in findings if f.code.startswith("sanctions."))
    store_outcome(db, SYSTEM, subject_of(db, "organisation", org), all_checks()[check_id],
                  Outcome(Status(status), tuple(findings), (evidence,), reason, matches))


@pytest.fixture
def bankrupt(db, create_org, create_procurement):
    """A deregistered bankrupt bidder with a possible sanctions match and a register whose answer could not be read."""
    org = create_org(name=BIDDER, identifier_type="se_orgnr", identifier="5566778899")
    proc = create_procurement(reference="UH-2026-0099", title="Ny förskola")
    procurements.add_participant(db, SYSTEM, proc, org, "bidder")
    _store(db, org, "se.bolagsverket", "observation", [
        Finding("company.deleted", True, "Deregistered 2025-03-14"),
        Finding("company.deregistration_reason", {"code": "KK", "text": "Konkurs"}, "Reason: Konkurs"),
        Finding("company.bankrupt", True, "Konkurs from 2024-11-02")])
    _store(db, org, "sanctions", "possible_match", [
        Finding("sanctions.possible_match", {"list": "un", "listed_id": "QDe.1", "score": 0.85},
                "Norrland Trading (un QDe.1), score 0.85", 0, {"listed_name": "Norrland Trading"})])
    message = "gleif: the answer has no field 'data' (the layout changed)"
    _store(db, org, "gleif", "error", [Finding("source.fault", "field_missing", message, 0, {"field": "data"})],
           reason=message)
    return {"procurement": proc, "organisation": org}


def _english_notes(db, org):
    """The checks' own English notes and reasons, as stored with the outcomes (not from the code's tables)."""
    outcomes = screening_status.newest_outcomes(db, "organisation", [org])
    assert len(outcomes) == 3
    return [f["detail"] for o in outcomes for f in o["findings"]] + [o["reason"] for o in outcomes if o["reason"]]


def _page_text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&#39;", "'").split())


SWEDISH = ("Avregistrerad ur registret: Ja", "Skäl för avregistrering: Konkurs", "Försatt i konkurs: Ja",
           "Möjlig träff på en sanktionslista: Norrland Trading (FN:s säkerhetsråd QDe.1)",
           "fältet data saknas i svaret")
ENGLISH = ("Deleted from the register: Yes", "Reason for deregistration: Konkurs", "Bankrupt: Yes",
           "Possible match on a sanctions list: Norrland Trading (UN Security Council QDe.1)",
           "the field data is missing from the answer")


def test_swedish_pdf_says_the_findings_in_the_organisation_pages_swedish_words(tmp_path, db, login_as, bankrupt):
    client = login_as("procurement_officer")  # Swedish by default
    page = _page_text(client.get(f"/organisations/{bankrupt['organisation']}").get_data(as_text=True))
    url = f"/reports/procurements/{bankrupt['procurement']}/organisations/{bankrupt['organisation']}.pdf"
    text = pdf_text(tmp_path, client.get(url).data)
    for words in SWEDISH:
        assert words in page, words  # the oracle is what the page shows
        assert words in text, words
    for note in _english_notes(db, bankrupt["organisation"]):
        assert note not in text, note
    assert "score" not in text and "Reason:" not in text and "se.bolagsverket" not in text


def test_english_pdf_says_the_findings_in_english(tmp_path, db, login_as, bankrupt):
    client = login_as("procurement_officer")
    client.post("/language", data={"lang": "en"})
    text = pdf_text(tmp_path, client.get(f"/reports/procurements/{bankrupt['procurement']}.pdf").data)
    for words in ENGLISH:
        assert words in text, words
    assert "Avregistrerad ur registret" not in text and "Försatt i konkurs" not in text


def test_swedish_outcomes_export_says_the_findings_in_swedish(db, login_as, bankrupt):
    client = login_as("procurement_officer")
    data = client.get(f"/reports/export/outcomes.csv?procurement_id={bankrupt['procurement']}").get_data(as_text=True)
    cells = " ".join(" ".join(row) for row in csv.reader(io.StringIO(data.lstrip("\ufeff")), delimiter=";"))
    for words in SWEDISH:
        assert words in cells, words
    for note in _english_notes(db, bankrupt["organisation"]):
        assert note not in cells, note


def test_reader_without_personal_data_rights_gets_the_words_without_persons_or_personnummer(tmp_path, db, login_as,
                                                                                            create_org,
                                                                                            create_procurement):
    """A sole trader (enskild firma): the register's name holds the owner's personnummer, and it names officers."""
    org = create_org(name="Öbergs Måleri", identifier_type="se_orgnr", identifier="5566778899")
    proc = create_procurement(reference="UH-2026-0100", title="Målning av skolan")
    procurements.add_participant(db, SYSTEM, proc, org, "bidder")
    _store(db, org, "se.bolagsverket", "clear", [
        Finding("company.name", "Öbergs Måleri 19700312-1238", "Registered name: Öbergs Måleri 19700312-1238"),
        Finding("company.officers", [{"name": "Lars Öberg", "role": "innehavare"}], "Officers: Lars Öberg")])
    text = pdf_text(tmp_path, login_as("reviewer").get(f"/reports/procurements/{proc}.pdf").data)
    assert "Registrerat namn: Öbergs Måleri 19700312-****" in text
    assert "Uppgifter om personer visas inte för din roll." in text
    assert "1238" not in text and "Lars" not in text and "Officers" not in text
