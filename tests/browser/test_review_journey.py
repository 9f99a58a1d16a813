"""Screening review in Debian's chromium: screen a procurement, read the explained hit, dismiss it with a reason;
the dismissal of a hit takes effect when a security officer confirms it (four eyes)."""
from __future__ import annotations

import re
from pathlib import Path

from flask import Flask
from playwright.sync_api import Page, Request, expect

from vetting.db import connect
from vetting.domain import lists, organisations, procurements
from vetting.domain.audit import SYSTEM
from vetting.store import lists as list_store
from vetting.store import reviews as review_store

from .test_journey import sign_in, watch_console

LISTS = Path(__file__).resolve().parents[1] / "fixtures" / "lists"
REFERENCE = "UH-2026-0101"
TITLE = "Humanitära hjälpsändningar"
NAMESAKE = "Test Relief Foundation"  # the UN list has TEST RELIEF FOUNDATION (QDe.901), Pakistan
LISTED = "TEST RELIEF FOUNDATION"
REASON = "Different foundation: registered in Lahore in 2019, board and address differ from the UN entry"


def _seed(app: Flask) -> tuple[int, int, list[tuple[str, str]]]:
    """UN and EU lists loaded; the namesake is a bidder. Returns procurement, organisation, (list, version) pairs."""
    db = connect(app.config["DATABASE"])
    try:
        lists.import_list(db, SYSTEM, "un", [LISTS / "un_consolidated.xml"])
        lists.import_list(db, SYSTEM, "eu", [LISTS / "eu_fsf.xml"])
        organisation_id = organisations.create(db, SYSTEM, {"name": NAMESAKE, "country": "PK"})
        procurement_id = procurements.create(db, SYSTEM, {"reference": REFERENCE, "title": TITLE, "phase": "evaluation"})
        procurements.add_participant(db, SYSTEM, procurement_id, organisation_id, "bidder")
        versions = [(v["source"], v["published"]) for v in list_store.active_versions(db)]
    finally:
        db.conn.close()
    return procurement_id, organisation_id, versions


def _decisions(app: Flask, organisation_id: int) -> list[dict]:
    db = connect(app.config["DATABASE"])
    try:
        return review_store.for_subject(db, "organisation", organisation_id)
    finally:
        db.conn.close()


def test_officer_screens_procurement_and_dismisses_a_namesake_on_the_un_list(
        page: Page, live_app: Flask, live_server: str, output_path: str, new_context) -> None:
    procurement_id, organisation_id, versions = _seed(live_app)
    assert sorted(s for s, _v in versions) == ["eu", "un"] and all(v for _s, v in versions)
    problems = watch_console(page)
    flash = page.locator(".flashes")
    sign_in(page, live_server, "procurement_officer")

    # The procurement page: the bidder is not screened yet; screen the whole chain with one button.
    page.goto(f"{live_server}/procurements/{procurement_id}")
    bidder = page.get_by_role("treeitem").filter(has=page.get_by_role("link", name=NAMESAKE, exact=True))
    badge = bidder.get_by_role("link", name=f"Screening of {NAMESAKE}:")
    expect(badge).to_have_text("Not screened")
    page.get_by_role("button", name="Screen every supplier, subcontractor and key person").click()
    expect(page).to_have_url(re.compile(r"/followup/batches/\d+$"))  # in the background, with its progress page
    expect(page.get_by_role("heading", name="What changed")).to_be_visible()
    page.get_by_role("link", name="Back to the procurement").click()
    expect(page).to_have_url(f"{live_server}/procurements/{procurement_id}#participants")
    expect(badge).to_have_text("Hit")
    expect(badge.locator(".status")).to_have_class(re.compile(r"\bstatus-hit\b"))

    # The subject's screening page: every list consulted with its version, and why the name matched.
    badge.click()
    expect(page).to_have_url(f"{live_server}/screening/organisation/{organisation_id}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Screening: {NAMESAKE}")
    sanctions = page.get_by_role("region", name=re.compile(r"^Sanctions and debarment lists"))
    expect(sanctions.get_by_role("heading", level=2)).to_contain_text("Hit")
    consulted = sanctions.locator("table.evidence tbody tr")
    expect(consulted).to_have_count(len(versions))
    list_names = {"eu": "EU financial sanctions", "un": "UN Security Council"}  # each list by its name, not its code
    for source, published in versions:
        row = consulted.filter(has=page.get_by_role("cell", name=list_names[source], exact=True))
        expect(row).to_have_count(1)
        expect(row.get_by_role("cell").nth(1)).to_have_text(published)
        expect(row.get_by_role("link", name="download")).to_have_attribute("href", re.compile(r"^/screening/evidence/\d+$"))
    un_version = dict(versions)["un"]
    match = sanctions.get_by_role("article", name=LISTED, exact=True)
    expect(match.get_by_role("heading", level=4)).to_contain_text(f"(UN Security Council QDe.901, version {un_version})")
    expect(match.get_by_role("heading", level=4)).to_contain_text("score 1.00")
    expect(match).to_contain_text(f"“{NAMESAKE}” matched the listed name “{LISTED}”.")
    features = match.get_by_role("table", name="How the score was reached")
    expect(features.get_by_role("columnheader")).to_have_text(["Part", "Value", "Weight", "Contribution", "Why"])
    name_row = features.get_by_role("row").filter(has=page.get_by_role("cell", name="Name", exact=True))
    expect(name_row).to_contain_text("name similarity 1.00")
    expect(name_row.get_by_role("cell").nth(3)).to_have_text("+1.00")
    country_row = features.get_by_role("row").filter(has=page.get_by_role("cell", name="Country", exact=True))
    expect(country_row).to_contain_text("Country Pakistan is among the listed countries.")
    identifier_row = features.get_by_role("row").filter(has=page.get_by_role("cell", name="Identifier", exact=True))
    expect(identifier_row).to_contain_text("Identifiers not given on both sides.")

    # The review queue holds the hit.
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Review queue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review queue")
    expect(page.get_by_text("1 match waits for a decision.")).to_be_visible()
    item = page.locator("main section.panel").filter(has=page.get_by_role("link", name=NAMESAKE, exact=True))
    expect(item).to_have_count(1)
    form = item.get_by_role("article", name=LISTED, exact=True).locator("form.decision-form")
    choice = form.get_by_role("group", name="Is the listed party the same entity?")
    reason = form.get_by_label("Reason", exact=True)
    record = form.get_by_role("button", name="Record decision")

    # Without a reason the browser does not send the form at all...
    decide_posts: list[str] = []

    def on_request(request: Request) -> None:
        if request.method == "POST" and "/decide" in request.url:
            decide_posts.append(request.url)

    page.on("request", on_request)
    choice.get_by_label("Not the same entity (dismiss)").check()
    record.click()
    assert reason.evaluate("e => e.validity.valueMissing") is True
    expect(reason).to_be_focused()  # the browser points at the missing field
    expect(page).to_have_url(f"{live_server}/screening/review")
    assert decide_posts == []
    # ...and a reason of blanks only gets past the browser but not the server: nothing is recorded.
    reason.fill("   ")
    with page.expect_response(lambda r: r.request.method == "POST" and "/decide" in r.url) as refused:
        record.click()
    assert refused.value.status == 302
    expect(flash).to_have_text("Choose same or not the same entity, and give a reason.")
    expect(page).to_have_url(f"{live_server}/screening/review")
    expect(page.get_by_text("1 match waits for a decision.")).to_be_visible()
    assert _decisions(live_app, organisation_id) == []
    page.remove_listener("request", on_request)

    # Dismiss with a reason: a hit, so it waits for a security officer's confirmation (four eyes).
    choice.get_by_label("Not the same entity (dismiss)").check()
    reason.fill(REASON)
    record.click()
    expect(flash).to_have_text("Recorded. Four eyes: the decision takes effect when another person confirms it "
                               "under “To confirm”.")
    assert _decisions(live_app, organisation_id) == []
    security = new_context().new_page()
    security_problems = watch_console(security)
    sign_in(security, live_server, "security_officer")
    security.get_by_role("navigation", name="Main menu").get_by_role("link", name="To confirm").click()
    waiting = security.get_by_role("row").filter(has_text="Dismiss a match at or above the hit threshold")
    expect(waiting).to_contain_text(REASON)
    waiting.get_by_role("button", name="Confirm").click()
    expect(security.locator(".flashes")).to_have_text("Confirmed: the decision has taken effect.")
    assert security_problems == []

    # The queue empties.
    page.goto(f"{live_server}/screening/review")
    expect(page.get_by_text("0 matches wait for a decision.")).to_be_visible()
    expect(page.locator("main section.panel")).to_have_count(0)
    decisions = _decisions(live_app, organisation_id)
    assert [(d["decision"], d["list_source"], d["listed_id"], d["reason"], d["decided_by"]) for d in decisions] == [
        ("dismissed", "un", "QDe.901", REASON, "procurement_officer")]

    # The subject page shows the decision, who took it and why, instead of the form.
    page.goto(f"{live_server}/procurements/{procurement_id}")
    badge.click()
    match = page.get_by_role("region", name=re.compile(r"^Sanctions and debarment lists")).get_by_role(
        "article", name=LISTED, exact=True)
    expect(match.locator(".decision")).to_contain_text(f"Decision: Not the same entity — {REASON} (procurement_officer,")
    expect(match.locator("form")).to_have_count(0)

    # Screening again: the dismissed namesake no longer raises a hit while the UN entry is unchanged.
    page.get_by_role("button", name="Screen now").click()
    expect(page.get_by_role("heading", name="What changed")).to_be_visible()
    page.get_by_role("link", name=NAMESAKE, exact=True).click()
    sanctions = page.get_by_role("region", name=re.compile(r"^Sanctions and debarment lists"))
    expect(sanctions.get_by_role("heading", level=2)).to_contain_text("Clear")
    expect(sanctions.get_by_role("article", name=LISTED, exact=True)).to_contain_text(
        "Dismissed earlier for this subject; not raised again while the listed entry is unchanged.")
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Review queue").click()
    expect(page.get_by_text("0 matches wait for a decision.")).to_be_visible()

    page.screenshot(path=Path(output_path) / "review-queue-empty.png", full_page=True)
    assert problems == []
