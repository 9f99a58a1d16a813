"""Gates that hold, in Debian's chromium: a bidder whose beneficial owner is a confirmed sanctions hit and whose
exclusion assessment says "exclude" cannot be awarded, and both blockers are named; replaced by a clean supplier,
the award goes through. A confirmed hit three levels down blocks signing; an art. 5k subcontractor above 10 % of
the contract value blocks, below it does not."""
from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from flask import Flask
from playwright.sync_api import Page, expect

from vetting.db import connect
from vetting.domain import clock, foureyes, lists, organisations, procurements, risk, screening, users
from vetting.domain.audit import SYSTEM, Actor
from vetting.domain.exclusion import cases as exclusion_cases
from vetting.domain.exclusion import communication, decisions
from vetting.store import exclusion as exclusion_store
from vetting.store import outcomes as outcome_store
from vetting.store import risk as risk_store

from .test_journey import sign_in, watch_console

LISTS = Path(__file__).resolve().parents[1] / "fixtures" / "lists"
SETTINGS = {"SCREENING_POSSIBLE_THRESHOLD": 0.8, "SCREENING_HIT_THRESHOLD": 0.93}
BAD = "Skuggbolaget AB"
CLEAN = "Rena Städ AB"
OWNER = "Karim Abdul Al-Testi"


def _actor(db, username: str) -> Actor:
    from vetting.store import users as user_store

    row = user_store.get_by_username(db, username)
    if row is None:
        from conftest import PASSWORD

        uid = users.create_user(db, SYSTEM, username=username, password=PASSWORD, roles=["security_officer"],
                                hash_method="pbkdf2:sha256:1000")
        row = user_store.get(db, uid)
    return Actor(row["id"], row["username"], frozenset(row["roles"]))


def _confirm_every_match(db, kind: str, subject_id: int) -> None:
    security = _actor(db, "security_officer")
    outcome = next(o for o in outcome_store.latest(db, kind, subject_id) if o["check_id"] == "sanctions")
    for match in outcome["explanation"]:
        screening.decide(db, security, outcome["id"], match["list"], match["listed_id"], "confirmed",
                         "Same person: name, birth date and nationality agree")


def _seed_award(app: Flask) -> int:
    """Evaluation phase; the awarded bidder's beneficial owner is confirmed on the UN list and its exclusion
    assessment was decided "exclude" under four eyes (the earlier steps are tested on their own)."""
    db = connect(app.config["DATABASE"])
    try:
        lists.import_list(db, SYSTEM, "un", [LISTS / "un_consolidated.xml"])
        pid = procurements.create(db, SYSTEM, {"reference": "UH-2026-0300", "title": "Städning av kontor",
                                               "phase": "evaluation", "protection_level": "none",
                                               "estimated_value": "400 000"})
        bad = organisations.create(db, SYSTEM, {"name": BAD, "country": "SE", "address": "Storgatan 1"})
        organisations.add_key_person(db, SYSTEM, bad, {"name": OWNER, "role": "beneficial_owner",
                                                       "birth_date": "1960-04-28"})
        procurements.add_participant(db, SYSTEM, pid, bad, "awarded")
        screening.screen_organisation_and_people(db, SYSTEM, bad, SETTINGS, ("sanctions",))
        person = organisations.masked_key_persons(db, bad)[0]["id"]
        _confirm_every_match(db, "person", person)
        assessment = risk.assess(db, SYSTEM, pid, bad)
        case_id = risk_store.open_exclusion_case(db, assessment, pid, bad,
                                                 [{"indicator": "EX-01", "legal_basis": "LOU 13:1"}])
        exclusion_store.insert_ground(db, case_id, "EX-01", "13:1", "LOU 13:1", {}, None, "x")
        officer = _actor(db, "procurement_officer")
        ground_id = exclusion_store.grounds(db, [case_id])[0]["id"]
        today = clock.today()
        exclusion_cases.record_ground_facts(db, officer, ground_id, start_date=today - timedelta(days=400))
        item = communication.send(db, officer, case_id, today - timedelta(days=20), "email", "Dom för bestickning",
                                  today - timedelta(days=6))
        communication.reply(db, officer, item, today - timedelta(days=8), "Inget att invända.", "")
        proposed = decisions.propose(db, officer, case_id, "exclude", "Convicted of bribery (13:1)", "Dom B 1-25")
        foureyes.confirm(db, _actor(db, "security_officer"), proposed.proposal_id)
        return pid
    finally:
        db.conn.close()


def blockers(page: Page):
    return page.locator("#blockers")


def test_award_refused_naming_both_blockers_then_allowed_with_a_clean_supplier(
        page: Page, live_app: Flask, live_server: str, new_context) -> None:
    pid = _seed_award(live_app)
    base = live_server
    problems = watch_console(page)
    sign_in(page, base, "procurement_officer")
    page.goto(f"{base}/procurements/{pid}")
    expect(blockers(page)).to_contain_text("Blocked: the procurement cannot move on to “Award decision” while these remain")
    expect(blockers(page).get_by_role("listitem").filter(has_text="Confirmed sanctions hit")).to_contain_text(OWNER)
    expect(blockers(page).get_by_role("listitem").filter(has_text="Decided to exclude")).to_contain_text(BAD)
    button = page.get_by_role("button", name="Move to: Award decision", exact=True)
    expect(button).to_be_disabled()
    button.click(force=True)
    refusal = page.locator(".flashes")
    expect(refusal).to_contain_text("Cannot move on:")
    expect(refusal).to_contain_text(OWNER)
    expect(refusal).to_contain_text("Decided to exclude")
    expect(page.get_by_role("list", name="Phases").locator("li[aria-current=step]")).to_have_text("Evaluation and qualification")

    # Replace the bidder: remove it (the browser asks to confirm) and add a clean supplier as awarded.
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("treeitem").filter(has=page.get_by_role("link", name=BAD, exact=True)).get_by_role(
        "button", name="Remove").click()
    form = page.locator("#add-participant")
    form.get_by_label("Role in the procurement", exact=True).select_option(label="Awarded supplier")
    form.get_by_label("Name", exact=True).fill(CLEAN)
    form.get_by_label("Country (ISO code)", exact=True).fill("SE")
    form.get_by_role("button", name="Add", exact=True).click()
    page.get_by_role("button", name="Screen every supplier, subcontractor and key person").click()
    expect(page.get_by_role("status")).to_contain_text("finished")  # screening runs in the background
    page.get_by_role("link", name="Back to the procurement").click()
    page.get_by_role("button", name="Assess the risk of every organisation").click()
    expect(page.locator(".flashes")).to_contain_text("organisations assessed")

    # A deepened check, if the triage asked for one, is the security officer's to conclude.
    security = new_context().new_page()
    security_problems = watch_console(security)
    sign_in(security, base, "security_officer")
    db = connect(live_app.config["DATABASE"])
    try:
        clean = next(p["organisation_id"] for p in procurements.store.participants(db, pid))
    finally:
        db.conn.close()
    security.goto(f"{base}/risk/procurements/{pid}/organisations/{clean}")
    if security.locator("#deepened form").count():
        security.get_by_label("Examined", exact=True).fill("Ownership, board and tax registers")
        security.get_by_label("Proportionality", exact=True).fill("In proportion to an office cleaning contract")
        security.get_by_label("Conclusion", exact=True).fill("No obstacle to the award")
        security.get_by_role("button", name="Conclude the deepened check").click()
        expect(security.locator(".flashes")).to_have_text("The deepened check is concluded.")

    page.goto(f"{base}/procurements/{pid}")
    expect(blockers(page)).to_have_count(0)
    page.locator("#phase .notice").get_by_role("link", name=re.compile(r"^CP4 ")).click()
    region = page.get_by_role("region", name="Prepare and send for sign-off")
    region.get_by_role("group", name="Abnormally low tenders have been inquired into", exact=True).get_by_label(
        "Yes", exact=True).check()
    region.get_by_role("button", name="Send for sign-off").click()
    expect(page.locator(".flashes")).to_have_text("Sent for sign-off.")
    security.goto(page.url)
    sign = security.get_by_role("region", name="Sign off", exact=True)
    sign.get_by_role("group", name="Decision", exact=True).get_by_label("Approve", exact=True).check()
    sign.get_by_label("Reason", exact=True).fill("The new supplier is screened and clean.")
    sign.get_by_role("button", name="Record decision").click()
    expect(security.locator(".flashes")).to_have_text("Decision recorded.")

    page.goto(f"{base}/procurements/{pid}")
    page.get_by_role("button", name="Move to: Award decision", exact=True).click()
    expect(page.locator(".flashes")).to_have_text("The procurement is now in phase: Award decision.")
    assert problems == [] and security_problems == []


def _seed_chain(app: Flask) -> tuple[int, int]:
    """Standstill: awarded → subcontractor → sub-subcontractor → a listed foundation (confirmed); and a second
    procurement in evaluation with an awarded supplier, to which the officer adds a Russian subcontractor."""
    db = connect(app.config["DATABASE"])
    try:
        lists.import_list(db, SYSTEM, "un", [LISTS / "un_consolidated.xml"])
        pid = procurements.create(db, SYSTEM, {"reference": "UH-2026-0301", "title": "Fastighetsdrift",
                                               "phase": "standstill", "protection_level": "none",
                                               "estimated_value": "400 000"})
        parent = None
        for depth, name in enumerate(("Huvudentreprenör AB", "Under Ett AB", "Under Två AB", "Test Relief Foundation")):
            org = organisations.create(db, SYSTEM, {"name": name, "country": "PK" if depth == 3 else "SE",
                                                    "address": "Storgatan 1"})
            parent = procurements.add_participant(db, SYSTEM, pid, org, "awarded" if depth == 0 else "subcontractor",
                                                  parent)
        screening.screen_procurement(db, SYSTEM, pid, SETTINGS, ("sanctions",))
        _confirm_every_match(db, "organisation", org)
        second = procurements.create(db, SYSTEM, {"reference": "UH-2026-0302", "title": "IT-drift",
                                                  "phase": "evaluation", "protection_level": "none",
                                                  "estimated_value": "400 000"})
        top = organisations.create(db, SYSTEM, {"name": "Drift AB", "country": "SE", "address": "Storgatan 1"})
        procurements.add_participant(db, SYSTEM, second, top, "awarded")
        return pid, second
    finally:
        db.conn.close()


def test_deep_hit_blocks_signing_and_art5k_blocks_above_ten_percent(page: Page, live_app: Flask,
                                                                   live_server: str) -> None:
    pid, second = _seed_chain(live_app)
    base = live_server
    problems = watch_console(page)
    sign_in(page, base, "procurement_officer")
    page.goto(f"{base}/procurements/{pid}")
    expect(blockers(page)).to_contain_text("Blocked: the procurement cannot move on to “Contract” while these remain")
    expect(blockers(page)).to_contain_text("Test Relief Foundation: Confirmed sanctions hit")
    page.get_by_role("button", name="Move to: Contract", exact=True).click(force=True)
    expect(page.locator(".flashes")).to_contain_text("Test Relief Foundation")
    expect(page.get_by_role("list", name="Phases").locator("li[aria-current=step]")).to_have_text("Standstill")

    page.goto(f"{base}/procurements/{second}")
    expect(blockers(page)).to_have_count(0)
    for share, blocked in (("11", True), ("9", False)):
        form = page.locator("#add-participant")
        form.get_by_label("Role in the procurement", exact=True).select_option(label="Subcontractor")
        form.get_by_label("Subcontractor under", exact=True).select_option(label="Drift AB")
        form.get_by_label("Name", exact=True).fill(f"OOO Romashka {share}")
        form.get_by_label("Country (ISO code)", exact=True).fill("RU")
        form.get_by_label("Share of contract value (%)", exact=True).fill(share)
        form.get_by_role("button", name="Add", exact=True).click()
        expect(page.locator(".flashes")).to_have_text("Participant added.")
        if blocked:
            expect(blockers(page)).to_contain_text(f"OOO Romashka {share}: Art. 5k prohibition")
            page.once("dialog", lambda dialog: dialog.accept())
            page.get_by_role("treeitem").filter(has=page.get_by_role("link", name=f"OOO Romashka {share}",
                                                                     exact=True)).get_by_role("button",
                                                                                              name="Remove").click()
            expect(page.locator(".flashes")).to_contain_text("was removed")
        else:
            expect(blockers(page)).to_have_count(0)
    assert problems == []
