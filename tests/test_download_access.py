"""Finding 8: evidence and checkpoint documents download only for roles that may see them; each download is
audited and appears in the person's access log."""
from __future__ import annotations

import io
import json

import pytest

from checks import Evidence, Outcome, Status
from vetting.domain import organisations, procurements, screening
from vetting.domain.audit import SYSTEM
from vetting.store import checkpoints as checkpoint_store

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _store_evidence(db, kind: str, subject_id: int, body: bytes) -> int:
    from datetime import datetime, timezone

    evidence = Evidence(source="se.bolagsverket", url="https://example.invalid/", list_version=None,
                        fetched_at=datetime.now(timezone.utc), http_status=200, media_type="application/json",
                        sha256="0" * 64, body=body)
    screening.store_outcome(db, SYSTEM, screening.subject_of(db, kind, subject_id),
                            screening.all_checks()["se.bolagsverket"], Outcome(Status.CLEAR, evidence=(evidence,)))
    return db.execute("SELECT max(id) FROM evidence").fetchone()[0]


@pytest.fixture
def person(db, accounts, create_org):
    org = create_org()
    organisations.add_key_person(db, SYSTEM, org, {"name": "Lars Öberg", "role": "ceo", "personnummer": "197003121238"})
    person_id = db.execute("SELECT id FROM persons").fetchone()[0]
    return {"org": org, "id": person_id,
            "evidence": _store_evidence(db, "person", person_id, b'{"personnummer": "197003121238"}')}


@pytest.mark.parametrize("role", ["procurement_officer", "reviewer", "auditor", "admin"])
def test_a_persons_evidence_is_refused_to_roles_without_personal_data_rights(login_as, person, role):
    response = login_as(role).get(f"/screening/evidence/{person['evidence']}")
    assert response.status_code == 403 and b"197003121238" not in response.data


def test_the_security_officer_downloads_it_and_the_download_is_in_the_access_log(login_as, db, person):
    client = login_as("security_officer")
    assert client.get(f"/screening/evidence/{person['evidence']}").data == b'{"personnummer": "197003121238"}'
    entry = next(db.query("SELECT * FROM audit_log WHERE action LIKE '%download%'"))
    assert entry["actor"] == "security_officer"
    assert json.loads(entry["after_json"])["evidence_id"] == person["evidence"]
    log = client.get(f"/privacy/persons/{person['id']}").get_data(as_text=True)
    assert "Underlag om personen nedladdat" in log


@pytest.mark.parametrize("role", ["auditor", "admin"])
def test_organisation_evidence_is_for_the_roles_working_the_case(login_as, db, create_org, accounts, role):
    evidence_id = _store_evidence(db, "organisation", create_org(), b"{}")
    assert login_as(role).get(f"/screening/evidence/{evidence_id}").status_code == 403


def test_organisation_evidence_download_is_audited(login_as, db, create_org, accounts):
    evidence_id = _store_evidence(db, "organisation", create_org(), b"{}")
    assert login_as("reviewer").get(f"/screening/evidence/{evidence_id}").status_code == 200
    assert db.execute("SELECT count(*) FROM audit_log WHERE action = 'evidence.download'").fetchone()[0] == 1


@pytest.fixture
def document(db, accounts, create_procurement, create_org):
    pid = create_procurement(protection_level="sua1")
    org = create_org()
    procurements.add_participant(db, SYSTEM, pid, org, "bidder")
    organisations.add_key_person(db, SYSTEM, org, {"name": "Lars Öberg", "role": "ceo", "personnummer": "197003121238"})
    cp = next(c["id"] for c in checkpoint_store.for_procurement(db, pid) if c["template_id"] == "CP1")
    return {"cp": cp, "person": db.execute("SELECT id FROM persons").fetchone()[0]}


def test_checkpoint_documents_only_for_checkpoint_roles_and_audited(login_as, client, db, document):
    security = login_as("security_officer")
    security.post(f"/checkpoints/{document['cp']}/prepare", content_type="multipart/form-data",
                  data={"subcontractor_clauses": "yes", "security_analysis": (io.BytesIO(PDF), "analys.pdf")})
    document_id = db.execute("SELECT id FROM checkpoint_documents").fetchone()[0]
    assert security.get(f"/checkpoints/documents/{document_id}").data == PDF
    assert db.execute("SELECT count(*) FROM audit_log WHERE action = 'checkpoint.document_download'").fetchone()[0] == 1
    log = security.get(f"/privacy/persons/{document['person']}").get_data(as_text=True)
    assert "Dokument i kontrollpunkt nedladdat" in log
    security.post("/logout")
    for role in ("auditor", "admin"):
        assert login_as(role).get(f"/checkpoints/documents/{document_id}").status_code == 403
        client.post("/logout")
