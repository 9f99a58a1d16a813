"""A risk case in Debian's chromium: the procurement officer assesses a bidder in a risk-exposed industry, answers the
questionnaire and lands at a deepened check without seeing the weights; a security officer, in a browser of their
own, sees the weights and overrides the level with a reason; the officer sees the override and the auditor finds it
in the audit log."""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from flask import Flask
from playwright.sync_api import BrowserContext, Locator, Page, expect

from vetting.db import connect
from vetting.domain import lists, organisations, procurements, screening
from vetting.domain.audit import SYSTEM
from vetting.store import risk as risk_store

from .test_journey import sign_in, watch_console

LISTS = Path(__file__).resolve().parents[1] / "fixtures" / "lists"
REFERENCE = "UH-2026-0300"
TITLE = "Ombyggnad av Norrskolan"
BIDDER = "Byggbolaget Norrland AB"
OVERRIDE_REASON = "Earlier site visits found unregistered staff at this bidder's sites: a joint review before award."
RP01_NOTE = "Bolagsverket's case list: three CEO changes since last year."

# The officer's answers (model-v1.toml): "no" to the exclusion grounds and the other high indicators asked about,
# "yes" to RP-01 (high, 3) and RP-04 (medium, 2): 5 × 1.5 (risk-exposed industry) = 7.5, between the deepened
# check (6) and the joint review (9), and no exclusion ground fired.
NO = ("EX-01", "EX-06", "EX-08", "EX-09", "EX-10", "EX-12")
YES = ("RP-01", "RP-04")


def _seed(app: Flask) -> tuple[int, int]:
    """A construction procurement (risk-exposed industry) with a Swedish bidder and two key persons, screened."""
    db = connect(app.config["DATABASE"])
    try:
        with app.app_context():
            lists.import_list(db, SYSTEM, "un", [LISTS / "un_consolidated.xml"])
            procurement_id = procurements.create(db, SYSTEM, {
                "reference": REFERENCE, "title": TITLE, "phase": "evaluation", "risk_industry": True,
                "cpv_code": "45000000-7", "estimated_value": "12 000 000"})
            bidder = organisations.create(db, SYSTEM, {
                "name": BIDDER, "country": "SE", "address": "Storgatan 1, Luleå", "industry_code": "41200",
                "identifier_type": "se_orgnr", "identifier": "556677-8899"})
            procurements.add_participant(db, SYSTEM, procurement_id, bidder, "bidder")
            organisations.add_key_person(db, SYSTEM, bidder, {"name": "Anna Andersson", "role": "ceo",
                                                              "personnummer": "19700312-1238"})
            organisations.add_key_person(db, SYSTEM, bidder, {"name": "Bo Berg", "role": "board_member",
                                                              "birth_date": "1965-04-02"})
            screening.screen_procurement(db, SYSTEM, procurement_id, app.config, ("sanctions",))
            from conftest import PASSWORD
            from vetting.domain import users

            # Overrides take effect when a second security officer confirms them (four eyes).
            users.create_user(db, SYSTEM, username="security_officer_2", password=PASSWORD, roles=["security_officer"],
                              hash_method="pbkdf2:sha256:1000")
        return procurement_id, bidder
    finally:
        db.conn.close()


def flash(page: Page) -> Locator:
    return page.locator(".flashes")


def level_heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=2, name=re.compile(r"^Level of control"))


def indicator(page: Page, indicator_id: str) -> Locator:
    """The row of one indicator in the table of indicators."""
    return page.locator("table.indicators tbody tr").filter(
        has=page.locator("td:first-child strong", has_text=re.compile(rf"^{indicator_id}$")))


def question(page: Page, indicator_id: str) -> Locator:
    return page.get_by_role("region", name="Questions for the officer").get_by_role(
        "group", name=re.compile(rf"^{indicator_id}: "))


def test_officer_answers_to_a_deepened_check_and_security_overrides_it(
        page: Page, new_context: Callable[..., BrowserContext], live_app: Flask, live_server: str) -> None:
    procurement_id, bidder = _seed(live_app)
    base = live_server
    officer = page
    problems = watch_console(officer)
    sign_in(officer, base, "procurement_officer")

    # The procurement page: the bidder is screened but not assessed; assess every organisation.
    officer.goto(f"{base}/procurements/{procurement_id}")
    expect(officer.get_by_role("heading", level=1)).to_have_text(f"{REFERENCE}: {TITLE}")
    expect(officer.locator(".facts")).to_contain_text("Risk-exposed industry")
    badge = officer.get_by_role("link", name=f"Risk assessment of {BIDDER}:")
    expect(badge.locator(".level")).to_have_text("Not assessed")
    officer.get_by_role("button", name="Assess the risk of every organisation").click()
    expect(flash(officer)).to_contain_text("1 organisations assessed.")
    # Most registers were not asked, so missing data alone calls for a deepened check.
    expect(badge.locator(".level")).to_have_text("Deepened check")

    # The case: what the officer sees, and no weights (method secrecy).
    badge.click()
    expect(officer).to_have_url(f"{base}/risk/procurements/{procurement_id}/organisations/{bidder}")
    expect(officer.get_by_role("heading", level=1)).to_have_text(f"Risk assessment: {BIDDER}")
    expect(level_heading(officer)).to_have_text("Level of control: Deepened check")
    expect(officer.get_by_role("main")).to_contain_text("1 warning sign fired.")
    expect(indicator(officer, "BD-06").locator(".istate")).to_have_text("Fired")
    expect(officer.get_by_role("columnheader", name="Indicator", exact=True).first).to_be_visible()
    expect(officer.get_by_role("columnheader", name="Weight")).to_have_count(0)
    expect(officer.get_by_role("columnheader", name="Contribution")).to_have_count(0)
    expect(officer.locator("ul.reasons")).to_have_count(0)
    assert "Score " not in officer.locator("main").inner_text()  # no score, no thresholds

    # The questionnaire.
    questions = officer.get_by_role("region", name="Questions for the officer")
    expect(questions).to_be_visible()
    for indicator_id in NO + YES:
        expect(question(officer, indicator_id)).to_have_count(1)
    for indicator_id in NO:
        question(officer, indicator_id).get_by_label("No", exact=True).check()
    for indicator_id in YES:
        question(officer, indicator_id).get_by_label("Yes", exact=True).check()
    question(officer, "RP-01").get_by_label("Basis for the answer (optional)", exact=True).fill(RP01_NOTE)
    questions.get_by_role("button", name="Save answers and assess").click()
    expect(flash(officer)).to_have_text("Answers recorded and the case assessed again.")

    # Deepened check on the score now (not an exclusion assessment); still no weights for the officer.
    expect(level_heading(officer)).to_have_text("Level of control: Deepened check")
    expect(officer.get_by_role("main")).to_contain_text("3 warning signs fired.")
    for indicator_id in YES:
        row = indicator(officer, indicator_id)
        expect(row.locator(".istate")).to_have_text("Fired")
        expect(row).to_contain_text(f"answer to question {indicator_id}: Yes")
    expect(officer.get_by_role("columnheader", name="Weight")).to_have_count(0)
    expect(officer.locator("#exclusion")).to_have_count(0)  # no exclusion ground fired, no exclusion case
    for indicator_id in NO + YES:  # answered questions are not asked again
        expect(question(officer, indicator_id)).to_have_count(0)
    answers = officer.locator("details").filter(has_text="Answers given")
    expect(answers.locator("summary")).to_have_text("Answers given (8)")
    answers.locator("summary").click()
    expect(answers.get_by_role("listitem").filter(has_text="answer.RP-01")).to_contain_text(
        "Yes — procurement_officer")
    expect(answers.get_by_role("listitem").filter(has_text="answer.RP-01")).to_contain_text(RP01_NOTE)

    # The officer prepared the assessment and may not override it: no form for the role, and the server refuses.
    expect(officer.get_by_role("heading", name="Override the level")).to_have_count(0)
    expect(officer.get_by_label("New level")).to_have_count(0)
    db = connect(live_app.config["DATABASE"])
    try:
        assessment = risk_store.latest_assessment(db, procurement_id, bidder)
    finally:
        db.conn.close()
    assert assessment is not None and assessment["level"] == "deepened_check" and assessment["total"] == 7.5
    token = officer.locator("input[name=csrf_token]").first.get_attribute("value")
    refused = officer.request.post(f"{base}/risk/assessments/{assessment['id']}/override",
                                   form={"csrf_token": token or "", "level": "basic_done", "reason": "Looks fine."},
                                   max_redirects=0)
    assert refused.status == 403, refused.status
    case_url = officer.url

    # The security officer, in a browser of their own: the weights, the score, and the override.
    security = new_context().new_page()
    security_problems = watch_console(security)
    sign_in(security, base, "security_officer")
    security.goto(case_url)
    expect(level_heading(security)).to_have_text("Level of control: Deepened check")
    expect(security.get_by_role("columnheader", name="Weight", exact=True).first).to_be_visible()
    expect(security.get_by_role("columnheader", name="Contribution", exact=True).first).to_be_visible()
    reasons = security.locator("ul.reasons")
    expect(reasons).to_contain_text("Score 7.5 = 5 × 1.5 (risk-exposed industry)")
    expect(reasons).to_contain_text("Level: deepened check.")
    expect(reasons).to_contain_text("RP-01 Frequent changes of board, CEO or signatories (high, 3 points)")
    expect(reasons).to_contain_text("RP-04 Beneficial owner missing or ownership chain unclear (medium, 2 points)")
    # Weight and contribution per indicator (before the risk-industry multiplier, which the score applies).
    three, two = re.compile(r"^3(\.0)?$"), re.compile(r"^2(\.0)?$")
    expect(indicator(security, "RP-01").locator("td.num")).to_have_text([three, three])
    expect(indicator(security, "RP-04").locator("td.num")).to_have_text([two, two])
    expect(security.get_by_role("region", name="Questions for the officer")).to_be_visible()  # security may answer too

    override = security.get_by_role("region", name="Override the level")
    expect(override).not_to_contain_text("You prepared this assessment")
    override.get_by_label("New level", exact=True).select_option(label="Joint procurement–security review")
    override.get_by_label("Reason", exact=True).fill(OVERRIDE_REASON)
    override.get_by_role("button", name="Override").click()
    expect(flash(security)).to_have_text("Recorded. Four eyes: the decision takes effect when another person "
                                         "confirms it under “To confirm”.")
    second = new_context().new_page()
    second_problems = watch_console(second)
    sign_in(second, base, "security_officer_2")
    second.get_by_role("navigation", name="Main menu").get_by_role("link", name="To confirm").click()
    waiting = second.get_by_role("row").filter(has_text="Override a risk level")
    expect(waiting).to_contain_text(OVERRIDE_REASON)
    waiting.get_by_role("button", name="Confirm").click()
    expect(flash(second)).to_have_text("Confirmed: the decision has taken effect.")
    assert second_problems == []
    security.reload()
    expect(level_heading(security)).to_have_text("Level of control: Joint review ✎")
    notice = security.locator("#level-h + .notice")
    expect(notice).to_contain_text("Overridden by security_officer")
    expect(notice).to_contain_text(OVERRIDE_REASON)
    expect(security.get_by_role("region", name="Override the level")).to_have_count(0)  # once only

    # The officer sees the overridden level and the reason, on the case and on the procurement page.
    officer.reload()
    expect(level_heading(officer)).to_have_text("Level of control: Joint review ✎")
    expect(officer.locator("#level-h + .notice")).to_contain_text("Overridden by security_officer")
    expect(officer.locator("#level-h + .notice")).to_contain_text(OVERRIDE_REASON)
    expect(officer.get_by_role("columnheader", name="Weight")).to_have_count(0)
    officer.get_by_role("link", name=f"{REFERENCE}: {TITLE}", exact=True).click()
    badge = officer.get_by_role("link", name=f"Risk assessment of {BIDDER}:")
    expect(badge.locator(".level")).to_have_text("Joint review ✎")

    # The auditor finds the override, with its reason, in the audit log.
    auditor = new_context().new_page()
    auditor_problems = watch_console(auditor)
    sign_in(auditor, base, "auditor")
    auditor.get_by_role("navigation", name="Main menu").get_by_role("link", name="Audit log").click()
    expect(auditor.get_by_role("heading", level=1)).to_have_text("Audit log")
    expect(auditor.locator(".flash-success")).to_contain_text("Chain intact")
    auditor.get_by_label("Action", exact=True).select_option("risk.override")
    auditor.get_by_role("button", name="Filter").click()
    expect(auditor).to_have_url(re.compile(r"[?&]action=risk\.override"))
    rows = auditor.get_by_role("table", name="Audit log").locator(":scope > tbody > tr")
    expect(rows).to_have_count(1)
    # People by name, with their user name for the auditor.
    expect(rows.locator(":scope > td").nth(2)).to_have_text(re.compile(r"Security Officer\s*\(security_officer\)"))
    expect(rows.locator(":scope > td").nth(3)).to_have_text("Risk level overridden")
    expect(rows.locator(":scope > td").nth(4)).to_contain_text(str(procurement_id))
    change = rows.locator(":scope > td").nth(5).get_by_role("row")
    expect(change.filter(has_text=re.compile("deepened", re.I))).to_contain_text(re.compile("joint .*review", re.I))
    expect(rows.locator(":scope > td").nth(6)).to_have_text(OVERRIDE_REASON)

    assert problems == [] and security_problems == [] and auditor_problems == []
