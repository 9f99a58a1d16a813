"""Exports in Debian's chromium: an officer filters the organisations list and downloads exactly those rows."""
from __future__ import annotations

import csv
import io
import re

from flask import Flask
from playwright.sync_api import Page, expect

from vetting.db import connect
from vetting.domain import organisations
from vetting.domain.audit import SYSTEM

from .test_journey import sign_in, watch_console

SWEDISH_BUILDERS = ["Alfa Bygg AB", "Beta Bygg AB"]
OTHERS = [("Gamma Bygg AS", "NO"), ("Delta Städ AB", "SE")]


def _seed(app: Flask) -> None:
    db = connect(app.config["DATABASE"])
    try:
        for name in SWEDISH_BUILDERS:
            organisations.create(db, SYSTEM, {"name": name, "country": "SE"})
        for name, country in OTHERS:
            organisations.create(db, SYSTEM, {"name": name, "country": country})
    finally:
        db.conn.close()


def test_officer_exports_the_filtered_organisations_as_csv(page: Page, live_app: Flask, live_server: str,
                                                            tmp_path) -> None:
    _seed(live_app)
    problems = watch_console(page)
    sign_in(page, live_server, "procurement_officer")
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Organisations").click()
    page.get_by_label("Search name or identifier", exact=True).fill("bygg")
    page.get_by_label("Country", exact=True).select_option("SE")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"q=bygg.*country=SE"))
    expect(page.get_by_role("row")).to_have_count(1 + len(SWEDISH_BUILDERS))

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export CSV").click()
    download = download_info.value
    assert download.suggested_filename == "organisations.csv"
    path = tmp_path / "organisations.csv"
    download.save_as(path)
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig")), delimiter=";"))
    assert [r[1] for r in rows[1:]] == SWEDISH_BUILDERS
    assert problems == []
