"""Manual checks: needs_manual_input until answered; answers validated; documents checked and kept as evidence."""
from __future__ import annotations

import hashlib
import io

import pytest

from vetting.domain import manual, screening
from vetting.domain.audit import SYSTEM
from vetting.domain.errors import InvalidInput

SETTINGS = {"SCREENING_POSSIBLE_THRESHOLD": 0.8, "SCREENING_HIT_THRESHOLD": 0.93}
# Only the offline checks: the register checks of a Swedish organisation would reach the network.
MANUAL_ONLY = ("se.skatteverket", "se.kronofogden", "se.poit", "espd", "sanctions")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ANSWER = {"f_skatt": "yes", "vat_registered": "yes", "employer_registered": "no", "tax_arrears": "12 500",
          "reply_date": "2026-11-02"}


@pytest.fixture
def org(create_org):
    return create_org(name="Norrlands Bygg AB", identifier_type="se_orgnr", identifier="5566778899")


def _latest(db, org_id):
    return {o["check_id"]: o for o in screening.outcome_store.latest(db, "organisation", org_id)}


def test_unanswered_manual_check_needs_input_never_clear(db, org):
    screening.screen_subject(db, SYSTEM, "organisation", org, SETTINGS, MANUAL_ONLY)
    assert _latest(db, org)["se.skatteverket"]["status"] == "needs_manual_input"


def test_answer_becomes_findings_and_survives_a_rescreen(db, org):
    manual.record_answer(db, SYSTEM, "organisation", org, "se.skatteverket", ANSWER, ("svar.pdf", PDF))
    screening.screen_subject(db, SYSTEM, "organisation", org, SETTINGS, MANUAL_ONLY)
    outcome = _latest(db, org)["se.skatteverket"]
    assert outcome["status"] == "observation"  # 12 500 kr in tax arrears is an adverse fact
    assert {f["code"]: f["value"] for f in outcome["findings"]}["tax.arrears_amount"] == 12500
    assert {f["code"]: f["value"] for f in outcome["findings"]}["tax.employer_registered"] is False
    evidence = screening.outcome_store.evidence_of(db, outcome["id"])
    assert evidence[0]["sha256"] == hashlib.sha256(PDF).hexdigest() and evidence[0]["media_type"] == "application/pdf"


@pytest.mark.parametrize("field, value", [("f_skatt", "kanske"), ("reply_date", "2999-01-01"), ("reply_date", "igår"),
                                          ("tax_arrears", "mycket"), ("vat_registered", "")])
def test_invalid_answers_name_the_field(db, org, field, value):
    with pytest.raises(InvalidInput) as caught:
        manual.record_answer(db, SYSTEM, "organisation", org, "se.skatteverket", {**ANSWER, field: value})
    assert caught.value.field == field


@pytest.mark.parametrize("data", [b"<html><script>alert(1)</script>", b"MZ\x90\x00", b"GIF89a"])
def test_only_pdf_png_jpeg_documents_are_accepted(db, org, data):
    with pytest.raises(InvalidInput, match="PDF, PNG or JPEG"):
        manual.record_answer(db, SYSTEM, "organisation", org, "se.skatteverket", ANSWER, ("svar.pdf", data))


def test_answer_form_and_document_download(login_as, db, org):
    client = login_as("procurement_officer")
    response = client.post(f"/screening/organisation/{org}/manual/se.skatteverket",
                           data={**ANSWER, "document": (io.BytesIO(PDF), "svar.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 302
    page = client.get(f"/screening/organisation/{org}").get_data(as_text=True)
    assert "upphandlare" not in page and "procurement_officer" in page
    download = client.get("/screening/evidence/1")
    assert download.data == PDF and download.headers["Content-Disposition"].startswith("attachment")


def test_answer_form_shows_errors_not_500(login_as, org):
    response = login_as("procurement_officer").post(f"/screening/organisation/{org}/manual/se.skatteverket",
                                                    data={**ANSWER, "reply_date": "31/12"})
    assert response.status_code == 400 and 'class="error"' in response.get_data(as_text=True)


def test_trading_prohibition_applies_to_persons_only(db, org):
    with pytest.raises(InvalidInput):
        manual.record_answer(db, SYSTEM, "organisation", org, "se.naringsforbud", {"prohibited": "no",
                                                                                   "reply_date": "2026-01-01"})
