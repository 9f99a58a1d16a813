"""The dashboard's charts as chromium draws them: every label at least 12 px on screen and inside its chart,
month names in Swedish (the measured boxes, not an estimate)."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import Flask
from playwright.sync_api import Page, expect

from conftest import PASSWORD
import factories
from vetting.db import connect


def _data(app: Flask) -> None:
    db = connect(app.config["DATABASE"])
    try:
        now = datetime.now(timezone.utc).isoformat()
        org = factories.organisation(db, name="Diagrambolaget AB")
        for check in ("se.bolagsverket", "se.bolagsverket.arsredovisning", "gb.companies_house"):
            db.execute("INSERT INTO outcomes (subject_kind, subject_id, check_id, check_version, status, reason,"
                       " findings, explanation, run_by, created_at) VALUES ('organisation', ?, ?, '1', 'error',"
                       " 'timeout', '[]', '[]', 'test', ?)", [org, check, now])
        db.execute("INSERT INTO outcomes (subject_kind, subject_id, check_id, check_version, status, reason, findings,"
                   " explanation, run_by, created_at) VALUES ('organisation', ?, 'sanctions', '1', 'hit', NULL, ?, '[]',"
                   " 'test', ?)", [org, '[{"code": "sanctions.listed", "value": {"list": "ofac-sdn", "listed_id": "x",'
                                        ' "score": 0.97}, "detail": "", "evidence": 0}]', now])
    finally:
        db.conn.close()


MEASURE = """() => [...document.querySelectorAll('svg.chart')].flatMap(svg => {
  const box = svg.getBoundingClientRect();
  return [...svg.querySelectorAll('text')].map(t => {
    const r = t.getBoundingClientRect();
    return {chart: svg.id, text: t.textContent.trim(), size: parseFloat(getComputedStyle(t).fontSize),
            scale: box.width / svg.viewBox.baseVal.width,
            inside: r.left >= box.left - 0.5 && r.right <= box.right + 0.5 && r.top >= box.top - 0.5
                    && r.bottom <= box.bottom + 0.5};
  });
})"""


def test_chart_labels_are_12_px_on_screen_inside_the_chart_and_months_in_swedish(
        page: Page, live_app: Flask, live_server: str) -> None:
    _data(live_app)
    page.set_viewport_size({"width": 390, "height": 900})  # a narrow screen: the chart scrolls, it never shrinks
    page.goto(f"{live_server}/login")
    page.locator("input[name=username]").fill("security_officer")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.goto(f"{live_server}/dashboard/")
    expect(page.locator("#chart-hits")).to_be_attached()
    labels = page.evaluate(MEASURE)
    assert {label["chart"] for label in labels} == {"chart-errors", "chart-risk", "chart-hits"}
    for label in labels:
        assert label["size"] * label["scale"] >= 12 - 0.01, label
        assert label["inside"], label
    months = [label["text"] for label in labels if label["chart"] == "chart-hits" and not label["text"].isdigit()]
    assert len(months) == 12 and {"jan.", "dec."} <= set(months) | {m + "." for m in months}, months
