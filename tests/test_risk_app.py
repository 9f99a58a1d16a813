"""The risk model in the app: facts from checks, triage, questionnaire, overrides, exclusion cases, versions, graph."""
from __future__ import annotations

from pathlib import Path

import pytest

from vetting.domain import lists, organisations, procurements, risk, screening
from vetting.domain.audit import Actor
from vetting.domain.errors import InvalidInput
from vetting.store import risk as store
from four_eyes import confirmed

FIXTURES = Path(__file__).parent / "fixtures" / "lists"
SETTINGS = {"SCREENING_POSSIBLE_THRESHOLD": 0.8, "SCREENING_HIT_THRESHOLD": 0.93}


@pytest.fixture
def people(accounts):
    return (Actor(accounts["procurement_officer"], "procurement_officer", frozenset({"procurement_officer"})),
            Actor(accounts["security_officer"], "security_officer", frozenset({"security_officer"})))


@pytest.fixture
def case(db, people, create_org, create_procurement):
    officer, _security = people
    pid = create_procurement(risk_industry=True, cpv_code="45000000-7")
    org = create_org(name="Bygg AB", industry_code="41200", identifier_type="se_orgnr", identifier="5566778899")
    procurements.add_participant(db, officer, pid, org, "bidder")
    organisations.add_key_person(db, officer, org, {"name": "Lars Öberg", "role": "ceo", "personnummer": "197003121238"})
    return pid, org


def test_assessment_records_model_version_and_reads_missing_data_as_insufficient(db, people, case):
    pid, org = case
    assessment = store.assessment(db, risk.assess(db, people[0], pid, org))
    states = {r["id"]: r["state"] for r in assessment["results"]}
    assert assessment["model_version"] == "2"  # the shipped default since 2026-12-02
    assert states["TX-01"] == "insufficient_data"  # no Skatteverket answer recorded: unknown, not fine
    assert states["BD-06"] == "fired"  # risk industry by CPV and SNI


def test_sanctions_hit_on_key_person_opens_an_exclusion_assessment(db, people, case):
    pid, org = case
    lists.import_list(db, people[0], "un", [FIXTURES / "un_consolidated.xml"])
    organisations.add_key_person(db, people[0], org, {"name": "Karim Abdul Al-Testi", "role": "beneficial_owner",
                                                      "birth_date": "1960-04-28"})
    screening.screen_organisation_and_people(db, people[0], org, SETTINGS, ("sanctions",))
    assessment = store.assessment(db, risk.assess(db, people[0], pid, org))
    assert assessment["level"] == "exclusion_assessment"
    ex07 = next(r for r in assessment["results"] if r["id"] == "EX-07")
    assert ex07["state"] == "fired" and any(ref.startswith("outcome:") for ref in ex07["evidence"])
    from vetting.store import exclusion as exclusion_store

    cases = exclusion_store.undecided_cases(db, pid)
    assert [(g["indicator"], g["ground"]) for g in exclusion_store.grounds(db, [cases[0]["id"]])] == [("EX-07", "sanctions")]


def test_dismissed_match_does_not_fire(db, people, case):
    pid, org = case
    lists.import_list(db, people[0], "un", [FIXTURES / "un_consolidated.xml"])
    organisations.add_key_person(db, people[0], org, {"name": "Karim Abdul Al-Testi", "role": "beneficial_owner",
                                                      "birth_date": "1960-04-28"})
    screening.screen_organisation_and_people(db, people[0], org, SETTINGS, ("sanctions",))
    person = next(kp for kp in organisations.masked_key_persons(db, org) if kp["name"].startswith("Karim"))
    outcome = screening.outcome_store.latest(db, "person", person["id"])[0]
    confirmed(db, screening.decide(db, people[1], outcome["id"], "un", outcome["explanation"][0]["listed_id"],
                                   "dismissed", "Annan person: annat födelsedatum enligt pass"))
    assessment = store.assessment(db, risk.assess(db, people[0], pid, org))
    assert next(r for r in assessment["results"] if r["id"] == "EX-07")["state"] != "fired"


def test_questionnaire_asks_only_what_is_needed_and_answers_reassess(db, people, case):
    pid, org = case
    asked = {q["fact"] for q in risk.open_questions(db, pid, org)}
    assert "answer.EX-09" in asked
    risk.answer(db, people[0], pid, org, {"answer.EX-09": "no"})
    assert "answer.EX-09" not in {q["fact"] for q in risk.open_questions(db, pid, org)}
    risk.answer(db, people[0], pid, org, {"answer.EX-01": "yes"})
    assert store.latest_assessment(db, pid, org)["level"] == "exclusion_assessment"


def test_unknown_question_is_refused(db, people, case):
    pid, org = case
    with pytest.raises(InvalidInput):
        risk.answer(db, people[0], pid, org, {"answer.NOPE": "yes"})


def test_override_by_security_officer_with_reason_is_audited(db, people, case):
    pid, org = case
    assessment_id = risk.assess(db, people[0], pid, org)
    with pytest.raises(InvalidInput):
        risk.override(db, people[0], assessment_id, "joint_review", "vill själv")
    confirmed(db, risk.override(db, people[1], assessment_id, "joint_review", "Känd från tidigare ärende"))
    assert risk.effective_level(store.latest_assessment(db, pid, org)) == "joint_review"
    entry = next(db.query("SELECT * FROM audit_log WHERE action = 'risk.override'"))
    assert entry["reason"] == "Känd från tidigare ärende" and entry["actor"] == "security_officer"


def test_the_preparer_cannot_override_even_as_security_officer(db, accounts, case):
    both = Actor(accounts["security_officer"], "security_officer", frozenset({"security_officer", "procurement_officer"}))
    pid, org = case
    assessment_id = risk.assess(db, both, pid, org)
    with pytest.raises(InvalidInput, match="Four eyes"):
        risk.override(db, both, assessment_id, "basic_done", "ok")


def test_weights_are_shown_only_to_security_and_admin(db, people, case, login_as):
    pid, org = case
    risk.assess(db, people[0], pid, org)
    url = f"/risk/procurements/{pid}/organisations/{org}"
    client = login_as("reviewer")
    client.post("/language", data={"lang": "en"})
    assert "Contribution" not in client.get(url).get_data(as_text=True)
    client.post("/logout")
    client = login_as("security_officer")
    client.post("/language", data={"lang": "en"})
    assert "Contribution" in client.get(url).get_data(as_text=True)


def test_model_with_an_error_is_refused_naming_indicator_and_line(db, people):
    text = risk.default_model_text().replace('facts = ["company.age_days"]', 'facts = ["company.agee_days"]', 1)
    with pytest.raises(InvalidInput) as caught:
        risk.validate_model(text)
    assert "line" in str(caught.value.message)  # the message says where; the problems say what, per line
    assert any("CO-01" in p and p.startswith("line ") for p in caught.value.problems)


def test_replay_counts_level_changes_before_publishing(db, people, case):
    pid, org = case
    risk.assess(db, people[0], pid, org)
    stricter = risk.default_model_text().replace('version = "2"', 'version = "3"', 1)
    stricter = stricter.replace("deepened = 6", "deepened = 1", 1)
    result = risk.replay(db, stricter)
    assert result["cases"] == 1 and result["version"] == "3"
    confirmed(db, risk.publish(db, people[0], stricter), "admin")
    assert risk.current_model(db).version == "3"


def test_shared_key_person_between_bidders_is_a_common_denominator(db, people, create_org, create_procurement, login_as):
    officer = people[0]
    pid = create_procurement()
    a, b = create_org(name="Alfa Bygg AB", address="Storgatan 1, Umeå"), create_org(name="Beta Bygg AB",
                                                                                   address="Storgatan 1, Umeå")
    for org in (a, b):
        procurements.add_participant(db, officer, pid, org, "bidder")
        organisations.add_key_person(db, officer, org, {"name": "Karin Lind", "role": "board_member",
                                                        "personnummer": "198207045678"})
    from vetting.domain import graph, merges

    # The officer is not told the number is known (no oracle); the security officer links the two.
    merge_id = db.execute("SELECT id FROM person_merges").fetchone()[0]
    merges.resolve(db, people[1], merge_id, "merge")
    shared = graph.shared_with_other_bidders(db, pid, a)
    assert shared and "Karin Lind" in shared[0] and "address" in shared[0]
    page = login_as("reviewer").get(f"/risk/network/{a}").get_data(as_text=True)
    assert "Beta Bygg AB" in page and "Karin Lind" in page


def test_staff_conflict_list_is_read(db, people, case):
    pid, org = case
    risk.add_staff_conflict(db, people[0], "Lars Öberg", "1970", "Inköpsenheten")
    facts = __import__("vetting.domain.risk_facts", fromlist=["build"]).build(db, pid, org)
    assert facts.contract["graph.staff_conflict"].value == ["Lars Öberg (Inköpsenheten)"]


def test_procurement_page_shows_each_level(db, people, case, login_as):
    pid, org = case
    risk.assess(db, people[0], pid, org)
    page = login_as("reviewer").get(f"/procurements/{pid}").get_data(as_text=True)
    assert "level-deepened_check" in page or "level-joint_review" in page or "level-basic_done" in page


def test_an_override_outlives_a_reassessment(db, people, case):
    pid, org = case
    assessment_id = risk.assess(db, people[0], pid, org)
    confirmed(db, risk.override(db, people[1], assessment_id, "joint_review", "Känd från tidigare ärende"))
    risk.assess(db, people[0], pid, org)
    assert risk.effective_level(store.latest_assessment(db, pid, org)) == "joint_review"
