"""Against a real server on 127.0.0.1: 16 users at once get no server error and no lock error; a server killed
mid-write loses no acknowledged write; the benchmark runs.

``VETTING_LOAD_SECONDS`` sets how long the 16 users work (10 s here; the hardening issue's full run is 60 s).
"""
from __future__ import annotations

import logging
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from werkzeug.serving import WSGIRequestHandler, make_server

from checks import Outcome, Status
from conftest import PASSWORD, make_app
from vetting.db import connect
from vetting.domain import checkpoints, organisations, procurements, screening, users
from vetting.domain.audit import SYSTEM, Actor
from vetting.store import audit as audit_store
from vetting.store import checkpoints as checkpoint_store

ROOT = Path(__file__).resolve().parents[1]
USERS = 16
LOAD_SECONDS = float(os.environ.get("VETTING_LOAD_SECONDS", "10"))
FAST = "pbkdf2:sha256:1000"
CP0 = {"security_sensitive": "no", "access_needed": "no", "control_level": "basic"}
MATCH = {"list": "un", "listed_id": "QDi.1", "listed_name": "Listed Person", "matched_name": "Listed Person",
         "query_name": "x", "list_version": "2026-01-01", "score": 0.85, "level": "possible_match", "entry_hash": "h",
         "programmes": [], "features": []}


class _QuietHandler(WSGIRequestHandler):
    """No access-log line per request (thousands of them); errors are still logged."""

    def log_request(self, code: Any = "-", size: Any = "-") -> None:
        pass


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def server(app) -> Iterator[str]:
    """The app on a threaded werkzeug server on 127.0.0.1; yields its base URL."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        thread.join(timeout=10)


@pytest.fixture
def office(db) -> dict[str, list[int]]:
    """16 users, a preparer, and records to read and decide on: organisations with key persons and open matches,
    procurements with a prepared checkpoint each."""
    for n in range(USERS):
        users.create_user(db, SYSTEM, username=f"user{n:02d}", password=PASSWORD, hash_method=FAST,
                          roles=["procurement_officer", "security_officer", "reviewer"])
    preparer_id = users.create_user(db, SYSTEM, username="preparer", password=PASSWORD, hash_method=FAST,
                                    roles=["procurement_officer"])
    preparer = Actor(preparer_id, "preparer", frozenset({"procurement_officer"}))
    ids: dict[str, list[int]] = {"org": [], "person": [], "procurement": [], "checkpoint": [], "outcome": []}
    for n in range(20):
        org = organisations.create(db, SYSTEM, {"name": f"Bygg {n} AB", "country": "SE"})
        role = organisations.add_key_person(db, SYSTEM, org, {"name": f"Person {n}", "role": "ceo",
                                                               "birth_date": "1970-01-01"})
        pid = procurements.create(db, SYSTEM, {"reference": f"UH-LOAD-{n:03d}", "title": f"Upphandling {n}"})
        procurements.add_participant(db, SYSTEM, pid, org, "bidder")
        cp = next(c["id"] for c in checkpoint_store.for_procurement(db, pid) if c["template_id"] == "CP0")
        checkpoints.prepare(db, preparer, cp, CP0)
        outcome = screening.store_outcome(db, SYSTEM, screening.subject_of(db, "organisation", org),
                                          screening.all_checks()["sanctions"],
                                          Outcome(Status.POSSIBLE_MATCH, explanation=(MATCH,)))
        ids["org"].append(org)
        ids["person"].append(db.execute("SELECT person_id FROM key_roles WHERE id = ?", [role]).fetchone()[0])
        ids["procurement"].append(pid)
        ids["checkpoint"].append(cp)
        ids["outcome"].append(outcome)
    return ids


def _work(base: str, n: int, ids: dict[str, list[int]], deadline: float, tally: dict[str, Any]) -> None:
    """One user: sign in, then mix reads and writes until the deadline; count every answer."""
    rng = random.Random(n)
    session = requests.Session()
    assert session.post(f"{base}/login", data={"username": f"user{n:02d}", "password": PASSWORD},
                        allow_redirects=False, timeout=30).status_code == 302
    i = 0
    while time.monotonic() < deadline:
        i += 1
        pick = rng.random()
        org, person = rng.choice(ids["org"]), rng.choice(ids["person"])
        if pick < 0.70:
            kind = "read"
            url = rng.choice(["/", "/procurements/", f"/procurements/{rng.choice(ids['procurement'])}",
                              "/organisations/?q=Bygg", f"/organisations/{org}", f"/persons/{person}",
                              f"/checkpoints/{rng.choice(ids['checkpoint'])}", f"/screening/organisation/{org}"])
            response = session.get(base + url, timeout=30)
        elif pick < 0.82:
            kind = "create_organisation"
            name = f"Lastbolaget {n:02d}-{i:05d} AB"
            response = session.post(f"{base}/organisations/new", data={"name": name, "country": "SE"},
                                    allow_redirects=False, timeout=30)
            if response.status_code == 302:
                tally["acknowledged"].append(name)
        elif pick < 0.92:
            kind = "add_key_person"
            response = session.post(f"{base}/organisations/{org}/key-persons", allow_redirects=False, timeout=30,
                                    data={"name": f"Ledamot {n}-{i}", "role": "board_member", "birth_date": "1980-02-03"})
        elif pick < 0.96:
            kind = "decide_match"
            response = session.post(f"{base}/screening/outcomes/{rng.choice(ids['outcome'])}/decide",
                                    allow_redirects=False, timeout=30,
                                    data={"list_source": "un", "listed_id": "QDi.1", "decision": "dismissed",
                                          "reason": f"annan person ({n})"})
        else:
            kind = "sign_checkpoint"
            response = session.post(f"{base}/checkpoints/{rng.choice(ids['checkpoint'])}/sign",
                                    allow_redirects=False, timeout=30,
                                    data={"decision": "approved", "reason": f"godkänd av user{n:02d}"})
        with tally["lock"]:
            tally["by_kind"][kind] += 1
            tally["status"][response.status_code] += 1
            if response.status_code >= 500 or "database is locked" in response.text:
                tally["bad"].append((kind, response.status_code, response.text[:200]))


def test_sixteen_users_reading_and_writing_get_no_server_or_lock_errors(app, db, server, office):
    collected = _Collect()
    watched = [logging.getLogger(), app.logger, logging.getLogger("werkzeug")]
    for logger in watched:
        logger.addHandler(collected)
    tally: dict[str, Any] = {"lock": threading.Lock(), "by_kind": Counter(), "status": Counter(), "bad": [],
                             "acknowledged": [], "errors": []}
    deadline = time.monotonic() + LOAD_SECONDS

    def run(n: int) -> None:
        try:
            _work(server, n, office, deadline, tally)
        except Exception as exc:  # a failed request (reset, timeout) fails the test below, with its cause
            tally["errors"].append(f"user{n:02d}: {exc!r}")

    started = time.monotonic()
    workers = [threading.Thread(target=run, args=(n,)) for n in range(USERS)]
    try:
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=LOAD_SECONDS + 120)
    finally:
        for logger in watched:
            logger.removeHandler(collected)
    elapsed = time.monotonic() - started
    total = sum(tally["status"].values())
    print(f"\n16 users, {elapsed:.1f} s: {total} requests ({total / elapsed:.0f}/s), by kind {dict(tally['by_kind'])},"
          f" statuses {dict(tally['status'])}")
    logged = [r.getMessage() + str(r.exc_info or "") for r in collected.records if r.levelno >= logging.WARNING]
    assert tally["errors"] == []
    assert tally["bad"] == []
    assert [m for m in logged if "locked" in m or "Unhandled" in m] == []
    assert total >= USERS * 5 and tally["by_kind"]["create_organisation"] > 0
    created = {r[0] for r in db.execute("SELECT name FROM organisations WHERE name LIKE 'Lastbolaget %'")}
    assert created == set(tally["acknowledged"])


# --- a server process killed in the middle of writes ------------------------------------------------------------

SERVER = """
import sys
from werkzeug.serving import WSGIRequestHandler, make_server
from vetting import create_app

class Quiet(WSGIRequestHandler):
    def log_request(self, *args):
        pass

app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "SESSION_COOKIE_SECURE": False,
                  "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=Quiet)
print(server.server_port, flush=True)
server.serve_forever()
"""


def _start_server(database: Path) -> tuple[subprocess.Popen[str], str]:
    env = {**os.environ, "VETTING_DATABASE": str(database), "VETTING_SECRET_KEY": "kill-test-secret-0123456789abcdef"}
    process = subprocess.Popen([sys.executable, "-c", SERVER], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    port = process.stdout.readline().strip() if process.stdout else ""
    assert port.isdigit(), "the server process did not start"
    return process, f"http://127.0.0.1:{port}"


def test_killed_server_loses_no_acknowledged_write(tmp_path):
    app = make_app(tmp_path)
    database = Path(app.config["DATABASE"])
    setup = connect(database)
    for n in range(4):
        users.create_user(setup, SYSTEM, username=f"writer{n}", password=PASSWORD, roles=["procurement_officer"],
                          hash_method=FAST)
    setup.conn.close()
    process, base = _start_server(database)
    acknowledged: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def write(n: int) -> None:
        session = requests.Session()
        session.post(f"{base}/login", data={"username": f"writer{n}", "password": PASSWORD}, timeout=10)
        i = 0
        while not stop.is_set():
            i += 1
            name = f"Kvittobolaget {n}-{i:05d} AB"
            try:
                response = session.post(f"{base}/organisations/new", data={"name": name, "country": "SE"},
                                        allow_redirects=False, timeout=10)
            except requests.RequestException:
                return  # the server is gone
            if response.status_code == 302:
                with lock:
                    acknowledged.append(name)

    writers = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    try:
        for writer in writers:
            writer.start()
        deadline = time.monotonic() + 20
        while len(acknowledged) < 40 and time.monotonic() < deadline:
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)  # mid-stream: writes are in flight right now
        process.wait(timeout=10)
    finally:
        stop.set()
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        if process.stdout:
            process.stdout.close()
        for writer in writers:
            writer.join(timeout=15)
    assert len(acknowledged) >= 40
    db = connect(database)
    stored = {r[0] for r in db.execute("SELECT name FROM organisations")}
    assert set(acknowledged) <= stored
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert list(db.execute("PRAGMA foreign_key_check")) == []
    # Each organisation and its audit entry were committed together or not at all, and the chain is whole.
    audited = {int(r[0]) for r in db.execute("SELECT record_id FROM audit_log WHERE action = 'organisation.create'")}
    assert {r[0] for r in db.execute("SELECT id FROM organisations")} == audited
    assert audit_store.verify_chain(db)[1] is None
    db.conn.close()


# --- the benchmark itself runs (figures are printed, not asserted) ------------------------------------------------

def test_benchmark_runs_in_quick_mode(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "load.py"), "--quick", "--workdir", str(tmp_path)],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    for page in ("start", "procurements", "procurement", "organisations_search", "organisation", "person"):
        assert f"{page} " in result.stdout
    assert "p50" in result.stdout and "p95" in result.stdout and "p99" in result.stdout
    assert "requests/s" in result.stdout


def test_page_cost_runs_on_a_small_database():
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "page_cost.py"), "--organisations", "50",
                             "--persons", "100", "--procurements", "3", "--repeat", "1"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = {line.split()[0]: line.split()[1:] for line in result.stdout.splitlines()[1:] if line.strip()}
    assert set(lines) == {"start", "procurements", "procurement", "organisations_search", "organisation", "person",
                          "dashboard", "inbox", "review_queue"}
    assert all(len(figures) == 5 and int(figures[2]) > 0 for figures in lines.values())  # every page ran SQL
