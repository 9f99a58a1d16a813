"""Accessibility in Debian's chromium: axe-core (vendored for tests) finds nothing serious or critical on the
main pages, and the search journey works with the keyboard alone.

axe is injected with ``page.add_script_tag``; the page's CSP forbids inline scripts, so this
module's browser contexts bypass CSP (the journeys in the other modules keep checking it).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from vetting.db import connect
from vetting.domain import followup, lists, organisations, procurements, screening
from vetting.domain.audit import SYSTEM
from vetting.store import checkpoints as checkpoint_store

from .test_journey import sign_in

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
LISTS = Path(__file__).resolve().parents[1] / "fixtures" / "lists"
SERIOUS = ("serious", "critical")


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """Contexts of this module let the injected axe script run under the strict CSP."""
    return {**browser_context_args, "bypass_csp": True}


def seed(app: Flask) -> dict[str, int]:
    """A protected procurement in evaluation with a listed namesake (screened: a hit to review), a supplier
    with a key person, a signed contract with a follow-up schedule, and a check in error."""
    db = connect(app.config["DATABASE"])
    try:
        lists.import_list(db, SYSTEM, "un", [LISTS / "un_consolidated.xml"])
        namesake = organisations.create(db, SYSTEM, {"name": "Test Relief Foundation", "country": "PK"})
        supplier = organisations.create(db, SYSTEM, {"name": "Norrlands Bygg AB", "country": "SE",
                                                     "identifier_type": "se_orgnr", "identifier": "5566778899"})
        organisations.add_key_person(db, SYSTEM, supplier, {"name": "Lars Öberg", "role": "ceo",
                                                            "personnummer": "197003121238"})
        pid = procurements.create(db, SYSTEM, {"reference": "UH-2026-0042", "title": "Bevakningstjänster",
                                               "protection_level": "sua2", "phase": "need"})
        procurements.add_participant(db, SYSTEM, pid, namesake, "bidder")
        procurements.add_participant(db, SYSTEM, pid, supplier, "bidder")
        screening.screen_procurement(db, SYSTEM, pid, app.config, ("sanctions",))
        contract = procurements.create(db, SYSTEM, {"reference": "UH-2025-0007", "title": "Städning", "phase": "need"})
        procurements.add_participant(db, SYSTEM, contract, supplier, "awarded")
        db.execute("UPDATE procurements SET phase = 'signed' WHERE id = ?", [contract])
        followup.set_schedule(db, SYSTEM, contract, "high", app.config)
        db.execute("INSERT INTO outcomes (subject_kind, subject_id, check_id, check_version, status, reason, findings,"
                   " explanation, run_by, created_at) VALUES ('organisation', ?, 'se.bolagsverket', '1', 'error',"
                   " 'timeout', '[]', '[]', 'test', '2026-01-01T00:00:00+00:00')", [supplier])
        checkpoint = checkpoint_store.for_procurement(db, pid)[0]["id"]
    finally:
        db.conn.close()
    return {"procurement": pid, "organisation": supplier, "person": 1, "checkpoint": checkpoint, "contract": contract}


def axe_problems(page: Page) -> list[str]:
    """Serious and critical axe violations on the current page, one readable line per element."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {v['help']} at {node['target']}: {node.get('failureSummary', '')}"
            for v in result["violations"] if v["impact"] in SERIOUS for node in v["nodes"]]


PAGES = [  # (role, path pattern, heading) — role None: signed out
    ("procurement_officer", "/", "Welcome"),
    ("security_officer", "/dashboard/", "Dashboard"),
    ("procurement_officer", "/procurements/", "Procurements"),
    ("procurement_officer", "/procurements/{procurement}", "Bevakningstjänster"),
    ("procurement_officer", "/organisations/", "Organisations"),
    ("procurement_officer", "/organisations/{organisation}", "Norrlands Bygg AB"),
    ("security_officer", "/persons/{person}", "Lars Öberg"),
    ("security_officer", "/screening/lists", None),
    ("security_officer", "/screening/review", "Review queue"),
    ("security_officer", "/screening/organisation/{organisation}", None),
    ("procurement_officer", "/checkpoints/", "My checkpoints"),
    ("procurement_officer", "/checkpoints/{checkpoint}", None),
    ("reviewer", "/followup/", None),
    ("reviewer", "/followup/contracts/{contract}", None),
    ("auditor", "/audit/", None),
    ("admin", "/admin/users", None),
    ("security_officer", "/search/?q=norr", "Search"),
    ("procurement_officer", "/import/", None),
]


def test_sign_in_page_has_no_serious_violations(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/login")
    page.get_by_role("button", name="English").click()
    assert axe_problems(page) == []


@pytest.mark.parametrize("role", sorted({role for role, _p, _h in PAGES}))
def test_main_pages_have_no_serious_violations(page: Page, live_app: Flask, live_server: str, role: str) -> None:
    ids = seed(live_app)
    sign_in(page, live_server, role)
    problems = {}
    for page_role, pattern, heading in PAGES:
        if page_role != role:
            continue
        response = page.goto(live_server + pattern.format(**ids))
        assert response is not None and response.status == 200, pattern
        if heading:
            expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        found = axe_problems(page)
        if found:
            problems[pattern] = found
    assert problems == {}


def test_search_journey_with_the_keyboard_only(page: Page, live_app: Flask, live_server: str) -> None:
    ids = seed(live_app)
    sign_in(page, live_server, "reviewer")
    # From the top of the start page, Tab reaches the labelled search box in the header.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement && document.activeElement.id") == "site-search":
            break
    search_box = page.get_by_role("searchbox", name="Search procurements, organisations and persons")
    expect(search_box).to_be_focused()
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") != "none"  # focus is visible
    page.keyboard.type("norrl")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=norrl$"))
    results = page.get_by_role("region", name=re.compile(r"^Organisations"))
    link = results.get_by_role("link", name="Norrlands Bygg AB")
    expect(link).to_be_visible()
    # Tab on to the first organisation found, then Enter follows it.
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement && document.activeElement.textContent") == "Norrlands Bygg AB":
            break
    expect(link).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server}/organisations/{ids['organisation']}")


def test_the_axe_harness_reports_a_known_violation(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/login")
    page.evaluate("() => document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/static/favicon.svg\">')")
    assert any(line.startswith("image-alt (critical)") for line in axe_problems(page))
