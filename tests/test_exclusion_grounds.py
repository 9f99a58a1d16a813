"""Grounds with their law: time limits, stated optional grounds, below-threshold, the personkrets as data."""
from __future__ import annotations

from datetime import date

import pytest
from exclusion_helpers import ground, officers, open_case, party
from four_eyes import second

from vetting.domain import clock
from vetting.domain.errors import InvalidInput
from vetting.domain.exclusion import cases, communication, decisions
from vetting.domain.exclusion import grounds as law
from vetting.store import exclusion as store

TODAY = date(2026, 6, 15)


def _years_ago(years: int) -> date:
    return TODAY.replace(year=TODAY.year - years)


@pytest.fixture
def people(accounts):
    return officers(accounts)


def _state(db, case, indicator):
    return next(g for g in decisions.ground_states(db, case, TODAY) if g["indicator"] == indicator)


def test_a_13_1_conviction_six_years_old_is_not_a_ground(db, people, create_org, create_procurement):
    officer, _security = people
    pid, org = party(db, officer, create_org, create_procurement)
    case = open_case(db, officer, pid, org, "EX-01")
    with clock.frozen(TODAY):
        cases.record_ground_facts(db, officer, ground(db, case["id"], "EX-01")["id"], start_date=_years_ago(6))
    state = _state(db, case, "EX-01")
    assert state["state"] == "expired" and not state["usable"]
    assert state["limit_end"] == _years_ago(1)  # five years from the day the judgment became final


def test_a_13_1_conviction_four_years_old_is_a_mandatory_ground(db, people, create_org, create_procurement):
    officer, _security = people
    pid, org = party(db, officer, create_org, create_procurement)
    case = open_case(db, officer, pid, org, "EX-01")
    with clock.frozen(TODAY):
        cases.record_ground_facts(db, officer, ground(db, case["id"], "EX-01")["id"], start_date=_years_ago(4))
    state = _state(db, case, "EX-01")
    assert state["usable"] and state["kind"] == "mandatory"
    assert state["limit_end"] == date(2027, 6, 15)


def test_a_13_1_ground_without_its_date_cannot_found_an_exclusion(db, people, create_org, create_procurement):
    officer, _security = people
    pid, org = party(db, officer, create_org, create_procurement)
    case = open_case(db, officer, pid, org, "EX-01")
    assert _state(db, case, "EX-01")["state"] == "date_missing"


def test_an_unstated_13_3_ground_cannot_be_used(db, people, create_org, create_procurement):
    officer, _security = people
    pid, org = party(db, officer, create_org, create_procurement)
    case = open_case(db, officer, pid, org, "EX-09")  # earlier contract terminated: 13:3 p. 7
    g = ground(db, case["id"], "EX-09")
    assert g["ground"] == "13:3:7"
    with clock.frozen(TODAY):
        cases.record_ground_facts(db, officer, g["id"], start_date=_years_ago(1))
        assert _state(db, case, "EX-09")["state"] == "unstated"
        communication.send(db, officer, case["id"], date(2026, 5, 1), "email", "Hävt avtal 2025", date(2026, 5, 15))
        with pytest.raises(InvalidInput, match="No ground stands"):
            decisions.propose(db, officer, case["id"], "exclude", "Hävt avtal", "Hävningsbrev 2025-03-01")
        # Once the documents state the ground, the same facts found an exclusion.
        cases.set_procurement_grounds(db, officer, pid, ["13:3:7"], below_threshold=False)
        assert _state(db, case, "EX-09")["usable"]
        decisions.propose(db, officer, case["id"], "exclude", "Hävt avtal", "Hävningsbrev 2025-03-01")


def test_a_13_3_ground_runs_three_years_from_the_event(db, people, create_org, create_procurement):
    officer, _security = people
    pid, org = party(db, officer, create_org, create_procurement)
    case = open_case(db, officer, pid, org, "EX-09")
    cases.set_procurement_grounds(db, officer, pid, ["13:3:7"], below_threshold=False)
    with clock.frozen(TODAY):
        cases.record_ground_facts(db, officer, ground(db, case["id"], "EX-09")["id"], start_date=_years_ago(4))
    assert _state(db, case, "EX-09")["state"] == "expired"


def test_below_threshold_every_ground_is_optional(db, people, create_org, create_procurement):
    officer, _security = people
    pid, org = party(db, officer, create_org, create_procurement)
    case = open_case(db, officer, pid, org, "EX-01")
    with clock.frozen(TODAY):
        cases.record_ground_facts(db, officer, ground(db, case["id"], "EX-01")["id"], start_date=_years_ago(2))
    cases.set_procurement_grounds(db, officer, pid, [], below_threshold=True)
    state = _state(db, case, "EX-01")
    assert state["kind"] == "optional" and state["state"] == "unstated"
    cases.set_procurement_grounds(db, officer, pid, ["13:1"], below_threshold=True)
    assert _state(db, case, "EX-01")["usable"]


def test_below_threshold_the_hearing_cites_19_kap():
    assert "19 kap" in str(communication.legal_basis(True))
    above = str(communication.legal_basis(False))
    assert "örvaltningslagen" in above and "13 kap. 5" not in above


def test_13_2_is_mandatory_only_when_established_by_a_final_decision():
    assert law.kind_of("13:2", "final", below_threshold=False) == "mandatory"
    assert law.kind_of("13:2", "other", below_threshold=False) == "optional"
    assert law.kind_of("13:2", None, below_threshold=False) == "optional"


def test_legal_bases_of_the_model_name_their_grounds():
    assert law.code_for("LOU 13:1") == "13:1"
    assert law.code_for("LOU 13:3 p. 2; no legal person to contract with") == "13:3:2"
    assert law.code_for("Regulation (EU) 833/2014 art. 5k") == "art5k"
    assert law.code_for("EU sanctions regulations (art. 215 TFEU)") == "sanctions"


def test_the_personkrets_is_the_key_roles_except_contacts():
    assert set(law.PERSONKRETS) == {"board_member", "deputy", "ceo", "signatory", "beneficial_owner"}
    assert not law.in_personkrets("contact")


def test_an_exception_is_recorded_with_its_reason_and_lifts_the_ground(db, people, create_org, create_procurement):
    officer, _security = people
    pid, org = party(db, officer, create_org, create_procurement)
    case = open_case(db, officer, pid, org, "EX-01")
    g = ground(db, case["id"], "EX-01")
    with clock.frozen(TODAY):
        with pytest.raises(InvalidInput, match="reason"):
            cases.record_ground_facts(db, officer, g["id"], start_date=_years_ago(1), exception="public_interest")
        with pytest.raises(InvalidInput, match="no such exception"):
            cases.record_ground_facts(db, officer, g["id"], start_date=_years_ago(1), exception="small_amount",
                                      exception_reason="Liten summa")
        cases.record_ground_facts(db, officer, g["id"], start_date=_years_ago(1), exception="public_interest",
                                  exception_reason="Enda leverantören av vaccin under pandemin")
    state = _state(db, case, "EX-01")
    assert state["state"] == "exception" and state["exception_reason"].startswith("Enda")


def test_a_recorded_fact_is_audited(db, people, create_org, create_procurement):
    from vetting.store import audit as audit_store

    officer, _security = people
    pid, org = party(db, officer, create_org, create_procurement)
    case = open_case(db, officer, pid, org, "EX-01")
    with clock.frozen(TODAY):
        cases.record_ground_facts(db, second(db, "procurement_officer"), ground(db, case["id"], "EX-01")["id"],
                                  start_date=_years_ago(2))
    rows, _total = audit_store.search(db, action="exclusion.ground")
    assert rows and rows[0]["actor"] == "second_procurement_officer"
    assert store.ground(db, ground(db, case["id"], "EX-01")["id"])["start_date"] == _years_ago(2).isoformat()
