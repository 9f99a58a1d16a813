"""Dashboard: the figures per panel, the panels per role, the SVG charts with their tables, cheap queries."""
from __future__ import annotations

import json
import re
from datetime import date

import pytest

from vetting.domain import dashboard, inbox, screening
from vetting.domain import organisations as org_domain
from vetting.domain.audit import SYSTEM, Actor
from vetting.store import dashboard as store
from vetting.web import charts

TODAY = date(2026, 4, 15)


def outcome(db, kind, subject_id, status, *, check="sanctions", findings=(), explanation=(),
            created_at="2026-04-01T10:00:00+00:00", reason=None):
    """Store an outcome with a chosen time (outcomes are append-only: plain SQL is the only way to date one)."""
    return db.execute(
        "INSERT INTO outcomes (subject_kind, subject_id, check_id, check_version, status, reason, findings, explanation,"
        " run_by, created_at) VALUES (?, ?, ?, '1', ?, ?, ?, ?, 'test', ?)",
        [kind, subject_id, check, status, reason or ("timeout" if status == "error" else None),
         json.dumps(list(findings)), json.dumps(list(explanation)), created_at]).lastrowid


def match(listed, listed_id, level="possible", score=0.85, dismissed_before=False):
    return {"list": listed, "listed_id": listed_id, "listed_name": f"Listed {listed_id}", "level": level,
            "score": score, "entry_hash": "h", "dismissed_before": dismissed_before, "features": []}


def listed(listed_name, code="sanctions.listed"):
    return {"code": code, "value": {"list": listed_name, "listed_id": "x", "score": 0.95}, "detail": "", "evidence": 0}


def decide(db, outcome_id, kind, subject_id, listed_, listed_id, decision="dismissed"):
    db.execute("INSERT INTO match_reviews (outcome_id, subject_kind, subject_id, list_source, listed_id, entry_hash,"
               " decision, reason, decided_by, decided_at) VALUES (?, ?, ?, ?, ?, 'h', ?, 'r', 'test', '2026-04-02')",
               [outcome_id, kind, subject_id, listed_, listed_id, decision])


@pytest.fixture
def subjects(db, create_org):
    """Three organisations and a key person to hang outcomes on."""
    orgs = [create_org(name=name) for name in ("Alfa AB", "Beta AB", "Gamma AB")]
    org_domain.add_key_person(db, SYSTEM, orgs[0], {"name": "Per Persson", "role": "ceo", "birth_date": "1970"})
    return orgs


# --- panels per role -------------------------------------------------------------------------------

@pytest.mark.parametrize("roles, panels", [
    ({"procurement_officer"}, ("checkpoints", "followups", "matches", "errors", "risk")),
    ({"security_officer"}, ("checkpoints", "matches", "errors", "risk", "hits")),
    ({"reviewer"}, ("checkpoints", "followups", "risk")),
    ({"auditor"}, ("errors", "risk", "hits")),
    ({"reviewer", "auditor"}, ("checkpoints", "followups", "errors", "risk", "hits")),
    (set(), ()),
])
def test_each_role_sees_its_panels_in_a_fixed_order(roles, panels):
    assert dashboard.panels_for(roles) == panels


# --- figures ---------------------------------------------------------------------------------------

def test_open_matches_agree_with_the_review_queue(db, subjects):
    a, b, _c = subjects
    first = outcome(db, "organisation", a, "possible_match", explanation=[match("un", "1"), match("eu", "2")])
    decide(db, first, "organisation", a, "un", "1")
    outcome(db, "organisation", b, "hit", explanation=[match("un", "3", "hit")])
    outcome(db, "organisation", b, "clear")  # re-screened since: the old hit is history
    outcome(db, "person", 1, "hit", explanation=[match("uk", "4", "hit", 0.97), match("un", "5", dismissed_before=True)])
    found, total, hits = dashboard.open_matches(db)
    assert [(m.subject_kind, m.subject_name, m.list, m.level) for m in found] == [
        ("person", "Per Persson", "uk", "hit"), ("organisation", "Alfa AB", "eu", "possible")]
    assert (total, hits) == (len(screening.open_reviews(db)), 1) == (2, 1)


def test_open_matches_count_them_all_and_show_the_first(db, subjects):
    for n in range(7):
        outcome(db, "organisation", subjects[0], "possible_match", check=f"c{n}",
                explanation=[match("un", str(n), score=(80 + n) / 100)])
    found, total, hits = dashboard.open_matches(db, limit=3)
    assert (total, hits) == (7, 0) and [m.score for m in found] == [0.86, 0.85, 0.84]


def test_errors_count_the_newest_result_per_check_unless_overridden(db, subjects):
    a, b, c = subjects
    outcome(db, "organisation", a, "error", check="se.bolagsverket")
    outcome(db, "organisation", b, "error", check="se.bolagsverket")
    outcome(db, "organisation", b, "clear", check="se.bolagsverket")  # solved by a later run
    overridden = outcome(db, "organisation", c, "error", check="gleif")
    db.execute("INSERT INTO outcome_overrides (outcome_id, reason, overridden_by, overridden_at)"
               " VALUES (?, 'accepted', 'so', '2026-04-02')", [overridden])
    outcome(db, "person", 1, "error", check="sanctions")
    assert store.errors_by_check(db) == {"sanctions": 1, "se.bolagsverket": 1}
    assert {(e["subject_kind"], e["subject_name"]) for e in store.latest_errors(db)} == {
        ("organisation", "Alfa AB"), ("person", "Per Persson")}


def test_hits_per_month_and_list_count_each_subject_once(db, subjects):
    a, b, _c = subjects
    outcome(db, "organisation", a, "hit", findings=[listed("un")], created_at="2026-03-02T09:00:00+00:00")
    outcome(db, "organisation", a, "hit", findings=[listed("un")], created_at="2026-03-20T09:00:00+00:00")
    outcome(db, "organisation", b, "hit", findings=[listed("un"), listed("worldbank", "debarment.listed")],
            created_at="2026-04-10T09:00:00+00:00")
    outcome(db, "person", 1, "possible_match", findings=[listed("eu", "sanctions.possible_match")])
    outcome(db, "organisation", b, "hit", findings=[listed("uk")], created_at="2025-01-10T09:00:00+00:00")  # too old
    hits = dashboard.hits_over_time(db, TODAY)
    assert hits["months"][0] == "2025-05" and hits["months"][-1] == "2026-04" and len(hits["months"]) == 12
    assert hits["series"] == {"un": [0] * 10 + [1, 1], "worldbank": [0] * 11 + [1]}


def assess(db, procurement_id, organisation_id, level, override=None):
    """A stored risk assessment of a contract party (and an override of its level, if given)."""
    assessment = db.execute(
        "INSERT INTO risk_assessments (procurement_id, organisation_id, model_version, model_sha256, level, total,"
        " multiplier, results, reasons, facts, prepared_by, created_at)"
        " VALUES (?, ?, '1', 'x', ?, 1, 1, '[]', '[]', '{}', 'test', '2026-04-01')",
        [procurement_id, organisation_id, level]).lastrowid
    if override:
        db.execute("INSERT INTO risk_overrides (assessment_id, level, reason, overridden_by, overridden_at)"
                   " VALUES (?, ?, 'r', 'so', '2026-04-02')", [assessment, override])


def test_contracts_count_once_at_their_partys_highest_level_of_control(db, subjects, create_procurement):
    a, b, _c = subjects

    def contract(phase):
        pid = create_procurement()
        db.execute("UPDATE procurements SET phase = ? WHERE id = ?", [phase, pid])
        return pid

    first, second, third, _unassessed = contract("signed"), contract("active"), contract("active"), contract("signed")
    assess(db, first, a, "basic_done")
    assess(db, first, b, "joint_review")  # the highest party decides
    assess(db, second, a, "joint_review")
    assess(db, second, a, "deepened_check")  # a newer assessment replaces the older one
    assess(db, third, a, "deepened_check", override="exclusion_assessment")
    ended = contract("ended")
    assess(db, ended, a, "joint_review")  # not a running contract
    assert dashboard.contracts_by_risk(db) == {"exclusion_assessment": 1, "joint_review": 1, "deepened_check": 1,
                                               "basic_done": 0, "": 1}


def test_followups_due_split_into_overdue_and_due_this_month(db, create_procurement):
    for due, phase in (("2026-04-01", "active"), ("2026-04-20", "signed"), ("2026-05-10", "active"),
                       ("2026-07-01", "active"), ("2026-03-01", "ended")):
        pid = create_procurement()
        db.execute("UPDATE procurements SET phase = ? WHERE id = ?", [phase, pid])
        db.execute("INSERT INTO followups (procurement_id, risk_level, interval_months, next_due)"
                   " VALUES (?, 'high', 3, ?)", [pid, due])
    due = store.followups_due(db, TODAY.isoformat(), "2026-05-15")
    assert (due["overdue"], due["due"]) == (1, 2)
    assert [r["next_due"] for r in due["rows"]] == ["2026-04-01", "2026-04-20", "2026-05-10"]


def test_checkpoint_counts_are_the_inbox_counts(db, accounts, create_procurement):
    create_procurement(protection_level="sua2")
    officer = Actor(accounts["procurement_officer"], "procurement_officer", frozenset({"procurement_officer"}))
    boxes = inbox.for_user(db, officer)
    figures = dashboard.for_user(db, officer, TODAY)["checkpoints"]
    assert (figures["waiting"], figures["returned"], figures["overdue"]) == tuple(
        len(boxes[k]) for k in ("waiting", "returned", "overdue"))
    assert figures["waiting"] >= 1  # CP0 of a protected procurement waits for its officer


# --- charts ----------------------------------------------------------------------------------------

def test_bars_are_proportional_to_their_values():
    chart = charts.bar_chart([("a", "A", 10), ("b", "B", 5), ("c", "C", 0)])
    assert [b.width for b in chart.bars] == [charts.PLOT_WIDTH, charts.PLOT_WIDTH / 2, 0]
    assert chart.height == 3 * charts.ROW_HEIGHT


@pytest.mark.parametrize("value, ceiling", [(0, 1), (1, 1), (3, 5), (7, 10), (11, 20), (180, 200), (501, 1000)])
def test_axis_ends_at_a_round_number(value, ceiling):
    assert charts.nice_ceiling(value) == ceiling


def test_stacked_columns_add_up_to_the_month_total(app):
    with app.test_request_context():
        chart = charts.stacked_by_month(["2026-01", "2026-02"], {"un": [2, 0], "eu": [1, 4]})
    assert [c.total for c in chart.columns] == [3, 4]
    first = chart.columns[0]
    assert sum(s.height for s in first.segments) == pytest.approx(3 * charts.COLUMN_PLOT_HEIGHT / 5)
    assert [s.name for s in chart.columns[1].segments] == ["eu"]  # an empty segment is not drawn


# --- pages -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["procurement_officer", "security_officer", "reviewer", "auditor", "admin"])
def test_dashboard_page_shows_the_roles_panels(login_as, role):
    page = login_as(role).get("/dashboard/").get_data(as_text=True)
    shown = tuple(p for p in dashboard.PANEL_ORDER if f'id="panel-{p}"' in page)
    assert shown == dashboard.panels_for({role})


def test_every_chart_is_svg_without_style_and_followed_by_its_table(login_as, db, subjects):
    outcome(db, "organisation", subjects[0], "error", check="se.bolagsverket")
    page = login_as("security_officer").get("/dashboard/").get_data(as_text=True)
    svgs = re.findall(r'<svg class="chart" id="([\w-]+)"[^>]*role="img"', page)
    assert svgs == ["chart-errors", "chart-risk", "chart-hits"]
    assert "style=" not in page
    for chart_id in svgs:
        after = page[page.index(f'id="{chart_id}"'):]
        assert after.index("<table>") < after.index("</section>"), chart_id


def test_start_page_shows_the_dashboard(login_as, db, subjects):
    outcome(db, "organisation", subjects[1], "error", check="se.bolagsverket")
    page = login_as("admin").get("/").get_data(as_text=True)
    assert 'id="panel-errors"' in page and 'data-count="errors">1<' in page


# --- every query reads an index ----------------------------------------------------------------------

@pytest.mark.parametrize("analyzed", [False, True], ids=["no statistics", "statistics: nearly all clear"])
def test_dashboard_queries_never_scan_a_big_table(db, subjects, accounts, analyzed):
    outcome(db, "organisation", subjects[0], "error", check="se.bolagsverket")
    if analyzed:  # what ANALYZE (bench/load.py, an operator) records of a register where almost every answer is clear
        for n in range(300):
            outcome(db, "person", 10_000 + n, "clear")
        db.execute("ANALYZE")
    statements = []
    db.conn.set_trace_callback(statements.append)
    try:
        everyone = Actor(accounts["admin"], "all", frozenset(dashboard.PANELS_BY_ROLE))
        dashboard.for_user(db, everyone, TODAY)
    finally:
        db.conn.set_trace_callback(None)
    big = {"outcomes", "organisations", "persons", "key_roles", "match_reviews", "checkpoints", "procurements",
           "followups", "o", "n", "p", "r", "c", "f"}
    if analyzed:  # the statistics know the other tables hold a row or two here: a scan of those is right
        big = {"outcomes", "o", "n"}
    assert len(statements) >= 8  # every panel ran its queries
    scans = []
    for sql in {s for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH"))}:
        for row in db.execute(f"EXPLAIN QUERY PLAN {sql}"):
            words = row[3].split()
            if words[0] == "SCAN" and words[1] in big:
                scans.append((row[3], sql))
    assert scans == []
