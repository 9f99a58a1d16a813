"""A procurement officer's journey in Debian's chromium: real forms (CSRF on), labels, keyboard, CSP."""
from __future__ import annotations

import re
from pathlib import Path

from flask import Flask
from playwright.sync_api import ConsoleMessage, Page, expect

from conftest import PASSWORD
from vetting.db import connect
from vetting.domain import procurements
from vetting.domain.audit import SYSTEM

REFERENCE = "UH-2026-0042"
TITLE = "Ombyggnad av kommunhuset"
BIDDER = "Byggbolaget Norrland AB"
SUBCONTRACTOR = "Fjordbygg AS"
KEY_PERSON = "Anna Andersson"
PERSONNUMMER = "19700312-1238"

# Chromium reports CSP violations on the console itself; this makes sure each one also shows up
# there with a recognisable prefix (init scripts run outside the page's CSP).
REPORT_CSP = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline"));
});
"""


def watch_console(page: Page) -> list[str]:
    """Collect console errors, CSP violations and uncaught page errors."""
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        url = message.location.get("url") or ""
        if message.type == "error" or "Content Security Policy" in message.text:
            problems.append(f"console.{message.type}: {message.text} ({url})")

    page.add_init_script(REPORT_CSP)
    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    return problems


def use_english(page: Page) -> None:
    """Switch the UI to English with the header button, if it is not English already."""
    if page.locator("html").get_attribute("lang") != "en":
        page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def sign_in(page: Page, base_url: str, username: str) -> None:
    """Sign in through the form, in English, using the labelled fields only."""
    page.goto(f"{base_url}/login")
    use_english(page)
    page.get_by_label("User name", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base_url}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")  # the choice survives signing in


def test_officer_registers_procurement_with_bidder_subcontractor_and_key_person(
        page: Page, live_server: str, output_path: str) -> None:
    problems = watch_console(page)
    sign_in(page, live_server, "procurement_officer")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Procurement Officer")

    # A new procurement.
    page.get_by_role("link", name="New procurement").click()
    page.get_by_label("Reference number (diarienummer)", exact=True).fill(REFERENCE)
    page.get_by_label("Title", exact=True).fill(TITLE)
    page.get_by_label("CPV code", exact=True).fill("45000000-7")
    page.get_by_label("Estimated value", exact=True).fill("1 250 000")
    page.get_by_label("Security protection level", exact=True).select_option(label="SUA level 2")
    page.get_by_role("button", name="Save").click()

    expect(page).to_have_url(re.compile(rf"^{re.escape(live_server)}/procurements/\d+$"))
    procurement_url = page.url
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{REFERENCE}: {TITLE}")
    expect(page.get_by_role("status")).to_contain_text(f"Procurement {REFERENCE} created.")
    expect(page.locator(".facts")).to_contain_text("SUA level 2")
    expect(page.locator(".facts")).to_contain_text("1,250,000\u00a0SEK")
    expect(page.locator(".facts")).to_contain_text("45000000-7")

    # The bidder, a new organisation.
    form = page.locator("#add-participant")
    expect(form.get_by_label("Role in the procurement", exact=True)).to_have_value("bidder")
    form.get_by_label("Name", exact=True).fill(BIDDER)
    form.get_by_label("Country (ISO code)", exact=True).fill("SE")
    form.get_by_label("Identifier type", exact=True).select_option(label="Swedish organisation number")
    form.get_by_label("Identifier", exact=True).fill("556677-8899")
    form.get_by_role("button", name="Add", exact=True).click()

    expect(page).to_have_url(f"{procurement_url}#participants")
    expect(page.get_by_role("status")).to_contain_text("Participant added.")
    bidder = page.get_by_role("treeitem").filter(has=page.get_by_role("link", name=BIDDER, exact=True))
    expect(bidder).to_have_attribute("aria-level", "1")
    expect(bidder).to_contain_text("Bidder")
    expect(bidder).to_contain_text("556677-8899")

    # A Norwegian subcontractor under the bidder, with 20 % of the contract value.
    bidder.get_by_role("link", name=f"Add subcontractor under {BIDDER}").click()
    expect(page).to_have_url(re.compile(r"\?parent=\d+#add-participant$"))
    expect(form.get_by_label("Role in the procurement", exact=True)).to_have_value("subcontractor")
    expect(form.get_by_label("Subcontractor under", exact=True).locator("option:checked")).to_have_text(BIDDER)
    form.get_by_label("Share of contract value (%)", exact=True).fill("20")
    form.get_by_label("Name", exact=True).fill(SUBCONTRACTOR)
    form.get_by_label("Country (ISO code)", exact=True).fill("NO")
    form.get_by_label("Identifier type", exact=True).select_option(label="Norwegian organisation number")
    form.get_by_label("Identifier", exact=True).fill("987654325")
    form.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Participant added.")

    # A key person of the bidder, on the organisation page.
    bidder.get_by_role("link", name="Add key person").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(BIDDER)
    expect(page).to_have_url(re.compile(r"/organisations/\d+#key-persons$"))
    page.get_by_label("Name", exact=True).fill(KEY_PERSON)
    page.get_by_label("Role", exact=True).select_option(label="CEO")
    page.get_by_label("Personnummer or samordningsnummer", exact=True).fill(PERSONNUMMER)
    page.get_by_role("button", name="Add key person").click()
    expect(page.get_by_role("status")).to_contain_text(f"{KEY_PERSON} added.")
    expect(page.locator("#key-persons table")).to_contain_text("19700312-****")
    assert PERSONNUMMER not in page.content()

    # Back to the procurement through the organisation's list of procurements.
    page.get_by_role("link", name=REFERENCE, exact=True).click()
    expect(page).to_have_url(procurement_url)

    tree = page.get_by_role("tree", name="Suppliers and subcontractors")
    items = tree.get_by_role("treeitem")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_have_attribute("aria-level", "1")
    expect(items.nth(0).locator(".org-name")).to_have_text(BIDDER)
    subcontractor = items.nth(1)  # parents come first; the level says what it sits under
    expect(subcontractor).to_have_attribute("aria-level", "2")
    expect(subcontractor.locator(".org-name")).to_have_text(SUBCONTRACTOR)
    expect(subcontractor).to_contain_text("Subcontractor")
    expect(subcontractor).to_contain_text("987 654 325")
    expect(subcontractor).to_contain_text("20 % of contract value")

    key_persons = page.get_by_role("list", name=f"Key persons of {BIDDER}")
    expect(key_persons).to_contain_text(KEY_PERSON)
    expect(key_persons).to_contain_text("CEO")
    expect(key_persons.locator(".pnr")).to_have_text("19700312-****")
    html = page.content()
    for full in (PERSONNUMMER, PERSONNUMMER.replace("-", ""), "7003121238"):
        assert full not in html, f"full personnummer {full!r} in the procurement page"

    screenshot = Path(output_path) / "procurement-page.png"
    page.screenshot(path=screenshot, full_page=True)
    assert screenshot.is_file() and screenshot.stat().st_size > 10_000

    assert problems == []


def test_keyboard_only_sign_in_starting_from_the_skip_link(page: Page, live_server: str) -> None:
    problems = watch_console(page)
    page.goto(f"{live_server}/login")
    username = page.locator("input[name=username]")
    password = page.locator("input[name=password]")
    skip_link = page.locator("a.skip-link")
    expect(username).to_be_focused()  # autofocus

    # Tab on until focus leaves the page (after the last control); the next Tab lands on the
    # first focusable element of the page, which must be the skip link.
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement === document.body || document.activeElement === null"):
            break
    else:
        raise AssertionError("Tab never left the last control of the sign-in page")
    page.keyboard.press("Tab")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_have_attribute("href", "#main")
    box = skip_link.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0 and box["width"] > 0, "focused skip link is off screen"

    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    page.keyboard.press("Tab")
    expect(username).to_be_focused()
    page.keyboard.type("procurement_officer")
    page.keyboard.press("Tab")
    expect(password).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")

    expect(page).to_have_url(f"{live_server}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Procurement Officer")
    assert problems == []


def test_invalid_swedish_organisation_number_is_explained_next_to_the_field(
        page: Page, live_app: Flask, live_server: str, output_path: str) -> None:
    db = connect(live_app.config["DATABASE"])
    try:
        procurement_id = procurements.create(db, SYSTEM, {"reference": "UH-2026-0007", "title": "Städtjänster",
                                                          "phase": "need"})
    finally:
        db.conn.close()
    sign_in(page, live_server, "procurement_officer")
    page.goto(f"{live_server}/procurements/{procurement_id}")

    form = page.locator("#add-participant")
    form.get_by_label("Role in the procurement", exact=True).select_option(label="Bidder")
    form.get_by_label("Share of contract value (%)", exact=True).fill("15")
    form.get_by_label("Name", exact=True).fill("Felskrivet AB")
    form.get_by_label("Country (ISO code)", exact=True).fill("SE")
    form.get_by_label("Identifier type", exact=True).select_option(label="Swedish organisation number")
    form.get_by_label("Identifier", exact=True).fill("556677-8898")
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/participants")) as posted:
        form.get_by_role("button", name="Add", exact=True).click()
    assert posted.value.status == 400

    identifier = form.get_by_label("Identifier", exact=True)
    expect(form.get_by_role("alert")).to_have_text("Please correct the fields marked below.")
    expect(identifier).to_have_attribute("aria-invalid", "true")
    expect(identifier).to_have_accessible_description(re.compile(r"556677-8898.*not a valid Swedish organisation number"
                                                                 r".*check digit"))
    error = form.locator("#identifier-error")
    expect(error).to_be_visible()
    # Next to the field: right below the input, inside the same field group.
    field_box, error_box = identifier.bounding_box(), error.bounding_box()
    assert field_box and error_box and 0 <= error_box["y"] - (field_box["y"] + field_box["height"]) < 40

    # Everything typed is still there.
    expect(identifier).to_have_value("556677-8898")
    expect(form.get_by_label("Name", exact=True)).to_have_value("Felskrivet AB")
    expect(form.get_by_label("Country (ISO code)", exact=True)).to_have_value("SE")
    expect(form.get_by_label("Identifier type", exact=True)).to_have_value("se_orgnr")
    expect(form.get_by_label("Share of contract value (%)", exact=True)).to_have_value("15")
    expect(form.get_by_label("Role in the procurement", exact=True)).to_have_value("bidder")
    expect(page.get_by_role("treeitem")).to_have_count(0)
    page.screenshot(path=Path(output_path) / "participant-error.png", full_page=True)
