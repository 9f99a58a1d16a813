"""The ESPD in the app: imported as evidence, refused when it cannot be trusted, fed to the risk model, shown."""
from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest

from conftest import shared_data_file
from vetting.domain import espd, procurements, risk
from vetting.domain.audit import Actor
from vetting.domain.errors import InvalidInput
from vetting.store import risk as risk_store

FIXTURES = Path(__file__).parent / "fixtures" / "espd"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "espd"
PDF = b"%PDF-1.4\n% sanningsforsakran undertecknad\n%%EOF\n"


@pytest.fixture
def officer(accounts):
    return Actor(accounts["procurement_officer"], "procurement_officer", frozenset({"procurement_officer"}))


@pytest.fixture
def case(db, officer, create_org, create_procurement):
    pid = create_procurement()
    org = create_org(name="Städbolaget Exempel AB", identifier_type="se_orgnr", identifier="5566778899")
    procurements.add_participant(db, officer, pid, org, "bidder")
    return pid, org


def _file(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def _counts(db) -> tuple[int, int, int]:
    return tuple(db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                 for t in ("espd_responses", "espd_answers", "audit_log"))


def _ex01(db, officer, pid, org) -> dict:
    assessment = risk_store.assessment(db, risk.assess(db, officer, pid, org))
    return next(r for r in assessment["results"] if r["id"] == "EX-01")


def test_an_import_keeps_the_file_with_its_sha256_and_every_answer(db, officer, case):
    pid, org = case
    data = _file("espd-3.3.0-no-grounds.xml")
    espd_id = espd.import_espd(db, officer, pid, org, "anbud-espd.xml", data)
    row = db.execute("SELECT sha256, body, version, identifier_compared FROM espd_responses WHERE id = ?",
                     [espd_id]).fetchone()
    assert row == (hashlib.sha256(data).hexdigest(), data, "3.3.0", 1)
    grounds = espd.answers_for(db, pid, org)
    assert [a.declared for a in grounds["13:1"]] == [False] * 6
    assert all(a.evidence == f"espd:{espd_id}" and a.sha256 == row[0] for g in grounds.values() for a in g)
    action = db.execute("SELECT action FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()[0]
    assert action == "espd.import"


def test_no_to_every_conviction_ground_plus_a_signed_truth_declaration_makes_ex01_not_fired(db, officer, case):
    pid, org = case
    espd_id = espd.import_espd(db, officer, pid, org, "espd.xml", _file("espd-4.1.0-no-grounds.xml"))
    assert _ex01(db, officer, pid, org)["state"] == "insufficient_data"  # the ESPD alone is not enough
    declaration = espd.record_truth_declaration(db, officer, pid, org, "Anna Berg, VD", "2026-11-20",
                                                ("sanningsforsakran.pdf", PDF))
    ex01 = _ex01(db, officer, pid, org)
    assert ex01["state"] == "not_fired"
    assert {f"espd:{espd_id}", f"truth_declaration:{declaration}"} <= set(ex01["evidence"])


def test_a_declared_conviction_fires_ex01_with_the_espd_as_evidence(db, officer, case):
    pid, org = case
    espd.record_truth_declaration(db, officer, pid, org, "Anna Berg, VD", "2026-11-20", ("s.pdf", PDF))
    espd_id = espd.import_espd(db, officer, pid, org, "espd.xml", _file("espd-4.1.0-declares-fraud-and-tax.xml"))
    ex01 = _ex01(db, officer, pid, org)
    assert ex01["state"] == "fired" and f"espd:{espd_id}" in ex01["evidence"]
    tax = espd.answers_for(db, pid, org)["13:2"][0]
    assert tax.declared is True and tax.amounts == ({"amount": "125000", "currency": "SEK"},)


def test_an_officers_answer_still_wins_over_the_espd(db, officer, case):
    pid, org = case
    risk.answer(db, officer, pid, org, {"answer.EX-01": "yes"}, {"answer.EX-01": "Dom i tingsrätten 2024"})
    espd.import_espd(db, officer, pid, org, "espd.xml", _file("espd-4.1.0-no-grounds.xml"))
    espd.record_truth_declaration(db, officer, pid, org, "Anna Berg, VD", "2026-11-20", ("s.pdf", PDF))
    assert _ex01(db, officer, pid, org)["state"] == "fired"


@pytest.mark.parametrize("data, words", [
    (_file("espd-4.1.0-truncated.xml"), "cut short"),
    (_file("espd-4.1.0-no-grounds.xml").replace(b"</cbc:Name>", b"</cbc:Nam>", 1), "not well-formed"),
    (_file("espd-unknown-version.xml"), "9.0.0"),
    (_file("espd-request.xml"), "request"),
    (_file("espd-billion-laughs.xml"), "DTD"),
    (_file("espd-4.1.0-other-operator.xml"), "another economic operator"),
])
def test_a_broken_or_foreign_espd_is_refused_and_nothing_changes(db, officer, case, data, words):
    pid, org = case
    espd.import_espd(db, officer, pid, org, "first.xml", _file("espd-2.1.1-basic-no-grounds.xml"))
    before = _counts(db)
    with pytest.raises(InvalidInput) as refused:
        espd.import_espd(db, officer, pid, org, "second.xml", data)
    assert words in str(refused.value.message)
    assert _counts(db) == before
    assert espd.answers_for(db, pid, org)["13:1"][0].criterion.startswith("CRITERION.EXCLUSION")  # the first stays


def test_an_organisation_outside_the_procurement_gets_no_espd(db, officer, case, create_org):
    pid, _org = case
    other = create_org(name="Annan AB")
    with pytest.raises(InvalidInput):
        espd.import_espd(db, officer, pid, other, "espd.xml", _file("espd-4.1.0-no-grounds.xml"))


def test_each_entity_relied_on_has_its_own_espd(db, officer, case, create_org):
    from vetting.store import procurements as procurement_store

    pid, org = case
    capacity = create_org(name="Kapacitet AB")
    parent = next(p["id"] for p in procurement_store.participants(db, pid) if p["organisation_id"] == org)
    procurements.add_participant(db, officer, pid, capacity, "capacity", parent)
    espd.import_espd(db, officer, pid, capacity, "kapacitet.xml", _file("espd-4.1.0-declares-fraud-and-tax.xml"))
    espd.import_espd(db, officer, pid, org, "anbud.xml", _file("espd-4.1.0-no-grounds.xml"))
    assert any(a.declared for a in espd.answers_for(db, pid, capacity)["13:1"])
    assert not any(a.declared for a in espd.answers_for(db, pid, org)["13:1"])
    page = espd.party(db, pid, org)
    assert [(r["organisation_id"], r["espd"] is not None) for r in page["related"]] == [(capacity, True)]


def test_the_truth_declaration_needs_signer_date_and_document(db, officer, case):
    pid, org = case
    for signer, day, doc, field in [("", "2026-11-20", ("s.pdf", PDF), "signed_by"),
                                    ("Anna Berg", "20 nov", ("s.pdf", PDF), "signed_on"),
                                    ("Anna Berg", "2026-11-20", None, "document"),
                                    ("Anna Berg", "2026-11-20", ("s.txt", b"plain text"), "document")]:
        with pytest.raises(InvalidInput) as refused:
            espd.record_truth_declaration(db, officer, pid, org, signer, day, doc)
        assert refused.value.field == field


@pytest.mark.shared_data
@pytest.mark.parametrize("name", ["BASIC-ESPDResponse-2.1.1.xml", "EXTENDED-ESPDResponse-2.1.1.xml",
                                  "ESPD-Response-3.3.0.xml", "ESPD-Response-4.1.0.xml"])
def test_each_official_example_imports(db, officer, create_org, create_procurement, name):
    data = shared_data_file(SHARED / name).read_bytes()
    pid = create_procurement()
    org = create_org(name="Exempelleverantören", country="DE")  # no identifier: stored, flagged as not compared
    procurements.add_participant(db, officer, pid, org, "bidder")
    espd_id = espd.import_espd(db, officer, pid, org, name, data)
    assert db.execute("SELECT sha256, identifier_compared FROM espd_responses WHERE id = ?", [espd_id]).fetchone() == \
        (hashlib.sha256(data).hexdigest(), 0)
    grounds = espd.answers_for(db, pid, org)
    assert sum(len(a) for a in grounds.values()) == 24
    assert _ex01(db, officer, pid, org)["state"] == "fired"  # the examples declare every conviction ground


# --- the pages ---

def test_upload_on_the_party_page_shows_the_answers_as_evidence(client, login_as, db, case):
    pid, org = case
    login_as("procurement_officer")
    response = client.post(f"/espd/procurements/{pid}/organisations/{org}/upload",
                           data={"file": (io.BytesIO(_file("espd-4.1.0-declares-fraud-and-tax.xml")), "espd.xml")},
                           content_type="multipart/form-data", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "ESPD:n importerades" in page
    assert "Brottmål (13 kap. 1 § LOU)" in page or "13 kap. 1 §" in page
    assert "Ja, uppger grunden" in page and "125000 SEK" in page
    assert "Tidigare styrelseledamot dömd av Göteborgs tingsrätt" in page
    case_page = client.get(f"/risk/procurements/{pid}/organisations/{org}").get_data(as_text=True)
    assert "Ja, uppger grunden" in case_page


def test_upload_on_the_organisation_page_for_a_chosen_procurement(client, login_as, db, case):
    pid, org = case
    login_as("procurement_officer")
    response = client.post(f"/espd/organisations/{org}/upload",
                           data={"procurement_id": str(pid),
                                 "file": (io.BytesIO(_file("espd-2.1.1-extended-no-grounds.xml")), "espd.xml")},
                           content_type="multipart/form-data", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "ESPD:n importerades" in page and "version 2.1.1 Extended" in page.replace("ESPD-version", "version")


def test_a_broken_upload_shows_the_reason_and_stores_nothing(client, login_as, db, case):
    pid, org = case
    login_as("procurement_officer")
    before = _counts(db)
    response = client.post(f"/espd/procurements/{pid}/organisations/{org}/upload",
                           data={"file": (io.BytesIO(_file("espd-4.1.0-truncated.xml")), "espd.xml")},
                           content_type="multipart/form-data", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "ESPD:n importerades inte" in page and "avbruten" in page
    assert _counts(db)[:2] == before[:2]


def test_the_file_downloads_as_stored_and_the_download_is_audited(client, login_as, db, officer, case):
    pid, org = case
    data = _file("espd-4.1.0-no-grounds.xml")
    espd_id = espd.import_espd(db, officer, pid, org, "espd.xml", data)
    login_as("reviewer")
    response = client.get(f"/espd/{espd_id}/file")
    assert response.status_code == 200 and response.data == data
    assert response.headers["X-Content-SHA256"] == hashlib.sha256(data).hexdigest()
    assert db.execute("SELECT action FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()[0] == "espd.download"


def test_the_cli_imports_an_espd(runner, db, officer, case):
    pid, org = case
    reference = db.execute("SELECT reference FROM procurements WHERE id = ?", [pid]).fetchone()[0]
    result = runner.invoke(args=["espd", "import", str(FIXTURES / "espd-3.3.0-no-grounds.xml"),
                                 "--procurement", reference, "--organisation", str(org)])
    assert result.exit_code == 0, result.output
    assert "13:1: crime-org=no" in result.output
    broken = runner.invoke(args=["espd", "import", str(FIXTURES / "espd-4.1.0-truncated.xml"),
                                 "--procurement", reference, "--organisation", str(org)])
    assert broken.exit_code != 0 and "Nothing imported" in broken.output


def test_a_sole_traders_number_never_shows_in_full(client, login_as, db, officer, create_org, create_procurement):
    pid = create_procurement()
    org = create_org(name="Anna Bergs Städ", identifier_type="se_orgnr", identifier="8112189876")
    procurements.add_participant(db, officer, pid, org, "bidder")
    espd.import_espd(db, officer, pid, org, "espd.xml",
                     _file("espd-4.1.0-no-grounds.xml").replace(b"SE556677889901", b"SE811218987601"))
    login_as("procurement_officer")
    for url in (f"/espd/procurements/{pid}/organisations/{org}", f"/organisations/{org}"):
        page = client.get(url).get_data(as_text=True)
        assert "Städbolaget Exempel AB" in page and "8112189876" not in page and "1218987601" not in page
    with pytest.raises(InvalidInput) as refused:
        espd.import_espd(db, officer, pid, org, "other.xml", _file("espd-4.1.0-other-operator.xml"))
    assert "8112189876" not in str(refused.value.message) and "811218-****" in str(refused.value.message)
