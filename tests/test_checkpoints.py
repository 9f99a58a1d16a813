"""Checkpoints: gates block and unblock phases; four eyes; rejection returns; events open checkpoints."""
from __future__ import annotations

import pytest

from vetting.domain import checkpoints, organisations, procurements, risk, screening, workflow
from vetting.domain.audit import Actor
from vetting.domain.errors import Conflict, InvalidInput
from vetting.store import checkpoints as store

SETTINGS = {"SCREENING_POSSIBLE_THRESHOLD": 0.8, "SCREENING_HIT_THRESHOLD": 0.93}
OFFLINE = ("sanctions",)


@pytest.fixture
def people(accounts):
    officer = Actor(accounts["procurement_officer"], "procurement_officer", frozenset({"procurement_officer"}))
    security = Actor(accounts["security_officer"], "security_officer", frozenset({"security_officer"}))
    return officer, security


@pytest.fixture
def lists_loaded(db):
    from pathlib import Path

    from vetting.domain import lists
    from vetting.domain.audit import SYSTEM

    lists.import_list(db, SYSTEM, "un", [Path(__file__).parent / "fixtures" / "lists" / "un_consolidated.xml"])


def _cp(db, pid, template_id):
    return next(c for c in store.for_procurement(db, pid) if c["template_id"] == template_id)


def _approve(db, pid, template_id, preparer, signer, answers):
    cp = _cp(db, pid, template_id)
    checkpoints.prepare(db, preparer, cp["id"], answers)
    checkpoints.sign(db, signer, cp["id"], "approved", "OK enligt underlag")


CP0 = {"security_sensitive": "no", "access_needed": "no", "control_level": "basic"}


def test_phase_checkpoints_open_by_protection_level(db, people, create_procurement):
    plain = create_procurement(protection_level="none", estimated_value=100_000)
    protected = create_procurement(protection_level="sua1")
    assert {c["template_id"] for c in store.for_procurement(db, plain)} == {"CP0", "CP4", "CP6", "CP12"}
    assert {"CP1", "CP2", "CP3", "CP5", "CP7"} <= {c["template_id"] for c in store.for_procurement(db, protected)}


def test_phase_is_blocked_until_its_checkpoint_is_approved(db, people, create_procurement):
    officer, security = people
    pid = create_procurement(protection_level="none", estimated_value=100_000)
    with pytest.raises(InvalidInput, match="CP0"):
        workflow.advance(db, officer, pid)
    _approve(db, pid, "CP0", officer, security, CP0)
    assert workflow.advance(db, officer, pid) == "documents"


def test_preparer_cannot_sign_own_checkpoint(db, accounts, create_procurement):
    both = Actor(accounts["procurement_officer"], "procurement_officer",
                 frozenset({"procurement_officer", "security_officer"}))
    pid = create_procurement()
    cp = _cp(db, pid, "CP0")
    checkpoints.prepare(db, both, cp["id"], CP0)
    with pytest.raises(InvalidInput, match="Four eyes"):
        checkpoints.sign(db, both, cp["id"], "approved", "eget godkännande")


def test_only_the_owner_role_prepares_and_the_signer_role_signs(db, people, accounts, create_procurement):
    officer, security = people
    # Another procurement officer, not the preparer: four eyes alone would let them sign.
    colleague = Actor(accounts["admin"], "admin", frozenset({"procurement_officer"}))
    cp = _cp(db, create_procurement(), "CP0")
    with pytest.raises(InvalidInput, match="Only a"):
        checkpoints.prepare(db, security, cp["id"], CP0)
    checkpoints.prepare(db, officer, cp["id"], CP0)
    with pytest.raises(InvalidInput, match="Only a"):
        checkpoints.sign(db, colleague, cp["id"], "approved", "godkänt av fel roll")
    assert store.decisions(db, cp["id"]) == []
    checkpoints.sign(db, security, cp["id"], "approved", "OK enligt underlag")
    assert [d["decision"] for d in store.decisions(db, cp["id"])] == ["approved"]


def test_rejection_returns_to_preparer_with_reason_then_approval(db, people, create_procurement):
    officer, security = people
    pid = create_procurement()
    cp = _cp(db, pid, "CP0")
    checkpoints.prepare(db, officer, cp["id"], CP0)
    checkpoints.sign(db, security, cp["id"], "rejected", "Tillträde till system behövs, ändra svaret")
    returned = __import__("vetting.domain.inbox", fromlist=["for_user"]).for_user(db, officer)["returned"]
    assert [c["id"] for c in returned] == [cp["id"]]
    assert "Tillträde" in store.notifications(db, officer.id)[0]["text"]
    checkpoints.prepare(db, officer, cp["id"], {**CP0, "access_needed": "yes"})
    checkpoints.sign(db, security, cp["id"], "approved", "Nu korrekt")
    assert [d["decision"] for d in store.decisions(db, cp["id"])] == ["rejected", "approved"]


def test_conditions_are_required_for_conditional_approval(db, people, create_procurement):
    officer, security = people
    cp = _cp(db, create_procurement(), "CP0")
    checkpoints.prepare(db, officer, cp["id"], CP0)
    with pytest.raises(InvalidInput, match="conditions"):
        checkpoints.sign(db, security, cp["id"], "approved_with_conditions", "ok", "")


def test_second_decision_on_the_same_round_is_a_conflict(db, people, accounts, create_procurement):
    officer, security = people
    cp = _cp(db, create_procurement(), "CP0")
    checkpoints.prepare(db, officer, cp["id"], CP0)
    checkpoints.sign(db, security, cp["id"], "approved", "ok")
    other = Actor(accounts["admin"], "admin", frozenset({"security_officer"}))
    with pytest.raises(Conflict):
        checkpoints.sign(db, other, cp["id"], "rejected", "nej")


def test_decision_freezes_the_evidence_it_rested_on(db, people, create_org, create_procurement):
    officer, security = people
    pid = create_procurement()
    procurements.add_participant(db, officer, pid, create_org(name="Anbud AB"), "bidder")
    cp = _cp(db, pid, "CP0")
    checkpoints.prepare(db, officer, cp["id"], CP0)
    checkpoints.sign(db, security, cp["id"], "approved", "ok")
    snapshot = store.decisions(db, cp["id"])[0]["snapshot"]
    assert snapshot["parties"][0]["organisation"] == "Anbud AB" and snapshot["answers"]["control_level"] == "basic"


def test_sign_off_and_audit_entry_commit_together(db, people, create_procurement, monkeypatch):
    officer, security = people
    cp = _cp(db, create_procurement(), "CP0")
    checkpoints.prepare(db, officer, cp["id"], CP0)

    def broken_record(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(checkpoints, "record", broken_record)
    with pytest.raises(RuntimeError):
        checkpoints.sign(db, security, cp["id"], "approved", "ok")
    assert store.decisions(db, cp["id"]) == [] and store.get(db, cp["id"])["state"] == "prepared"


# Gate criteria: each blocks preparing CP4 until it holds.

def _answer_everything(db, checkpoint_id, preparer):
    """Fill a checkpoint with plausible answers (documents included) and prepare it."""
    from vetting.domain.manual import clean_document

    template = checkpoints.get(db, checkpoint_id)["template"]
    raw, docs = {}, {}
    for field in template.fields:
        if field.kind == "document":
            docs[field.name] = clean_document("underlag.pdf", b"%PDF-1.4 underlag")
        else:
            raw[field.name] = {"bool": "yes", "choice": field.choices[0] if field.choices else "", "text": "Bedömt"}[field.kind]
    if template.id == "CP0":
        raw = dict(CP0)  # a plain need: "yes" here would (rightly) add the security checkpoints
    checkpoints.prepare(db, preparer, checkpoint_id, raw, docs)


def _second_security_officer(db):
    from vetting.domain import users
    from vetting.domain.audit import SYSTEM
    from vetting.store import users as user_store

    existing = user_store.get_by_username(db, "security_officer_2")
    uid = existing["id"] if existing else users.create_user(
        db, SYSTEM, username="security_officer_2", password="correct horse battery staple", roles=["security_officer"],
        display_name="Second Security Officer", hash_method="pbkdf2:sha256:1000")
    return Actor(uid, "security_officer_2", frozenset({"security_officer"}))


def _to_evaluation(db, pid, officer, security):
    """Sign off every gating checkpoint up to the evaluation phase, the way the roles would."""
    other = _second_security_officer(db)
    by_role = {"procurement_officer": officer, "security_officer": security}
    while workflow.gate(db, pid).next_phase != "award":
        for block in workflow.gate(db, pid).blocking:
            template = block["template"]
            preparer = by_role[template.preparer]
            signer = other if template.signer == template.preparer else by_role[template.signer]
            _answer_everything(db, block["checkpoint"]["id"], preparer)
            checkpoints.sign(db, signer, block["checkpoint"]["id"], "approved", "OK")
        workflow.advance(db, officer, pid)


def test_cp4_needs_a_bidder(db, people, create_procurement):
    officer, security = people
    pid = create_procurement()
    _to_evaluation(db, pid, officer, security)
    with pytest.raises(InvalidInput, match="No bidder"):
        checkpoints.prepare(db, officer, _cp(db, pid, "CP4")["id"], {"low_tender_inquiry": "yes"})


def test_cp4_needs_everyone_screened(db, people, create_org, create_procurement, lists_loaded):
    officer, security = people
    pid = create_procurement()
    _to_evaluation(db, pid, officer, security)
    org = create_org(name="Anbud AB")
    procurements.add_participant(db, officer, pid, org, "bidder")
    cp4 = _cp(db, pid, "CP4")["id"]
    with pytest.raises(InvalidInput, match="Not screened: Anbud AB"):
        checkpoints.prepare(db, officer, cp4, {"low_tender_inquiry": "yes"})
    screening.screen_procurement(db, officer, pid, SETTINGS, OFFLINE)
    with pytest.raises(InvalidInput, match="Not risk-assessed: Anbud AB"):
        checkpoints.prepare(db, officer, cp4, {"low_tender_inquiry": "yes"})
    risk.assess_procurement(db, officer, pid)
    checkpoints.prepare(db, officer, cp4, {"low_tender_inquiry": "yes"})
    from four_eyes import conclude_deepened_checks

    conclude_deepened_checks(db, pid)
    checkpoints.sign(db, security, cp4, "approved", "Alla kontrollerade")
    assert workflow.advance(db, officer, pid) == "award"


def test_cp4_blocked_by_open_match_until_decided(db, people, create_org, create_procurement, lists_loaded):
    officer, security = people
    pid = create_procurement()
    _to_evaluation(db, pid, officer, security)
    org = create_org(name="Test Relief Foundation", country="PK")
    procurements.add_participant(db, officer, pid, org, "bidder")
    screening.screen_procurement(db, officer, pid, SETTINGS, OFFLINE)
    cp4 = _cp(db, pid, "CP4")["id"]
    with pytest.raises(InvalidInput, match="Matches wait for review"):
        checkpoints.prepare(db, officer, cp4, {"low_tender_inquiry": "yes"})
    outcome = screening.outcome_store.latest(db, "organisation", org)[0]
    from four_eyes import confirmed

    confirmed(db, screening.decide(db, officer, outcome["id"], "un", outcome["explanation"][0]["listed_id"], "dismissed",
                                   "Annan stiftelse, annat land"))
    risk.assess_procurement(db, officer, pid)
    checkpoints.prepare(db, officer, cp4, {"low_tender_inquiry": "yes"})


def test_cp4_blocked_by_check_in_error_until_overridden(db, people, create_org, create_procurement):
    officer, security = people
    pid = create_procurement()
    _to_evaluation(db, pid, officer, security)
    org = create_org(name="Anbud AB")
    procurements.add_participant(db, officer, pid, org, "bidder")
    screening.screen_procurement(db, officer, pid, SETTINGS, OFFLINE)  # no lists loaded: sanctions check errors
    cp4 = _cp(db, pid, "CP4")["id"]
    with pytest.raises(InvalidInput, match="Checks in error"):
        checkpoints.prepare(db, officer, cp4, {"low_tender_inquiry": "yes"})
    outcome = screening.outcome_store.latest(db, "organisation", org)[0]
    from four_eyes import confirmed

    confirmed(db, checkpoints.override_error(db, security, outcome["id"], "Listorna kontrollerade manuellt på UN:s webbplats"))
    risk.assess_procurement(db, officer, pid)
    checkpoints.prepare(db, officer, cp4, {"low_tender_inquiry": "yes"})


def test_cp5_needs_an_awarded_supplier_and_screened_subcontractors(db, people, create_org, create_procurement,
                                                                     lists_loaded):
    officer, security = people
    pid = create_procurement(risk_industry=True)
    _to_evaluation(db, pid, officer, security)
    top = procurements.add_participant(db, officer, pid, create_org(name="Anbud AB"), "bidder")
    screening.screen_procurement(db, officer, pid, SETTINGS, OFFLINE)
    cp5 = _cp(db, pid, "CP5")["id"]
    answers = {"evidence_received": "yes", "assessment": "Tillstyrks"}
    with pytest.raises(InvalidInput, match="No supplier is marked as awarded"):
        checkpoints.prepare(db, officer, cp5, answers)
    winner = create_org(name="Vinnare AB")
    procurements.add_participant(db, officer, pid, winner, "awarded")
    procurements.add_participant(db, officer, pid, create_org(name="Under AB"), "subcontractor", top)
    with pytest.raises(InvalidInput, match="Subcontractors not screened"):
        checkpoints.prepare(db, officer, cp5, answers)
    screening.screen_procurement(db, officer, pid, SETTINGS, OFFLINE)
    risk.assess_procurement(db, officer, pid)
    checkpoints.prepare(db, officer, cp5, answers)


def test_required_document_must_be_attached(db, people, create_procurement):
    officer, security = people
    pid = create_procurement(protection_level="sua2")
    cp1 = _cp(db, pid, "CP1")["id"]
    with pytest.raises(InvalidInput, match="Attach the document"):
        checkpoints.prepare(db, security, cp1, {"subcontractor_clauses": "yes"})
    from vetting.domain.manual import clean_document

    doc = clean_document("analys.pdf", b"%PDF-1.4 test")
    checkpoints.prepare(db, security, cp1, {"subcontractor_clauses": "yes"}, {"security_analysis": doc})
    assert store.get(db, cp1)["answers"]["security_analysis"]["filename"] == "analys.pdf"


# Event checkpoints

def _signed(db, pid):
    db.execute("UPDATE procurements SET phase = 'signed' WHERE id = ?", [pid])


def test_new_subcontractor_on_signed_contract_opens_cp8(db, people, create_org, create_procurement):
    officer, _security = people
    pid = create_procurement()
    top = procurements.add_participant(db, officer, pid, create_org(name="Leverantör AB"), "awarded")
    _signed(db, pid)
    procurements.add_participant(db, officer, pid, create_org(name="Ny Under AB"), "subcontractor", top)
    cp8 = [c for c in store.for_procurement(db, pid) if c["template_id"] == "CP8"]
    assert len(cp8) == 1 and cp8[0]["event_detail"]["name"] == "Ny Under AB"


def test_new_key_person_on_contract_party_opens_cp8(db, people, create_org, create_procurement):
    officer, _security = people
    pid = create_procurement()
    org = create_org(name="Leverantör AB")
    procurements.add_participant(db, officer, pid, org, "awarded")
    _signed(db, pid)
    organisations.add_key_person(db, officer, org, {"name": "Ny Styrelseledamot", "role": "board_member",
                                                    "birth_date": "1980"})
    assert [c["template_id"] for c in store.for_procurement(db, pid)].count("CP8") == 1


def test_extension_opens_cp11_only_for_signed_contracts(db, people, create_procurement):
    officer, _security = people
    pid = create_procurement()
    with pytest.raises(InvalidInput):
        workflow.extend(db, officer, pid, "option år 2")
    _signed(db, pid)
    workflow.extend(db, officer, pid, "option år 2")
    assert [c["template_id"] for c in store.for_procurement(db, pid)].count("CP11") == 1


def test_inbox_shows_what_waits_for_each_role(db, people, create_procurement):
    from vetting.domain import inbox

    officer, security = people
    pid = create_procurement()
    cp0 = _cp(db, pid, "CP0")["id"]
    assert cp0 in [c["id"] for c in inbox.for_user(db, officer)["waiting"]]
    checkpoints.prepare(db, officer, cp0, CP0)
    assert cp0 not in [c["id"] for c in inbox.for_user(db, officer)["waiting"]]
    assert cp0 in [c["id"] for c in inbox.for_user(db, security)["waiting"]]


def test_overdue_inbox(db, people, create_procurement):
    from vetting.domain import inbox

    officer, _security = people
    pid = create_procurement()
    db.execute("UPDATE checkpoints SET due_at = '2000-01-01T00:00:00+00:00' WHERE procurement_id = ?", [pid])
    assert _cp(db, pid, "CP0")["id"] in [c["id"] for c in inbox.for_user(db, officer)["overdue"]]


def test_timeline_lists_phase_changes_and_decisions(login_as, db, people, create_procurement):
    officer, security = people
    pid = create_procurement()
    _approve(db, pid, "CP0", officer, security, CP0)
    workflow.advance(db, officer, pid)
    page = login_as("reviewer").get(f"/checkpoints/procurement/{pid}/timeline").get_data(as_text=True)
    # Actions in words (the vocabulary), in the order they happened.
    assert page.index("Kontrollpunkt förberedd") < page.index("Kontrollpunkt godkänd") < page.index("Fas ändrad")


def test_procurement_page_says_what_is_missing_and_who_must_act(login_as, create_procurement):
    pid = create_procurement()
    client = login_as("procurement_officer")
    client.post("/language", data={"lang": "en"})
    page = client.get(f"/procurements/{pid}").get_data(as_text=True)
    assert "Before Preparation" in page and "waiting for: Procurement officer" in page


def test_rejection_is_emailed_to_the_preparer(app, db, people, create_procurement):
    import socket
    import time

    from aiosmtpd.controller import Controller

    received = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            received.append(envelope)
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port, server_hostname="localhost")
    controller.start()
    try:
        officer, security = people
        db.execute("UPDATE users SET email = 'anna@myndighet.example' WHERE id = ?", [officer.id])
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
        pid = create_procurement()
        cp = _cp(db, pid, "CP0")
        with app.app_context():
            checkpoints.prepare(db, officer, cp["id"], CP0)
            checkpoints.sign(db, security, cp["id"], "rejected", "Komplettera svaret om tillträde")
        deadline = time.time() + 5
        while not received and time.time() < deadline:
            time.sleep(0.05)
    finally:
        controller.stop()
    assert received and received[-1].rcpt_tos == ["anna@myndighet.example"]
    from email import message_from_bytes
    from email.policy import default

    body = message_from_bytes(received[-1].content, policy=default).get_content()
    assert "Komplettera svaret om tillträde" in body and "har återsänts" in body  # in the officers' language
