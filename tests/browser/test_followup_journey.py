"""A list update that adds a person already under contract, in Debian's chromium: the security officer imports the new
UN list and watches the delta re-screen it starts; it raises exactly one alert and opens CP10; the reviewer, in a browser of
their own, sees the change side by side, handles the alert and records the review, which sets the next date."""
from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from flask import Flask
from playwright.sync_api import BrowserContext, Locator, Page, expect

from vetting.db import connect
from vetting.domain import followup, lists, organisations, procurements, screening, workflow
from vetting.domain.audit import SYSTEM
from vetting.store import checkpoints as checkpoint_store
from vetting.store import followup as followup_store
from vetting.store import procurements as procurement_store

from .test_journey import sign_in, watch_console

LISTS = Path(__file__).resolve().parents[1] / "fixtures" / "lists"
REFERENCE = "UH-2026-0400"
TITLE = "Bevakning av kommunhuset"
SUPPLIER = "Vakt & Trygghet AB"
LISTED = "Jan Jansson"  # the supplier's CEO, born 1970, whom the new list version adds
OTHER = "Karin Lund"  # a board member the list does not name
FIRST_REVIEW = "Contract signed; the supplier and its key persons were screened clear."
HANDLING = "Same name and birth year as QDi.999: payments withheld, the supplier asked for identity documents."
CONCLUSION = "New UN listing of the CEO handled under CP10; the other parties are unchanged."
CP10 = "CP10 Event: new hit or changed register fact"


def _new_un_list(tmp_path: Path) -> Path:
    """The UN fixture plus one more listed individual, JAN JANSSON born 1970 (as a new list version would bring)."""
    text = (LISTS / "un_consolidated.xml").read_text(encoding="utf-8")
    entry = ("<INDIVIDUAL><DATAID>9999999</DATAID><VERSIONNUM>1</VERSIONNUM><FIRST_NAME>JAN</FIRST_NAME>"
             "<SECOND_NAME>JANSSON</SECOND_NAME><UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE>"
             "<REFERENCE_NUMBER>QDi.999</REFERENCE_NUMBER><LISTED_ON>2026-11-01</LISTED_ON>"
             "<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><YEAR>1970</YEAR></INDIVIDUAL_DATE_OF_BIRTH>"
             "</INDIVIDUAL>")
    assert text.count("<INDIVIDUALS>") == 1
    path = tmp_path / "consolidated.xml"
    path.write_text(text.replace("<INDIVIDUALS>", "<INDIVIDUALS>" + entry, 1), encoding="utf-8")
    return path


def _seed(app: Flask) -> int:
    """A signed contract: the awarded supplier and two key persons, screened clear against the UN list once, a
    follow-up schedule (medium: every 6 months) with a first review, and the next follow-up due in two weeks."""
    db = connect(app.config["DATABASE"])
    try:
        with app.app_context():
            lists.import_list(db, SYSTEM, "un", [LISTS / "un_consolidated.xml"])
            officer = db.execute("SELECT id FROM users WHERE username = 'procurement_officer'").fetchone()[0]
            procurement_id = procurements.create(db, SYSTEM, {
                "reference": REFERENCE, "title": TITLE, "phase": "need", "protection_level": "sua2",
                "estimated_value": "4 800 000", "responsible_user_id": officer})
            supplier = organisations.create(db, SYSTEM, {"name": SUPPLIER, "country": "SE", "address": "Storgatan 1"})
            procurements.add_participant(db, SYSTEM, procurement_id, supplier, "awarded")
            organisations.add_key_person(db, SYSTEM, supplier, {"name": LISTED, "role": "ceo", "birth_date": "1970"})
            organisations.add_key_person(db, SYSTEM, supplier, {"name": OTHER, "role": "board_member",
                                                                "birth_date": "1982-03-14"})
            procurement_store.update(db, procurement_id, {"phase": "signed"})
            assert screening.screen_procurement(db, SYSTEM, procurement_id, app.config, ("sanctions",)) == 3
            workflow.start_followup_if_signed(db, SYSTEM, procurement_id, app.config)
            followup.review(db, SYSTEM, procurement_id, FIRST_REVIEW)
            soon = (date.today() + timedelta(days=14)).isoformat()
            followup_store.put_schedule(db, procurement_id, "medium", 6, soon)
            assert followup_store.alerts(db) == []
            assert "CP10" not in [c["template_id"] for c in checkpoint_store.for_procurement(db, procurement_id)]
        return procurement_id
    finally:
        db.conn.close()


def flash(page: Page) -> Locator:
    return page.locator(".flashes")


def section(page: Page, heading: str | re.Pattern[str]) -> Locator:
    return page.get_by_role("region", name=heading)


def side_by_side_row(page: Page, name: str) -> Locator:
    return page.locator("table.side-by-side tbody tr").filter(has=page.get_by_role("link", name=name, exact=True))


def test_list_update_adding_a_key_person_raises_one_alert_that_the_reviewer_handles(
        page: Page, new_context: Callable[..., BrowserContext], live_app: Flask, live_server: str,
        tmp_path: Path) -> None:
    procurement_id = _seed(live_app)
    new_list = _new_un_list(tmp_path)
    base = live_server
    next_due = followup.add_months(date.today(), 6).isoformat()

    # The security officer imports the new version of the UN list on the Lists page.
    security = page
    problems = watch_console(security)
    sign_in(security, base, "security_officer")
    security.get_by_role("navigation", name="Main menu").get_by_role("link", name="Lists").click()
    expect(security.get_by_role("heading", level=1)).to_have_text("Sanctions and debarment lists")
    security.get_by_label("List", exact=True).select_option("un")
    security.get_by_label("File(s) from the publisher", exact=True).set_input_files(new_list)
    security.get_by_role("button", name="Import").click()

    # ...and lands on the progress of the delta re-screen (run at once in tests): only the stored subject the new
    # entry resembles is screened again, not the supplier nor the other board member.
    expect(security).to_have_url(re.compile(rf"^{re.escape(base)}/followup/batches/\d+$"))
    expect(flash(security)).to_contain_text(re.compile(r"un: \d+ records imported\."))
    expect(security.get_by_role("heading", level=1)).to_have_text("New version of the list un")
    bar = security.get_by_role("progressbar", name="Progress")
    expect(bar).to_have_attribute("max", "1")  # the CEO the new entry names
    expect(bar).to_have_attribute("value", "1")
    expect(security.locator(".batch-progress [role=status]")).to_have_text("1 / 1 subjects checked — finished")
    counts = security.locator("ul.status-counts li")
    expect(counts).to_have_count(1)
    expect(counts.filter(has=security.locator(".status-hit, .status-possible_match"))).to_have_text(
        re.compile(r"(hit|possible.match)\s+1$", re.I))

    # The reviewer, in a browser of their own: exactly one open alert, naming the person.
    reviewer = new_context().new_page()
    reviewer_problems = watch_console(reviewer)
    sign_in(reviewer, base, "reviewer")
    reviewer.get_by_role("navigation", name="Main menu").get_by_role("link", name="Follow-up").click()
    expect(reviewer.get_by_role("heading", level=1)).to_have_text("Follow-up of signed contracts")
    expect(section(reviewer, "Due within a month (1)")).to_contain_text(REFERENCE)
    alerts = section(reviewer, "Open alerts (1)")
    expect(alerts.get_by_role("listitem")).to_have_count(1)
    alert = alerts.get_by_role("listitem").first
    expect(alert).to_contain_text(re.compile(r"New (hit|possible match): JAN JANSSON \(UN Security Council QDi\.999\)"))
    alert.get_by_role("link", name=REFERENCE, exact=True).click()

    # The contract's follow-up: the alert, and what changed since the last review side by side.
    expect(reviewer).to_have_url(f"{base}/followup/contracts/{procurement_id}#alerts")
    expect(reviewer.get_by_role("heading", level=1)).to_have_text(f"Follow-up: {REFERENCE}")
    contract_alerts = section(reviewer, "Alerts").locator("article")
    expect(contract_alerts).to_have_count(1)
    expect(contract_alerts.first).to_have_class(re.compile(r"\bopen\b"))
    expect(contract_alerts.first).to_contain_text("JAN JANSSON (UN Security Council QDi.999)")
    changed = side_by_side_row(reviewer, LISTED)
    expect(changed).to_have_class(re.compile(r"\bchanged\b"))
    cells = changed.get_by_role("cell")
    expect(cells.nth(1)).to_have_text("Sanctions and debarment lists")
    expect(cells.nth(2).locator(".status")).to_have_text("Clear")  # at the last review
    expect(cells.nth(3).locator(".status")).to_have_text(re.compile(r"^(Hit|Possible match)$"))  # now
    expect(cells.nth(4).locator(".danger").first).to_contain_text("JAN JANSSON (UN Security Council QDi.999)")
    for name in (SUPPLIER, OTHER):
        row = side_by_side_row(reviewer, name)
        expect(row.get_by_role("cell").nth(2).locator(".status")).to_have_text("Clear")
        expect(row.get_by_role("cell").nth(3).locator(".status")).to_have_text("Clear")
        expect(row.get_by_role("cell").nth(4)).to_have_text("no change")

    # CP10 was opened on the contract, and waits for the reviewer.
    reviewer.get_by_role("link", name=f"{REFERENCE}: {TITLE}", exact=True).click()
    expect(reviewer.get_by_role("heading", level=1)).to_have_text(f"{REFERENCE}: {TITLE}")
    cp10 = reviewer.get_by_role("table", name="Checkpoints").get_by_role("row").filter(
        has=reviewer.get_by_role("link", name=CP10, exact=True))
    expect(cp10).to_have_count(1)
    expect(cp10.locator(".cp-state")).to_have_text("To prepare")
    reviewer.get_by_role("navigation", name="Main menu").get_by_role("link", name="My checkpoints").click()
    waiting = section(reviewer, re.compile(r"^Waiting for me")).get_by_role("row").filter(
        has=reviewer.get_by_role("link", name=REFERENCE, exact=True)).filter(
        has=reviewer.get_by_role("link", name=CP10, exact=True))
    expect(waiting).to_have_count(1)
    waiting.get_by_role("link", name=CP10, exact=True).click()
    expect(reviewer.get_by_role("heading", level=1)).to_have_text(
        "CP10: Event: new hit or changed register fact To prepare")

    # Back to the contract's follow-up: handle the alert with a note.
    reviewer.goto(f"{base}/procurements/{procurement_id}")
    reviewer.get_by_role("link", name="Follow-up of the contract").click()
    expect(reviewer.get_by_role("heading", level=1)).to_have_text(f"Follow-up: {REFERENCE}")
    open_alert = section(reviewer, "Alerts").locator("article")
    open_alert.get_by_label("What was done", exact=True).fill(HANDLING)
    open_alert.get_by_role("button", name="Mark handled").click()
    expect(flash(reviewer)).to_have_text("Alert handled.")
    handled = section(reviewer, "Alerts").locator("article")
    expect(handled).to_have_count(1)
    expect(handled).to_have_class(re.compile(r"\bhandled\b"))
    expect(handled).to_contain_text(f"Handled by reviewer: {HANDLING}")
    expect(handled.get_by_role("button", name="Mark handled")).to_have_count(0)

    # Record the review: the next follow-up is set from the interval (medium: 6 months).
    review = section(reviewer, "Record the review")
    review.get_by_label("Conclusion of the review", exact=True).fill(CONCLUSION)
    review.get_by_role("button", name="Record review and set the next date").click()
    expect(flash(reviewer)).to_have_text(f"Review recorded. Next follow-up: {next_due}.")
    expect(section(reviewer, "Schedule")).to_contain_text(f"Next follow-up: {next_due} (every 6 months).")
    expect(reviewer.locator("main")).to_contain_text(f"reviewer: {CONCLUSION} (next {next_due})")
    expect(side_by_side_row(reviewer, LISTED).get_by_role("cell").nth(4)).to_have_text("no change")  # reviewed now

    # The overview: no open alert; the contract is no longer due this month.
    reviewer.get_by_role("navigation", name="Main menu").get_by_role("link", name="Follow-up").click()
    expect(section(reviewer, "Open alerts (0)")).to_contain_text("No open alerts.")
    expect(section(reviewer, "Due within a month (0)")).to_be_visible()
    later = section(reviewer, "Later").get_by_role("row").filter(
        has=reviewer.get_by_role("link", name=REFERENCE, exact=True))
    expect(later).to_contain_text(next_due)

    db = connect(live_app.config["DATABASE"])
    try:
        assert len(followup_store.alerts(db, open_only=False)) == 1
        assert [c["template_id"] for c in checkpoint_store.for_procurement(db, procurement_id)].count("CP10") == 1
    finally:
        db.conn.close()
    assert problems == [] and reviewer_problems == []
