"""Issue 17, finding 2 ("erased with the person") for a sole trader whose owner is no stored person: retention
makes the firm due like a person and erases its number and name everywhere, through the audited erasure path;
a firm merged away by the merge queue is no longer listed or searchable; the search indexes hold a sole
trader's VAT number like its organisation number (date part only); a personnummer in any request's address is
neither acted on, logged nor audited.

The oracle for "everywhere" is the whole database as text (every table, every column, blobs decoded and ZIPs
unpacked: ``database_dump``), searched case-insensitively for every written form of the number.
"""
from __future__ import annotations

import hashlib
import json
import logging
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from checks import Evidence, Finding, Outcome, Status
from database_dump import dump
from vetting.domain import checkpoints, espd, merges, organisations, procurements, retention
from vetting.domain.audit import SYSTEM, Actor
from vetting.domain.foureyes import propose
from vetting.domain.manual import clean_document
from vetting.domain.screening import all_checks, store_outcome, subject_of
from vetting.store import checkpoints as checkpoint_store

LONG_AGO = (datetime.now(timezone.utc) - timedelta(days=5 * 366)).isoformat()
SETTINGS = {"RETENTION_PERSONAL_DATA_YEARS": 3, "RETENTION_PENDING_IMPORTS_DAYS": 2}
PNR = "198105152386"  # Anna Lindqvist: owner of the firm, never registered as a key person
NUMBER = PNR[2:]
FIRM, COPY = "Anna Lindqvists Måleri", "A. Lindqvist Måleri och Tapetsering"
FORMS = (PNR, NUMBER, f"{PNR[:8]}-{PNR[8:]}", f"{NUMBER[:6]}-{NUMBER[6:]}", f"{NUMBER[:6]}+{NUMBER[6:]}",
         f"SE{NUMBER}01")
NAMES = (FIRM, COPY, "Lindqvist")
ESPD = Path(__file__).parent / "fixtures" / "espd" / "espd-4.1.0-no-grounds.xml"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")  # a 1x1 scan


def _actor(accounts, role):
    return Actor(accounts[role], role, frozenset({role}))


def _answer(firm_id, db, body: bytes, url: str) -> None:
    evidence = Evidence(source="se.bolagsverket", fetched_at=datetime.now(timezone.utc), sha256=Evidence.digest(body),
                        body=body, url=url, http_status=200, media_type="application/json")
    store_outcome(db, SYSTEM, subject_of(db, "organisation", firm_id), all_checks()["se.bolagsverket"],
                  Outcome(Status.CLEAR, (Finding("company.name", FIRM, f"Registered name of {NUMBER[:6]}-{NUMBER[6:]}",
                                                 0),), (evidence,)))


@pytest.fixture
def firm(db, accounts, create_org, create_procurement):
    """Anna Lindqvists Måleri (her personnummer as organisation number, her e-mail and telephone), a bidder in a
    procurement that ended long ago, with a register answer carrying the number in every form, a four-eyes
    proposal naming it, its ESPD (the operator's name and VAT number) and truth declaration (signed by her),
    and a copy typed by a procurement officer that a security officer merged into it."""
    firm_id = create_org(name=FIRM, identifier_type="se_orgnr", identifier=NUMBER, address="Lindqvists gränd 3",
                         email="anna.lindqvist@example.se", phone="070-1234567")
    pid = create_procurement()
    procurements.add_participant(db, SYSTEM, pid, firm_id, "bidder")
    body = json.dumps({"organisationsnummer": NUMBER, "namn": FIRM, "innehavare": f"{PNR[:8]}-{PNR[8:]}",
                       "momsnummer": f"SE{NUMBER}01", "gammalt": f"{NUMBER[:6]}+{NUMBER[6:]}"},
                      ensure_ascii=False).encode()
    _answer(firm_id, db, body, f"https://gw.api.bolagsverket.se/organisationer/{NUMBER}")
    propose(db, SYSTEM, "risk_override", f"{pid}:{firm_id}", {"procurement_id": pid, "organisation_id": firm_id,
                                                             "note": f"{FIRM} har rättat"},
            f"{FIRM} ({PNR}) har betalat skulden", "organisation", firm_id)
    espd_xml = (ESPD.read_text(encoding="utf-8").replace("SE556677889901", f"SE{NUMBER}01")
                .replace("Städbolaget Exempel AB", FIRM).encode())
    espd.import_espd(db, SYSTEM, pid, firm_id, f"ESPD {FIRM}.xml", espd_xml)
    espd.record_truth_declaration(db, SYSTEM, pid, firm_id, "Anna Lindqvist", "2021-03-01",
                                  (f"Sanningsförsäkran {FIRM}.png", PNG))
    copy = organisations.create(db, _actor(accounts, "procurement_officer"),
                                {"name": COPY, "country": "SE", "identifier_type": "se_orgnr", "identifier": NUMBER})
    merge_id = db.execute("SELECT id FROM organisation_merges WHERE organisation_id = ?", [copy]).fetchone()[0]
    merges.resolve_organisation(db, _actor(accounts, "security_officer"), merge_id, "merge")
    db.execute("UPDATE procurements SET phase = 'ended', updated_at = ? WHERE id = ?", [LONG_AGO, pid])
    db.execute("UPDATE organisations SET created_at = ?", [LONG_AGO])
    assert db.execute("SELECT count(*) FROM persons").fetchone()[0] == 0
    return {"id": firm_id, "copy": copy, "pid": pid}


def _found(text: str, needles) -> list[str]:
    lowered = text.lower()
    return [n for n in needles if n.lower() in lowered]


def test_before_the_purge_the_database_holds_her_number_and_name(db, firm):
    assert _found(dump(db), FORMS + NAMES) == list(FORMS + NAMES)


def test_a_sole_trader_without_a_person_record_is_due(db, firm):
    due = retention.due_for_erasure(db, SETTINGS)
    assert [(d.kind, d.id) for d in due] == [("sole_trader", firm["id"])]


def test_after_the_purge_neither_her_number_nor_her_name_is_anywhere(db, firm):
    done = retention.purge(db, SYSTEM, SETTINGS)
    assert [(d.kind, d.id) for d in done] == [("sole_trader", firm["id"])]
    assert _found(dump(db), FORMS + NAMES) == []
    # The audit log is never rewritten: it must not have held the number in any form in the first place
    # (organisation names stay in it, as key persons' names do, for the authority's record).
    assert _found(dump(db, skip=()), FORMS) == []
    assert retention.due_for_erasure(db, SETTINGS) == []


def test_the_firm_stays_a_party_and_the_erasure_is_registered_and_audited(db, firm):
    retention.purge(db, SYSTEM, SETTINGS)
    row = next(db.query("SELECT name, identifier, identifier_type, country, address, email, phone FROM organisations"
                        " WHERE id = ?", [firm["id"]]))
    assert row == {"name": f"Enskild firma {firm['id']} (gallrad)", "identifier": None, "identifier_type": "se_orgnr",
                   "country": "SE", "address": "", "email": None, "phone": None}
    assert db.execute("SELECT count(*) FROM participants WHERE organisation_id = ?", [firm["id"]]).fetchone()[0] == 1
    erasure = next(db.query("SELECT person_id, organisation_id, open FROM erasures"))
    assert erasure == {"person_id": None, "organisation_id": firm["id"], "open": 0}
    entry = json.loads(next(db.query("SELECT after_json FROM audit_log WHERE action = 'organisation.erase'"))["after_json"])
    rewritten = entry["rewritten"]
    assert rewritten["sole_traders"] == 2 and rewritten["proposals"] == 1
    assert rewritten["espd_responses"] == 1 and rewritten["truth_declarations"] == 1
    row = next(db.query("SELECT signed_by, sha256 FROM truth_declarations"))
    assert row["signed_by"] == "[erased]" and row["sha256"] == hashlib.sha256(PNG).hexdigest()


def _plain_pdf(text: str) -> bytes:
    """A hand-written PDF whose page text is an uncompressed literal string (as in test_erasure_files)."""
    content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    return (b"%PDF-1.4\n1 0 obj << /Length " + str(len(content)).encode() + b" >>\nstream\n" + content
            + b"\nendstream\nendobj\n%%EOF\n")


def _document(db, procurement_id, filename, body):
    checkpoints.sync(db, SYSTEM, procurement_id)
    checkpoint_id = checkpoint_store.for_procurement(db, procurement_id)[0]["id"]
    checkpoint_store.insert_document(db, checkpoint_id, "document", clean_document(filename, body), "handlaggare")


def test_the_firms_files_and_files_naming_it_are_tombstoned_under_its_erasure_and_audited(db, firm,
                                                                                           create_procurement):
    """As a person's erasure does (test_erasure_files): every file of the firm is about its owner (its ESPD, the
    scanned truth declaration), a checkpoint document of its procurement naming it and a document elsewhere
    holding its VAT number go too; one audit entry on the firm lists them without the name or number."""
    minutes = _plain_pdf(f"Protokoll: anbud från {FIRM} öppnat.")
    _document(db, firm["pid"], "protokoll.pdf", minutes)
    elsewhere = _plain_pdf(f"Referens: momsnummer SE{NUMBER}01")
    _document(db, create_procurement(), "referens.pdf", elsewhere)
    unrelated = _plain_pdf("Protokoll: inga anbud.")
    _document(db, create_procurement(), "annat.pdf", unrelated)
    espd_xml = next(db.query("SELECT body FROM espd_responses"))["body"]
    retention.purge(db, SYSTEM, SETTINGS)
    erasure_id = next(db.query("SELECT id FROM erasures WHERE organisation_id = ?", [firm["id"]]))["id"]
    tombstones = {t["sha256"]: t for t in db.query("SELECT * FROM erased_files")}
    for body in (espd_xml, PNG, minutes, elsewhere):
        digest = hashlib.sha256(body).hexdigest()
        assert digest in tombstones and tombstones[digest]["erasure_id"] == erasure_id
        assert tombstones[digest]["size"] == len(body)
    assert hashlib.sha256(unrelated).hexdigest() not in tombstones
    declaration = next(db.query("SELECT body FROM truth_declarations"))["body"].decode("utf-8")
    assert declaration.startswith("Raderad vid gallring") and hashlib.sha256(PNG).hexdigest() in declaration
    entry = next(db.query("SELECT record_type, record_id, after_json FROM audit_log"
                          " WHERE action = 'organisation.erase_files'"))
    assert (entry["record_type"], entry["record_id"]) == ("organisation", str(firm["id"]))
    assert all(hashlib.sha256(b).hexdigest() in entry["after_json"] for b in (espd_xml, PNG, minutes, elsewhere))
    assert _found(entry["after_json"], FORMS + NAMES) == []


def test_a_sole_trader_in_a_running_procurement_is_not_due(db, firm, create_procurement):
    procurements.add_participant(db, SYSTEM, create_procurement(), firm["id"], "bidder")
    assert retention.purge(db, SYSTEM, SETTINGS) == []


def test_a_firm_whose_owner_is_a_stored_person_goes_with_the_person_not_alone(db, firm):
    organisations.add_key_person(db, SYSTEM, firm["id"], {"name": "Anna Lindqvist", "role": "ceo", "personnummer": PNR})
    assert [d.kind for d in retention.due_for_erasure(db, SETTINGS)] == []  # her role is recent: nothing due


def test_a_sole_trader_known_by_its_vat_number_is_erased_too(db, create_org, create_procurement):
    vat = create_org(name="Bo Ekmans Åkeri", country="SE", identifier_type="vat", identifier="SE650920471201")
    pid = create_procurement()
    procurements.add_participant(db, SYSTEM, pid, vat, "bidder")
    _answer(vat, db, b'{"vatNumber": "SE650920471201", "name": "Bo Ekmans \\u00c5keri", "pnr": "650920-4712"}',
            "https://ec.europa.eu/taxation_customs/vies/rest-api/ms/SE/vat/650920471201")
    db.execute("UPDATE procurements SET phase = 'ended', updated_at = ? WHERE id = ?", [LONG_AGO, pid])
    db.execute("UPDATE organisations SET created_at = ?", [LONG_AGO])
    assert [(d.kind, d.id) for d in retention.purge(db, SYSTEM, SETTINGS)] == [("sole_trader", vat)]
    assert _found(dump(db), ("6509204712", "650920-4712", "Ekman")) == []
    assert _found(dump(db, skip=()), ("6509204712", "650920-4712")) == []


def test_the_privacy_page_lists_the_firm_and_erases_it(login_as, db, firm, app):
    import re

    app.config.update(SETTINGS)
    client = login_as("admin")
    page = client.get("/privacy/").get_data(as_text=True)
    assert f"Enskild näringsidkare {firm['id']}" in page and FIRM in page
    records = re.search(r'name="records" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post("/privacy/purge", data={"records": records, "confirm": "y"}).status_code == 302
    after = client.get("/privacy/").get_data(as_text=True)
    assert FIRM not in after and f"Enskild näringsidkare {firm['id']}" in after  # in the recent erasures


# Gap 2: the merged-away copy.

def test_a_merged_away_copy_is_neither_listed_nor_searchable_and_keeps_its_history(login_as, db, firm):
    from vetting.domain import search

    assert db.execute("SELECT merged_into FROM organisations WHERE id = ?", [firm["copy"]]).fetchone()[0] == firm["id"]
    found = [r["id"] for r in search.search(db, "Tapetsering")["organisation"].rows]
    assert found == []
    assert [r["id"] for r in search.search(db, "Lindqvists")["organisation"].rows] == [firm["id"]]
    client = login_as("procurement_officer")
    listing = client.get("/organisations/").get_data(as_text=True)
    assert FIRM in listing and COPY not in listing
    response = client.get(f"/organisations/{firm['copy']}")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/organisations/{firm['id']}")
    actions = [r[0] for r in db.execute("SELECT action FROM audit_log WHERE record_type = 'organisation'"
                                        " AND record_id = ? ORDER BY id", [str(firm["copy"])])]
    assert {"organisation.create", "organisation.merge_queued", "organisation.merge"} <= set(actions)


# Gap 3: VAT numbers in the search indexes.

def test_the_search_indexes_hold_a_sole_traders_vat_number_by_its_date_part_only(db, create_org):
    from vetting.domain import search
    from vetting.store import organisations as org_store

    vat = create_org(name="Bo Ekmans Åkeri", identifier_type="vat", identifier="SE650920471201")
    company = create_org(name="Ekmans Åkeri AB", identifier_type="vat", identifier="SE556677889901")
    indexed = " ".join(str(r) for r in db.execute("SELECT * FROM search_organisations"))
    indexed += " ".join(str(r) for r in db.execute("SELECT * FROM search_organisations_folded"))
    assert "6509204712" not in indexed and "650920" in indexed and "5566778899" in indexed
    assert [r["id"] for r in search.search(db, "SE650920")["organisation"].rows] == [vat]
    for typed in ("SE6509204", "SE65092047", "SE650920471201", "6509204712"):
        assert search.search(db, typed)["organisation"].rows == [], typed
        assert org_store.search(db, text=typed)[0] == [], typed  # the list's text filter: the same rule
    assert [r["id"] for r in org_store.search(db, text="SE5566778899")[0]] == [company]


# Gap 4: a personnummer in the address.

@pytest.mark.parametrize("query", [f"q={PNR}", f"q=Lindqvist&q={NUMBER[:6]}-{NUMBER[6:]}", f"q=SE{NUMBER}01",
                                   f"{PNR}=1"])
@pytest.mark.parametrize("method", ["GET", "HEAD", "POST"])
def test_a_personnummer_in_any_address_is_turned_away_unlogged_and_unaudited(login_as, db, caplog, method, query):
    client = login_as("security_officer")
    before = db.execute("SELECT max(id) FROM audit_log").fetchone()[0]
    with caplog.at_level(logging.DEBUG):
        response = client.open(f"/search/?{query}", method=method)
        listing = client.open(f"/organisations/?{query}", method=method)
    assert response.status_code == listing.status_code == 303
    assert "notice=personnummer" in response.headers["Location"] and NUMBER not in response.headers["Location"]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    audited = " ".join(str(r) for r in db.execute("SELECT * FROM audit_log WHERE id > ?", [before or 0]))
    assert _found(logged + audited, FORMS) == []


def test_a_vat_number_is_masked_in_the_audit_log_and_in_logs():
    from vetting.domain.identifiers import mask_personnummer_in_text

    assert mask_personnummer_in_text(f"moms SE{NUMBER}01, bolag SE556677889901") == \
        f"moms SE{NUMBER[:6]}****01, bolag SE556677889901"
