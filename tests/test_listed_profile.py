"""Beside the subject on a match: the listed entity's profile as the list version matched against gives it
(birth date, nationality, programme, reason, list and version), the list's own words marked with their language."""
from __future__ import annotations

from pathlib import Path

import pytest

from vetting.domain import listed_profile, lists, screening
from vetting.domain.audit import SYSTEM

FIXTURES = Path(__file__).parent / "fixtures" / "lists"
SETTINGS = {"SCREENING_POSSIBLE_THRESHOLD": 0.80, "SCREENING_HIT_THRESHOLD": 0.93}


@pytest.fixture
def matched(db, create_org):
    lists.import_list(db, SYSTEM, "ofac-sdn", [FIXTURES / f for f in ("ofac_sdn.csv", "ofac_alt.csv", "ofac_add.csv")])
    org = create_org(name="Test Bank PJSC", country="RU")
    screening.screen_subject(db, SYSTEM, "organisation", org, SETTINGS)
    return org


def _sanctions(db, org):
    return next(o for o in screening.outcome_store.latest(db, "organisation", org) if o["check_id"] == "sanctions")


def test_the_profile_is_the_entry_as_listed(db, matched):
    profile = listed_profile.profiles(db, _sanctions(db, matched))[("ofac-sdn", "8002")]
    assert profile["stored"] and profile["name"] == "TEST BANK PJSC"
    assert profile["programmes"] == ["RUSSIA-EO14024"] and profile["list"] == "ofac-sdn" and profile["list_version"]
    assert "RU" in profile["countries"]
    assert ("Registration Number", "1027739609391") in profile["identifiers"] or any(
        "1027739609391" in v for _t, v in profile["identifiers"])


def test_the_match_page_shows_it_beside_the_subject_in_swedish(db, matched, login_as):
    page = login_as("security_officer").get(f"/screening/organisation/{matched}").get_data(as_text=True)
    table = page[page.index('<table class="profile">'):]
    table = table[:table.index("</table>")]
    assert "Den kontrollerade bredvid den listade" in table and "Listad part" in table
    assert '<span lang="en">RUSSIA-EO14024</span>' in table
    assert "Ryssland" in table  # the listed country by name, in Swedish, on both sides
    assert "Lista och version" in table and "OFAC SDN, version " in table
