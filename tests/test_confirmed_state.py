"""A match an officer confirmed has its own state: "confirmed" (Bekräftad träff), not the "hit" of a match
nobody has decided on yet; it outranks every other status and blocks its control area."""
from __future__ import annotations

from pathlib import Path

import pytest

from vetting.domain import control_areas, lists, screening, screening_status
from vetting.domain.audit import SYSTEM

FIXTURES = Path(__file__).parent / "fixtures" / "lists"
SETTINGS = {"SCREENING_POSSIBLE_THRESHOLD": 0.80, "SCREENING_HIT_THRESHOLD": 0.93}


@pytest.fixture
def screened(db, create_org):
    lists.import_list(db, SYSTEM, "ofac-sdn", [FIXTURES / f for f in ("ofac_sdn.csv", "ofac_alt.csv", "ofac_add.csv")])
    org = create_org(name="Test Bank PJSC", country="RU")
    screening.screen_subject(db, SYSTEM, "organisation", org, SETTINGS)
    return org


def _decide(db, org, decision):
    from four_eyes import confirmed

    outcome = next(o for o in screening.outcome_store.latest(db, "organisation", org) if o["check_id"] == "sanctions")
    confirmed(db, screening.decide(db, SYSTEM, outcome["id"], "ofac-sdn", outcome["explanation"][0]["listed_id"],
                                   decision, "Samma bolag: adress och registreringsnummer stämmer"))


def test_an_undecided_hit_is_a_hit_and_a_confirmed_one_is_confirmed(db, screened):
    assert screening_status.organisations(db, [screened])[screened]["own"] == "hit"
    _decide(db, screened, "confirmed")
    assert screening_status.organisations(db, [screened])[screened]["own"] == "confirmed"


def test_confirmed_outranks_every_other_status():
    assert screening.worst_status(["error", "hit", "confirmed", "possible_match"]) == "confirmed"
    assert screening.worst_status(["error", "hit"]) == "hit"


def test_the_sanctions_area_reads_the_decision(db, screened):
    _decide(db, screened, "confirmed")
    area = next(a for a in control_areas.organisation_areas(db, screened) if a.area == "sanctions")
    assert area.status == "hinder"


def test_a_dismissed_match_leaves_the_sanctions_area_ok_like_the_badge(db, screened):
    _decide(db, screened, "dismissed")
    checks = screening_status.subject(db, "organisation", screened).checks
    assert next(c.effective for c in checks if c.check_id == "sanctions") == "clear"
    area = next(a for a in control_areas.organisation_areas(db, screened) if a.area == "sanctions")
    assert area.status == "ok"


def test_the_badge_says_confirmed_in_swedish(db, screened, login_as):
    _decide(db, screened, "confirmed")
    page = login_as("procurement_officer").get(f"/organisations/{screened}").get_data(as_text=True)
    assert 'class="status status-confirmed">Bekräftad träff<' in page
