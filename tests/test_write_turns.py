"""Writers of one process take turns on a database file; writers of other processes still meet SQLite's wait.

``store.write_transaction`` makes a thread wait (at most the busy timeout) for the other threads of its process
writing to the same file, then SQLite's busy handler waits (again at most the busy timeout) and the app's
retries or its 503 decide. Oracles: the rows each writer saw and left, the answer it got, and how long that took
measured against the busy timeout. Retries are off (``WRITE_RETRIES = 0``) so that one busy timeout is one try
and the app itself never sleeps in back-off; waits are a few tenths of a second.
"""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from conftest import PASSWORD, make_app
from vetting import store
from vetting.db import close_connections, connect, upgrade
from vetting.domain import users
from vetting.domain.audit import SYSTEM
from vetting.store import DatabaseBusy, write_transaction

ORG = "INSERT INTO organisations (name, country, created_at, updated_at) VALUES (?, 'SE', '2026-01-01', '2026-01-01')"
NAMES = "SELECT name FROM organisations ORDER BY id"


@pytest.fixture
def path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A migrated database file; one try for the write lock per write (no back-off)."""
    monkeypatch.setattr(store, "WRITE_RETRIES", 0)
    db = connect(tmp_path / "turns.sqlite3")
    upgrade(db)
    db.conn.close()
    return str(tmp_path / "turns.sqlite3")


@contextmanager
def held_by_another_process(path: str) -> Iterator[None]:
    """Another process holding the write lock (``BEGIN IMMEDIATE``) until the block ends."""
    script = ("import sqlite3, sys\n"
              "conn = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
              "conn.execute('BEGIN IMMEDIATE')\n"
              "print('held', flush=True)\n"
              "sys.stdin.readline()\n"
              "conn.execute('ROLLBACK')\n")
    holder = subprocess.Popen([sys.executable, "-c", script, path], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        yield
    finally:
        holder.communicate("release\n", timeout=10)


def test_two_threads_writing_one_file_both_commit_the_second_after_the_first(path):
    # The first holds its transaction longer than one busy timeout: SQLite's wait alone would give up on the
    # second ("database is locked"); waiting its turn first, the second gets the lock once the first commits.
    busy_timeout = 0.3
    first, second = connect(path, busy_timeout), connect(os.path.join(os.path.dirname(path), ".", "turns.sqlite3"),
                                                          busy_timeout)  # the same file spelt another way
    first_inside, seen_by_second, failures = threading.Event(), [], []

    def write_first() -> None:
        try:
            with write_transaction(first) as db:
                db.execute(ORG, ["Först AB"])
                first_inside.set()
                time.sleep(1.5 * busy_timeout)
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    def write_second() -> None:
        try:
            assert first_inside.wait(5)
            with write_transaction(second) as db:
                seen_by_second.extend(row[0] for row in db.execute(NAMES).fetchall())
                db.execute(ORG, ["Sedan AB"])
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    threads = [threading.Thread(target=write_first), threading.Thread(target=write_second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert failures == []
    assert seen_by_second == ["Först AB"]  # its write began on a database where the first had committed
    other = connect(path)
    assert [row[0] for row in other.execute(NAMES).fetchall()] == ["Först AB", "Sedan AB"]
    for db in (first, second, other):
        db.conn.close()


def test_a_writer_in_another_process_still_gets_the_busy_answer_within_two_busy_timeouts(path):
    # Four requests of this process all find the lock held elsewhere. Each waits its turn at most one busy
    # timeout, then SQLite waits one more: all have the 503 "try again" page by two busy timeouts, not one
    # after another (four busy timeouts for the last).
    busy_timeout = 0.25
    app = make_app(Path(path).parent, DATABASE=path, DATABASE_BUSY_TIMEOUT=busy_timeout, DATABASE_WRITE_RETRIES=0)
    db = connect(path)
    users.create_user(db, SYSTEM, username="officer", password=PASSWORD, roles=["procurement_officer"],
                      display_name="Officer", hash_method="pbkdf2:sha256:1000")
    db.conn.close()
    clients = [app.test_client() for _ in range(4)]
    for client in clients:  # signed in before the lock is taken: signing in writes too
        assert client.post("/login", data={"username": "officer", "password": PASSWORD}).status_code == 302
    together = threading.Barrier(len(clients))
    answers: list[tuple[int, str, float]] = []

    def save(client: Any, n: int) -> None:
        together.wait(5)
        started = time.monotonic()
        response = client.post("/organisations/new", data={"name": f"Låst {n} AB", "country": "SE"})
        answers.append((response.status_code, response.get_data(as_text=True), time.monotonic() - started))

    try:
        with held_by_another_process(path):
            threads = [threading.Thread(target=save, args=(client, n)) for n, client in enumerate(clients)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(10 * busy_timeout)
    finally:
        close_connections(app)
    assert [status for status, _, _ in answers] == [503] * len(clients)
    assert all("försök igen" in page for _, page, _ in answers)
    slowest = max(seconds for _, _, seconds in answers)
    assert slowest < 3 * busy_timeout, f"the last busy answer took {slowest:.2f} s"


def test_a_thread_already_writing_that_writes_through_a_second_connection_gets_sqlites_answer(path):
    # Its own turn is taken again at once (re-entrant); the file's lock is its own first connection's, so SQLite
    # answers busy after one busy timeout. Waiting for its own turn would first add a busy timeout, or never end.
    busy_timeout = 0.4
    outer, inner = connect(path, busy_timeout), connect(path, busy_timeout)
    outcome: dict[str, Any] = {}

    def write_twice() -> None:
        with write_transaction(outer) as db:
            db.execute(ORG, ["Yttre AB"])
            started = time.monotonic()
            try:
                with write_transaction(inner) as nested:
                    nested.execute(ORG, ["Inre AB"])
            except DatabaseBusy as exc:
                outcome["answer"] = exc
            outcome["seconds"] = time.monotonic() - started

    worker = threading.Thread(target=write_twice, daemon=True)  # daemon: a deadlock must not hang the run
    worker.start()
    worker.join(5 * busy_timeout)
    assert not worker.is_alive(), "the second write never got an answer"
    assert isinstance(outcome.get("answer"), DatabaseBusy) and store.is_busy(outcome["answer"])
    assert outcome["seconds"] < 1.5 * busy_timeout  # one busy timeout (SQLite's), not its own turn's first
    other = connect(path)
    assert [row[0] for row in other.execute(NAMES).fetchall()] == ["Yttre AB"]  # the outer write still committed
    for db in (outer, inner, other):
        db.conn.close()
