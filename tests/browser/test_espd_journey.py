"""The officer imports a supplier's ESPD in Debian's chromium, in Swedish: from the procurement's party list to the
party's ESPD page, a broken file is refused with the reason and nothing is shown as imported; the whole file is
imported and each exclusion criterion's answer appears under its LOU ground."""
from __future__ import annotations

from pathlib import Path

from flask import Flask
from playwright.sync_api import Page, expect

from conftest import PASSWORD
from vetting.db import connect
from vetting.domain import organisations, procurements
from vetting.domain.audit import SYSTEM

from .test_journey import watch_console

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "espd"


def _case(app: Flask) -> tuple[int, int]:
    db = connect(app.config["DATABASE"])
    try:
        with app.app_context():
            pid = procurements.create(db, SYSTEM, {"reference": "UH-2026-0042", "title": "Lokalvård", "phase": "need"})
            org = organisations.create(db, SYSTEM, {"name": "Städbolaget Exempel AB", "country": "SE",
                                                    "identifier_type": "se_orgnr", "identifier": "5566778899"})
            procurements.add_participant(db, SYSTEM, pid, org, "bidder")
    finally:
        db.conn.close()
    return pid, org


def test_officer_uploads_an_espd_and_sees_the_answers_and_a_broken_one_is_refused(
        page: Page, live_app: Flask, live_server: str) -> None:
    pid, _org = _case(live_app)
    problems = watch_console(page)
    page.goto(f"{live_server}/login")
    page.get_by_label("Användarnamn", exact=True).fill("procurement_officer")
    page.get_by_label("Lösenord", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.goto(f"{live_server}/procurements/{pid}")
    page.get_by_role("link", name="ESPD för Städbolaget Exempel AB").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("ESPD och sanningsförsäkran")

    espd = page.locator("#espd")
    espd.get_by_label("ESPD-fil (XML, högst 5 MB)").set_input_files(str(FIXTURES / "espd-4.1.0-truncated.xml"))
    espd.get_by_role("button", name="Importera ESPD:n").click()
    expect(page.get_by_text("ESPD:n importerades inte: ESPD-filen är avbruten")).to_be_visible()
    expect(page.get_by_text("Ingen ESPD har importerats för den här parten.")).to_be_visible()

    espd = page.locator("#espd")
    espd.get_by_label("ESPD-fil (XML, högst 5 MB)").set_input_files(
        str(FIXTURES / "espd-4.1.0-declares-fraud-and-tax.xml"))
    espd.get_by_role("button", name="Importera ESPD:n").click()
    expect(page.get_by_text("ESPD:n importerades; svaren visas nedan.")).to_be_visible()
    table = page.get_by_role("table", name="Leverantörens svar på uteslutningsgrunderna")
    expect(table.get_by_role("rowheader", name="Brott (13 kap. 1 § LOU)")).to_be_visible()
    fraud = table.get_by_role("row").filter(has_text="Fraud")
    expect(fraud).to_contain_text("Ja, uppger grunden")
    expect(fraud).to_contain_text("2023-04-12")
    expect(table.get_by_role("row").filter(has_text="Corruption")).to_contain_text("Nej")
    expect(table.get_by_role("row").filter(has_text="Payment of taxes")).to_contain_text("125000 SEK")
    assert problems == []
