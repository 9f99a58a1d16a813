"""The procurement and organisation lists show screening, control-area and level-of-control columns and filter
"visa alla med träff / fel / uteslutning / hinder", each answer read from the read models (decisions count)."""
from __future__ import annotations

import re

import pytest

from test_dashboard import decide, match, outcome
from vetting.domain import procurements
from vetting.domain.audit import SYSTEM
from vetting.store import risk as risk_store


def _assess(db, pid, org, level):
    risk_store.insert_assessment(db, procurement_id=pid, organisation_id=org, model_version="1", model_sha256="x",
                                 level=level, total=0, multiplier=1, results=[], reasons=[], facts={},
                                 prepared_by="test")


@pytest.fixture
def world(db, create_org, create_procurement):
    """One organisation per filter, plus a clean one and one whose only match was dismissed; a procurement each."""
    names = ("Träffbolaget AB", "Felbolaget AB", "Uteslutningsbolaget AB", "Hinderbolaget AB", "Rena bolaget AB",
             "Avfärdade bolaget AB")
    orgs = dict(zip(("match", "error", "exclusion", "blocker", "clean", "dismissed"), (create_org(name=n) for n in names)))
    outcome(db, "organisation", orgs["match"], "hit", explanation=[match("ofac-sdn", "1", "hit", 0.97)])
    outcome(db, "organisation", orgs["error"], "error", check="se.bolagsverket")
    outcome(db, "organisation", orgs["blocker"], "clear", check="se.bolagsverket",
            findings=[{"code": "company.deleted", "value": True, "detail": "", "evidence": 0}])
    outcome(db, "organisation", orgs["clean"], "clear")
    dismissed = outcome(db, "organisation", orgs["dismissed"], "possible_match", explanation=[match("un", "7")])
    decide(db, dismissed, "organisation", orgs["dismissed"], "un", "7", "dismissed")
    pids = {}
    for key, org in orgs.items():
        pids[key] = create_procurement(reference=f"UH-2026-L{len(pids)}", title=f"Upphandling {key}")
        procurements.add_participant(db, SYSTEM, pids[key], org, "bidder")
    _assess(db, pids["exclusion"], orgs["exclusion"], "exclusion_assessment")
    return orgs, pids


def _names(page: str) -> list[str]:
    return re.findall(r'<tr><td><a href="/organisations/\d+">([^<]+)</a>', page)


def _references(page: str) -> list[str]:
    return re.findall(r'<td><a href="/procurements/\d+">([^<]+)</a></td>', page)


@pytest.mark.parametrize("wanted, expected", [
    ("match", ["Träffbolaget AB"]), ("error", ["Felbolaget AB"]), ("exclusion", ["Uteslutningsbolaget AB"]),
    ("blocker", ["Hinderbolaget AB", "Träffbolaget AB"]),
])
def test_the_organisation_list_filters_by_what_the_read_models_say(world, login_as, wanted, expected):
    page = login_as("procurement_officer").get(f"/organisations/?show={wanted}").get_data(as_text=True)
    assert _names(page) == expected


def test_without_a_filter_every_organisation_is_listed_with_its_columns(world, login_as):
    page = login_as("procurement_officer").get("/organisations/").get_data(as_text=True)
    assert len(_names(page)) == 6
    row = page[page.index(">Träffbolaget AB<"):]
    row = row[:row.index("</tr>")]
    assert 'status-hit">Säker träff<' in row and 'area-status-hinder">Hinder<' in row
    dismissed = page[page.index(">Avfärdade bolaget AB<"):]
    dismissed = dismissed[:dismissed.index("</tr>")]
    assert 'class="status status-clear"' in dismissed  # decided: no longer a match
    assert "Visa alla" in page and "med hinder" in page


def test_the_procurement_list_filters_over_each_chain(world, login_as):
    orgs, pids = world
    client = login_as("procurement_officer")
    assert _references(client.get("/procurements/?show=match").get_data(as_text=True)) == ["UH-2026-L0"]
    assert _references(client.get("/procurements/?show=exclusion").get_data(as_text=True)) == ["UH-2026-L2"]
    page = client.get("/procurements/?show=blocker").get_data(as_text=True)
    assert sorted(_references(page)) == ["UH-2026-L0", "UH-2026-L3"]
    exclusion_row = client.get("/procurements/").get_data(as_text=True)
    exclusion_row = exclusion_row[exclusion_row.index(">UH-2026-L2<"):]
    assert "Uteslutningsprövning" in exclusion_row[:exclusion_row.index("</tr>")]


def test_a_filter_pages_over_the_matching_rows_only(world, login_as, create_org, db, app):
    app.config["PAGE_SIZE"] = 1
    page = login_as("procurement_officer").get("/organisations/?show=blocker&page=2").get_data(as_text=True)
    assert _names(page) == ["Träffbolaget AB"]


def test_an_unknown_filter_shows_everything(world, login_as):
    page = login_as("procurement_officer").get("/organisations/?show=nonsense").get_data(as_text=True)
    assert len(_names(page)) == 6
