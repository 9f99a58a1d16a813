"""Charts that can be read: the SVG of each chart on the Swedish pages is read back and every label is at
least 12 px, month names are words in the user's language, and no name is cut or drawn outside the chart."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from pathlib import Path

from flask_babel import force_locale

from vetting.web import charts

SVG = "{http://www.w3.org/2000/svg}"
CSS = Path(__file__).resolve().parents[1] / "static" / "css" / "app.css"
SWEDISH_MONTHS = ("jan", "feb", "mars", "apr", "maj", "juni", "juli", "aug", "sep", "okt", "nov", "dec")


def _svgs(page: str) -> dict[str, ET.Element]:
    found = {}
    for markup in re.findall(r'<svg class="chart".*?</svg>', page, flags=re.S):
        element = ET.fromstring(markup.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1))
        found[element.get("id")] = element
    return found


def _texts(svg: ET.Element) -> list[tuple[ET.Element, str]]:
    return [(t, " ".join(part.strip() for part in t.itertext() if part.strip())) for t in svg.iter(f"{SVG}text")]


def _assert_readable(svg: ET.Element) -> None:
    width = float(svg.get("width"))
    assert svg.get("viewBox") == f"0 0 {svg.get('width')} {svg.get('height')}"  # drawn 1:1, never shrunk
    for text, words in _texts(svg):
        assert float(text.get("font-size")) >= 12, words
        assert "…" not in words and "..." not in words, words
        size = float(text.get("font-size"))
        # A generous 0.62 em per character: what the text may need at most, whatever the anchor.
        for line in [t for t in text.itertext() if t.strip()] or [words]:
            need = len(line.strip()) * size * 0.62
            x = float(text.get("x"))
            anchor = text.get("text-anchor", "start")
            left, right = {"start": (x, x + need), "end": (x - need, x), "middle": (x - need / 2, x + need / 2)}[anchor]
            assert left >= 0 and right <= width, (words, left, right, width)


def _error(db, subject_id, check_id):
    now = datetime.now(timezone.utc).isoformat()
    db.execute("INSERT INTO outcomes (subject_kind, subject_id, check_id, check_version, status, reason, findings,"
               " explanation, run_by, created_at) VALUES ('organisation', ?, ?, '1', 'error', 'timeout', '[]', '[]',"
               " 'test', ?)", [subject_id, check_id, now])


def _hit(db, subject_id, listed):
    now = datetime.now(timezone.utc).isoformat()
    finding = ('[{"code": "sanctions.listed", "value": {"list": "%s", "listed_id": "x", "score": 0.97},'
               ' "detail": "", "evidence": 0}]' % listed)
    db.execute("INSERT INTO outcomes (subject_kind, subject_id, check_id, check_version, status, reason, findings,"
               " explanation, run_by, created_at) VALUES ('organisation', ?, 'sanctions', '1', 'hit', NULL, ?, '[]',"
               " 'test', ?)", [subject_id, finding, now])


def test_the_dashboard_charts_are_readable_in_swedish(login_as, db, create_org):
    orgs = [create_org(name=f"Leverantör {n} AB") for n in range(3)]
    for check in ("se.bolagsverket", "se.bolagsverket.arsredovisning", "gb.companies_house"):
        _error(db, orgs[0], check)
    _hit(db, orgs[1], "ofac-sdn")
    page = login_as("security_officer").get("/dashboard/").get_data(as_text=True)
    svgs = _svgs(page)
    assert set(svgs) == {"chart-errors", "chart-risk", "chart-hits"}
    for svg in svgs.values():
        _assert_readable(svg)
    labels = [words for _t, words in _texts(svgs["chart-errors"])]
    assert "Bolagsverket (värdefulla datamängder)" in " ".join(labels)  # whole, on one or two lines
    months = [words for _t, words in _texts(svgs["chart-hits"]) if not words.isdigit()]
    assert len(months) == 12 and all(m.rstrip(".") in SWEDISH_MONTHS for m in months), months
    assert re.search(r'<th scope="row">(januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|'
                     r'november|december) \d{4}</th>', page)


def test_the_month_names_follow_the_language(app):
    with app.test_request_context(), force_locale("en"):
        english = [c.month for c in charts.stacked_by_month(["2026-11", "2026-12", "2027-01"], {"x": [1, 2, 3]}).columns]
    with app.test_request_context(), force_locale("sv"):
        chart = charts.stacked_by_month(["2026-11", "2026-12", "2027-01"], {"x": [1, 2, 3]})
    assert english == ["Nov", "Dec", "Jan"]
    assert [c.month.rstrip(".") for c in chart.columns] == ["nov", "dec", "jan"]
    assert [c.year for c in chart.columns] == ["2026", "", "2027"]  # the year under the first month and each January


def test_a_long_label_wraps_instead_of_being_cut(app):
    name = "Arbetsmiljöverket (föreläggande och förbud enligt arbetsmiljölagen)"
    chart = charts.bar_chart([("error", name, 3), ("error", "UN", 1)])
    assert " ".join(chart.bars[0].lines) == name and len(chart.bars[0].lines) > 1
    assert chart.bars[0].height > chart.bars[1].height  # the row grows with its lines
    assert chart.label_width >= max(charts.text_width(line) for line in chart.bars[0].lines)


def test_the_key_figures_chart_is_readable_with_swedish_numbers(login_as, db, create_org):
    from test_annual_reports_app import read_reports

    org = create_org(name="Fixturbygg AB", identifier_type="se_orgnr", identifier="5566778899")
    read_reports(db, org, "k2-2017_wolters-kluwer.xhtml")  # net revenue 2 919 157, result -243 356
    page = login_as("procurement_officer").get(f"/organisations/{org}").get_data(as_text=True)
    svg = _svgs(page)["key-figures-chart"]
    _assert_readable(svg)
    ticks = [words for _t, words in _texts(svg)]
    assert "5 M" in ticks and ("\u2212500 k" in ticks or "-500 k" in ticks), ticks


def test_axis_amounts_use_the_decimal_comma_in_swedish(app):
    with app.test_request_context(), force_locale("sv"):
        assert charts.axis_amount(2_500_000) == "2,5 M"
    with app.test_request_context(), force_locale("en"):
        assert charts.axis_amount(2_500_000) == "2.5 M"


def test_no_chart_rule_sets_text_below_12_px():
    css = CSS.read_text(encoding="utf-8")
    for rule in re.findall(r"\.chart[^{]*\{[^}]*\}", css):
        for size in re.findall(r"font-size:\s*(\d+(?:\.\d+)?)px", rule):
            assert float(size) >= 12, rule
