"""Dashboard and search in Debian's chromium: charts with their tables and the seeded numbers; search from the
header; the personnummer lookup never puts the number in the address or the page. CSP stays strict here."""
from __future__ import annotations

import json
import re
from datetime import date

from flask import Flask
from playwright.sync_api import Page, expect

from vetting.db import connect
from vetting.domain import organisations, procurements
from vetting.domain.audit import SYSTEM
from vetting.domain.followup import add_months

from .test_journey import sign_in, watch_console

PNR = "19700312-1238"


def _outcome(db, subject_id: int, status: str, check: str, created_at: str, findings=()) -> None:
    db.execute("INSERT INTO outcomes (subject_kind, subject_id, check_id, check_version, status, reason, findings,"
               " explanation, run_by, created_at) VALUES ('organisation', ?, ?, '1', ?, ?, ?, '[]', 'test', ?)",
               [subject_id, check, status, "timeout" if status == "error" else None, json.dumps(list(findings)),
                created_at])


def seed(app: Flask) -> dict[str, str]:
    """Four running contracts (two for joint review, one basic, one not assessed), two checks in error, hits in two months."""
    db = connect(app.config["DATABASE"])
    this_month = date.today().strftime("%Y-%m")
    last_month = add_months(date.today().replace(day=1), -1).strftime("%Y-%m")
    try:
        orgs = [organisations.create(db, SYSTEM, {"name": name, "country": "SE"})
                for name in ("Norrlands Bygg AB", "Norrskydd AB", "Söderbolaget AB")]
        organisations.add_key_person(db, SYSTEM, orgs[0], {"name": "Lars Öberg", "role": "ceo", "personnummer": PNR})
        for n, level in enumerate(("joint_review", "joint_review", "basic_done", None)):
            pid = procurements.create(db, SYSTEM, {"reference": f"UH-2026-010{n}", "title": f"Avtal {n}", "phase": "need"})
            db.execute("UPDATE procurements SET phase = 'active' WHERE id = ?", [pid])
            if level:
                db.execute("INSERT INTO risk_assessments (procurement_id, organisation_id, model_version, model_sha256,"
                           " level, total, multiplier, results, reasons, facts, prepared_by, created_at)"
                           " VALUES (?, ?, '1', 'x', ?, 1, 1, '[]', '[]', '{}', 'test', '2026-01-01')",
                           [pid, orgs[n % 3], level])
        _outcome(db, orgs[0], "error", "se.bolagsverket", f"{this_month}-01T08:00:00+00:00")
        _outcome(db, orgs[1], "error", "se.bolagsverket", f"{this_month}-01T08:00:00+00:00")
        listed = {"code": "sanctions.listed", "value": {"list": "un", "listed_id": "QDe.1", "score": 0.97},
                  "detail": "", "evidence": 0}
        _outcome(db, orgs[2], "hit", "sanctions", f"{last_month}-03T08:00:00+00:00", [listed])
        _outcome(db, orgs[1], "hit", "sanctions", f"{this_month}-01T09:00:00+00:00", [listed])
        _outcome(db, orgs[2], "hit", "sanctions", f"{this_month}-01T09:00:00+00:00", [listed])
    finally:
        db.conn.close()
    return {"this_month": this_month, "last_month": last_month}


def table_rows(page: Page, caption: str) -> list[list[str]]:
    """The cells of the table with this caption, row by row (the table sits in a closed <details>)."""
    table = page.locator("table").filter(has=page.locator("caption", has_text=caption))
    return table.locator("tbody tr").evaluate_all(
        "rows => rows.map(r => Array.from(r.children).map(c => c.textContent.trim()))")


def test_security_officer_reads_the_dashboard_charts_and_their_numbers(page: Page, live_app: Flask,
                                                                       live_server: str) -> None:
    months = seed(live_app)
    problems = watch_console(page)
    sign_in(page, live_server, "security_officer")
    page.goto(f"{live_server}/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")

    risk = page.get_by_role("region", name="Contracts by risk level")
    expect(risk.get_by_role("img", name="Signed and running contracts by level of control")).to_be_visible()
    assert table_rows(page, "Signed and running contracts by level of control") == [
        ["Exclusion assessment", "0"], ["Joint review", "2"], ["Deepened check", "0"], ["Basic check done", "1"],
        ["Not assessed", "1"]]
    risk.get_by_text("Numbers in the chart").click()  # the table opens for everyone who wants the figures
    expect(risk.get_by_role("table")).to_be_visible()

    errors = page.get_by_role("region", name="Checks in error")
    expect(errors.get_by_role("img", name="Checks in error per register")).to_be_visible()
    expect(errors.locator("[data-count=errors]")).to_have_text("2")
    assert [row[1] for row in table_rows(page, "Checks in error per register")] == ["2"]

    hits = page.get_by_role("region", name="Hits by list per month")
    expect(hits.get_by_role("img", name=re.compile("^Subjects with a hit per list and month"))).to_be_visible()
    expect(hits.locator("rect.chart-bar")).to_have_count(2 + 1)  # two months with a bar, plus the legend swatch
    rows = {row[0]: row[1:] for row in table_rows(page, "Subjects with a hit per list and month")}
    assert len(rows) == 12
    # The table names each month in words ("November 2026"), as the English UI writes it.
    in_words = {key: date.fromisoformat(f"{value}-01").strftime("%B %Y") for key, value in months.items()}
    assert rows[in_words["last_month"]] == ["1", "1"] and rows[in_words["this_month"]] == ["2", "2"]

    expect(page.get_by_role("region", name="Open possible matches").locator("[data-count=open]")).to_have_text("0")
    assert problems == []


def test_reviewer_dashboard_has_no_panels_for_other_roles(page: Page, live_app: Flask, live_server: str) -> None:
    seed(live_app)
    sign_in(page, live_server, "reviewer")
    expect(page.get_by_role("region", name="Follow-ups due")).to_be_visible()  # on the start page itself
    expect(page.get_by_role("region", name="Hits by list per month")).to_have_count(0)
    expect(page.get_by_role("region", name="Open possible matches")).to_have_count(0)


def test_search_from_the_header_finds_each_kind_and_links_to_it(page: Page, live_app: Flask, live_server: str) -> None:
    seed(live_app)
    problems = watch_console(page)
    sign_in(page, live_server, "procurement_officer")
    page.get_by_role("searchbox", name="Search procurements, organisations and persons").fill("norr")
    page.get_by_role("search", name="Site search").get_by_role("button", name="Search").click()
    expect(page).to_have_url(f"{live_server}/search/?q=norr")
    expect(page.get_by_role("heading", level=2, name="Organisations (2)")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Procurements (0)")).to_be_visible()
    page.get_by_role("searchbox", name="Name, identifier or reference").fill("öberg 1970")
    page.get_by_role("search", name="Search records").get_by_role("button", name="Search").click()
    people = page.get_by_role("region", name="Persons (1)")
    expect(people).to_contain_text("born 1970")
    people.get_by_role("link", name="Lars Öberg").click()
    expect(page).to_have_url(f"{live_server}/persons/1")
    assert problems == []


def test_a_typed_personnummer_is_not_searched_and_the_lookup_is_posted(page: Page, live_app: Flask,
                                                                       live_server: str) -> None:
    seed(live_app)
    sign_in(page, live_server, "security_officer")
    page.get_by_role("searchbox", name="Search procurements, organisations and persons").fill(PNR)
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server}/search/?notice=personnummer")
    expect(page.get_by_role("status").filter(has_text="looked like a personnummer")).to_be_visible()

    lookup = page.get_by_role("region", name="Find a person by personnummer")
    lookup.get_by_label("Personnummer or samordningsnummer").fill(PNR)
    lookup.get_by_role("button", name="Look up").click()
    expect(page).to_have_url(f"{live_server}/search/personnummer")
    expect(page.get_by_role("region", name="Find a person by personnummer").get_by_role(
        "link", name="Lars Öberg")).to_be_visible()
    expect(page.get_by_label("Personnummer or samordningsnummer")).to_have_value("")
    assert "1238" not in page.content()
