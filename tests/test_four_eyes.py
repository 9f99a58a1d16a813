"""Four eyes: each decision that could let a bad supplier through is refused with one person, done with two, audited."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from four_eyes import second

from vetting.domain import checkpoints, foureyes, lists, organisations, procurements, risk, screening, users
from vetting.domain import clock
from vetting.domain.audit import SYSTEM, Actor
from vetting.domain.errors import InvalidInput
from vetting.domain.exclusion import cases as exclusion_cases
from vetting.domain.exclusion import communication, decisions
from vetting.store import audit as audit_store
from vetting.store import checkpoints as cp_store
from vetting.store import exclusion as exclusion_store
from vetting.store import outcomes as outcome_store
from vetting.store import reviews as review_store
from vetting.store import risk as risk_store
from vetting.store import users as user_store

FIXTURES = Path(__file__).parent / "fixtures" / "lists"
SETTINGS = {"SCREENING_POSSIBLE_THRESHOLD": 0.8, "SCREENING_HIT_THRESHOLD": 0.93}


@pytest.fixture
def people(accounts):
    return {role: Actor(accounts[role], role, frozenset({role})) for role in accounts}


def _audited(db, action):
    rows, _total = audit_store.search(db, action=action)
    return rows


def _one_then_two(db, result, first, confirmer):
    """The first person's decision waits; the same person cannot confirm; another can."""
    assert isinstance(result, foureyes.Proposed)
    with pytest.raises(InvalidInput, match="Four eyes"):
        foureyes.confirm(db, first, result.proposal_id)
    out = foureyes.confirm(db, confirmer, result.proposal_id, "Kontrollerat")
    assert [r["actor"] for r in _audited(db, "four_eyes.propose")][-1] == first.username
    assert [r["actor"] for r in _audited(db, "four_eyes.confirm")][-1] == confirmer.username
    return out


@pytest.fixture
def listed_org(db, create_org):
    lists.import_list(db, SYSTEM, "un", [FIXTURES / "un_consolidated.xml"])
    org = create_org(name="Test Relief Foundation", country="PK")
    screening.screen_subject(db, SYSTEM, "organisation", org, SETTINGS, ("sanctions",))
    outcome = outcome_store.latest(db, "organisation", org)[0]
    return org, outcome


def test_dismissing_a_hit_needs_a_second_person(db, people, listed_org):
    org, outcome = listed_org
    match = outcome["explanation"][0]
    assert match["level"] == "hit" and match["score"] >= 0.93
    officer = people["procurement_officer"]
    result = screening.decide(db, officer, outcome["id"], "un", match["listed_id"], "dismissed", "Annan stiftelse")
    assert review_store.for_outcome(db, outcome["id"]) == []  # nothing took effect yet
    with pytest.raises(InvalidInput, match="role"):
        foureyes.confirm(db, second(db, "procurement_officer"), result.proposal_id)  # security confirms hits
    _one_then_two(db, result, officer, people["security_officer"])
    assert [r["decision"] for r in review_store.for_outcome(db, outcome["id"])] == ["dismissed"]
    assert _audited(db, "match.dismissed")[-1]["actor"] == officer.username


def test_dismissing_below_the_hit_threshold_stays_one_persons_decision(db, people, create_org):
    lists.import_list(db, SYSTEM, "un", [FIXTURES / "un_consolidated.xml"])
    org = create_org(name="Tset Relief Foundation", country="PK")  # a typo: scores about 0.98
    screening.screen_subject(db, SYSTEM, "organisation", org, {**SETTINGS, "SCREENING_HIT_THRESHOLD": 0.99},
                             ("sanctions",))
    outcome = outcome_store.latest(db, "organisation", org)[0]
    match = next(m for m in outcome["explanation"] if m["level"] == "possible")
    result = screening.decide(db, people["procurement_officer"], outcome["id"], match["list"], match["listed_id"],
                              "dismissed", "Annat land")
    assert isinstance(result, int)
    assert [r["decision"] for r in review_store.for_outcome(db, outcome["id"])] == ["dismissed"]


def test_exclusion_decision_needs_a_second_person(db, people, create_org, create_procurement):
    officer, security = people["procurement_officer"], people["security_officer"]
    pid = create_procurement()
    org = create_org(name="Bygg AB")
    procurements.add_participant(db, officer, pid, org, "bidder")
    assessment = risk.assess(db, officer, pid, org)
    case_id = risk_store.open_exclusion_case(db, assessment, pid, org, [{"indicator": "EX-01", "legal_basis": "13:1"}])
    exclusion_store.insert_ground(db, case_id, "EX-01", "13:1", "LOU 13:1", {}, None, "x")
    ground_id = exclusion_store.grounds(db, [case_id])[0]["id"]
    with clock.frozen(date(2026, 11, 25)):
        exclusion_cases.record_ground_facts(db, officer, ground_id, start_date=date(2025, 2, 1))
        item = communication.send(db, officer, case_id, date(2026, 11, 10), "email", "Dom 2025", date(2026, 11, 20))
        communication.reply(db, officer, item, date(2026, 11, 18), "Vi har inget att invända.", "")
        result = decisions.propose(db, officer, case_id, "exclude", "Dom för bestickning", "Dom B 1-25")
        assert exclusion_store.decisions(db, [case_id]) == []
        _one_then_two(db, result, officer, security)
    assert [d["outcome"] for d in exclusion_store.decisions(db, [case_id])] == ["exclude"]


def test_risk_override_needs_a_second_security_officer(db, people, create_org, create_procurement):
    officer, security = people["procurement_officer"], people["security_officer"]
    pid = create_procurement()
    org = create_org(name="Bygg AB")
    procurements.add_participant(db, officer, pid, org, "bidder")
    assessment_id = risk.assess(db, officer, pid, org)
    result = risk.override(db, security, assessment_id, "basic_done", "Känd leverantör")
    assert risk_store.assessment(db, assessment_id)["override_level"] is None
    with pytest.raises(InvalidInput, match="role"):
        foureyes.confirm(db, officer, result.proposal_id)
    _one_then_two(db, result, security, second(db, "security_officer"))
    assert risk_store.assessment(db, assessment_id)["override_level"] == "basic_done"


def test_accepting_a_register_error_needs_a_second_person(db, people, create_org):
    security = people["security_officer"]
    org = create_org(name="Bygg AB")
    screening.screen_subject(db, SYSTEM, "organisation", org, SETTINGS, ("sanctions",))  # no lists: error
    outcome = outcome_store.latest(db, "organisation", org)[0]
    assert outcome["status"] == "error"
    result = checkpoints.override_error(db, security, outcome["id"], "Kontrollerat manuellt")
    assert outcome["id"] not in cp_store.overridden_outcomes(db)
    _one_then_two(db, result, security, second(db, "security_officer"))
    assert outcome["id"] in cp_store.overridden_outcomes(db)


def test_publishing_a_model_needs_a_second_person(db, people):
    admin = people["admin"]
    text = risk.default_model_text().replace('version = "2"', 'version = "3"', 1)
    risk.current_model(db)
    result = risk.publish(db, admin, text)
    assert risk.current_model(db).version == "2"
    _one_then_two(db, result, admin, people["security_officer"])
    assert risk.current_model(db).version == "3"


@pytest.mark.parametrize("role", ["security_officer", "admin"])
def test_granting_a_privileged_role_needs_a_second_administrator(db, people, role):
    admin = people["admin"]
    user_id = users.create_user(db, admin, username="ny.person", password="correct horse battery staple",
                                roles=["reviewer", role], hash_method="pbkdf2:sha256:1000")
    assert user_store.get(db, user_id)["roles"] == ["reviewer"]
    pending = foureyes.waiting_for(db, second(db, "admin"))
    assert [p["kind"] for p in pending] == ["role_grant"]
    _one_then_two(db, foureyes.Proposed(pending[0]["id"]), admin, second(db, "admin"))
    assert set(user_store.get(db, user_id)["roles"]) == {"reviewer", role}


def test_adding_a_privileged_role_to_an_existing_user_needs_a_second_administrator(db, people):
    admin = people["admin"]
    reviewer_id = people["reviewer"].id
    users.update_user(db, admin, reviewer_id, display_name="Granskare", email=None,
                      roles=["reviewer", "security_officer"], active=True)
    assert user_store.get(db, reviewer_id)["roles"] == ["reviewer"]
    pending = foureyes.waiting_for(db, second(db, "admin"))
    with pytest.raises(InvalidInput, match="Four eyes"):
        foureyes.confirm(db, admin, pending[0]["id"])
    foureyes.confirm(db, second(db, "admin"), pending[0]["id"])
    assert set(user_store.get(db, reviewer_id)["roles"]) == {"reviewer", "security_officer"}


def test_refusal_changes_nothing_and_is_audited(db, people, listed_org):
    org, outcome = listed_org
    match = outcome["explanation"][0]
    result = screening.decide(db, people["procurement_officer"], outcome["id"], "un", match["listed_id"],
                              "dismissed", "Annan stiftelse")
    foureyes.refuse(db, people["security_officer"], result.proposal_id, "Samma adress som i listan")
    assert review_store.for_outcome(db, outcome["id"]) == []
    assert _audited(db, "four_eyes.refuse")[-1]["reason"] == "Samma adress som i listan"
    with pytest.raises(Exception):
        foureyes.confirm(db, second(db, "security_officer"), result.proposal_id)


def test_the_web_shows_the_waiting_decision_and_a_second_user_confirms(db, people, listed_org, client, login_as):
    org, outcome = listed_org
    match = outcome["explanation"][0]
    officer = login_as("procurement_officer")
    officer.post(f"/screening/outcomes/{outcome['id']}/decide", data={
        "list_source": "un", "listed_id": match["listed_id"], "decision": "dismissed", "reason": "Annan stiftelse"})
    page = officer.get("/approvals/").get_data(as_text=True)
    assert "Avfärda en träff" in page and "Väntar på någon annan" in page
    proposal = foureyes.waiting_for(db, people["security_officer"])[0]
    officer.post(f"/approvals/{proposal['id']}/confirm", data={})  # the proposer, and not a role that confirms hits
    assert review_store.for_outcome(db, outcome["id"]) == []
    officer.post("/logout")
    security = login_as("security_officer")
    assert security.post(f"/approvals/{proposal['id']}/confirm", data={}).status_code == 302
    assert [r["decision"] for r in review_store.for_outcome(db, outcome["id"])] == ["dismissed"]


def test_a_dismissed_match_on_a_key_person_makes_the_assessment_stale_and_a_fresh_one_follows(
        db, people, create_org, create_procurement):
    officer, security = people["procurement_officer"], people["security_officer"]
    lists.import_list(db, SYSTEM, "un", [FIXTURES / "un_consolidated.xml"])
    pid = create_procurement()
    org = create_org(name="Bygg AB")
    procurements.add_participant(db, officer, pid, org, "bidder")
    organisations.add_key_person(db, officer, org, {"name": "Karim Abdul Al-Testi", "role": "beneficial_owner",
                                                    "birth_date": "1960-04-28"})
    screening.screen_organisation_and_people(db, officer, org, SETTINGS, ("sanctions",))
    first = risk.assess(db, security, pid, org)  # prepared by this security officer
    person = next(kp for kp in organisations.masked_key_persons(db, org))["id"]
    outcome = outcome_store.latest(db, "person", person)[0]
    proposed = screening.decide(db, officer, outcome["id"], "un", outcome["explanation"][0]["listed_id"], "dismissed",
                                "Annat födelsedatum enligt pass")
    foureyes.confirm(db, second(db, "security_officer"), proposed.proposal_id)
    fresh = risk_store.latest_assessment(db, pid, org)
    assert fresh["id"] != first and fresh["prepared_by"] == "system" and fresh["prepared_by_id"] is None
    from vetting.store import gates as gate_store

    assert [m["assessment_id"] for m in gate_store.stale_marks(db, pid, org)] == [first]
    # The system prepared it, so the security officer who prepared the stale one may now override it.
    result = risk.override(db, security, fresh["id"], "joint_review", "Fortsatt osäker ägarbild")
    foureyes.confirm(db, second(db, "security_officer"), result.proposal_id)
    assert risk.effective_level(risk_store.latest_assessment(db, pid, org)) == "joint_review"
