"""Checks a user asks for run in the background: the request records a batch and never calls a register."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import requests
import responses

from vetting.domain import followup, organisations, procurements
from vetting.domain.audit import SYSTEM
from vetting.queue import huey
from vetting.store import followup as followup_store

BRREG = "https://data.brreg.no/enhetsregisteret/api"
FIXTURES = Path(__file__).parent / "fixtures" / "no.brreg"
ORGNR = "912345602"


@pytest.fixture
def procurement(db: Any, create_procurement: Any) -> int:
    """4 organisations (one Norwegian, so a register applies) and 6 key persons."""
    pid = create_procurement(title="Ramavtal bygg")
    top = None
    for i in range(4):
        values = {"name": f"Bygg {i} AB", "country": "SE"}
        if i == 0:
            values = {"name": "Fjordbygg Entreprenør AS", "country": "NO", "identifier_type": "no_orgnr",
                      "identifier": ORGNR}
        org = organisations.create(db, SYSTEM, values)
        participant = procurements.add_participant(db, SYSTEM, pid, org, "bidder" if top is None else "subcontractor",
                                                   top)
        top = top or participant
        for j in range(2 if i < 2 else 1):
            organisations.add_key_person(db, SYSTEM, org, {"name": f"Person {i}{j} Svensson", "role": "board_member",
                                                     "birth_date": f"19{60 + i}"})
    return pid


def test_screen_all_returns_at_once_with_the_network_blocked(login_as: Any, db: Any, procurement: int,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    def no_register(*_a: Any, **_k: Any) -> Any:
        raise AssertionError("the request thread called a register")

    monkeypatch.setattr(requests.Session, "send", no_register)
    client = login_as("procurement_officer")
    huey.immediate = False  # a real queue: the work waits for a consumer
    try:
        response = client.post(f"/screening/procurement/{procurement}/run")
        assert response.status_code == 302 and "/followup/batches/" in response.headers["Location"]
        batch_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
        assert db.execute("SELECT count(*) FROM outcomes").fetchone()[0] == 0
        batch = followup_store.batch(db, batch_id)
        assert (batch["total"], batch["done"], batch["state"]) == (10, 0, "running")
        page = client.get(f"/procurements/{procurement}").get_data(as_text=True)
        assert "Kontrollen pågår: 0 av 10" in page  # the button is disabled meanwhile
        assert 'class="button" disabled' in page
        again = client.post(f"/screening/procurement/{procurement}/run")
        assert again.headers["Location"] == response.headers["Location"]  # pressed twice: one batch
        progress = client.get(f"/followup/batches/{batch_id}").get_data(as_text=True)
        assert "Fjordbygg Entreprenør AS" in progress and "0</span> / <span data-field=\"total\">10" in progress
    finally:
        huey.flush()
        huey.immediate = True


def _bankrupt() -> bytes:
    data = json.loads((FIXTURES / "enhet_active.json").read_bytes())
    data["konkurs"] = True
    data["konkursdato"] = "2026-11-20"
    return json.dumps(data).encode()


@responses.activate
def test_check_again_now_fetches_a_fresh_answer_and_shows_the_change(app: Any, login_as: Any, db: Any,
                                                                     procurement: int) -> None:
    from vetting import registers

    registers._clients.clear()  # a client of its own: no answer cached by another test
    db.execute("UPDATE procurements SET phase = 'signed' WHERE id = ?", [procurement])
    db.conn.commit()
    responses.get(f"{BRREG}/enheter/{ORGNR}", body=(FIXTURES / "enhet_active.json").read_bytes(),
                         content_type="application/json")
    responses.get(f"{BRREG}/enheter/{ORGNR}/roller", body=(FIXTURES / "roller.json").read_bytes(),
                  content_type="application/json")
    client = login_as("reviewer")
    assert app.config["REGISTER_CACHE_TTL"] > 0  # the cache is on, for batches
    client.post(f"/followup/contracts/{procurement}/recheck")
    assert followup_store.alerts(db) == []
    responses.replace(responses.GET, f"{BRREG}/enheter/{ORGNR}", body=_bankrupt(), content_type="application/json")
    response = client.post(f"/followup/contracts/{procurement}/recheck")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    # The change in the officer's words: the fact's name, old value → new value.
    assert "Försatt i konkurs: Nej → Ja" in page
    assert "Status i registret: aktivt → försatt i konkurs" in page
    alerts = followup_store.alerts(db)
    assert [a["kind"] for a in alerts] == ["bankruptcy"]
    unit_calls = [c for c in responses.calls if c.request.url.endswith(f"/enheter/{ORGNR}")]
    assert len(unit_calls) == 2  # asked again, not answered from the cache


def test_a_followup_batch_may_use_the_cache(db: Any, procurement: int) -> None:
    batch = followup.start_batch(db, SYSTEM, "followup", "x", followup.contract_subjects(db, procurement), procurement)
    assert not followup_store.batch_is_fresh(db, batch)
