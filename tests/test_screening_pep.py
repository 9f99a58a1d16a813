"""A politically exposed person is a risk signal for the deepened check, not a sanctions hit."""
from __future__ import annotations

from pathlib import Path

from vetting.domain import lists, organisations, risk_facts, screening
from vetting.domain.audit import SYSTEM
from vetting.lists import importers

FIXTURES = Path(__file__).parent / "fixtures" / "lists"
SETTINGS = {"SCREENING_POSSIBLE_THRESHOLD": 0.80, "SCREENING_HIT_THRESHOLD": 0.93}


def test_pep_topic_is_read_from_opensanctions() -> None:
    entry = importers.parse("opensanctions", [FIXTURES / "opensanctions_peps.ftm.json"]).entries[0]
    assert entry.topics == ("role.pep",)


def test_key_person_who_is_a_pep_gets_a_pep_finding_and_fact_not_a_hit(db, create_org):
    lists.import_list(db, SYSTEM, "opensanctions", [FIXTURES / "opensanctions_peps.ftm.json"])
    org = create_org()
    organisations.add_key_person(db, SYSTEM, org, {"name": "Annika Testpolitiker", "role": "board_member",
                                                   "birth_date": "1965-02-03"})
    screening.screen_subject(db, SYSTEM, "person", 1, SETTINGS, ("sanctions",))
    outcome = next(o for o in screening.outcome_store.latest(db, "person", 1) if o["check_id"] == "sanctions")
    assert outcome["status"] == "clear"  # not a sanctions hit...
    assert [f["code"] for f in outcome["findings"]] == ["pep.match"]  # ...but a signal
    assert outcome["explanation"][0]["pep"] is True
    facts = risk_facts._from_outcomes(db, "person", 1)
    assert facts["pep.match"].value is True and facts["sanctions.listed"].value is False
