"""Follow-up: schedules by risk, re-check batches (idempotent), change alerts that open CP10, reviews."""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from vetting.domain import followup, lists, organisations, procurements, screening
from vetting.domain.audit import SYSTEM
from vetting.domain.errors import InvalidInput
from vetting.store import checkpoints as checkpoint_store
from vetting.store import followup as store

FIXTURES = Path(__file__).parent / "fixtures" / "lists"
SETTINGS = {"SCREENING_POSSIBLE_THRESHOLD": 0.8, "SCREENING_HIT_THRESHOLD": 0.93, "FOLLOWUP_INTERVAL_MONTHS": (),
            "FOLLOWUP_ITEM_PAUSE": 0, "FOLLOWUP_CHUNK_SIZE": 50}


@pytest.fixture
def contract(db, create_org, create_procurement):
    """A signed contract: a supplier with a subcontractor and a key person, lists loaded, screened once."""
    lists.import_list(db, SYSTEM, "un", [FIXTURES / "un_consolidated.xml"])
    pid = create_procurement(title="Bevakning")
    supplier = create_org(name="Vakt & Trygghet AB")
    top = procurements.add_participant(db, SYSTEM, pid, supplier, "awarded")
    procurements.add_participant(db, SYSTEM, pid, create_org(name="Under AB"), "subcontractor", top)
    organisations.add_key_person(db, SYSTEM, supplier, {"name": "Jan Jansson", "role": "ceo", "birth_date": "1970"})
    db.execute("UPDATE procurements SET phase = 'signed' WHERE id = ?", [pid])
    batch = followup.start_batch(db, SYSTEM, "recheck", "first", followup.contract_subjects(db, pid), pid, ("sanctions",))
    followup.run_batch_inline(db, batch, SETTINGS)
    return pid


def test_intervals_follow_risk_level(db, contract):
    schedule = followup.set_schedule(db, SYSTEM, contract, "high", SETTINGS)
    assert schedule["interval_months"] == 3 and schedule["next_due"] == followup.add_months(date.today(), 3).isoformat()
    assert followup.set_schedule(db, SYSTEM, contract, "low", {"FOLLOWUP_INTERVAL_MONTHS": ("low=9",)})["interval_months"] == 9


@pytest.mark.parametrize("months", [0, -3, 37, 10**9])
def test_an_interval_of_zero_negative_or_absurd_months_is_refused_not_replaced(db, contract, months):
    with pytest.raises(InvalidInput) as caught:
        followup.set_schedule(db, SYSTEM, contract, "high", SETTINGS, months)
    assert caught.value.field == "interval_months"
    assert store.schedule(db, contract) is None


def test_add_months_keeps_the_end_of_month():
    assert followup.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert followup.add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


def test_every_run_is_recorded_even_when_nothing_is_found(db, contract):
    before = db.execute("SELECT count(*) FROM outcomes").fetchone()[0]
    batch = followup.start_batch(db, SYSTEM, "recheck", "again", followup.contract_subjects(db, contract), contract,
                                 ("sanctions",))
    followup.run_batch_inline(db, batch, SETTINGS)
    assert db.execute("SELECT count(*) FROM outcomes").fetchone()[0] == before + 3
    assert store.batch(db, batch)["state"] == "done" and store.batch(db, batch)["by_status"] == {"clear": 3}
    assert store.alerts(db) == []


def test_a_redone_item_adds_no_duplicate(db, contract):
    batch = followup.start_batch(db, SYSTEM, "recheck", "x", followup.contract_subjects(db, contract), contract,
                                 ("sanctions",))
    item = store.pending_items(db, batch)[0]["id"]
    assert followup.process_item(db, item, SETTINGS) is True
    assert followup.process_item(db, item, SETTINGS) is False
    assert db.execute("SELECT count(*) FROM outcomes WHERE batch_item_id = ?", [item]).fetchone()[0] == 1


def _list_with_new_entry(tmp_path: Path, name: str) -> Path:
    """The UN fixture plus one more listed individual (as a new list version would bring)."""
    text = (FIXTURES / "un_consolidated.xml").read_text(encoding="utf-8")
    entry = (f"<INDIVIDUAL><DATAID>9999999</DATAID><VERSIONNUM>1</VERSIONNUM><FIRST_NAME>{name.split()[0]}</FIRST_NAME>"
             f"<SECOND_NAME>{name.split()[1]}</SECOND_NAME><UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE>"
             "<REFERENCE_NUMBER>QDi.999</REFERENCE_NUMBER><LISTED_ON>2026-11-01</LISTED_ON>"
             "<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><YEAR>1970</YEAR></INDIVIDUAL_DATE_OF_BIRTH>"
             "</INDIVIDUAL>")
    path = tmp_path / "un.xml"
    path.write_text(text.replace("<INDIVIDUALS>", "<INDIVIDUALS>" + entry, 1), encoding="utf-8")
    return path


def test_list_update_that_lists_a_key_person_raises_one_alert_and_opens_cp10(app, db, contract, tmp_path):
    with app.app_context():  # the import itself re-screens by delta (immediate mode: runs now)
        summary = lists.import_list(db, SYSTEM, "un", [_list_with_new_entry(tmp_path, "Jan Jansson")])
    assert store.batch(db, summary["batch_id"])["state"] == "done"
    alerts = store.alerts(db)
    assert len(alerts) == 1 and "JANSSON" in alerts[0]["detail"].upper()
    assert [c["template_id"] for c in checkpoint_store.for_procurement(db, contract)].count("CP10") == 1
    # The same list again: nothing changed, nobody is screened, no second alert.
    with app.app_context():
        again = lists.import_list(db, SYSTEM, "un", [_list_with_new_entry(tmp_path, "Jan Jansson")])
    assert again["batch_id"] is None and again["rescreen"]["screened"] == 0 and len(store.alerts(db)) == 1


def test_the_nightly_rescreen_covers_every_contract_party(app, db, contract, tmp_path):
    from vetting.tasks import nightly_rescreen

    lists.import_list(db, SYSTEM, "un", [_list_with_new_entry(tmp_path, "Jan Jansson")])  # no queue: not run
    with app.app_context():
        batch_id = nightly_rescreen.call_local()
    batch = store.batch(db, batch_id)
    assert batch["state"] == "done" and batch["total"] == 3  # supplier, subcontractor, key person
    assert len(store.alerts(db)) == 1
    app.config["NIGHTLY_RESCREEN"] = False
    with app.app_context():
        assert nightly_rescreen.call_local() is None


def test_changed_register_fact_alerts_but_a_changed_timestamp_does_not(db, contract):
    from vetting.domain.changes import compare

    base = {"id": 1, "status": "clear", "explanation": [],
            "findings": [{"code": "company.bankrupt", "value": False}, {"code": "company.age_days", "value": 100}]}
    older_only = {**base, "findings": [{"code": "company.bankrupt", "value": False}, {"code": "company.age_days", "value": 101}]}
    bankrupt = {**base, "findings": [{"code": "company.bankrupt", "value": True}, {"code": "company.age_days", "value": 101}]}
    assert compare(base, older_only) == []
    assert [c.kind for c in compare(base, bankrupt) if c.alert] == ["bankruptcy"]


def test_due_contracts_are_rechecked_once_per_period(db, contract):
    followup.set_schedule(db, SYSTEM, contract, "medium", SETTINGS)
    db.execute("UPDATE followups SET next_due = '2026-01-01'")
    assert [b for b in followup.start_due(db)]
    assert followup.start_due(db) == []


def test_run_due_cli(runner, db, contract):
    followup.set_schedule(db, SYSTEM, contract, "medium", SETTINGS)
    db.execute("UPDATE followups SET next_due = '2026-01-01'")
    result = runner.invoke(args=["followup", "run-due"])
    assert result.exit_code == 0 and "3 subjects checked" in result.output


def test_review_sets_the_next_date_and_shows_changes_side_by_side(db, contract, login_as, tmp_path):
    followup.set_schedule(db, SYSTEM, contract, "high", SETTINGS)
    followup.review(db, SYSTEM, contract, "Inga avvikelser")
    batch = lists.import_list(db, SYSTEM, "un", [_list_with_new_entry(tmp_path, "Jan Jansson")])["batch_id"]
    followup.run_batch_inline(db, batch, SETTINGS)  # no queue here: the import's batch is run in this process
    rows = [r for r in followup.side_by_side(db, contract) if r["changes"]]
    assert [r["name"] for r in rows] == ["Jan Jansson"] and rows[0]["before"]["status"] == "clear"
    page = login_as("reviewer").get(f"/followup/contracts/{contract}").get_data(as_text=True)
    row = next(tr for tr in page.split("<tr")[1:] if "Jan Jansson" in tr)  # StopIteration: no row for him
    assert "status-hit" in row or "status-possible_match" in row
    with pytest.raises(InvalidInput):
        followup.review(db, SYSTEM, contract, "  ")


def test_reviewer_handles_an_alert(db, contract, login_as, tmp_path):
    batch = lists.import_list(db, SYSTEM, "un", [_list_with_new_entry(tmp_path, "Jan Jansson")])["batch_id"]
    followup.run_batch_inline(db, batch, SETTINGS)
    alert = store.alerts(db)[0]
    client = login_as("reviewer")
    response = client.post(f"/followup/alerts/{alert['id']}/handle", data={"note": "Annan person, annat födelseår"})
    assert response.status_code == 302 and store.alerts(db) == []


def test_recheck_now_and_progress_json(db, contract, login_as):
    client = login_as("procurement_officer")
    response = client.post(f"/followup/contracts/{contract}/recheck")
    assert response.status_code == 302 and "/followup/batches/" in response.location
    batch_id = int(response.location.rstrip("/").split("/")[-1])
    progress = client.get(f"/followup/batches/{batch_id}.json").get_json()
    assert progress["state"] == "done" and progress["done"] == progress["total"] > 0
    assert "<progress" in client.get(f"/followup/batches/{batch_id}").get_data(as_text=True)


def test_signed_contract_gets_a_schedule_when_the_phase_moves(db, contract):
    from vetting.domain import workflow

    workflow.start_followup_if_signed(db, SYSTEM, contract, SETTINGS)
    assert store.schedule(db, contract)["risk_level"] == "medium"
