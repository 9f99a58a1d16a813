"""Issue 16: a badge changes once a register error is accepted (four eyes) — in words, on the organisation and the
procurement page, and never as green."""
from __future__ import annotations

import html
import re

from four_eyes import second

from vetting.domain import checkpoints, foureyes, procurements, screening
from vetting.domain.audit import SYSTEM, Actor
from vetting.store import outcomes as outcome_store

SETTINGS = {"SCREENING_POSSIBLE_THRESHOLD": 0.8, "SCREENING_HIT_THRESHOLD": 0.93}


def _badges(page: str) -> list[str]:
    """The words of every status badge on a page."""
    return [html.unescape(w).strip() for w in re.findall(r'<span class="status status-[\w]+">([^<]*)</span>', page)]


def _register_row(page: str, check_words: str) -> str:
    row = page[page.index(f"<td>{check_words}</td>"):]
    return row[:row.index("</tr>")]


def test_an_accepted_register_error_shows_accepted_in_words_on_organisation_and_procurement(
        db, accounts, create_org, create_procurement, login_as):
    security = Actor(accounts["security_officer"], "security_officer", frozenset({"security_officer"}))
    org = create_org(name="Bygg AB")
    procurement = create_procurement()
    procurements.add_participant(db, SYSTEM, procurement, org, "bidder")
    screening.screen_subject(db, SYSTEM, "organisation", org, SETTINGS, ("sanctions",))  # no lists loaded: error
    outcome = outcome_store.latest(db, "organisation", org)[0]
    assert outcome["status"] == "error"

    client = login_as("procurement_officer")
    before_org = client.get(f"/organisations/{org}").get_data(as_text=True)
    before_proc = client.get(f"/procurements/{procurement}").get_data(as_text=True)
    assert "Fel" in _badges(_register_row(before_org, "Sanktions- och uteslutningslistor"))
    assert "Fel godtaget" not in _badges(before_org) and "Fel godtaget" not in _badges(before_proc)

    proposed = checkpoints.override_error(db, security, outcome["id"], "Listorna kontrollerade manuellt")
    # Proposed but not confirmed: the badge must not change yet (four eyes).
    assert "Fel godtaget" not in _badges(client.get(f"/organisations/{org}").get_data(as_text=True))
    foureyes.confirm(db, second(db, "security_officer"), proposed.proposal_id, "Kontrollerat")

    after_org = client.get(f"/organisations/{org}").get_data(as_text=True)
    after_proc = client.get(f"/procurements/{procurement}").get_data(as_text=True)
    row = _register_row(after_org, "Sanktions- och uteslutningslistor")
    assert _badges(row) == ["Fel godtaget"]
    own = after_org[after_org.index('class="screening-line"'):]
    assert "Fel godtaget" in _badges(own[:own.index("</p>")])  # the organisation's own screening line
    assert "Fel godtaget" in _badges(after_proc)  # the participant's screening line
    for page in (after_org, after_proc):
        assert "Utan anmärkning" not in _badges(page)  # an accepted failure is never shown as clear
