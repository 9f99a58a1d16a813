"""From need to signed contract in Debian's chromium: the procurement officer and the security officer, each in a
browser of their own, prepare and sign off every gating checkpoint; CP5 is returned once and approved on the second
round, and the award waits for it."""
from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from flask import Flask
from playwright.sync_api import BrowserContext, Locator, Page, expect

from vetting.db import connect
from vetting.domain import lists, procurements
from vetting.domain.audit import SYSTEM

from .test_journey import sign_in, watch_console

LISTS = Path(__file__).resolve().parents[1] / "fixtures" / "lists"
REFERENCE = "UH-2026-0200"
TITLE = "Bevakningstjänster för kommunhuset"
BIDDER = "Nordvakt Säkerhet AB"
AWARDED = "Trygghetsbolaget i Mitten AB"
SUBCONTRACTOR = "Larmteknik Väst AB"
REJECTION = "Evidence under LOU ch. 15 is missing: ask the supplier for the certificates before security can endorse."
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

# (kind, label, value): kind "bool" picks Yes/No in the labelled group, "choice" selects, "text" fills, "document"
# attaches a file.
Answers = list[tuple[str, str, str | Path]]


def _seed(app: Flask) -> int:
    """The UN list loaded (screening needs a list), a second security officer (security requirements are prepared
    and signed within security, by two people) and a procurement at SUA level 2 in its first phase."""
    from conftest import PASSWORD
    from vetting.domain import users

    db = connect(app.config["DATABASE"])
    try:
        users.create_user(db, SYSTEM, username="security_officer_2", password=PASSWORD, roles=["security_officer"],
                          display_name="Second Security Officer", hash_method="pbkdf2:sha256:1000")
        lists.import_list(db, SYSTEM, "un", [LISTS / "un_consolidated.xml"])
        return procurements.create(db, SYSTEM, {"reference": REFERENCE, "title": TITLE, "phase": "need",
                                                "protection_level": "sua2", "estimated_value": "4 800 000"})
    finally:
        db.conn.close()


def flash(page: Page) -> Locator:
    return page.locator(".flashes")


def gate(page: Page) -> Locator:
    """The notice on the procurement page saying what stands before the next phase."""
    return page.locator("#phase .notice")


def blocker(page: Page, checkpoint: str) -> Locator:
    return gate(page).get_by_role("listitem").filter(has=page.get_by_role("link", name=re.compile(rf"^{checkpoint} ")))


def answer(answers: Locator, label: str) -> Locator:
    """The value shown for one answer of a checkpoint."""
    return answers.locator("dl.facts > div").filter(has=answers.page.locator("dt", has_text=label)).locator("dd")


def open_procurement(page: Page, base: str, procurement_id: int) -> None:
    page.goto(f"{base}/procurements/{procurement_id}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{REFERENCE}: {TITLE}")


def current_phase(page: Page) -> Locator:
    return page.get_by_role("list", name="Phases").locator("li[aria-current=step]")


def move_to(page: Page, phase: str) -> None:
    """Press "Move to: <phase>" and see the procurement in that phase."""
    button = page.get_by_role("button", name=f"Move to: {phase}", exact=True)
    expect(button).to_be_enabled()
    button.click()
    expect(flash(page)).to_have_text(f"The procurement is now in phase: {phase}.")
    expect(current_phase(page)).to_have_text(phase)


def try_to_move(page: Page, phase: str, blocking: str) -> None:
    """Press "Move to: <phase>" while checkpoints block it: announced as disabled (aria-disabled), still pressable
    with a mouse (Playwright refuses to click it unless forced), refused by the server with the checkpoints named."""
    before = current_phase(page).inner_text()
    button = page.get_by_role("button", name=f"Move to: {phase}", exact=True)
    expect(button).to_be_disabled()
    button.click(force=True)
    expect(flash(page)).to_have_text(f"Cannot move on: checkpoint(s) {blocking} are not approved.")
    expect(current_phase(page)).to_have_text(before)


def screen_all(page: Page, base: str, procurement_id: int) -> None:
    """Screen the whole chain: a background batch with its progress page, then back to the procurement."""
    page.get_by_role("button", name="Screen every supplier, subcontractor and key person").click()
    expect(page.get_by_role("heading", name="What changed")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("finished")
    page.get_by_role("link", name="Back to the procurement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{REFERENCE}: {TITLE}")


def open_from_inbox(page: Page, base: str, box: str, checkpoint: str) -> None:
    """My checkpoints → the box (Waiting for me, Returned to me) → the checkpoint of this procurement."""
    page.goto(f"{base}/")
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="My checkpoints").click()
    # What waits for my own sign-off has a box of its own, shown first ("Waiting for your decision").
    pattern = r"^Waiting for (me|your decision)" if box == "Waiting for me" else rf"^{box}"
    section = page.get_by_role("region", name=re.compile(pattern))
    row = section.get_by_role("row").filter(has=page.get_by_role("link", name=REFERENCE, exact=True)).filter(
        has=page.get_by_role("link", name=re.compile(rf"^{checkpoint} ")))
    expect(row).to_have_count(1)
    row.get_by_role("link", name=re.compile(rf"^{checkpoint} ")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{checkpoint}: ")


def prepare(page: Page, answers: Answers, again: bool = False) -> None:
    """Fill in the open checkpoint on screen and send it for sign-off."""
    form = page.get_by_role("region", name="Fix and send again" if again else "Prepare and send for sign-off")
    for kind, label, value in answers:
        if kind == "bool":
            form.get_by_role("group", name=label, exact=True).get_by_label(str(value), exact=True).check()
        elif kind == "choice":
            form.get_by_label(label, exact=True).select_option(label=str(value))
        elif kind == "document":
            form.get_by_label(label, exact=True).set_input_files(value)
        else:
            form.get_by_label(label, exact=True).fill(str(value))
    form.get_by_role("button", name="Send for sign-off").click()
    expect(flash(page)).to_have_text("Sent for sign-off.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Waiting for sign-off")


def sign(page: Page, decision: str, reason: str) -> None:
    """Record a sign-off decision on the checkpoint on screen."""
    form = page.get_by_role("region", name="Sign off", exact=True)
    form.get_by_role("group", name="Decision", exact=True).get_by_label(decision, exact=True).check()
    form.get_by_label("Reason", exact=True).fill(reason)
    form.get_by_role("button", name="Record decision").click()
    expect(flash(page)).to_have_text("Decision recorded.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Returned" if decision.startswith("Reject")
                                                                  else "Approved")


def add_participant(page: Page, role: str, name: str, under: str | None = None) -> None:
    """Register a new organisation (no identifier, so only the list check and manual checks apply) in a role."""
    if under:
        page.get_by_role("treeitem").filter(has=page.get_by_role("link", name=under, exact=True)).get_by_role(
            "link", name=f"Add subcontractor under {under}").click()
    form = page.locator("#add-participant")
    form.get_by_label("Role in the procurement", exact=True).select_option(label=role)
    form.get_by_label("Name", exact=True).fill(name)
    form.get_by_label("Country (ISO code)", exact=True).fill("SE")
    form.get_by_role("button", name="Add", exact=True).click()
    expect(flash(page)).to_have_text("Participant added.")
    expect(page.get_by_role("treeitem").filter(has=page.get_by_role("link", name=name, exact=True))).to_contain_text(role)


def test_need_to_signed_contract_with_cp5_returned_once(
        page: Page, new_context: Callable[..., BrowserContext], live_app: Flask, live_server: str, tmp_path: Path,
        output_path: str) -> None:
    procurement_id = _seed(live_app)
    base = live_server
    analysis = tmp_path / "sakerhetsskyddsanalys.pdf"
    analysis.write_bytes(PDF)

    officer = page
    security = new_context().new_page()
    problems = watch_console(officer)
    security_problems = watch_console(security)
    sign_in(officer, base, "procurement_officer")
    sign_in(security, base, "security_officer")

    # Need: the officer cannot move on before CP0 is signed off, and is told by whom.
    open_procurement(officer, base, procurement_id)
    expect(current_phase(officer)).to_have_text("Need")
    expect(officer.locator(".facts")).to_contain_text("SUA level 2")
    expect(gate(officer)).to_contain_text("Before Preparation:")
    expect(blocker(officer, "CP0")).to_contain_text("To prepare · waiting for: Procurement officer")
    try_to_move(officer, "Preparation", "CP0")

    blocker(officer, "CP0").get_by_role("link").click()
    expect(officer.get_by_role("heading", level=1)).to_have_text("CP0: Need: security screening To prepare")
    prepare(officer, [("bool", "Security-sensitive activity", "Yes"), ("bool", "Access to premises or systems", "Yes"),
                      ("choice", "Control level", "Security-protected")])
    # The security officer hears about it and signs it off.
    security.goto(f"{base}/")
    security.get_by_role("link", name=re.compile(r"^Notifications")).click()
    notice = security.get_by_role("link", name=f"Checkpoint CP0 of {REFERENCE} waits for your sign-off.")
    notice.click()
    expect(security.get_by_role("heading", level=1)).to_have_text("CP0: Need: security screening Waiting for sign-off")
    expect(answer(security.get_by_role("region", name="Answers"), "Control level")).to_have_text("Security-protected")
    sign(security, "Approve", "Guarding the town hall is security-sensitive; SUA level 2 as proposed.")

    open_procurement(officer, base, procurement_id)
    expect(gate(officer)).to_have_count(0)
    move_to(officer, "Preparation")

    # Documents → advertised: CP1 is security's: one security officer prepares it (with the analysis as a PDF),
    # another signs it off; the procurement officer cannot.
    expect(blocker(officer, "CP1")).to_contain_text("To prepare · waiting for: Security officer")
    open_from_inbox(security, base, "Waiting for me", "CP1")
    prepare(security, [("document", "Security protection analysis", analysis),
                       ("bool", "Clauses on approval of subcontractors", "Yes")])
    open_procurement(officer, base, procurement_id)
    expect(blocker(officer, "CP1")).to_contain_text("Waiting for sign-off · waiting for: Security officer")
    second = new_context().new_page()
    second_problems = watch_console(second)
    sign_in(second, base, "security_officer_2")
    open_from_inbox(second, base, "Waiting for me", "CP1")
    answers = second.get_by_role("region", name="Answers")
    expect(answer(answers, "Security protection analysis")).to_contain_text(analysis.name)
    with second.expect_download() as download:
        answers.get_by_role("link", name=analysis.name).click()
    assert Path(download.value.path()).read_bytes() == PDF
    sign(second, "Approve", "The analysis covers the guarding staff and the alarm systems.")
    open_procurement(officer, base, procurement_id)
    move_to(officer, "Advertising")
    move_to(officer, "Tender opening")

    # Advertised → evaluation: CP3, the SUA is signed before classified documents go out; procurement supplies the
    # fact, security signs it off.
    open_from_inbox(officer, base, "Waiting for me", "CP3")
    prepare(officer, [("bool", "SUA signed and notified", "Yes")])
    open_from_inbox(security, base, "Waiting for me", "CP3")
    sign(security, "Approve", "SUA signed and notified.")
    open_procurement(officer, base, procurement_id)
    move_to(officer, "Evaluation and qualification")

    # Evaluation → award: the page says what is missing for CP4 and CP5 and who must act.
    expect(gate(officer)).to_contain_text("Before Award decision:")
    expect(blocker(officer, "CP4")).to_contain_text("To prepare · waiting for: Procurement officer")
    expect(blocker(officer, "CP4")).to_contain_text("✘ No bidder is registered.")
    expect(blocker(officer, "CP5")).to_contain_text("To prepare · waiting for: Procurement officer")
    expect(blocker(officer, "CP5")).to_contain_text("✘ No supplier is marked as awarded.")
    add_participant(officer, "Bidder", BIDDER)
    add_participant(officer, "Awarded supplier", AWARDED)
    add_participant(officer, "Subcontractor", SUBCONTRACTOR, under=AWARDED)
    expect(blocker(officer, "CP4")).not_to_contain_text("No bidder is registered.")
    expect(blocker(officer, "CP4")).to_contain_text(f"✘ Not screened: {BIDDER}")
    expect(blocker(officer, "CP5")).to_contain_text(f"✘ Subcontractors not screened: {SUBCONTRACTOR}")
    screen_all(officer, base, procurement_id)
    officer.get_by_role("button", name="Assess the risk of every organisation").click()
    expect(flash(officer)).to_contain_text("organisations assessed")
    for name in (BIDDER, AWARDED, SUBCONTRACTOR):
        expect(officer.get_by_role("link", name=f"Screening of {name}:")).to_have_text("Needs manual input")
    # The triage asked for deepened checks of the contract's chain: the security officer concludes them.
    for name in (AWARDED, SUBCONTRACTOR):
        expect(gate(officer).get_by_role("listitem").filter(has_text=f"{name}: The deepened check")).to_have_count(1)
        case = officer.get_by_role("link", name=re.compile(rf"^Risk assessment of {name}:")).get_attribute("href")
        security.goto(base + case)
        security.get_by_label("Examined", exact=True).fill("Ownership, board, tax and register answers")
        security.get_by_label("Proportionality", exact=True).fill("In proportion to a guarding contract")
        security.get_by_label("Conclusion", exact=True).fill("No obstacle")
        security.get_by_role("button", name="Conclude the deepened check").click()
        expect(flash(security)).to_have_text("The deepened check is concluded.")
    open_procurement(officer, base, procurement_id)
    expect(gate(officer).locator(".danger")).to_have_count(0)  # every automatic criterion holds now

    blocker(officer, "CP4").get_by_role("link").click()
    expect(officer.get_by_role("region", name="Automatic criteria now").locator("li.danger")).to_have_count(0)
    prepare(officer, [("bool", "Abnormally low tenders have been inquired into", "Yes")])
    open_procurement(officer, base, procurement_id)
    blocker(officer, "CP5").get_by_role("link").click()
    prepare(officer, [("bool", "Evidence received from the supplier (LOU ch. 15)", "No"),
                      ("text", "Overall assessment", "Suitable; the certificates are on their way.")])

    # Blocked at award while the security officer has not signed.
    open_procurement(officer, base, procurement_id)
    expect(blocker(officer, "CP4")).to_contain_text("Waiting for sign-off · waiting for: Security officer")
    expect(blocker(officer, "CP5")).to_contain_text("Waiting for sign-off · waiting for: Security officer")
    try_to_move(officer, "Award decision", "CP4, CP5")

    # The security officer approves CP4 and returns CP5 with a reason.
    open_from_inbox(security, base, "Waiting for me", "CP4")
    sign(security, "Approve", "All parties screened; no open matches.")
    open_from_inbox(security, base, "Waiting for me", "CP5")
    expect(answer(security.get_by_role("region", name="Answers"),
                  "Evidence received from the supplier (LOU ch. 15)")).to_have_text("No")
    sign(security, "Reject and return to the preparer", REJECTION)

    # The officer is still blocked, sees why and where: the procurement page, the inbox, the notification, the page.
    open_procurement(officer, base, procurement_id)
    expect(gate(officer).get_by_role("listitem")).to_have_count(1)
    expect(blocker(officer, "CP5")).to_contain_text("Returned · waiting for: Procurement officer")
    try_to_move(officer, "Award decision", "CP5")

    open_from_inbox(officer, base, "Returned to me", "CP5")
    decision = officer.get_by_role("region", name="Decisions").get_by_role("article")
    expect(decision).to_have_count(1)
    expect(decision.get_by_role("heading")).to_contain_text("Returned round 1 · security_officer")
    expect(decision).to_contain_text(f"Reason: {REJECTION}")

    officer.get_by_role("link", name=re.compile(r"^Notifications")).click()
    returned = officer.get_by_role("link", name=f"Checkpoint CP5 of {REFERENCE} was returned: {REJECTION}")
    expect(returned).to_be_visible()
    returned.click()
    expect(officer.get_by_role("heading", level=1)).to_have_text(
        "CP5: Joint assessment before the award decision Returned")

    # Fix: the earlier answers are filled in; correct them and send again.
    fix = officer.get_by_role("region", name="Fix and send again")
    evidence = fix.get_by_role("group", name="Evidence received from the supplier (LOU ch. 15)", exact=True)
    expect(evidence.get_by_label("No", exact=True)).to_be_checked()
    expect(fix.get_by_label("Overall assessment", exact=True)).to_have_value(
        "Suitable; the certificates are on their way.")
    prepare(officer, [("bool", "Evidence received from the supplier (LOU ch. 15)", "Yes"),
                      ("text", "Overall assessment", "Certificates received and checked; no exclusion ground. "
                                                     "The supplier and its subcontractor are suitable.")], again=True)
    open_procurement(officer, base, procurement_id)
    expect(blocker(officer, "CP5")).to_contain_text("Waiting for sign-off · waiting for: Security officer")

    open_from_inbox(security, base, "Waiting for me", "CP5")
    expect(answer(security.get_by_role("region", name="Answers"),
                  "Evidence received from the supplier (LOU ch. 15)")).to_have_text("Yes")
    sign(security, "Approve", "Certificates in order; security endorses the award.")
    expect(security.get_by_role("region", name="Decisions").get_by_role("article")).to_have_count(2)

    # Award, standstill, and the re-check (CP6) before the contract is signed.
    open_procurement(officer, base, procurement_id)
    expect(gate(officer)).to_have_count(0)
    move_to(officer, "Award decision")
    # The notice of the award went to both bidders electronically 30 days ago: the standstill is over by now.
    notice = officer.locator("#timeline form").filter(has=officer.get_by_role("button", name="Record the notice"))
    notice.get_by_label("Notice sent on", exact=True).fill((date.today() - timedelta(days=30)).isoformat())
    notice.get_by_label("Electronically (10 days' standstill)", exact=True).check()
    expect(notice.get_by_label(BIDDER, exact=True)).to_be_checked()
    expect(notice.get_by_label(AWARDED, exact=True)).to_be_checked()
    notice.get_by_label("Reasons for the award decision", exact=True).fill("Best value for money; see the report.")
    notice.get_by_role("button", name="Record the notice").click()
    expect(flash(officer)).to_contain_text("Notice recorded. Standstill until")
    move_to(officer, "Standstill")
    expect(blocker(officer, "CP6")).to_contain_text("To prepare · waiting for: Procurement officer")
    screen_all(officer, base, procurement_id)
    officer.get_by_role("button", name="Assess the risk of every organisation").click()
    expect(flash(officer)).to_contain_text("organisations assessed")
    blocker(officer, "CP6").get_by_role("link").click()
    prepare(officer, [("bool", "Checks were run again after the award", "Yes")])
    open_from_inbox(security, base, "Waiting for me", "CP6")
    sign(security, "Approve", "Re-check after the award is clean.")
    open_procurement(officer, base, procurement_id)
    move_to(officer, "Contract")

    # Signed: every gating checkpoint so far approved; the next gate (CP7) is the security officer's.
    table = officer.get_by_role("table", name="Checkpoints")
    for checkpoint in ("CP0", "CP1", "CP3", "CP4", "CP5", "CP6"):
        row = table.get_by_role("row").filter(has=officer.get_by_role("link", name=re.compile(rf"^{checkpoint} ")))
        expect(row.locator(".cp-state")).to_have_text("Approved")
    expect(blocker(officer, "CP7")).to_contain_text("To prepare · waiting for: Procurement officer")
    officer.get_by_role("link", name="Timeline").click()
    expect(officer.get_by_role("listitem").filter(has_text="Checkpoint rejected")).to_contain_text(REJECTION)
    open_procurement(officer, base, procurement_id)
    screenshot = Path(output_path) / "procurement-contract-signed.png"
    officer.screenshot(path=screenshot, full_page=True)
    assert screenshot.is_file() and screenshot.stat().st_size > 10_000

    assert problems == [] and security_problems == [] and second_problems == []
