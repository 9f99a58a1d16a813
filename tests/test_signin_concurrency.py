"""Finding 5: sign-in limits hold under concurrency, and hashing for unknown users cannot take unbounded memory.

A wrapper around the password check counts how many attempts reach it and how many hash at once;
it waits a little so that concurrent requests really overlap inside the check.
"""
from __future__ import annotations

import threading
import time

import pytest

from vetting.domain import users

PASSWORD = "correct horse battery staple"  # the fixture accounts' password (conftest)


@pytest.fixture
def probe(monkeypatch):
    state = {"calls": 0, "running": 0, "most": 0}
    lock = threading.Lock()
    real = users.check_password_hash

    def counting(hashed: str, password: str) -> bool:
        with lock:
            state["calls"] += 1
            state["running"] += 1
            state["most"] = max(state["most"], state["running"])
        time.sleep(0.05)  # overlap: every thread is inside the check at once unless something serialises them
        try:
            return real(hashed, password)
        finally:
            with lock:
                state["running"] -= 1

    monkeypatch.setattr(users, "check_password_hash", counting)
    return state


def _fire(app, attempts: list[dict[str, str]]) -> list[int]:
    statuses: list[int] = []
    start = threading.Barrier(len(attempts))

    def attempt(data: dict[str, str], address: str) -> None:
        client = app.test_client()
        start.wait()
        statuses.append(client.post("/login", data=data, environ_base={"REMOTE_ADDR": address}).status_code)

    threads = [threading.Thread(target=attempt, args=(data, f"10.0.0.{i}")) for i, data in enumerate(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_sixteen_concurrent_wrong_passwords_reach_the_check_at_most_five_times(app, accounts, probe):
    statuses = _fire(app, [{"username": "reviewer", "password": "wrong password 123"}] * 16)
    assert probe["calls"] <= app.config["LOGIN_MAX_FAILURES_PER_USER"]
    assert statuses.count(429) >= 16 - app.config["LOGIN_MAX_FAILURES_PER_USER"]


def test_concurrent_hashing_is_bounded(app, accounts, probe):
    app.config.update(LOGIN_MAX_CONCURRENT_HASHES=2, LOGIN_HASH_WAIT=300.0)  # unknown names hash with real scrypt
    statuses = _fire(app, [{"username": f"unknown{i}", "password": "whatever 12345"} for i in range(8)])
    assert probe["calls"] == 8 and probe["most"] <= 2, statuses


def test_the_right_password_still_signs_in_after_failures_below_the_limit(app, client, accounts):
    for _ in range(4):
        client.post("/login", data={"username": "reviewer", "password": "wrong"})
    assert client.post("/login", data={"username": "reviewer", "password": PASSWORD}).status_code == 302
