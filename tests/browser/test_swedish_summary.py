"""The summary per control area as an officer sees it (Swedish): organisation page, procurement page and the
PDF's first page, each written as a screenshot under the test output directory; forms keep what was typed."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

from flask import Flask
from playwright.sync_api import Page, expect

from conftest import PASSWORD
from vetting.db import connect
from vetting.domain import manual, organisations, procurements
from vetting.domain.audit import SYSTEM


def _sign_in_swedish(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/login")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    expect(page).to_have_url(f"{base_url}/")


def _case(app: Flask) -> tuple[int, int]:
    """An organisation whose Kronofogden answer shows debts, in a procurement."""
    db = connect(app.config["DATABASE"])
    try:
        org = organisations.create(db, SYSTEM, {"name": "Skuldbolaget i Luleå AB", "country": "SE",
                                                "identifier_type": "se_orgnr", "identifier": "5566778899"})
        manual.record_answer(db, SYSTEM, "organisation", org, "se.kronofogden",
                             {"has_debts": "yes", "public_claims": "1 234,50", "reply_date": "2026-11-02"}, None)
        pid = procurements.create(db, SYSTEM, {"reference": "UH-2026-0777", "title": "Snöröjning", "currency": "SEK",
                                               "protection_level": "none", "phase": "need"})
        procurements.add_participant(db, SYSTEM, pid, org, "bidder")
    finally:
        db.conn.close()
    return org, pid


def _area_row(page: Page, area: str):
    return page.locator("table.areas tr", has=page.get_by_role("rowheader", name=area))


def test_summary_per_control_area_on_both_pages_and_the_pdf(page: Page, live_app: Flask, live_server: str,
                                                             output_path: str) -> None:
    org, pid = _case(live_app)
    out = Path(output_path)
    out.mkdir(parents=True, exist_ok=True)
    _sign_in_swedish(page, live_server, "procurement_officer")
    for url, name in ((f"/organisations/{org}", "organisation-areas.png"), (f"/procurements/{pid}", "procurement-areas.png")):
        page.goto(live_server + url)
        expect(page.get_by_role("heading", name="Sammanfattning per kontrollområde")).to_be_visible()
        debts = _area_row(page, "Skulder och ekonomi")
        expect(debts).to_contain_text("Observera")  # debts in a manual answer are never green
        expect(debts).to_contain_text(re.compile(r"\d{4}-\d{2}-\d{2}"))
        expect(_area_row(page, "Skatter och avgifter")).to_contain_text("Ej kontrollerad")
        page.locator("#areas").screenshot(path=out / name)
        assert (out / name).stat().st_size > 3_000
    response = page.request.get(f"{live_server}/reports/procurements/{pid}.pdf")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf = out / "report.pdf"
    pdf.write_bytes(response.body())
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, check=True,
                           timeout=120).stdout.decode()
    assert "Sammanfattning per kontrollområde" in first and "Skulder och ekonomi" in first and "Observera" in first
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(out / "report-first-page")], check=True, timeout=120)
    assert (out / "report-first-page.png").stat().st_size > 5_000


def test_an_unclear_amount_is_refused_and_the_typed_values_stay(page: Page, live_app: Flask, live_server: str) -> None:
    _sign_in_swedish(page, live_server, "procurement_officer")
    page.goto(f"{live_server}/procurements/new")
    page.locator("input[name=reference]").fill("UH-2026-0900")
    page.locator("input[name=title]").fill("Fönsterputs")
    page.locator("textarea[name=description]").fill("Putsning två gånger per år.")
    page.locator("input[name=estimated_value]").fill("1,234")
    page.locator("form button[type=submit].primary").click()
    expect(page.get_by_text(re.compile("kan betyda två olika belopp"))).to_be_visible()
    expect(page.locator("input[name=reference]")).to_have_value("UH-2026-0900")
    expect(page.locator("input[name=title]")).to_have_value("Fönsterputs")
    expect(page.locator("textarea[name=description]")).to_have_value("Putsning två gånger per år.")
    expect(page.locator("input[name=estimated_value]")).to_have_value("1,234")
