"""An exclusion case in Debian's chromium, in Swedish: the officer records the date of the judgment, is refused a
decision before the supplier has been heard, gets a communication and a self-cleaning assessment back with a
Swedish message and every typed text still there, records the communication and the reply, and prepares the
decision; a security officer confirms it (four eyes) and the page shows who prepared and who decided it."""
from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from flask import Flask
from playwright.sync_api import BrowserContext, Page, expect

from conftest import PASSWORD
from vetting.db import connect
from vetting.domain import clock, organisations, procurements, risk
from vetting.domain.audit import SYSTEM
from vetting.store import exclusion as store

from .test_journey import watch_console

BIDDER = "Rivningsbolaget i Norr AB"
REASONS = "Vd:n dömdes för bestickning genom dom som vann laga kraft.\nGrunden är obligatorisk enligt 13 kap. 1 § LOU."
CONTENT = "Myndigheten överväger att utesluta er enligt 13 kap. 1 § LOU.\nNi får yttra er skriftligen."


def _sign_in_swedish(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/login")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    expect(page).to_have_url(f"{base_url}/")


def _seed(app: Flask) -> tuple[int, int, int, int]:
    """A bidder whose officer answered "yes" to EX-01: the assessment opened an exclusion case."""
    db = connect(app.config["DATABASE"])
    try:
        with app.app_context():
            pid = procurements.create(db, SYSTEM, {"reference": "UH-2026-0700", "title": "Rivning av Norrskolan",
                                                   "phase": "evaluation"})
            org = organisations.create(db, SYSTEM, {"name": BIDDER, "country": "SE", "address": "Storgatan 1, Luleå"})
            procurements.add_participant(db, SYSTEM, pid, org, "bidder")
            organisations.add_key_person(db, SYSTEM, org, {"name": "Anna Andersson", "role": "ceo",
                                                           "birth_date": "1970-03-12"})
            risk.answer(db, SYSTEM, pid, org, {"answer.EX-01": "yes"})
        [case] = store.cases(db, pid, org)
        [ground] = store.grounds(db, [case["id"]])
        return pid, org, case["id"], ground["id"]
    finally:
        db.conn.close()


def test_an_exclusion_case_walks_to_a_four_eyes_decision_and_bad_input_keeps_the_text(
        page: Page, new_context: Callable[..., BrowserContext], live_app: Flask, live_server: str) -> None:
    pid, org, case_id, ground_id = _seed(live_app)
    today = clock.today()
    officer = page
    problems = watch_console(officer)
    _sign_in_swedish(officer, live_server, "procurement_officer")
    officer.goto(f"{live_server}/exclusion/procurements/{pid}/organisations/{org}")
    expect(officer.get_by_role("heading", level=1)).to_have_text(f"Uteslutningsprövning: {BIDDER}")
    row = officer.locator(f"#ground-{ground_id}")
    expect(row).to_contain_text("Obligatorisk grund")
    expect(row).to_contain_text("Datum saknas: tidsgränsen kan inte kontrolleras")
    expect(officer.get_by_role("region", name="Personkrets enligt 13 kap. 1 § LOU")).to_contain_text(
        "Anna Andersson: verkställande direktör")

    # The date of the final judgment: a date in the future is refused, a past one is kept and starts the limit.
    ground_form = officer.locator(f"form[action='/exclusion/grounds/{ground_id}']")
    officer.get_by_text("Registrera uppgifter om EX-01").click()
    ground_form.locator(f"input[name='ground{ground_id}-start_date']").fill((today + timedelta(days=3)).isoformat())
    ground_form.get_by_role("button", name="Spara").click()
    expect(officer.locator(f"form[action='/exclusion/grounds/{ground_id}'] .error")).to_have_text(
        "Datumet kan inte ligga i framtiden.")
    judgment = today.replace(year=today.year - 2)
    ground_form.locator(f"input[name='ground{ground_id}-start_date']").fill(judgment.isoformat())
    ground_form.get_by_role("button", name="Spara").click()
    expect(officer.locator(".flashes")).to_contain_text("Grunden är uppdaterad.")
    expect(row).to_contain_text("Grunden står sig")
    expect(row).to_contain_text("Tidsgränsen löper ut")

    # A decision to exclude before the supplier has been heard: refused, with the reasons and the evidence kept.
    decision = officer.locator(f"form[action='/exclusion/cases/{case_id}/decision']")
    decision.get_by_label("Uteslut leverantören").check()
    decision.locator(f"textarea[name='decision{case_id}-reasons']").fill(REASONS)
    decision.locator(f"textarea[name='decision{case_id}-evidence']").fill("Dom B 123-24, Luleå tingsrätt")
    decision.get_by_role("button", name="Bered beslutet").click()
    expect(decision.locator(".error").first).to_contain_text("Leverantören har inte fått yttra sig")
    expect(decision.locator(f"textarea[name='decision{case_id}-reasons']")).to_have_value(REASONS)
    expect(decision.locator(f"textarea[name='decision{case_id}-evidence']")).to_have_value("Dom B 123-24, Luleå tingsrätt")
    expect(decision.get_by_label("Uteslut leverantören")).to_be_checked()

    # The communication: a deadline before the day it was sent is refused, what was typed stays; then it is saved.
    sent, deadline = today - timedelta(days=20), today - timedelta(days=6)
    comm = officer.locator(f"form[action='/exclusion/cases/{case_id}/communication']")
    prefix = f"communication{case_id}-"
    comm.locator(f"input[name='{prefix}sent_on']").fill(sent.isoformat())
    comm.locator(f"select[name='{prefix}means']").select_option("email")
    comm.locator(f"textarea[name='{prefix}content']").fill(CONTENT)
    comm.locator(f"input[name='{prefix}deadline']").fill((sent - timedelta(days=1)).isoformat())
    comm.get_by_role("button", name="Spara kommunikationen").click()
    expect(comm.locator(".error")).to_have_text("Svarsfristen kan inte löpa ut före den dag kommunikationen skickades.")
    expect(comm.locator(f"textarea[name='{prefix}content']")).to_have_value(CONTENT)
    expect(comm.locator(f"input[name='{prefix}sent_on']")).to_have_value(sent.isoformat())
    expect(comm.locator(f"select[name='{prefix}means']")).to_have_value("email")
    comm.locator(f"input[name='{prefix}deadline']").fill(deadline.isoformat())
    comm.get_by_role("button", name="Spara kommunikationen").click()
    expect(officer.locator(".flashes")).to_contain_text("Kommunikationen är registrerad.")
    section = officer.locator(f"#communication-{case_id}")
    expect(section).to_contain_text("Myndigheten överväger att utesluta er")
    expect(section).to_contain_text("Förvaltningslagen (2017:900)")
    expect(section).to_contain_text("Leverantören har fått yttra sig")

    # The reply, with the documents that came with it.
    officer.get_by_text("Registrera svaret").click()
    reply = section.locator("form[action$='/reply']")
    reply.locator("input[name$='-reply_on']").fill((deadline - timedelta(days=1)).isoformat())
    reply.locator("textarea[name$='-reply_text']").fill("Vi bestrider inte domen men har bytt vd.")
    reply.locator("textarea[name$='-documents']").fill("Yttrande 2026.pdf\nStyrelseprotokoll.pdf")
    reply.get_by_role("button", name="Spara svaret").click()
    expect(officer.locator(".flashes")).to_contain_text("Svaret är registrerat.")
    expect(officer.locator(f"#communication-{case_id}")).to_contain_text("Vi bestrider inte domen men har bytt vd.")

    # Self-cleaning: "reliable" with an element not shown is refused, and the evidence typed stays.
    officer.get_by_text("Bedöm leverantörens självsanering").click()
    cleaning = officer.locator(f"form[action='/exclusion/cases/{case_id}/self-cleaning']")
    prefix = f"cleaning{case_id}-"
    cleaning.locator(f"textarea[name='{prefix}compensation_evidence']").fill("Inget skadestånd har utdömts.")
    cleaning.locator(f"select[name='{prefix}compensation_assessment']").select_option("not_shown")
    cleaning.locator(f"textarea[name='{prefix}cooperation_evidence']").fill("Samarbetade med åklagaren.\nFörhör 2024.")
    cleaning.locator(f"select[name='{prefix}cooperation_assessment']").select_option("sufficient")
    cleaning.locator(f"textarea[name='{prefix}measures_evidence']").fill("Ny vd och visselblåsarfunktion.")
    cleaning.locator(f"select[name='{prefix}measures_assessment']").select_option("sufficient")
    cleaning.get_by_label("Leverantören har visat att den är tillförlitlig", exact=True).check()
    cleaning.locator(f"textarea[name='{prefix}conclusion_reason']").fill("Åtgärderna räcker.")
    cleaning.get_by_role("button", name="Spara bedömningen").click()
    expect(cleaning.locator(".error")).to_contain_text("bara om alla tre delarna är tillräckliga")
    expect(cleaning.locator(f"textarea[name='{prefix}cooperation_evidence']")).to_have_value(
        "Samarbetade med åklagaren.\nFörhör 2024.")
    expect(cleaning.locator(f"textarea[name='{prefix}conclusion_reason']")).to_have_value("Åtgärderna räcker.")
    cleaning.get_by_label("Leverantören har inte visat att den är tillförlitlig", exact=True).check()
    cleaning.locator(f"textarea[name='{prefix}conclusion_reason']").fill("Skadestånd och samarbete är inte visade.")
    cleaning.get_by_role("button", name="Spara bedömningen").click()
    expect(officer.locator(".flashes")).to_contain_text("Bedömningen av självsaneringen är registrerad.")

    # The decision, prepared now that the supplier has been heard; it waits for a second person.
    decision = officer.locator(f"form[action='/exclusion/cases/{case_id}/decision']")
    decision.get_by_label("Uteslut leverantören").check()
    decision.locator(f"textarea[name='decision{case_id}-reasons']").fill(REASONS)
    decision.locator(f"textarea[name='decision{case_id}-evidence']").fill("Dom B 123-24, Luleå tingsrätt")
    decision.get_by_role("button", name="Bered beslutet").click()
    expect(officer.locator(f"#decision-{case_id} .notice")).to_contain_text(
        "väntar på en andra persons bekräftelse (fyra ögon)")
    # A refused form answers 400 on purpose (the page with its messages); nothing else may go wrong.
    assert [p for p in problems if "status of 400" not in p] == []

    # The security officer confirms under four eyes.
    security = new_context().new_page()
    security_problems = watch_console(security)
    _sign_in_swedish(security, live_server, "security_officer")
    security.goto(f"{live_server}/approvals/")
    waiting = security.get_by_role("row").filter(has_text="Vd:n dömdes för bestickning")
    expect(waiting).to_contain_text("Uteslut leverantören")
    waiting.get_by_role("button", name="Bekräfta").click()
    security.goto(f"{live_server}/exclusion/procurements/{pid}/organisations/{org}")
    record = security.locator(f"#decision-{case_id} .decision.in-force")
    expect(record).to_contain_text("Uteslut leverantören")
    expect(record).to_contain_text("Gällande")
    expect(record).to_contain_text(re.compile(r"Beredd av\s*procurement_officer"))
    expect(record).to_contain_text(re.compile(r"Beslutad av\s*security_officer"))
    assert security_problems == []
