"""A Swedish supplier read from its annual report, in Debian's chromium: the officer screens the supplier, whose
annual report comes from a Bolagsverket-like server on 127.0.0.1; the page shows the key figures as a chart and a
table; the officer accepts the offered board member and CEO as key persons (leaving the vice VD out) and screens
again, and both are screened."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from conftest import PASSWORD, ROLES, make_app
from annual_report_server import FakeBolagsverket, fixture_zip, serve, single
from vetting.db import connect
from vetting.domain import lists, organisations, users
from vetting.domain.audit import SYSTEM
from vetting.store import register_settings

from .test_journey import sign_in, watch_console

LISTS = Path(__file__).resolve().parents[1] / "fixtures" / "lists"
DOC = "4eaa2201-7ad0-4de4-9b2d-1f5f952b74d9_paket"


@pytest.fixture
def registers() -> Iterator[str]:
    fake = FakeBolagsverket()
    fake.listing = (200, single(DOC, "2019-12-31", "2020-07-02"))
    fake.document(DOC, fixture_zip("k2-2017_wolters-kluwer.xhtml"))
    with serve(fake) as base:
        yield base


@pytest.fixture
def live_app(tmp_path: Path, registers: str) -> Flask:
    """The app with every Swedish supplier's register (Bolagsverket, Arbetsmiljöverket, VIES) on the local server."""
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True, REGISTER_URLS=(
        f"se.bolagsverket={registers}/api", f"se.bolagsverket.token={registers}/token",
        f"se.arbetsmiljoverket={registers}/amv", f"eu.vies={registers}/vies", f"eu.vies.soap={registers}/vies-soap"))
    db = connect(app.config["DATABASE"])
    try:
        with app.app_context():
            for role in ROLES:
                users.create_user(db, SYSTEM, username=role, password=PASSWORD, roles=[role],
                                  display_name=role.replace("_", " ").title(), hash_method="pbkdf2:sha256:1000")
            lists.import_list(db, SYSTEM, "un", [LISTS / "un_consolidated.xml"])
            register_settings.put(db, "se.bolagsverket", "client_id", "vetting", False, "admin")
            register_settings.put(db, "se.bolagsverket", "client_secret", "s3cret", True, "admin")
            organisations.create(db, SYSTEM, {"name": "Fixturbygg AB", "country": "SE", "address": "Storgatan 1",
                                              "identifier_type": "se_orgnr", "identifier": "5566778899"})
    finally:
        db.conn.close()
    return app


def screen(page: Page, base: str) -> None:
    """Screen now: the work runs in the background (at once in tests); back to the supplier when it is done."""
    page.get_by_role("button", name="Screen the organisation and its key persons").click()
    page.wait_for_url("**/batches/**")
    page.goto(f"{base}/organisations/1")


def test_officer_reads_the_annual_report_and_accepts_the_signers(page: Page, live_server: str) -> None:
    problems = watch_console(page)
    sign_in(page, live_server, "procurement_officer")
    page.goto(f"{live_server}/organisations/1")
    expect(page.get_by_text("No annual report has been read yet")).to_be_visible()
    screen(page, live_server)
    figures = page.locator("#key-figures")
    expect(figures.get_by_role("heading", name="Key figures from the annual reports")).to_be_visible()
    expect(page.locator("#key-figures-chart")).to_be_visible()
    expect(page.locator("#key-figures-chart rect")).to_have_count(4)  # revenue and result, two fiscal years
    rows = figures.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("2019-01-01 – 2019-12-31")
    expect(rows.first).to_contain_text("2,919,157")
    expect(rows.first).to_contain_text("80.7 %")
    offer = page.locator("form", has=page.get_by_role("button", name="Add the chosen persons"))
    expect(offer.get_by_label("Simon Testström", exact=False)).to_be_checked()
    offer.get_by_label("Marcus Provlund", exact=False).uncheck()
    expect(offer.get_by_label("Greta Fixtursson", exact=False)).to_be_checked()
    offer.get_by_role("button", name="Add the chosen persons").click()
    expect(page.locator(".flashes")).to_contain_text("2 key persons added")
    people = page.locator("#key-persons table tbody tr")
    expect(people).to_have_count(2)
    expect(people.filter(has_text="Simon Testström")).to_contain_text("CEO")
    expect(people.filter(has_text="Greta Fixtursson")).to_contain_text("Board member")
    expect(people.filter(has_text="Greta Fixtursson")).to_contain_text("Not screened")
    screen(page, live_server)
    for name in ("Simon Testström", "Greta Fixtursson"):
        row = page.locator("#key-persons table tbody tr").filter(has_text=name)
        # Screened: the sanctions lists answered (the manual registers still wait for the officer).
        expect(row).not_to_contain_text("Not screened")
        expect(row.locator(".status")).not_to_have_class("status status-none")
    expect(page.locator("#key-persons table")).not_to_contain_text("Marcus Provlund")  # left out: still on offer
    assert problems == []
