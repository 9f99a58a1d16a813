"""ASVS V5: uploads are recognised by content, not by name or claimed type; stored files come back only as
sandboxed downloads with a name the server chose."""
from __future__ import annotations

import io

import pytest

from checks import Evidence, Outcome, Status
from vetting.domain import screening
from vetting.domain.audit import SYSTEM
from vetting.store import checkpoints as checkpoint_store

from .helpers import sign_in

HTML_AS_PDF = b"<html><body><script>alert(document.cookie)</script></body></html>"
ZIP_AS_PNG = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 64
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PDF_POLYGLOT = b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n"
ANSWER = {"f_skatt": "yes", "vat_registered": "yes", "employer_registered": "yes", "tax_arrears": "0",
          "reply_date": "2026-01-02"}


@pytest.fixture
def cp1(db, accounts, create_procurement) -> int:
    """CP1 of a protected procurement: the security officer attaches the security protection analysis."""
    pid = create_procurement(protection_level="sua1")
    return next(c["id"] for c in checkpoint_store.for_procurement(db, pid) if c["template_id"] == "CP1")


def _prepare_cp1(client, cp: int, body: bytes, filename: str, content_type: str = "application/pdf"):
    return client.post(f"/checkpoints/{cp}/prepare", content_type="multipart/form-data",
                       data={"subcontractor_clauses": "yes",
                             "security_analysis": (io.BytesIO(body), filename, content_type)})


def _documents(db) -> int:
    return db.execute("SELECT count(*) FROM checkpoint_documents").fetchone()[0]


# --- 5.2.2: content checks ---------------------------------------------------------------------------------

def test_html_named_pdf_is_refused_as_a_checkpoint_document(client, db, cp1):
    sign_in(client, "security_officer")
    assert _prepare_cp1(client, cp1, HTML_AS_PDF, "analys.pdf").status_code == 400
    assert _documents(db) == 0


def test_zip_named_png_is_refused_as_a_manual_check_document(client, db, accounts, create_org):
    org = create_org(identifier_type="se_orgnr", identifier="5566778899")
    sign_in(client, "procurement_officer")
    response = client.post(f"/screening/organisation/{org}/manual/se.skatteverket", content_type="multipart/form-data",
                           data={**ANSWER, "document": (io.BytesIO(ZIP_AS_PNG), "svar.png", "image/png")})
    assert response.status_code == 400
    assert db.execute("SELECT count(*) FROM outcomes WHERE check_id = 'se.skatteverket'").fetchone()[0] == 0


def test_claimed_content_type_is_ignored_in_favour_of_the_content(client, db, cp1):
    sign_in(client, "security_officer")
    _prepare_cp1(client, cp1, PDF, "analys.html", content_type="text/html")
    assert db.execute("SELECT media_type FROM checkpoint_documents").fetchone()[0] == "application/pdf"


@pytest.mark.parametrize("filename", ["lev.html", "lev.exe", "lev.csv.php", "lev"])
def test_import_refuses_other_file_extensions(client, accounts, filename):
    sign_in(client, "procurement_officer")
    response = client.post("/import/", data={"kind": "organisations", "file": (io.BytesIO(b"namn;land\nA;SE\n"), filename)},
                           content_type="multipart/form-data")
    assert response.status_code == 400


@pytest.mark.parametrize("body", [ZIP_AS_PNG, b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, b"MZ\x90\x00" + b"\x00" * 100])
def test_import_refuses_binary_content_named_csv_or_xlsx(client, db, accounts, body):
    sign_in(client, "procurement_officer")
    response = client.post("/import/", data={"kind": "organisations", "file": (io.BytesIO(body), "lev.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code == 400 and db.execute("SELECT count(*) FROM pending_imports").fetchone()[0] == 0


# --- 5.4.1 / 3.2.1: downloads are attachments, sandboxed, not sniffed, named by the server ------------------

@pytest.fixture
def document_url(client, db, cp1) -> str:
    sign_in(client, "security_officer")
    _prepare_cp1(client, cp1, PDF_POLYGLOT, "<script>x</script>; Set-Cookie: a=b.pdf")
    return f"/checkpoints/documents/{db.execute('SELECT id FROM checkpoint_documents').fetchone()[0]}"


@pytest.fixture
def evidence_url(client, db, accounts, create_org) -> str:
    from datetime import datetime, timezone

    org = create_org()
    evidence = Evidence(source="se.bolagsverket", url="https://example.invalid/", list_version=None,
                        fetched_at=datetime.now(timezone.utc), http_status=200, media_type="text/html",
                        sha256="0" * 64, body=HTML_AS_PDF)
    screening.store_outcome(db, SYSTEM, screening.subject_of(db, "organisation", org),
                            screening.all_checks()["se.bolagsverket"], Outcome(Status.CLEAR, evidence=(evidence,)))
    sign_in(client, "reviewer")
    return f"/screening/evidence/{db.execute('SELECT id FROM evidence').fetchone()[0]}"


@pytest.fixture(params=["document", "evidence"])
def download(request, client):
    url = request.getfixturevalue(f"{request.param}_url")
    response = client.get(url)
    assert response.status_code == 200
    return response


def test_download_is_an_attachment(download):
    assert download.headers["Content-Disposition"].startswith("attachment;")


def test_download_is_not_sniffed(download):
    assert download.headers["X-Content-Type-Options"] == "nosniff"


def test_download_runs_in_a_sandbox(download):
    csp = download.headers["Content-Security-Policy"]
    assert "sandbox" in csp and "default-src 'none'" in csp


def test_download_name_is_chosen_by_the_server(download):
    disposition = download.headers["Content-Disposition"]
    assert "script" not in disposition and "Set-Cookie" not in disposition and "\n" not in disposition


def test_download_is_not_cached(download):
    assert download.headers["Cache-Control"] == "no-store"


def test_polyglot_pdf_is_served_as_pdf_not_html(client, document_url):
    assert client.get(document_url).mimetype == "application/pdf"
