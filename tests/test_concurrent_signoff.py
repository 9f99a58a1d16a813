"""Two security officers sign the same checkpoint at the same moment against a real server: one decision wins."""
from __future__ import annotations

import threading

import requests
from werkzeug.serving import make_server

from conftest import PASSWORD, make_app
from vetting.db import connect
from vetting.domain import checkpoints, procurements, users
from vetting.domain.audit import SYSTEM, Actor
from vetting.store import checkpoints as store


def test_exactly_one_of_two_simultaneous_signoffs_is_stored(tmp_path):
    app = make_app(tmp_path)
    db = connect(app.config["DATABASE"])
    officer_id = users.create_user(db, SYSTEM, username="anna", password=PASSWORD, roles=["procurement_officer"],
                                   hash_method="pbkdf2:sha256:1000")
    for name in ("sven", "sara"):
        users.create_user(db, SYSTEM, username=name, password=PASSWORD, roles=["security_officer"],
                          hash_method="pbkdf2:sha256:1000")
    pid = procurements.create(db, SYSTEM, {"reference": "UH-1", "title": "Bevakning"})
    cp0 = next(c for c in store.for_procurement(db, pid) if c["template_id"] == "CP0")["id"]
    checkpoints.prepare(db, Actor(officer_id, "anna", frozenset({"procurement_officer"})), cp0,
                        {"security_sensitive": "no", "access_needed": "no", "control_level": "basic"})

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        sessions = {}
        for name in ("sven", "sara"):
            session = requests.Session()
            assert session.post(f"{base}/login", data={"username": name, "password": PASSWORD},
                                allow_redirects=False).status_code == 302
            sessions[name] = session
        barrier = threading.Barrier(2)
        results: dict[str, requests.Response] = {}

        def sign(name: str, decision: str) -> None:
            barrier.wait()
            results[name] = sessions[name].post(f"{base}/checkpoints/{cp0}/sign", allow_redirects=False,
                                                data={"decision": decision, "reason": f"beslut av {name}"})

        workers = [threading.Thread(target=sign, args=("sven", "approved")),
                   threading.Thread(target=sign, args=("sara", "rejected"))]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=30)
    finally:
        server.shutdown()
        thread.join(timeout=5)
    decisions = store.decisions(db, cp0)
    assert len(decisions) == 1
    winner = decisions[0]["decided_by"]
    loser = "sara" if winner == "sven" else "sven"
    assert results[winner].status_code == 302
    assert results[loser].status_code == 409
    assert "already decided" in results[loser].text or "redan" in results[loser].text
    audit = [r for r in db.query("SELECT * FROM audit_log WHERE action LIKE 'checkpoint.%' AND action != 'checkpoint.open'"
                                 " AND action != 'checkpoint.prepare'")]
    assert len(audit) == 1 and audit[0]["actor"] == winner
    db.conn.close()
