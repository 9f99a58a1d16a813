"""Backups are consistent under load and never overwrite; restores trust only verified backups; check."""
from __future__ import annotations

import sqlite3
import threading
import time

from conftest import make_app
from vetting.db import connect
from vetting.domain import organisations
from vetting.domain.audit import SYSTEM, record


def _count(path, table="organisations"):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def _tamper_audit(path):
    """Change an audit row as someone with file access would: around the append-only triggers."""
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET actor = 'mallory' WHERE id = (SELECT min(id) FROM audit_log)")
    conn.commit()
    conn.close()


def test_backup_taken_under_write_load_restores_into_a_fresh_database_and_verifies(app, runner, tmp_path):
    stop_at = time.monotonic() + 2.0
    written: list[int] = []

    def keep_writing() -> None:
        conn = connect(app.config["DATABASE"])
        n = 0
        while time.monotonic() < stop_at:
            organisations.create(conn, SYSTEM, {"name": f"Skrivbolaget {n} AB", "country": "SE"})
            n += 1
        conn.conn.close()
        written.append(n)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    time.sleep(0.5)
    target = tmp_path / "backup.sqlite3"
    result = runner.invoke(args=["backup", str(target)])
    writer.join()
    assert result.exit_code == 0 and "integrity_check: ok" in result.output, result.output
    in_backup = _count(target)
    assert 0 < in_backup < written[0] == _count(app.config["DATABASE"])  # taken mid-stream, not after

    (tmp_path / "fresh").mkdir()
    fresh = make_app(tmp_path / "fresh")
    restored = fresh.test_cli_runner().invoke(args=["restore", str(target), "--yes"])
    assert restored.exit_code == 0, restored.output
    assert _count(fresh.config["DATABASE"]) == in_backup
    check = fresh.test_cli_runner().invoke(args=["check"])
    assert check.exit_code == 0 and "integrity_check: ok" in check.output and "audit chain: intact" in check.output
    assert _count(fresh.config["DATABASE"], "audit_log WHERE action = 'database.restore'") == 1


def test_backup_never_overwrites_an_existing_file(runner, tmp_path):
    target = tmp_path / "existing.sqlite3"
    target.write_bytes(b"keep me")
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 1 and "already exists" in result.output
    assert target.read_bytes() == b"keep me"


def test_restore_refuses_a_tampered_backup_and_changes_nothing(app, runner, db, tmp_path):
    record(db, SYSTEM, "test.action", "procurement", 1)
    target = tmp_path / "backup.sqlite3"
    assert runner.invoke(args=["backup", str(target)]).exit_code == 0
    _tamper_audit(target)
    organisations.create(db, SYSTEM, {"name": "Efter Backupen AB", "country": "SE"})
    result = runner.invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 1 and "BROKEN" in result.output and "nothing was restored" in result.output
    assert _count(app.config["DATABASE"]) == 1


def test_check_exits_1_on_a_tampered_audit_row(app, runner, db):
    record(db, SYSTEM, "test.action", "procurement", 1)
    assert runner.invoke(args=["check"]).exit_code == 0
    _tamper_audit(app.config["DATABASE"])
    result = runner.invoke(args=["check"])
    assert result.exit_code == 1 and "audit chain: BROKEN at entry 1" in result.output
