"""Erasure reaches stored files (issue 17): after a retention purge no blob in the database and no file under the
instance folder holds the person's personnummer (any written form) or name; each erased file leaves a tombstone
(SHA-256, size, who stored it and when, "raderad vid gallring <date>"); downloading one shows a Swedish page,
not a 500; the erasure is audited without the personal data.

The oracle is independent of the code under test: the files are made here, so the test knows which of them name
the person; it looks for the number and name in every blob's raw bytes (UTF-8, UTF-16, Latin-1), in every
zlib stream and ZIP member inside them, and for the exact bytes (SHA-256) of every file that named the person.
"""
from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
import zlib
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from checks import Evidence, Finding, Outcome, Status
from vetting.domain import checkpoints, espd, organisations, procurements, retention
from vetting.domain.audit import SYSTEM
from vetting.domain.manual import clean_document
from vetting.domain.screening import all_checks, store_outcome, subject_of
from vetting.reports.pdf import load_weasyprint
from vetting.store import checkpoints as checkpoint_store

LONG_AGO = (datetime.now(timezone.utc) - timedelta(days=5 * 366)).isoformat()
SETTINGS = {"RETENTION_PERSONAL_DATA_YEARS": 3, "RETENTION_PENDING_IMPORTS_DAYS": 2}
NAME, PNR = "Lars Öberg", "197003121238"
FIRM = "Öbergs Snickeri"
NUMBERS = (PNR, f"{PNR[:8]}-{PNR[8:]}", f"{PNR[2:8]}-{PNR[8:]}", f"{PNR[2:8]}+{PNR[8:]}", PNR[2:])
NAMES = (NAME, "Öberg, Lars", FIRM)
ESPD_XML = Path(__file__).parent / "fixtures" / "espd" / "espd-4.1.0-declares-fraud-and-tax.xml"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64  # a scan: nothing to read


def _pdf(text: str) -> bytes:
    """A PDF as the agency's tools write them (WeasyPrint: compressed streams, subset fonts, glyph codes)."""
    return load_weasyprint().HTML(string=f"<p>{text}</p>").write_pdf()


def _plain_pdf(text: str) -> bytes:
    """A hand-written PDF whose page text is an uncompressed literal string."""
    content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    return (b"%PDF-1.4\n1 0 obj << /Length " + str(len(content)).encode() + b" >>\nstream\n" + content
            + b"\nendstream\nendobj\n%%EOF\n")


def _checkpoint(db, procurement_id):
    checkpoints.sync(db, SYSTEM, procurement_id)
    return checkpoint_store.for_procurement(db, procurement_id)[0]["id"]


def _store_evidence(db, kind, subject_id, check, body, media_type, finding):
    evidence = Evidence(source=check, fetched_at=datetime.now(timezone.utc), sha256=Evidence.digest(body), body=body,
                        url="https://example.invalid/answer", http_status=200, media_type=media_type)
    store_outcome(db, SYSTEM, subject_of(db, kind, subject_id), all_checks()[check],
                  Outcome(Status.CLEAR, (Finding("company.name", finding, "Registered name", 0),), (evidence,)))


@pytest.fixture
def vetted(db, create_org, create_procurement):
    """Lars Öberg, CEO of a bidder and owner of a sole trader, both in a procurement that ended long ago; files:
    his own screening evidence, register PDFs about the company (one names him, one does not), the company's
    ESPD naming him as contact, the sole trader's signed truth declaration, checkpoint documents (a PDF naming
    him, a scan), and a document in an unrelated procurement that carries his number."""
    company = create_org(name="Städbolaget Exempel AB", identifier_type="se_orgnr", identifier="5566778899")
    firm = create_org(name=FIRM, identifier_type="se_orgnr", identifier=PNR[2:])
    pid = create_procurement()
    for org in (company, firm):
        procurements.add_participant(db, SYSTEM, pid, org, "bidder")
    organisations.add_key_person(db, SYSTEM, company, {"name": NAME, "role": "ceo", "personnummer": PNR})
    person = db.execute("SELECT id FROM persons WHERE personnummer = ?", [PNR]).fetchone()[0]
    files = {}
    files["own"] = f'{{"query": "{NAME}", "born": "1970-03-12"}}'.encode()
    _store_evidence(db, "person", person, "sanctions", files["own"], "application/json", NAME)
    files["register_pdf"] = _pdf(f"Registreringsbevis. Verkställande direktör: {NAME}, {PNR[:8]}-{PNR[8:]}.")
    _store_evidence(db, "organisation", company, "se.bolagsverket", files["register_pdf"], "application/pdf",
                    "Städbolaget Exempel AB")
    files["other_pdf"] = _pdf("Registreringsbevis. Styrelse: Karin Nilsson.")
    _store_evidence(db, "organisation", company, "se.bolagsverket", files["other_pdf"], "application/pdf",
                    "Städbolaget Exempel AB")
    xml = ESPD_XML.read_text(encoding="utf-8").replace(
        "</cac:PartyName>", f"</cac:PartyName><cac:Contact><cbc:Name>{NAME}</cbc:Name>"
                            f"<cbc:Note>pnr {PNR[2:8]}-{PNR[8:]}</cbc:Note></cac:Contact>", 1).replace(
        "Tidigare styrelseledamot dömd", f"Tidigare styrelseledamot {NAME} dömd").encode()
    files["espd"] = xml
    espd.import_espd(db, SYSTEM, pid, company, "espd.xml", xml)
    files["truth"] = _pdf(f"Sanningsförsäkran. Undertecknad: {NAME}, {FIRM}.")
    espd.record_truth_declaration(db, SYSTEM, pid, firm, f"{NAME}, innehavare", "2021-03-01",
                                  ("sanningsforsakran.pdf", files["truth"]))
    checkpoint_id = _checkpoint(db, pid)
    files["checkpoint_pdf"] = _pdf(f"Protokoll: {NAME} ({PNR[2:8]}-{PNR[8:]}) närvarade.")
    files["scan"] = PNG
    for name, body in (("Intyg Lars Öberg.pdf", files["checkpoint_pdf"]), ("skannat.png", files["scan"])):
        checkpoint_store.insert_document(db, checkpoint_id, "document", clean_document(name, body), "handlaggare")
    # As a prepared checkpoint's answers refer to their documents (the page lists documents with the answers).
    db.execute("UPDATE checkpoints SET answers = ? WHERE id = ?",
               [json.dumps({"document": {"filename": "Intyg Lars Öberg.pdf", "media_type": "application/pdf",
                                         "sha256": hashlib.sha256(files["checkpoint_pdf"]).hexdigest()}}),
                checkpoint_id])
    other = create_procurement()
    other_checkpoint = _checkpoint(db, other)
    files["elsewhere"] = _plain_pdf(f"Referens {PNR[:8]}-{PNR[8:]}")
    checkpoint_store.insert_document(db, other_checkpoint, "document", clean_document("ref.pdf", files["elsewhere"]),
                                     "handlaggare")
    db.execute("UPDATE procurements SET phase = 'ended', updated_at = ? WHERE id = ?", [LONG_AGO, pid])
    db.execute("UPDATE persons SET created_at = ? WHERE id = ?", [LONG_AGO, person])
    db.execute("UPDATE key_roles SET created_at = ? WHERE person_id = ?", [LONG_AGO, person])
    naming = {k: v for k, v in files.items() if k not in ("other_pdf", "scan")}
    return {"person": person, "company": company, "firm": firm, "files": files, "naming": naming, "pid": pid,
            "checkpoint": checkpoint_id}


def _readings(data: bytes, depth: int = 0) -> list[bytes]:
    """The bytes themselves, every zlib stream inside them (a PDF's) and every ZIP member, recursively."""
    out = [data]
    if depth > 2:
        return out
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            out += _readings(zlib.decompressobj().decompress(match.group(1)), depth + 1)
        except zlib.error:
            pass
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.namelist():
                out += _readings(archive.read(member), depth + 1)
    return out


def _needles(names: bool = True) -> list[bytes]:
    words = list(NUMBERS) + (list(NAMES) if names else [])
    return [w.encode(codec) for w in words for codec in ("utf-8", "utf-16-le", "utf-16-be", "latin-1")]


def _leaks(data: bytes, names: bool = True) -> list[bytes]:
    return [n for reading in _readings(data) for n in _needles(names) if n in reading]


def _blobs(db):
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
              if not r[0].startswith("sqlite_")]
    for table in tables:
        for row in db.execute(f'SELECT * FROM "{table}"'):
            for value in row:
                if isinstance(value, bytes):
                    yield table, value


def test_before_the_purge_the_files_name_him(db, vetted):
    """The oracle sees the leak it is there to find (each naming file is found by the search below)."""
    # WeasyPrint writes glyph codes, not letters: those PDFs are recognised by their bytes (SHA-256) below.
    for key in ("own", "espd", "elsewhere"):
        assert _leaks(vetted["naming"][key]), key
    stored = {hashlib.sha256(value).hexdigest() for _table, value in _blobs(db)}
    assert {hashlib.sha256(b).hexdigest() for b in vetted["naming"].values()} <= stored


def test_after_the_purge_no_blob_and_no_file_in_the_instance_folder_names_him(db, app, vetted, tmp_path):
    done = retention.purge(db, SYSTEM, SETTINGS)
    assert [d.id for d in done] == [vetted["person"]]
    naming = {hashlib.sha256(b).hexdigest(): k for k, b in vetted["naming"].items()}
    for table, value in _blobs(db):
        assert not _leaks(value), (table, _leaks(value)[:3])
        assert hashlib.sha256(value).hexdigest() not in naming, (table, naming.get(hashlib.sha256(value).hexdigest()))
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    folders = {Path(app.config["DATABASE"]).parent, Path(app.instance_path)}
    for folder in folders:
        for path in (p for p in folder.rglob("*") if p.is_file()):
            # The database file holds the audit log, whose key_person.add entries keep the name by design
            # (README: the record of who was vetted); the number is in no file in any form.
            database = path.name.startswith(Path(app.config["DATABASE"]).name)
            assert not _leaks(path.read_bytes(), names=not database), path


def test_what_did_not_name_him_is_kept_and_the_unreadable_scan_is_listed(db, vetted):
    retention.purge(db, SYSTEM, SETTINGS)
    stored = {hashlib.sha256(value).hexdigest() for _table, value in _blobs(db)}
    for key in ("other_pdf", "scan"):
        assert hashlib.sha256(vetted["files"][key]).hexdigest() in stored, key
    entry = next(db.query("SELECT after_json FROM audit_log WHERE action = 'person.erase_files'"))["after_json"]
    assert hashlib.sha256(PNG).hexdigest() in entry and '"unreadable_kept"' in entry


def test_each_erased_file_leaves_a_tombstone_with_its_digest_size_uploader_and_date(db, vetted):
    retention.purge(db, SYSTEM, SETTINGS)
    today = datetime.now(timezone.utc).date().isoformat()
    tombstones = list(db.query("SELECT * FROM erased_files ORDER BY id"))
    by_digest = {t["sha256"]: t for t in tombstones}
    for key, body in vetted["naming"].items():
        tombstone = by_digest[hashlib.sha256(body).hexdigest()]
        assert tombstone["size"] == len(body) and tombstone["erased_on"] == today, key
        assert tombstone["uploaded_by"] and tombstone["uploaded_at"], key
    document = next(db.query("SELECT d.body, d.sha256, d.filename, d.uploaded_by FROM checkpoint_documents d"
                             " JOIN erased_files f ON f.kind = 'checkpoint_document' AND f.file_id = d.id"
                             " WHERE d.sha256 = ?", [hashlib.sha256(vetted["files"]["checkpoint_pdf"]).hexdigest()]))
    text = document["body"].decode("utf-8")
    assert f"Raderad vid gallring {today}" in text and document["sha256"] in text
    assert str(len(vetted["files"]["checkpoint_pdf"])) in text and "handlaggare" in text
    assert "Öberg" not in document["filename"] and document["uploaded_by"] == "handlaggare"


def test_the_erasure_of_files_is_audited_without_the_personal_data(db, vetted):
    retention.purge(db, SYSTEM, SETTINGS)
    entry = next(db.query("SELECT record_id, after_json FROM audit_log WHERE action = 'person.erase_files'"))
    assert entry["record_id"] == str(vetted["person"])
    for body in vetted["naming"].values():
        assert hashlib.sha256(body).hexdigest() in entry["after_json"]
    assert not any(n in entry["after_json"] for n in (*NUMBERS, "Öberg", "Lars", "\\u00d6berg"))


@pytest.mark.parametrize("kind", ["evidence", "checkpoint_document", "espd_response", "truth_declaration"])
def test_downloading_an_erased_file_shows_a_swedish_page(db, login_as, vetted, kind):
    retention.purge(db, SYSTEM, SETTINGS)
    file_id = db.execute("SELECT file_id FROM erased_files WHERE kind = ? ORDER BY id LIMIT 1", [kind]).fetchone()[0]
    url = {"evidence": f"/screening/evidence/{file_id}", "checkpoint_document": f"/checkpoints/documents/{file_id}",
           "espd_response": f"/espd/{file_id}/file",
           "truth_declaration": f"/espd/truth-declarations/{file_id}/document"}[kind]
    response = login_as("security_officer").get(url)
    page = response.get_data(as_text=True)
    assert response.status_code == 410 and response.mimetype == "text/html", (url, response.status_code)
    assert "Filen har raderats" in page and "gallring" in page
    assert "Content-Disposition" not in response.headers


def test_the_purge_names_the_database_copies_a_restore_left_behind(db, app, runner, vetted):
    """A restore's safety copy is a whole database the erasure cannot reach: the purge says where it is."""
    live = Path(app.config["DATABASE"])
    copy = live.with_name(f"{live.stem}.pre-restore-20260101T000000000000Z{live.suffix}")
    copy.write_bytes(live.read_bytes())
    result = runner.invoke(args=["retention", "purge", "--yes"])
    assert result.exit_code == 0, result.output
    assert "Database copies left by restores still hold what was erased (1)" in result.output
    assert str(copy) in result.output


def test_pages_listing_an_erased_file_say_so_instead_of_offering_it(db, login_as, vetted):
    retention.purge(db, SYSTEM, SETTINGS)
    today = datetime.now(timezone.utc).date().isoformat()
    client = login_as("security_officer")
    checkpoint = client.get(f"/checkpoints/{vetted['checkpoint']}").get_data(as_text=True)
    erased_doc, kept_doc = (db.execute("SELECT id FROM checkpoint_documents WHERE checkpoint_id = ? AND filename LIKE ?",
                                       [vetted["checkpoint"], pattern]).fetchone()[0] for pattern in ("Intyg%", "skannat%"))
    assert f"raderad vid gallring {today}" in checkpoint
    assert f"/checkpoints/documents/{erased_doc}" not in checkpoint and f"/checkpoints/documents/{kept_doc}" in checkpoint
    for org, link in ((vetted["company"], "/file"), (vetted["firm"], "/document")):
        page = client.get(f"/espd/procurements/{vetted['pid']}/organisations/{org}").get_data(as_text=True)
        assert f"Filen raderades vid gallring {today}." in page and link not in page, org


def test_the_answers_read_out_of_the_espd_lose_his_name_and_keep_the_answer(db, vetted):
    def answers():
        return list(db.query("SELECT criterion_code, declared, details FROM espd_answers ORDER BY id"))

    before = answers()
    assert any(NAME in a["details"] for a in before)
    retention.purge(db, SYSTEM, SETTINGS)
    after = answers()
    assert not any(NAME in a["details"] or "Öberg" in a["details"] for a in after)
    assert [(a["criterion_code"], a["declared"]) for a in after] == [(a["criterion_code"], a["declared"]) for a in before]
    assert any("Göteborgs tingsrätt" in a["details"] for a in after)


def test_evidence_erased_before_this_release_is_registered_as_erased(tmp_path):
    """A database from before 0028 whose erasure left the old JSON note in a person's evidence: the upgrade
    registers it in erased_files (its download then shows the page), and leaves other JSON evidence alone; the
    person's English placeholder name becomes the Swedish one."""
    import json as _json
    import sqlite3

    from vetting.db import connect, upgrade

    schema = Path(__file__).parent / "fixtures" / "schemas" / "0008_performance.sql"
    conn = sqlite3.connect(tmp_path / "old.db")
    conn.executescript(schema.read_text(encoding="utf-8"))
    at = "2025-01-02T03:04:05+00:00"
    conn.execute("INSERT INTO persons (id, name, created_at, updated_at, erased_at) VALUES (1, 'Anonymised person 1',"
                 " ?, ?, ?)", [at, at, at])
    for outcome in (1, 2):
        conn.execute("INSERT INTO outcomes (id, subject_kind, subject_id, check_id, check_version, status, findings,"
                     " explanation, run_by, created_at) VALUES (?, 'person', 1, 'sanctions', '1', 'clear', '[]',"
                     " '[]', 'handlaggare', ?)", [outcome, at])
    conn.execute("INSERT INTO erasures (id, person_id, rule, basis, reference_date, erased_at, erased_by, open)"
                 " VALUES (7, 1, 'RETENTION_PERSONAL_DATA_YEARS', 'registered', '2021-01-01', ?, 'system', 0)", [at])
    note = _json.dumps({"erased": True, "erasure_id": 7, "original_sha256": "ab" * 32, "original_size": 4321,
                        "original_media_type": "application/xml"}).encode()
    conn.execute("INSERT INTO evidence (id, outcome_id, position, source, fetched_at, media_type, sha256, body)"
                 " VALUES (11, 1, 0, 'un', ?, 'application/json', ?, ?)", [at, "ab" * 32, note])
    conn.execute("INSERT INTO evidence (id, outcome_id, position, source, fetched_at, media_type, sha256, body)"
                 " VALUES (12, 2, 0, 'un', ?, 'application/json', ?, ?)", [at, "cd" * 32, b'{"erased": false}'])
    conn.commit()
    conn.close()
    db = connect(tmp_path / "old.db")
    upgrade(db)
    rows = list(db.query("SELECT erasure_id, kind, file_id, sha256, size, media_type, uploaded_by, why, erased_on"
                         " FROM erased_files"))
    assert rows == [{"erasure_id": 7, "kind": "evidence", "file_id": 11, "sha256": "ab" * 32, "size": 4321,
                     "media_type": "application/xml", "uploaded_by": "handlaggare", "why": "about_person",
                     "erased_on": "2025-01-02"}]
    # Its old English placeholder becomes the Swedish one a person erased now gets.
    assert db.execute("SELECT name FROM persons WHERE id = 1").fetchone()[0] == "Gallrad person 1"
