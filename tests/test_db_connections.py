"""The connection each thread keeps between requests: nothing of one request reaches the next.

Oracles are other connections of their own (as another worker process would have) and what the pages show.
"""
from __future__ import annotations

import os
import threading

import pytest

from conftest import make_app
from vetting.db import close_connections, connect, get_db, upgrade

# An organisation row written straight in SQL: these tests are about the connection, not the domain.
ORG = "INSERT INTO organisations (name, country, created_at, updated_at) VALUES (?, 'SE', '2026-01-01', '2026-01-01')"


def test_a_transaction_left_open_by_a_request_does_not_hold_the_write_lock_afterwards(app):
    with app.app_context():
        get_db().execute("BEGIN IMMEDIATE")
        get_db().execute(ORG, ["Halvklart AB"])
    # Another process writes at once: without the rollback at teardown it would wait out its busy timeout and fail.
    other = connect(app.config["DATABASE"], busy_timeout=0.1)
    other.execute("BEGIN IMMEDIATE")
    other.execute("COMMIT")
    names = [row[0] for row in other.execute("SELECT name FROM organisations").fetchall()]
    other.conn.close()
    assert "Halvklart AB" not in names


def test_the_kept_connection_sees_what_other_processes_committed_since_the_last_request(app, client, login_as,
                                                                                        create_org):
    client = login_as("procurement_officer")
    assert client.get("/organisations/").status_code == 200  # the thread's connection is now kept
    org = create_org(name="Senare Tillkommet AB")  # committed by another connection
    assert "Senare Tillkommet AB" in client.get(f"/organisations/{org}").get_data(as_text=True)


def test_a_database_file_replaced_under_the_app_is_read_from_the_new_file(tmp_path, app, login_as, create_org):
    client = login_as("procurement_officer")
    org = create_org(name="Gamla Filen AB")
    assert "Gamla Filen AB" in client.get(f"/organisations/{org}").get_data(as_text=True)
    path = app.config["DATABASE"]
    replacement = tmp_path / "replacement.sqlite3"
    copy, live = connect(replacement), connect(path)
    live.conn.backup(copy.conn)  # with what is still in the WAL (the signed-in session)
    live.conn.close()
    copy.execute("UPDATE organisations SET name = 'Nya Filen AB' WHERE id = ?", [org])
    copy.conn.close()
    os.replace(replacement, path)
    for suffix in ("-wal", "-shm"):  # the old file's WAL belongs to the old file
        if os.path.exists(path + suffix):
            os.unlink(path + suffix)
    page = client.get(f"/organisations/{org}").get_data(as_text=True)
    assert "Nya Filen AB" in page and "Gamla Filen AB" not in page


def test_each_thread_writes_through_its_own_connection(app):
    failures: list[BaseException] = []

    def write(n: int) -> None:
        try:
            with app.app_context():
                from vetting.store import write_transaction
                with write_transaction(get_db()) as db:
                    db.execute(ORG, [f"Tråd {n} AB"])
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    other = connect(app.config["DATABASE"])
    count = other.execute("SELECT count(*) FROM organisations WHERE name LIKE 'Tråd %'").fetchone()[0]
    other.conn.close()
    assert count == 8


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_worker_opens_its_own_connection_and_the_parent_keeps_working(app):
    with app.app_context():
        parent = get_db()
        parent.execute("SELECT 1")
    pid = os.fork()
    if pid == 0:  # the child: as a gunicorn worker forked from a master that had used the database
        code = 1
        try:
            with app.app_context():
                db = get_db()
                code = 0 if db is not parent else 2
                db.execute(ORG, ["Barnprocessen AB"])
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    with app.app_context():
        names = [row[0] for row in get_db().execute("SELECT name FROM organisations").fetchall()]
    assert "Barnprocessen AB" in names


def test_closing_an_apps_connections_lets_its_database_be_deleted_and_recreated(tmp_path):
    app = make_app(tmp_path)
    with app.app_context():
        get_db().execute(ORG, ["Borttagen AB"])
    close_connections(app)
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(app.config["DATABASE"] + suffix):
            os.unlink(app.config["DATABASE"] + suffix)
    fresh = connect(app.config["DATABASE"])
    upgrade(fresh)
    fresh.conn.close()
    with app.app_context():
        assert get_db().execute("SELECT count(*) FROM organisations").fetchone()[0] == 0
    close_connections(app)
