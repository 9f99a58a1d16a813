"""Migrations: repeatable, and an old database ends in the same schema as a fresh one."""
from __future__ import annotations

from vetting.db import connect, upgrade
from vetting.migrations import migrations


def _schema(db):
    return sorted((r[0], r[1]) for r in db.execute(
        "SELECT name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name != '_sqlite_migrations'"))


def test_upgrade_is_idempotent(tmp_path):
    db = connect(tmp_path / "a.db")
    assert upgrade(db)
    assert upgrade(db) == []


def test_database_at_every_older_version_upgrades_to_the_fresh_schema(tmp_path):
    fresh = connect(tmp_path / "fresh.db")
    upgrade(fresh)
    names = [m.name for m in migrations._migrations]
    for index, name in enumerate(names):
        old = connect(tmp_path / f"old{index}.db")
        migrations.apply(old, stop_before=name)
        upgrade(old)
        assert _schema(old) == _schema(fresh), name


def test_connections_use_wal_and_foreign_keys(tmp_path):
    db = connect(tmp_path / "a.db")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000


def test_upgrade_command(runner):
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0 and "up to date" in result.output
