"""Re-screening by delta: only subjects that resemble added or changed entries, and those matched to removed ones."""
from __future__ import annotations

import shutil
from pathlib import Path

from vetting.domain import followup, lists, organisations, rescreen, screening
from vetting.domain.audit import SYSTEM
from vetting.store import followup as followup_store

FIXTURES = Path(__file__).parent / "fixtures" / "lists"
SETTINGS = {"SCREENING_POSSIBLE_THRESHOLD": 0.80, "SCREENING_HIT_THRESHOLD": 0.93}
COMPANIONS = [FIXTURES / "ofac_alt.csv", FIXTURES / "ofac_add.csv"]
NEW_ROW = (b'9001,"NORRSKEN TESTHANDEL AB",-0- ,"RUSSIA-EO14024",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
           b'"Registration Number 5599887766 (Sweden)."\r\n')


def _sanctions_outcomes(db):
    return list(db.query("SELECT subject_kind, subject_id, explanation FROM outcomes WHERE check_id = 'sanctions'"))


def test_delta_rescreen_screens_only_what_the_update_concerns(db, create_org, tmp_path):
    lists.import_list(db, SYSTEM, "ofac-sdn", [FIXTURES / "ofac_sdn.csv", *COMPANIONS])
    bank = create_org(name="Test Bank PJSC", country="RU")
    norrsken = create_org(name="Norrsken Testhandel AB", country="SE")
    unrelated = create_org(name="Helt Annat Bygg AB", country="SE")
    organisations.add_key_person(db, SYSTEM, unrelated, {"name": "Karin Lund", "role": "ceo", "birth_date": "1970"})
    screening.screen_subject(db, SYSTEM, "organisation", bank, SETTINGS, ("sanctions",))
    before = len(_sanctions_outcomes(db))
    # The new version adds a company named like a stored supplier and removes the bank.
    lines = (FIXTURES / "ofac_sdn.csv").read_bytes().splitlines(keepends=True)
    updated = tmp_path / "sdn.csv"
    kept = b"".join(line for line in lines if not line.startswith(b"8002,")).rstrip(b"\x1a\r\n")
    updated.write_bytes(kept + b"\r\n" + NEW_ROW)
    summary = lists.import_list(db, SYSTEM, "ofac-sdn", [updated, *COMPANIONS])
    delta = rescreen.list_delta(db, "ofac-sdn")
    assert [e.name for e in delta.added] == ["NORRSKEN TESTHANDEL AB"] and delta.removed == {"8002"}
    assert delta.changed == []
    # The import recorded the delta re-screen as a batch (no queue on a bare connection): run it here.
    assert summary["rescreen"] == {"added": 1, "changed": 0, "removed": 1, "screened": 2}
    assert [(i["subject_kind"], i["subject_id"]) for i in followup_store.pending_items(db, summary["batch_id"])] == [
        ("organisation", bank), ("organisation", norrsken)]
    followup.run_batch_inline(db, summary["batch_id"], SETTINGS)
    outcomes = _sanctions_outcomes(db)[before:]
    assert {(o["subject_kind"], o["subject_id"]) for o in outcomes} == {("organisation", bank), ("organisation", norrsken)}
    latest = {o["subject_id"]: o for o in outcomes}
    assert "8002" not in latest[bank]["explanation"]  # the removed entry's match is retired
    assert "NORRSKEN TESTHANDEL AB" in latest[norrsken]["explanation"]


def test_a_changed_entry_is_in_the_delta(db, tmp_path):
    lists.import_list(db, SYSTEM, "ofac-sdn", [FIXTURES / "ofac_sdn.csv", *COMPANIONS])
    changed = tmp_path / "sdn.csv"
    shutil.copy(FIXTURES / "ofac_sdn.csv", changed)
    changed.write_bytes(changed.read_bytes().replace(b'"RUSSIA-EO14024"', b'"RUSSIA-EO14024] [UKRAINE-EO13662"', 1))
    lists.import_list(db, SYSTEM, "ofac-sdn", [changed, *COMPANIONS])
    delta = rescreen.list_delta(db, "ofac-sdn")
    assert [e.source_id for e in delta.changed] == ["8002"] and not delta.added and not delta.removed


def _newest(db, kind, subject_id):
    rows = list(db.query("SELECT id, status, explanation FROM outcomes WHERE check_id = 'sanctions' AND subject_kind = ?"
                         " AND subject_id = ? ORDER BY id DESC LIMIT 1", [kind, subject_id]))
    return rows[0]


def test_only_subjects_the_delta_concerns_get_a_new_outcome(db, create_org, tmp_path):
    # Three suppliers screened against the first version: one matches the aircraft company (unchanged in the
    # update), one the bank (removed by it), one nothing yet (the update adds a company of its name).
    lists.import_list(db, SYSTEM, "ofac-sdn", [FIXTURES / "ofac_sdn.csv", *COMPANIONS])
    airline = create_org(name="Aerotest Airlines", country="CU")
    bank = create_org(name="Test Bank PJSC", country="RU")
    norrsken = create_org(name="Norrsken Testhandel AB", country="SE")
    for subject in (airline, bank, norrsken):
        screening.screen_subject(db, SYSTEM, "organisation", subject, SETTINGS, ("sanctions",))
    before = {subject: _newest(db, "organisation", subject) for subject in (airline, bank, norrsken)}
    assert "AEROTEST AIRLINES" in before[airline]["explanation"] and "8002" in before[bank]["explanation"]
    assert before[norrsken]["status"] == "clear"
    lines = (FIXTURES / "ofac_sdn.csv").read_bytes().splitlines(keepends=True)
    updated = tmp_path / "sdn.csv"
    updated.write_bytes(b"".join(line for line in lines if not line.startswith(b"8002,")).rstrip(b"\x1a\r\n")
                        + b"\r\n" + NEW_ROW)
    summary = lists.import_list(db, SYSTEM, "ofac-sdn", [updated, *COMPANIONS])
    followup.run_batch_inline(db, summary["batch_id"], SETTINGS)
    after = {subject: _newest(db, "organisation", subject) for subject in (airline, bank, norrsken)}
    # Matching only an unchanged entry: the outcome stored before still stands, nothing stored again.
    assert after[airline]["id"] == before[airline]["id"]
    # The newly added entry: a new outcome holding the new match.
    assert after[norrsken]["id"] != before[norrsken]["id"] and after[norrsken]["status"] != "clear"
    assert "9001" in after[norrsken]["explanation"]
    # The removed entry: its match is retired, the supplier reads clear.
    assert after[bank]["id"] != before[bank]["id"]
    assert "8002" not in after[bank]["explanation"] and after[bank]["status"] == "clear"
