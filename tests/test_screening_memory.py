"""Review that remembers, list versions in order, debarments with their period."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from vetting.domain import lists, screening
from vetting.domain.audit import SYSTEM
from vetting.domain.errors import InvalidInput

FIXTURES = Path(__file__).parent / "fixtures" / "lists"
SETTINGS = {"SCREENING_POSSIBLE_THRESHOLD": 0.80, "SCREENING_HIT_THRESHOLD": 0.93}
OFAC = ("ofac_sdn.csv", "ofac_alt.csv", "ofac_add.csv")


@pytest.fixture
def loaded(db):
    lists.import_list(db, SYSTEM, "ofac-sdn", [FIXTURES / f for f in OFAC])
    return db


def _sanctions(db, kind, subject_id):
    return next(o for o in screening.outcome_store.latest(db, kind, subject_id) if o["check_id"] == "sanctions")


def _changed_sdn(tmp_path: Path) -> list[Path]:
    changed = tmp_path / "sdn.csv"
    shutil.copy(FIXTURES / "ofac_sdn.csv", changed)
    changed.write_bytes(changed.read_bytes().replace(b'"RUSSIA-EO14024"', b'"RUSSIA-EO14024] [UKRAINE-EO13662"', 1))
    return [changed, FIXTURES / "ofac_alt.csv", FIXTURES / "ofac_add.csv"]


def test_confirmed_hit_stays_confirmed_and_is_not_queued_again(loaded, create_org):
    org = create_org(name="Test Bank PJSC", country="RU")
    screening.screen_subject(loaded, SYSTEM, "organisation", org, SETTINGS)
    first = _sanctions(loaded, "organisation", org)
    listed_id = first["explanation"][0]["listed_id"]
    screening.decide(loaded, SYSTEM, first["id"], "ofac-sdn", listed_id, "confirmed", "Samma orgnr i registret")
    assert screening.open_reviews(loaded) == []
    screening.screen_subject(loaded, SYSTEM, "organisation", org, SETTINGS)  # the nightly re-screen
    second = _sanctions(loaded, "organisation", org)
    assert second["id"] != first["id"]
    assert screening.open_reviews(loaded) == []  # not queued again
    decisions = screening.review_store.latest_decisions(loaded, "organisation", org)
    assert screening.effective_status(second, decisions) == "confirmed"  # still confirmed, its own state


def test_re_raised_match_shows_the_earlier_decision_and_the_entry_diff(loaded, login_as, create_org, tmp_path):
    org = create_org(name="Test Bank PJSC", country="RU")
    screening.screen_subject(loaded, SYSTEM, "organisation", org, SETTINGS)
    first = _sanctions(loaded, "organisation", org)
    listed_id = first["explanation"][0]["listed_id"]
    screening.decide(loaded, SYSTEM, first["id"], "ofac-sdn", listed_id, "confirmed", "Samma orgnr i registret")
    lists.import_list(loaded, SYSTEM, "ofac-sdn", _changed_sdn(tmp_path))
    screening.screen_subject(loaded, SYSTEM, "organisation", org, SETTINGS)
    queued = screening.open_reviews(loaded)
    assert len(queued) == 1  # the entry changed: an officer looks again
    earlier = queued[0]["earlier"]
    assert earlier["decision"] == "confirmed" and earlier["decided_by"] == SYSTEM.username and earlier["changed"]
    assert earlier["diff"] == [("programmes", "RUSSIA-EO14024", "RUSSIA-EO14024; UKRAINE-EO13662")]
    page = login_as("reviewer").get(f"/screening/organisation/{org}").get_data(as_text=True)
    assert "Samma orgnr i registret" in page and "UKRAINE-EO13662" in page
    assert 'class="entry-diff"' in page and "programmes" in page


def test_dismissed_match_re_raised_after_a_change_shows_who_dismissed_it(loaded, login_as, create_org, tmp_path):
    org = create_org(name="Test Bank PJSC", country="RU")
    screening.screen_subject(loaded, SYSTEM, "organisation", org, SETTINGS)
    first = _sanctions(loaded, "organisation", org)
    from four_eyes import confirmed  # dismissing a hit needs a second person (four eyes)

    confirmed(loaded, screening.decide(loaded, SYSTEM, first["id"], "ofac-sdn", first["explanation"][0]["listed_id"],
                                       "dismissed", "Annat bolag enligt orgnr"))
    lists.import_list(loaded, SYSTEM, "ofac-sdn", _changed_sdn(tmp_path))
    screening.screen_subject(loaded, SYSTEM, "organisation", org, SETTINGS)
    page = login_as("procurement_officer").get("/screening/review").get_data(as_text=True)
    assert "Annat bolag enligt orgnr" in page and "UKRAINE-EO13662" in page


def test_older_list_version_is_refused_unless_forced_with_a_reason(db, tmp_path):
    lists.import_list(db, SYSTEM, "un", [FIXTURES / "un_consolidated.xml"])
    loaded = lists.store.active_version(db, "un")
    older = tmp_path / "un_old.xml"
    text = (FIXTURES / "un_consolidated.xml").read_text(encoding="utf-8")
    published = loaded["published"]
    older_date = f"{int(published[:4]) - 1}{published[4:]}"
    older.write_text(text.replace(published, older_date, 1), encoding="utf-8")
    with pytest.raises(InvalidInput, match="before the loaded one"):
        lists.import_list(db, SYSTEM, "un", [older])
    with pytest.raises(InvalidInput):
        lists.import_list(db, SYSTEM, "un", [older], force=True, reason="  ")
    assert lists.store.active_version(db, "un")["id"] == loaded["id"]
    lists.import_list(db, SYSTEM, "un", [older], force=True, reason="Nyare version var felaktig enligt UN")
    active = lists.store.active_version(db, "un")
    assert active["published"] == older_date and active["forced_reason"] == "Nyare version var felaktig enligt UN"
    audit = list(db.query("SELECT * FROM audit_log WHERE action = 'list.import' ORDER BY id DESC LIMIT 1"))[0]
    assert audit["reason"] == "Nyare version var felaktig enligt UN"


def test_list_without_a_date_is_dated_by_its_download_and_says_so(db, login_as, tmp_path):
    files = [tmp_path / f for f in OFAC]
    for name, path in zip(OFAC, files):
        shutil.copy(FIXTURES / name, path)
        os.utime(path, (1_700_000_000, 1_700_000_000))  # downloaded 2023-11-14 (UTC)
    lists.import_list(db, SYSTEM, "ofac-sdn", files)
    version = lists.store.active_version(db, "ofac-sdn")
    assert (version["published"], version["published_basis"]) == ("2023-11-14", "download")
    page = login_as("reviewer").get("/screening/lists").get_data(as_text=True)
    assert "datum för nedladdningen; filen anger inget datum" in page


def test_expired_debarment_shows_as_expired_and_is_not_matched_as_current(db, login_as, create_org):
    lists.import_list(db, SYSTEM, "ebrd", [FIXTURES / "ebrd_ineligible_entities.csv"])
    ended = create_org(name="Nordbygg Konstruktion Ltd.", country="NO")  # ineligible until 2025-05-31
    current = create_org(name="Testa Öresund Bygg AB", country="SE")  # indefinite
    screening.screen_subject(db, SYSTEM, "organisation", ended, SETTINGS)
    screening.screen_subject(db, SYSTEM, "organisation", current, SETTINGS)
    old = _sanctions(db, "organisation", ended)
    assert old["status"] == "clear" and old["findings"] == []
    assert old["explanation"][0]["expired"] is True and old["explanation"][0]["valid_until"] == "2025-05-31"
    live = _sanctions(db, "organisation", current)
    assert live["status"] == "hit" and live["findings"][0]["code"] == "debarment.listed"
    page = login_as("reviewer").get(f"/screening/organisation/{ended}").get_data(as_text=True)
    assert "Uteslutningen upphörde 2025-05-31" in page
    assert all(item["match"]["listed_name"] != "Nordbygg Konstruktion Ltd." for item in screening.open_reviews(db))
