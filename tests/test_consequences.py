"""Every change to a contract party raises its alert, wherever the outcome came from; exactly once."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import responses

from vetting.domain import lists, organisations, procurements, screening
from vetting.domain.audit import SYSTEM
from vetting.store import checkpoints as checkpoint_store
from vetting.store import followup as followup_store

FIXTURES = Path(__file__).parent / "fixtures" / "lists"
UN_URL = "https://scsanctions.un.org/resources/xml/en/consolidated.xml"


def un_list_with(name: str, birth_year: str = "1970") -> str:
    """The UN fixture with one more listed individual, as a new version of the list would bring."""
    first, last = name.split()
    entry = (f"<INDIVIDUAL><DATAID>9999999</DATAID><VERSIONNUM>1</VERSIONNUM><FIRST_NAME>{first}</FIRST_NAME>"
             f"<SECOND_NAME>{last}</SECOND_NAME><UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE>"
             "<REFERENCE_NUMBER>QDi.999</REFERENCE_NUMBER><LISTED_ON>2026-11-01</LISTED_ON>"
             f"<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><YEAR>{birth_year}</YEAR>"
             "</INDIVIDUAL_DATE_OF_BIRTH></INDIVIDUAL>")
    text = (FIXTURES / "un_consolidated.xml").read_text(encoding="utf-8")
    return text.replace("<INDIVIDUALS>", "<INDIVIDUALS>" + entry, 1)


@pytest.fixture
def contract(app: Any, db: Any, create_org: Any, create_procurement: Any) -> dict[str, int]:
    """A signed contract whose supplier has a key person; screened once against the loaded list."""
    lists.import_list(db, SYSTEM, "un", [FIXTURES / "un_consolidated.xml"])
    pid = create_procurement(title="Bevakning")
    supplier = create_org(name="Vakt & Trygghet AB")
    procurements.add_participant(db, SYSTEM, pid, supplier, "awarded")
    person = organisations.add_key_person(db, SYSTEM, supplier, {"name": "Jan Jansson", "role": "ceo",
                                                                 "birth_date": "1970"})
    db.execute("UPDATE procurements SET phase = 'signed' WHERE id = ?", [pid])
    db.conn.commit()
    with app.app_context():
        screening.screen_organisation_and_people(db, SYSTEM, supplier, app.config, ("sanctions",))
    return {"procurement": pid, "supplier": supplier, "person": person}


def cp10_count(db: Any, pid: int) -> int:
    return [c["template_id"] for c in checkpoint_store.for_procurement(db, pid)].count("CP10")


def test_a_manual_recheck_that_finds_a_new_hit_raises_one_alert_and_opens_cp10(app: Any, db: Any, contract: Any,
                                                                               tmp_path: Path) -> None:
    path = tmp_path / "un.xml"
    path.write_text(un_list_with("Jan Jansson"), encoding="utf-8")
    # The new version arrives by a path that does not re-screen (a bare connection, no queue), then an
    # officer re-checks the person by hand: the stored outcome itself raises the alert.
    lists.import_list(db, SYSTEM, "un", [path])
    assert followup_store.alerts(db) == []
    with app.app_context():
        screening.screen_subject(db, SYSTEM, "person", contract["person"], app.config, ("sanctions",))
    alerts = followup_store.alerts(db)
    assert len(alerts) == 1 and "JANSSON" in alerts[0]["detail"].upper()
    assert alerts[0]["previous_outcome_id"] is not None  # old value beside the new one
    assert cp10_count(db, contract["procurement"]) == 1
    with app.app_context():  # the same answer again is no new change
        screening.screen_subject(db, SYSTEM, "person", contract["person"], app.config, ("sanctions",))
    assert len(followup_store.alerts(db)) == 1 and cp10_count(db, contract["procurement"]) == 1


@responses.activate
def test_lists_update_with_a_served_list_that_adds_a_key_person_raises_one_alert(app: Any, db: Any, contract: Any,
                                                                                runner: Any) -> None:
    app.config["LIST_URLS"] = (f"un={UN_URL}",)
    responses.add(responses.GET, UN_URL, body=un_list_with("Jan Jansson").encode(), status=200,
                  content_type="application/xml")
    result = runner.invoke(args=["lists", "update"])
    assert result.exit_code == 0, result.output
    assert "re-screened" in result.output
    alerts = followup_store.alerts(db)
    assert len(alerts) == 1 and alerts[0]["subject_kind"] == "person" and alerts[0]["kind"] == "new_match"
    assert cp10_count(db, contract["procurement"]) == 1
    result = runner.invoke(args=["lists", "update"])  # the same file again: nothing new
    assert len(followup_store.alerts(db)) == 1 and cp10_count(db, contract["procurement"]) == 1


def test_list_import_from_the_page_rescreens_contract_parties(app: Any, db: Any, contract: Any, login_as: Any,
                                                              tmp_path: Path) -> None:
    import io

    client = login_as("security_officer")
    response = client.post("/screening/lists/upload", data={
        "source": "un", "files": [(io.BytesIO(un_list_with("Jan Jansson").encode()), "consolidated.xml")]},
        content_type="multipart/form-data")
    assert response.status_code == 302 and "/followup/batches/" in response.headers["Location"]
    assert len(followup_store.alerts(db)) == 1 and cp10_count(db, contract["procurement"]) == 1


def test_the_contracts_officer_is_told_of_a_new_alert(app: Any, db: Any, contract: Any, accounts: Any,
                                                      tmp_path: Path) -> None:
    officer = accounts["procurement_officer"]
    db.execute("UPDATE procurements SET responsible_user_id = ? WHERE id = ?", [officer, contract["procurement"]])
    db.conn.commit()
    path = tmp_path / "un.xml"
    path.write_text(un_list_with("Jan Jansson"), encoding="utf-8")
    lists.import_list(db, SYSTEM, "un", [path])
    assert checkpoint_store.notifications(db, officer) == []
    with app.app_context():
        screening.screen_subject(db, SYSTEM, "person", contract["person"], app.config, ("sanctions",))
    told = checkpoint_store.notifications(db, officer)
    assert [n["link"] for n in told] == [f"/followup/contracts/{contract['procurement']}"]
    assert "JANSSON" in told[0]["text"].upper()


def test_confirming_a_hit_on_a_party_of_a_signed_contract_opens_cp10_for_the_decision(
        app: Any, db: Any, accounts: Any, create_org: Any, create_procurement: Any) -> None:
    from vetting.domain.audit import Actor
    from vetting.store import outcomes as outcome_store

    security = Actor(accounts["security_officer"], "security_officer", frozenset({"security_officer"}))
    lists.import_list(db, SYSTEM, "un", [FIXTURES / "un_consolidated.xml"])
    party = create_org(name="Test Relief Foundation", country="PK")
    with app.app_context():  # screened before it is a party of any contract: no alert, no CP10 from a change
        screening.screen_subject(db, SYSTEM, "organisation", party, app.config, ("sanctions",))
    pid = create_procurement(phase="signed", protection_level="none", estimated_value=100_000)
    procurements.add_participant(db, SYSTEM, pid, party, "awarded")
    assert cp10_count(db, pid) == 0
    outcome = next(o for o in outcome_store.latest(db, "organisation", party) if o["check_id"] == "sanctions")
    for match in outcome["explanation"]:
        screening.decide(db, security, outcome["id"], match["list"], match["listed_id"], "confirmed", "Samma person")
    [cp10] = [c for c in checkpoint_store.for_procurement(db, pid) if c["template_id"] == "CP10"]
    assert cp10["event_detail"]["what"] == "sanctions_hit_confirmed"
    assert (cp10["event_detail"]["subject_kind"], cp10["event_detail"]["subject_id"]) == ("organisation", party)
