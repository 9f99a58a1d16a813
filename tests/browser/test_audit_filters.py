"""Issue 16 item 5 in Debian's chromium: an auditor narrows the audit log by part of a user's name and by a
date range, sees people by name and the change as a table, and the export link carries the same filters."""
from __future__ import annotations

from flask import Flask
from playwright.sync_api import Page, expect

from vetting.db import connect
from vetting.domain import users
from vetting.domain.audit import SYSTEM, Actor, record
from vetting.store import audit as audit_store

from .test_journey import sign_in, watch_console


def seed(app: Flask, monkeypatch) -> None:
    """Karin Holmström changed a title on 3 March 2026; Per Ek signed in on 20 March 2026."""
    db = connect(app.config["DATABASE"])
    try:
        karin = users.create_user(db, SYSTEM, username="kholm", password="tre kaniner i en blå hink",
                                  roles=["reviewer"], display_name="Karin Holmström", hash_method="pbkdf2:sha256:1000")
        per = users.create_user(db, SYSTEM, username="pek", password="tre kaniner i en blå hink", roles=["reviewer"],
                                display_name="Per Ek", hash_method="pbkdf2:sha256:1000")
        monkeypatch.setattr(audit_store, "utcnow", lambda: "2026-03-03T09:15:00.000000+00:00")
        record(db, Actor(karin, "kholm", frozenset({"reviewer"})), "procurement.update", "procurement", 7,
               before={"title": "Städning"}, after={"title": "Städtjänster"})
        monkeypatch.setattr(audit_store, "utcnow", lambda: "2026-03-20T12:00:00.000000+00:00")
        record(db, Actor(per, "pek", frozenset({"reviewer"})), "auth.login", "user", per)
    finally:
        monkeypatch.undo()
        db.conn.close()


def test_auditor_filters_by_part_of_a_name_and_by_dates(page: Page, live_app: Flask, live_server: str,
                                                       monkeypatch) -> None:
    seed(live_app, monkeypatch)
    problems = watch_console(page)
    sign_in(page, live_server, "auditor")
    page.goto(f"{live_server}/audit/")
    log = page.locator("table.audit > tbody")
    expect(log).to_contain_text("Karin Holmström")
    expect(log).to_contain_text("Per Ek")

    page.get_by_label("User (name or part of it)").fill("holm")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(f"{live_server}/audit/?actor=holm&action=&record_type=&record_id=&from=&to=")
    expect(log).to_contain_text("Karin Holmström")
    expect(log).not_to_contain_text("Per Ek")
    changes = log.locator("table.changes")
    expect(changes.locator("th[scope=row]")).to_have_text("Title")
    expect(changes.locator("td")).to_have_text(["Städning", "Städtjänster"])
    expect(log).to_contain_text("Procurement changed")  # the action in words

    page.get_by_label("User (name or part of it)").fill("")
    page.get_by_label("From (day)").fill("2026-03-04")
    page.get_by_label("To (day, included)").fill("2026-03-20")
    page.get_by_role("button", name="Filter").click()
    expect(log).to_contain_text("Per Ek")
    expect(log).not_to_contain_text("Karin Holmström")
    expect(page.get_by_label("From (day)")).to_have_value("2026-03-04")  # the filter stays filled in

    export = page.get_by_role("link", name="Export CSV")
    expect(export).to_have_attribute("href", "/reports/export/audit.csv?actor=&action=&record_type=&record_id="
                                             "&from=2026-03-04&to=2026-03-20")
    assert not problems, problems
