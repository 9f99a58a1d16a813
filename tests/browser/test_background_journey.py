""""Screen every supplier…" in Debian's chromium: the request returns at once, the page shows progress while a worker
checks, and ends on the result. The request thread never calls a register (requests are refused meanwhile)."""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask
from playwright.sync_api import Page, expect

from vetting.db import connect
from vetting.domain import followup, lists, organisations, procurements
from vetting.domain.audit import SYSTEM
from vetting.queue import huey
from vetting.store import followup as followup_store

from .test_journey import sign_in, watch_console

LISTS = Path(__file__).resolve().parents[1] / "fixtures" / "lists"
NAMES = ("Byggbolaget Norr AB", "Ställningar Syd AB", "Elteknik Öst AB", "Målericentralen AB")


def _seed(app: Flask) -> int:
    """A procurement with 4 organisations and 6 key persons; the UN list loaded."""
    db = connect(app.config["DATABASE"])
    try:
        lists.import_list(db, SYSTEM, "un", [LISTS / "un_consolidated.xml"])
        pid = procurements.create(db, SYSTEM, {"reference": "UH-2026-0300", "title": "Ombyggnad", "phase": "evaluation"})
        top = None
        for i, name in enumerate(NAMES):
            org = organisations.create(db, SYSTEM, {"name": name, "country": "SE"})
            participant = procurements.add_participant(db, SYSTEM, pid, org, "bidder" if top is None else "subcontractor",
                                                       top)
            top = top or participant
            for j in range(2 if i < 2 else 1):
                organisations.add_key_person(db, SYSTEM, org, {"name": f"Anna{'bcde'[i]}{j} Lind", "role": "ceo",
                                                               "birth_date": f"19{70 + i}"})
        return pid
    finally:
        db.conn.close()


@pytest.fixture
def queued() -> Iterator[None]:
    """A real queue: work waits for a worker (played by the test) instead of running in the request."""
    huey.immediate = False
    yield
    huey.flush()
    huey.immediate = True


def _work(app: Flask, batch_id: int, count: int) -> None:
    """What a worker does: check ``count`` pending subjects of the batch."""
    db = connect(app.config["DATABASE"])
    try:
        pending = [item["id"] for item in followup_store.pending_items(db, batch_id)][:count]
        with app.app_context():
            followup.process_items(db, pending, app.config)
    finally:
        db.conn.close()


def test_screen_all_returns_at_once_shows_progress_and_ends_on_the_result(
        page: Page, live_app: Flask, live_server: str, queued: None, monkeypatch: pytest.MonkeyPatch) -> None:
    pid = _seed(live_app)
    problems = watch_console(page)
    sign_in(page, live_server, "procurement_officer")
    page.goto(f"{live_server}/procurements/{pid}")

    def no_register(*_a: Any, **_k: Any) -> Any:
        raise AssertionError("a register was called on the request thread")

    monkeypatch.setattr(requests.Session, "send", no_register)
    button = page.get_by_role("button", name="Screen every supplier, subcontractor and key person")
    button.click()
    expect(page).to_have_url(re.compile(r"/followup/batches/\d+$"))
    batch_id = int(page.url.rsplit("/", 1)[1])
    status = page.get_by_role("status")
    expect(status).to_contain_text("0 / 10 subjects checked — running")
    expect(page.get_by_role("heading", name="Being checked")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=NAMES[0])).to_contain_text("waiting")

    # Back on the procurement page the button is disabled while the batch runs, and says how far it has come.
    page.goto(f"{live_server}/procurements/{pid}")
    expect(button).to_be_disabled()
    page.get_by_role("link", name="Screening is running: 0 of 10 subjects checked.").click()
    monkeypatch.undo()

    _work(live_app, batch_id, 5)
    expect(status).to_contain_text("5 / 10 subjects checked — running")  # the page polls; no reload by the user
    expect(page.get_by_role("progressbar")).to_have_attribute("value", "5")
    _work(live_app, batch_id, 10)
    expect(page.get_by_role("heading", name="What changed")).to_be_visible()
    expect(status).to_contain_text("10 / 10 subjects checked — finished")
    rows = page.get_by_role("table", name="Subjects in the batch").get_by_role("row")
    expect(rows).to_have_count(11)
    expect(rows.filter(has_text=NAMES[3])).to_contain_text("Needs manual input")  # manual checks wait for answers
    expect(rows.filter(has_text=NAMES[3])).to_contain_text("First check")
    page.get_by_role("link", name="Back to the procurement").click()
    expect(button).to_be_enabled()
    assert problems == []
