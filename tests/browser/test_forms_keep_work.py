"""Forms never lose work and never guess: each is submitted with bad input in a real browser (Swedish UI) and
the Swedish message is shown beside the field while every value typed is still in the form."""
from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from conftest import PASSWORD
import factories
from vetting.db import connect
from vetting.domain import procurements


@pytest.fixture
def records(live_app: Flask) -> Iterator[dict[str, int]]:
    """A procurement with a bidder holding 40 % of the contract value."""
    db = connect(live_app.config["DATABASE"])
    try:
        pid = factories.procurement(db, reference="UH-2026-0321", title="Vinterväghållning")
        org = factories.organisation(db, name="Plogbolaget i Kiruna AB")
        from vetting.domain.audit import SYSTEM

        bidder = procurements.add_participant(db, SYSTEM, pid, org, "bidder", share_percent=40.0)
        yield {"procurement": pid, "bidder": bidder}
    finally:
        db.conn.close()


def _sign_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/login")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    expect(page).to_have_url(f"{base_url}/")


def _fill(page: Page, values: dict[str, str]) -> None:
    for name, value in values.items():
        field = page.locator(f"[name={name}]")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)


def _still_there(page: Page, values: dict[str, str]) -> None:
    for name, value in values.items():
        expect(page.locator(f"[name={name}]")).to_have_value(value)


def test_a_wrong_cpv_check_digit_is_refused_and_everything_typed_stays(page: Page, live_server: str) -> None:
    _sign_in(page, live_server, "procurement_officer")
    page.goto(f"{live_server}/procurements/new")
    typed = {"reference": "UH-2026-0901", "title": "Städning av regionkontoren", "cpv_code": "90910000-1",
             "description": "Daglig städning, fönsterputs två gånger per år.", "category": "Städ",
             "estimated_value": "1 250 000"}
    _fill(page, typed)
    page.locator("form button[type=submit].primary").click()
    expect(page.locator("#cpv_code-error")).to_contain_text("Kontrollsiffran för CPV-koden 90910000 är 9, inte 1")
    _still_there(page, typed)


def test_a_subcontractor_share_above_its_parents_is_refused_and_the_form_keeps_it(
        page: Page, live_server: str, records: dict[str, int]) -> None:
    _sign_in(page, live_server, "procurement_officer")
    page.goto(f"{live_server}/procurements/{records['procurement']}?parent={records['bidder']}")
    typed = {"share_percent": "55,5", "name": "Underentreprenören i Gällivare AB", "country": "SE"}
    _fill(page, typed)
    page.locator("#add-participant button[type=submit]").click()
    expect(page.locator("#share_percent-error")).to_contain_text("är större än andelen för parten ovanför (40 %)")
    _still_there(page, {**typed, "role": "subcontractor", "parent_id": str(records["bidder"])})


def test_a_share_above_100_percent_is_refused_and_kept(page: Page, live_server: str, records: dict[str, int]) -> None:
    _sign_in(page, live_server, "procurement_officer")
    page.goto(f"{live_server}/procurements/{records['procurement']}")
    typed = {"share_percent": "120", "name": "Storbolaget AB", "country": "SE"}
    _fill(page, typed)
    page.locator("#add-participant button[type=submit]").click()
    expect(page.locator("#share_percent-error")).to_contain_text("100")
    _still_there(page, typed)


@pytest.mark.parametrize("interval", ["0", "-3", "999", "1.5"])
def test_the_follow_up_interval_refuses_zero_negative_and_absurd_values(
        page: Page, live_server: str, records: dict[str, int], interval: str) -> None:
    _sign_in(page, live_server, "procurement_officer")
    page.goto(f"{live_server}/followup/contracts/{records['procurement']}")
    typed = {"risk_level": "high", "interval_months": interval}
    _fill(page, typed)
    page.get_by_role("button", name="Spara uppföljningsplan").click()
    expect(page.locator("#interval_months-error")).to_contain_text(
        re.compile("mellan 1 och 36 månader" if interval != "1.5" else "giltigt heltal"))
    expect(page.get_by_text("Ingen uppföljningsplan är fastställd.")).to_be_visible()  # nothing was saved
    _still_there(page, typed)


ORGANISATION = {"name": "Bygg & Montage i Umeå AB", "country": "SE", "identifier_type": "se_orgnr",
                "identifier": "556036-0793", "address": "Storgatan 12\n903 26 Umeå", "industry_code": "41200",
                "email": "info@byggmontage.example"}


@pytest.mark.parametrize("phone, bank, field, words", [
    ("090-12", "5050-1055", "phone", "inte ett fullständigt telefonnummer"),
    ("ring växeln", "5050-1055", "phone", "inte ett telefonnummer"),
    ("090-12 34 56", "5050-1056", "bank_account", "Kontrollsiffran i ”5050-1056” stämmer inte"),
    ("090-12 34 56", "SE45 5000 0000 0583 9825 7467", "bank_account", "inte ett giltigt IBAN"),
    ("090-12 34 56", "8327-9 123 456 789-0", "bank_account", "anges som IBAN"),
])
def test_phone_and_bank_account_are_checked_and_everything_typed_stays(
        page: Page, live_server: str, phone: str, bank: str, field: str, words: str) -> None:
    _sign_in(page, live_server, "procurement_officer")
    page.goto(f"{live_server}/organisations/new")
    typed = {**ORGANISATION, "phone": phone, "bank_account": bank}
    _fill(page, typed)
    page.locator("form button[type=submit].primary").click()
    expect(page.locator(f"#{field}-error")).to_contain_text(words)
    _still_there(page, typed)


BROKEN_MODEL = 'version = "2026.9"\npublished = "2026-09-01"\nthresholds = { deepened = 10, joint = 20\n'


def test_an_invalid_risk_model_gives_line_and_column_and_keeps_the_text(page: Page, live_server: str) -> None:
    _sign_in(page, live_server, "admin")
    page.goto(f"{live_server}/risk/models")
    page.locator("textarea[name=text]").fill(BROKEN_MODEL)
    page.get_by_role("button", name="Validera och kör om").click()
    expect(page.locator("#text-error")).to_contain_text(re.compile(r"Modellfilen är inte giltig TOML: rad \d+, kolumn \d+"))
    expect(page.locator("textarea[name=text]")).to_have_value(BROKEN_MODEL)


def test_a_model_that_breaks_a_rule_names_the_line_and_keeps_the_text(page: Page, live_server: str) -> None:
    _sign_in(page, live_server, "admin")
    page.goto(f"{live_server}/risk/models")
    text = page.locator("textarea[name=text]").input_value()
    changed = re.sub(r'(?m)^version = ".*"$', 'version = ""', text, count=1)
    assert changed != text
    page.locator("textarea[name=text]").fill(changed)
    page.get_by_role("button", name="Validera och kör om").click()
    expect(page.locator("#text-error")).to_contain_text(re.compile(r"Modellen kan inte användas: \d+ fel, det första på rad \d+"))
    expect(page.locator("#model-problems")).to_have_attribute("lang", "en")
    expect(page.locator("textarea[name=text]")).to_have_value(changed)
