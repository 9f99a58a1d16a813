"""Communication before exclusion, self-cleaning, decisions under four eyes, reconsideration, re-assessment."""
from __future__ import annotations

from datetime import date

import pytest
from exclusion_helpers import ground, officers, open_case, party
from four_eyes import confirmed, second

from vetting.domain import clock, foureyes, risk
from vetting.domain.blockers import exclusion_blockers
from vetting.domain.errors import Conflict, InvalidInput
from vetting.domain.exclusion import cases, communication, decisions, self_cleaning
from vetting.store import exclusion as store
from vetting.store import risk as risk_store

TODAY = date(2026, 6, 15)


@pytest.fixture
def people(accounts):
    return officers(accounts)


@pytest.fixture
def crime(db, people, create_org, create_procurement):
    """A 13:1 case with its judgment two years old: the ground stands."""
    officer, _security = people
    pid, org = party(db, officer, create_org, create_procurement)
    case = open_case(db, officer, pid, org, "EX-01")
    with clock.frozen(TODAY):
        cases.record_ground_facts(db, officer, ground(db, case["id"], "EX-01")["id"], start_date=date(2024, 3, 1))
    return pid, org, case


def _heard(db, officer, case_id):
    communication_id = communication.send(db, officer, case_id, date(2026, 6, 1), "email",
                                          "Dom 2024-03-01 för bestickning; yttra er senast 2026-06-10", date(2026, 6, 10))
    communication.reply(db, officer, communication_id, date(2026, 6, 9), "Vi bestrider inte domen.", "Yttrande.pdf")


def test_a_decision_to_exclude_before_any_communication_is_refused(db, people, crime):
    officer, _security = people
    _pid, _org, case = crime
    with clock.frozen(TODAY), pytest.raises(InvalidInput, match="not been heard"):
        decisions.propose(db, officer, case["id"], "exclude", "Dom för bestickning", "Dom B 123-24")


def test_a_decision_to_exclude_before_the_reply_or_the_deadline_is_refused(db, people, crime):
    officer, _security = people
    _pid, _org, case = crime
    with clock.frozen(TODAY):
        communication.send(db, officer, case["id"], date(2026, 6, 10), "letter", "Dom 2024-03-01 för bestickning",
                           date(2026, 6, 24))
        with pytest.raises(InvalidInput, match="not been heard"):
            decisions.propose(db, officer, case["id"], "exclude", "Dom för bestickning", "Dom B 123-24")
    with clock.frozen(date(2026, 6, 25)):  # the deadline has passed without a reply
        assert isinstance(decisions.propose(db, officer, case["id"], "exclude", "Dom för bestickning",
                                            "Dom B 123-24"), foureyes.Proposed)


def test_a_reply_lets_the_exclusion_be_decided_before_the_deadline(db, people, crime):
    officer, _security = people
    _pid, _org, case = crime
    with clock.frozen(TODAY):
        communication_id = communication.send(db, officer, case["id"], date(2026, 6, 10), "email", "Dom 2024",
                                              date(2026, 6, 24))
        communication.reply(db, officer, communication_id, date(2026, 6, 12), "Vi har bytt vd.", "")
        assert isinstance(decisions.propose(db, officer, case["id"], "exclude", "Dom", "Dom B 123-24"),
                          foureyes.Proposed)


def test_the_decision_is_checked_again_when_confirmed(db, people, crime):
    """A proposal made while the ground stood is refused at confirmation once the ground has expired."""
    officer, security = people
    _pid, _org, case = crime
    with clock.frozen(TODAY):
        _heard(db, officer, case["id"])
        proposed = decisions.propose(db, officer, case["id"], "exclude", "Dom", "Dom B 123-24")
    with clock.frozen(date(2029, 3, 2)), pytest.raises(InvalidInput, match="No ground stands"):
        foureyes.confirm(db, security, proposed.proposal_id, "Kontrollerat")


def test_four_eyes_the_preparer_cannot_decide_and_both_are_recorded(db, people, crime):
    officer, security = people
    pid, org, case = crime
    with clock.frozen(TODAY):
        _heard(db, officer, case["id"])
        proposed = decisions.propose(db, officer, case["id"], "exclude", "Dom för bestickning", "Dom B 123-24")
        assert store.decisions(db, [case["id"]]) == []  # nothing in force while it waits
        with pytest.raises(InvalidInput, match="Four eyes"):
            foureyes.confirm(db, officer, proposed.proposal_id)
        foureyes.confirm(db, security, proposed.proposal_id, "Kontrollerat mot domen")
    [decision] = store.decisions(db, [case["id"]])
    assert (decision["prepared_by"], decision["decided_by"]) == ("procurement_officer", "security_officer")
    assert decision["outcome"] == "exclude" and decision["evidence"] == "Dom B 123-24"
    assert exclusion_blockers(db, pid, org, "Bygg")  # the award gate reads the decision in force


def test_reconsideration_is_a_new_decision_and_the_old_one_stays_readable(db, people, crime):
    officer, security = people
    pid, org, case = crime
    with clock.frozen(TODAY):
        _heard(db, officer, case["id"])
        foureyes.confirm(db, security, decisions.propose(db, officer, case["id"], "exclude", "Dom för bestickning",
                                                         "Dom B 123-24").proposal_id, "Ok")
        [first] = store.decisions(db, [case["id"]])
        with pytest.raises(Conflict, match="reconsider"):
            decisions.propose(db, officer, case["id"], "not_exclude", "Ny vd", "Protokoll")
        confirmed(db, decisions.propose(db, officer, case["id"], "not_exclude", "Dömd vd har lämnat; nya rutiner",
                                        "Bolagsverket, styrelseprotokoll", reconsiders=first["id"]))
    old, new = store.decisions(db, [case["id"]])
    assert old == first  # unchanged, every column
    assert new["reconsiders"] == first["id"] and new["outcome"] == "not_exclude"
    assert decisions.in_force(db, pid, org)[org]["id"] == new["id"]
    assert exclusion_blockers(db, pid, org, "Bygg") == []
    with pytest.raises(Exception, match="never edited"):
        db.execute("UPDATE exclusion_decisions SET reasons = 'ändrat' WHERE id = ?", [first["id"]])


def test_a_reassessment_with_unchanged_facts_opens_no_new_case_and_keeps_the_decision(db, people, crime):
    officer, _security = people
    pid, org, case = crime
    with clock.frozen(TODAY):
        _heard(db, officer, case["id"])
        confirmed(db, decisions.propose(db, officer, case["id"], "not_exclude", "Självsanering styrkt", "Intyg"),
                  "procurement_officer")
    risk.assess(db, officer, pid, org)
    risk.assess(db, officer, pid, org)
    assert [c["id"] for c in store.cases(db, pid, org)] == [case["id"]]
    assert decisions.in_force(db, pid, org)[org]["outcome"] == "not_exclude"
    assert store.undecided_cases(db, pid) == []


def test_a_reassessment_on_changed_facts_opens_a_new_case_for_that_ground_only(db, people, crime):
    officer, _security = people
    pid, org, case = crime
    with clock.frozen(TODAY):
        _heard(db, officer, case["id"])
        confirmed(db, decisions.propose(db, officer, case["id"], "not_exclude", "Ej styrkt", "Intyg"),
                  "procurement_officer")
    risk.answer(db, officer, pid, org, {"answer.EX-09": "yes"})  # a new ground appears
    first, second_case = store.cases(db, pid, org)
    assert first["id"] == case["id"]
    assert [g["indicator"] for g in store.grounds(db, [second_case["id"]])] == ["EX-09"]


def test_self_cleaning_is_not_offered_for_unpaid_taxes(db, people, create_org, create_procurement):
    officer, _security = people
    pid, org = party(db, officer, create_org, create_procurement)
    assessment = risk.assess(db, officer, pid, org)
    case_id = risk_store.open_exclusion_case(db, assessment, pid, org, [{"indicator": "EX-02", "legal_basis": "LOU 13:2"}])
    store.insert_ground(db, case_id, "EX-02", "13:2", "LOU 13:2", {"sv": "Obetalda skatter"}, None, "x")
    assert not self_cleaning.offered(store.grounds(db, [case_id]))
    elements = {name: ("Betalt", "sufficient") for name in self_cleaning.ELEMENTS}
    with pytest.raises(InvalidInput, match="not offered"):
        self_cleaning.assess(db, officer, case_id, elements, "reliable", "Allt betalt")
    # Payment (or a binding arrangement) is recorded instead, and it removes the ground.
    g = ground(db, case_id, "EX-02")
    with clock.frozen(TODAY):
        cases.record_ground_facts(db, officer, g["id"], established="final", start_date=date(2026, 1, 10),
                                  remedy="paid", remedy_date=date(2026, 5, 2), remedy_evidence="Skattekontoutdrag 2026-05-03")
        state = next(s for s in decisions.ground_states(db, store.case(db, case_id), TODAY) if s["id"] == g["id"])
    assert state["state"] == "remedied" and not state["usable"]


def test_self_cleaning_is_not_offered_for_sanctions(db, people, create_org, create_procurement):
    officer, _security = people
    pid, org = party(db, officer, create_org, create_procurement)
    case_id = risk_store.open_exclusion_case(db, risk.assess(db, officer, pid, org), pid, org, [])
    store.insert_ground(db, case_id, "EX-07", "sanctions", "EU sanctions", {}, None, "x")
    store.insert_ground(db, case_id, "EX-06", "art5k", "833/2014 art. 5k", {}, None, "y")
    assert not self_cleaning.offered(store.grounds(db, [case_id]))


def test_self_cleaning_in_three_elements_lifts_a_13_1_ground(db, people, crime):
    officer, _security = people
    _pid, _org, case = crime
    elements = {"compensation": ("Skadestånd betalt 2025-01-10", "sufficient"),
                "cooperation": ("Samarbetat med EBM, förundersökning K-123", "sufficient"),
                "measures": ("", "not_shown")}
    with pytest.raises(InvalidInput, match="all three"):
        self_cleaning.assess(db, officer, case["id"], elements, "reliable", "Styrkt")
    elements["measures"] = ("Ny vd, visselblåsarfunktion, utbildning", "sufficient")
    self_cleaning.assess(db, officer, case["id"], elements, "reliable", "Alla tre delar styrkta")
    state = next(g for g in decisions.ground_states(db, case, TODAY) if g["indicator"] == "EX-01")
    assert state["state"] == "self_cleaned"


def test_replacement_can_be_required_only_of_a_subcontractor_or_relied_on_entity(db, people, create_org,
                                                                                   create_procurement, crime):
    officer, _security = people
    _pid, _org, case = crime  # a bidder
    with clock.frozen(TODAY), pytest.raises(InvalidInput, match="subcontractor"):
        decisions.propose(db, officer, case["id"], "require_replacement", "Dom", "Dom B 123-24")
    pid, org = party(db, officer, create_org, create_procurement, role="capacity")
    sub_case = open_case(db, officer, pid, org, "EX-01")
    with clock.frozen(TODAY):
        cases.record_ground_facts(db, officer, ground(db, sub_case["id"], "EX-01")["id"], start_date=date(2025, 1, 1))
        confirmed(db, decisions.propose(db, officer, sub_case["id"], "require_replacement", "Dom mot vd",
                                        "Dom B 99-25"))
    assert decisions.in_force(db, pid, org)[org]["outcome"] == "require_replacement"
    [blocker] = exclusion_blockers(db, pid, org, "Kranuthyrning Syd AB")  # the award waits for the replacement
    assert blocker.kind == "exclusion" and "Dom mot vd" in blocker.detail


def test_a_reply_before_the_communication_was_sent_is_refused(db, people, crime):
    officer, _security = people
    _pid, _org, case = crime
    with clock.frozen(TODAY):
        communication_id = communication.send(db, officer, case["id"], date(2026, 6, 10), "email", "Dom", date(2026, 6, 24))
        with pytest.raises(InvalidInput, match="before"):
            communication.reply(db, officer, communication_id, date(2026, 6, 9), "Svar", "")
        with pytest.raises(InvalidInput, match="deadline"):
            communication.send(db, officer, case["id"], date(2026, 6, 10), "email", "Dom", date(2026, 6, 1))


def test_second_person_helper_is_distinct(db):
    assert second(db, "security_officer").username == "second_security_officer"
