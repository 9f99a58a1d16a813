"""Gates that hold: blockers over the whole chain stop award, signing and start of performance on every route."""
from __future__ import annotations

from pathlib import Path

import pytest

from vetting.domain import blockers, checkpoints, organisations, procurements, risk, screening, workflow
from vetting.domain.audit import SYSTEM, Actor
from vetting.domain.errors import InvalidInput
from vetting.store import checkpoints as cp_store
from vetting.store import organisations as org_store
from vetting.store import outcomes as outcome_store
from vetting.store import risk as risk_store

SETTINGS = {"SCREENING_POSSIBLE_THRESHOLD": 0.8, "SCREENING_HIT_THRESHOLD": 0.93}
OFFLINE = ("sanctions",)
LISTED_PERSON = {"name": "Karim Abdul Al-Testi", "role": "beneficial_owner", "birth_date": "1960-04-28"}


@pytest.fixture
def people(accounts):
    officer = Actor(accounts["procurement_officer"], "procurement_officer", frozenset({"procurement_officer"}))
    security = Actor(accounts["security_officer"], "security_officer", frozenset({"security_officer"}))
    return officer, security


@pytest.fixture(autouse=True)
def lists_loaded(db):
    from vetting.domain import lists

    lists.import_list(db, SYSTEM, "un", [Path(__file__).parent / "fixtures" / "lists" / "un_consolidated.xml"])


def _cp(db, pid, template_id):
    return next(c for c in cp_store.for_procurement(db, pid) if c["template_id"] == template_id)


def _confirm_all(db, actor, kind, subject_id):
    outcome = next(o for o in outcome_store.latest(db, kind, subject_id) if o["check_id"] == "sanctions")
    assert outcome["status"] in ("hit", "possible_match"), outcome["status"]
    for match in outcome["explanation"]:
        screening.decide(db, actor, outcome["id"], match["list"], match["listed_id"], "confirmed", "Samma person")


def _decide_exclude(db, pid, org):
    """Setup: an exclusion assessment of the party decided "exclude" (the deciding itself is tested elsewhere)."""
    assessment = risk.assess(db, SYSTEM, pid, org)
    case_id = risk_store.open_exclusion_case(db, assessment, pid, org, [{"indicator": "x", "legal_basis": "13:2"}])
    from vetting.store import exclusion as exclusion_store

    exclusion_store.insert_decision(db, case_id=case_id, outcome="exclude", reasons="Grovt brott, 13:2 LOU",
                                    prepared_by="procurement_officer", decided_by="security_officer")


def _at_evaluation(create_procurement, **values):
    return create_procurement(phase="evaluation", protection_level="none", estimated_value=100_000, **values)


def _ready_cp4(db, officer, security, pid):
    screening.screen_procurement(db, officer, pid, SETTINGS, OFFLINE)
    risk.assess_procurement(db, officer, pid)
    from vetting.domain import triage

    for row in procurements.store.participants(db, pid):  # the triage may ask security for a deepened check
        for task in triage.tasks(db, pid, row["organisation_id"]):
            if task["concluded_at"] is None:
                triage.conclude(db, security, task["id"], "Ägare och styrelse", "Proportionerligt", "Inga hinder")
    cp4 = _cp(db, pid, "CP4")["id"]
    checkpoints.prepare(db, officer, cp4, {"low_tender_inquiry": "yes"})
    return cp4


def test_award_refused_naming_both_blockers_then_allowed_once_the_bidder_is_replaced(db, people, create_org,
                                                                                      create_procurement):
    officer, security = people
    pid = _at_evaluation(create_procurement)
    bad = create_org(name="Skuggbolaget AB")
    organisations.add_key_person(db, officer, bad, LISTED_PERSON)
    place = procurements.add_participant(db, officer, pid, bad, "awarded")
    screening.screen_procurement(db, officer, pid, SETTINGS, OFFLINE)
    person = org_store.key_persons(db, bad)[0]["id"]
    _confirm_all(db, security, "person", person)
    _decide_exclude(db, pid, bad)

    kinds = {(b.kind, b.party) for b in workflow.gate(db, pid).blockers}
    assert {("sanctions_hit", "Skuggbolaget AB"), ("exclusion", "Skuggbolaget AB")} <= kinds
    with pytest.raises(InvalidInput) as refused:
        workflow.advance(db, officer, pid)
    assert "Karim Abdul Al-Testi" in str(refused.value) and "exclude" in str(refused.value)
    assert procurements.get(db, pid)["phase"] == "evaluation"

    procurements.remove_participant(db, officer, place, "Ersätts av nästa i rangordningen")
    procurements.add_participant(db, officer, pid, create_org(name="Rena Bolaget AB"), "awarded")
    cp4 = _ready_cp4(db, officer, security, pid)
    checkpoints.sign(db, security, cp4, "approved", "Inga hinder")
    assert workflow.gate(db, pid).blockers == []
    assert workflow.advance(db, officer, pid) == "award"


def test_sub_subcontractor_at_depth_three_with_a_confirmed_hit_blocks_signing(db, people, create_org,
                                                                              create_procurement):
    officer, security = people
    pid = create_procurement(phase="standstill", protection_level="none", estimated_value=100_000)
    top = procurements.add_participant(db, officer, pid, create_org(name="Huvud AB"), "awarded")
    one = procurements.add_participant(db, officer, pid, create_org(name="Under Ett AB"), "subcontractor", top)
    two = procurements.add_participant(db, officer, pid, create_org(name="Under Två AB"), "subcontractor", one)
    deep = create_org(name="Test Relief Foundation", country="PK")
    procurements.add_participant(db, officer, pid, deep, "subcontractor", two)
    screening.screen_procurement(db, officer, pid, SETTINGS, OFFLINE)
    blocked = workflow.gate(db, pid)
    assert blocked.next_phase == "signed"
    assert [(b.kind, b.party) for b in blocked.blockers] == [("open_match", "Test Relief Foundation")]
    _confirm_all(db, security, "organisation", deep)
    assert [(b.kind, b.party) for b in workflow.gate(db, pid).blockers] == [("sanctions_hit", "Test Relief Foundation")]
    with pytest.raises(InvalidInput, match="Test Relief Foundation"):
        workflow.advance(db, officer, pid)


@pytest.mark.parametrize(("share", "blocked"), [(11, True), (9, False), (None, True)])
def test_art5k_subcontractor_blocks_above_ten_percent_of_the_contract(db, people, create_org, create_procurement,
                                                                      share, blocked):
    officer, _security = people
    pid = _at_evaluation(create_procurement)
    top = procurements.add_participant(db, officer, pid, create_org(name="Huvud AB"), "awarded")
    russian = create_org(name="Ooo Romashka", country="RU")
    procurements.add_participant(db, officer, pid, russian, "subcontractor", top, share)
    found = [b for b in blockers.for_phase(db, pid, "award") if b.kind == "art5k"]
    assert bool(found) is blocked


def test_art5k_share_is_the_sum_over_the_chain(db, people, create_org, create_procurement):
    officer, _security = people
    pid = _at_evaluation(create_procurement)
    top = procurements.add_participant(db, officer, pid, create_org(name="Huvud AB"), "awarded")
    one = procurements.add_participant(db, officer, pid, create_org(name="Under AB"), "subcontractor", top, 40)
    owned = create_org(name="Nordic Owned AB", country="SE")
    from vetting.domain import prohibitions

    prohibitions.record_art5k(db, officer, owned, russian_owned="yes", acting_for_russia="no", note="Ägs till 60 % av rysk medborgare")
    procurements.add_participant(db, officer, pid, owned, "subcontractor", top, 6)
    assert not [b for b in blockers.for_phase(db, pid, "award") if b.kind == "art5k"]
    procurements.add_participant(db, officer, pid, owned, "subcontractor", one, 5)
    assert [b.party for b in blockers.for_phase(db, pid, "award") if b.kind == "art5k"] == ["Nordic Owned AB"]


def test_a_non_awarded_bidder_does_not_block_the_awarded_chain(db, people, create_org, create_procurement):
    officer, security = people
    pid = _at_evaluation(create_procurement)
    loser = create_org(name="Test Relief Foundation", country="PK")
    procurements.add_participant(db, officer, pid, loser, "bidder")
    procurements.add_participant(db, officer, pid, create_org(name="Vinnare AB"), "awarded")
    screening.screen_procurement(db, officer, pid, SETTINGS, OFFLINE)
    _confirm_all(db, security, "organisation", loser)
    assert workflow.gate(db, pid).blockers == []


# Nothing lets a blocker through: every route that changes phase or signs a checkpoint is refused.

@pytest.fixture
def blocked_at_standstill(db, people, create_org, create_procurement):
    officer, security = people
    pid = create_procurement(phase="standstill", protection_level="none", estimated_value=100_000)
    bad = create_org(name="Test Relief Foundation", country="PK")
    procurements.add_participant(db, officer, pid, bad, "awarded")
    screening.screen_procurement(db, officer, pid, SETTINGS, OFFLINE)
    _confirm_all(db, security, "organisation", bad)
    return pid


def test_domain_routes_refuse_with_a_blocker(db, people, blocked_at_standstill):
    officer, security = people
    pid = blocked_at_standstill
    cp6 = _cp(db, pid, "CP6")["id"]
    cp_store.mark_prepared(db, cp6, {"rechecked": True}, "procurement_officer", officer.id)  # prepared regardless
    with pytest.raises(InvalidInput, match="blockers"):
        checkpoints.sign(db, security, cp6, "approved", "Signera ändå")
    for phase in ("signed", "active"):
        with pytest.raises(InvalidInput):
            procurements.update(db, officer, pid, {**procurements.get(db, pid), "phase": phase})
    with pytest.raises(InvalidInput, match="Test Relief Foundation"):
        workflow.advance(db, officer, pid)
    assert procurements.get(db, pid)["phase"] == "standstill"
    assert cp_store.get(db, cp6)["state"] == "prepared"


def test_web_routes_refuse_with_a_blocker(db, people, blocked_at_standstill, login_as):
    officer, _security = people
    pid = blocked_at_standstill
    cp6 = _cp(db, pid, "CP6")["id"]
    cp_store.mark_prepared(db, cp6, {"rechecked": True}, "procurement_officer", officer.id)
    client = login_as("security_officer")
    response = client.post(f"/checkpoints/{cp6}/sign", data={"decision": "approved", "reason": "Ändå"})
    assert response.status_code == 400 and "Test Relief Foundation".encode() in response.data
    client.post("/logout")
    client = login_as("procurement_officer")
    client.post(f"/checkpoints/procurement/{pid}/advance", data={})
    client.post(f"/procurements/{pid}/edit", data={**{k: v or "" for k, v in procurements.get(db, pid).items()
                                                     if isinstance(v, (str, int))}, "phase": "signed"})
    page = client.get(f"/procurements/{pid}")
    assert "Test Relief Foundation".encode() in page.data and "Bekräftad sanktionsträff".encode() in page.data
    assert procurements.get(db, pid)["phase"] == "standstill"
    assert cp_store.get(db, cp6)["state"] == "prepared"


def test_sapo_no_go_cannot_be_approved_and_blocks_advertising(db, accounts, create_procurement):
    from vetting.domain import users

    first = Actor(accounts["security_officer"], "security_officer", frozenset({"security_officer"}))
    second_id = users.create_user(db, SYSTEM, username="sec2", password="correct horse battery staple",
                                  roles=["security_officer"], display_name="Sec Två", hash_method="pbkdf2:sha256:1000")
    second = Actor(second_id, "sec2", frozenset({"security_officer"}))
    officer = Actor(accounts["procurement_officer"], "procurement_officer", frozenset({"procurement_officer"}))
    pid = create_procurement(phase="documents", protection_level="sua1")
    from vetting.domain.manual import clean_document

    doc = {"decision_document": clean_document("beslut.pdf", b"%PDF-1.4 beslut")}
    cp2 = _cp(db, pid, "CP2")["id"]
    checkpoints.prepare(db, first, cp2, {"sapo_decision": "no_go"}, doc)
    with pytest.raises(InvalidInput, match="must not be carried out"):
        checkpoints.sign(db, second, cp2, "approved", "Säpo sa nej men vi kör ändå")
    assert [b.kind for b in workflow.gate(db, pid).blockers] == ["sapo_no_go"]
    with pytest.raises(InvalidInput, match="Security Service"):
        workflow.advance(db, officer, pid)
    checkpoints.sign(db, second, cp2, "rejected", "Nytt samråd efter ändrade krav")
    checkpoints.prepare(db, first, cp2, {"sapo_decision": "go_with_measures"}, doc)
    assert workflow.gate(db, pid).blockers == []


def test_confirmed_hit_freezes_the_party_and_records_who_reported_it_onwards(db, people, blocked_at_standstill,
                                                                             login_as):
    from vetting.domain import prohibitions

    officer, security = people
    pid = blocked_at_standstill
    [report] = prohibitions.reports(db, pid)
    assert report["security_told_at"] and report["reported_at"] is None
    with pytest.raises(InvalidInput, match="SANCTIONS_REPORT_RECIPIENT"):
        prohibitions.report_onwards(db, security, report["id"], {"SANCTIONS_REPORT_RECIPIENT": ""})
    with pytest.raises(InvalidInput):
        prohibitions.report_onwards(db, officer, report["id"], {"SANCTIONS_REPORT_RECIPIENT": "Finansinspektionen"})
    prohibitions.report_onwards(db, security, report["id"], {"SANCTIONS_REPORT_RECIPIENT": "Finansinspektionen"})
    [report] = prohibitions.reports(db, pid)
    assert (report["reported_by"], report["reported_to"]) == ("security_officer", "Finansinspektionen")
    page = login_as("reviewer").get(f"/procurements/{pid}").get_data(as_text=True)
    assert "Anmäld vidare av security_officer till Finansinspektionen" in page
    # A prohibition, not an exclusion ground: reporting it onwards does not lift the block.
    assert [b.kind for b in workflow.gate(db, pid).blockers] == ["sanctions_hit"]


def test_art5k_answers_are_recorded_from_the_organisation_page(db, people, create_org, login_as):
    org = create_org(name="Nordic Owned AB")
    client = login_as("procurement_officer")
    client.post(f"/gates/organisations/{org}/art5k", data={"russian_owned": "yes", "acting_for_russia": "no",
                                                           "note": "Bolagsverkets register över verkliga huvudmän"})
    assert blockers.art5k_status(db, {"id": org, "country": "SE"}) == "owned"
    page = client.get(f"/organisations/{org}").get_data(as_text=True)
    assert "Art. 5k (Ryssland)" in page and "verkliga huvudmän" in page


def test_a_blocker_after_signing_opens_the_event_checkpoint_and_continuing_is_refused(db, people, accounts, create_org,
                                                                                     create_procurement):
    officer, security = people
    reviewer = Actor(accounts["reviewer"], "reviewer", frozenset({"reviewer"}))
    pid = create_procurement(phase="signed", protection_level="none", estimated_value=100_000)
    top = procurements.add_participant(db, officer, pid, create_org(name="Huvud AB"), "awarded")
    sub = create_org(name="Test Relief Foundation", country="PK")
    procurements.add_participant(db, officer, pid, sub, "subcontractor", top)
    screening.screen_procurement(db, officer, pid, SETTINGS, OFFLINE)
    events_before = [c for c in cp_store.for_procurement(db, pid) if c["template_id"] == "CP10"]
    _confirm_all(db, security, "organisation", sub)
    opened = [c for c in cp_store.for_procurement(db, pid) if c["template_id"] == "CP10"]
    # The hit under contract already opened CP10 at screening; confirming it must not open a second one
    # (that confirming opens CP10 by itself is pinned in test_consequences.py).
    assert len(events_before) == 1 and len(opened) == 1
    cp10 = opened[-1]["id"]
    checkpoints.prepare(db, reviewer, cp10, {"action": "none", "assessment": "Vi fortsätter"})
    with pytest.raises(InvalidInput, match="terminate the contract or replace the subcontractor"):
        checkpoints.sign(db, security, cp10, "approved", "Fortsätt")
    checkpoints.sign(db, security, cp10, "rejected", "Sanktioner tillåter inte fortsättning")
    checkpoints.prepare(db, reviewer, cp10, {"action": "replace_subcontractor", "assessment": "Byts ut inom 30 dagar"})
    checkpoints.sign(db, security, cp10, "approved", "Underleverantören ersätts")
    with pytest.raises(InvalidInput, match="Test Relief Foundation"):
        workflow.advance(db, officer, pid)  # start of performance still waits until the record changes


def test_an_unaccepted_register_error_blocks_until_two_people_accept_it(db, people, create_org, create_procurement):
    from four_eyes import second

    from checks import Outcome, Status

    from vetting.domain import foureyes

    officer, security = people
    pid = _at_evaluation(create_procurement)
    org = create_org(name="Felbolaget AB")
    procurements.add_participant(db, officer, pid, org, "awarded")
    from vetting.store import checkpoints as store

    screening.store_outcome(db, officer, screening.subject_of(db, "organisation", org), screening.all_checks()["sanctions"],
                            Outcome(Status.ERROR, reason="List service down"))
    errors = [b for b in blockers.for_phase(db, pid, "award") if b.kind == "register_error"]
    assert [b.party for b in errors] == ["Felbolaget AB"] and "Sanktions- och uteslutningslistor" in errors[0].detail
    outcome = next(o for o in outcome_store.latest(db, "organisation", org) if o["status"] == "error")
    proposed = checkpoints.override_error(db, security, outcome["id"], "Kontrollerad manuellt på FN:s webbplats")
    assert [b.kind for b in blockers.for_phase(db, pid, "award") if b.kind == "register_error"] == ["register_error"]
    foureyes.confirm(db, second(db, "security_officer"), proposed.proposal_id)
    assert outcome["id"] in store.overridden_outcomes(db)
    assert not [b for b in blockers.for_phase(db, pid, "award") if b.kind == "register_error"]
