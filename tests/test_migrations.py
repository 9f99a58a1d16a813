"""Migrations: repeatable; every released schema upgrades to the fresh one; released migrations never change.

The released schemas are stored files (``tests/fixtures/schemas/<last migration>.sql``), dumped
from ``vetting/migrations.py`` as it was at each release commit, so an edit of a released
migration shows up as an old database that no longer ends in the fresh schema.
"""
from __future__ import annotations

import hashlib
import inspect
import json
import sqlite3
from pathlib import Path

import pytest

from vetting.db import connect, upgrade
from vetting.migrations import migrations

SCHEMAS = Path(__file__).parent / "fixtures" / "schemas"
# Fingerprints of the released migrations (see fingerprint()); a new release adds its lines.
RELEASED = json.loads((SCHEMAS / "released.json").read_text(encoding="utf-8"))


def _schema(db):
    return sorted((r[0], r[1]) for r in db.execute(
        "SELECT name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name != '_sqlite_migrations'"))


def fingerprint(fn, source: str | None = None) -> str:
    """SHA-256 of a migration's source and of the module-level helpers and constants it uses."""
    module = inspect.getmodule(fn)
    parts = [inspect.getsource(fn) if source is None else source]
    for name in sorted(set(fn.__code__.co_names)):
        value = getattr(module, name, None)
        if inspect.isfunction(value):
            parts.append(inspect.getsource(value))
        elif isinstance(value, (str, int, float, tuple, frozenset)):
            parts.append(f"{name} = {value!r}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def test_upgrade_is_idempotent(tmp_path):
    db = connect(tmp_path / "a.db")
    assert upgrade(db)
    assert upgrade(db) == []


@pytest.mark.parametrize("release", sorted(p.name for p in SCHEMAS.glob("*.sql")))
def test_a_database_of_each_release_upgrades_to_the_fresh_schema(tmp_path, release):
    fresh = connect(tmp_path / "fresh.db")
    upgrade(fresh)
    conn = sqlite3.connect(tmp_path / "old.db")
    conn.executescript((SCHEMAS / release).read_text(encoding="utf-8"))
    conn.close()
    old = connect(tmp_path / "old.db")
    applied_before = {m.name for m in migrations.applied(old)}
    assert applied_before and applied_before <= set(RELEASED)
    upgrade(old)
    assert _schema(old) == _schema(fresh)


def test_every_released_migration_has_a_stored_schema_and_its_source_never_changes():
    registered = {m.name: m.fn for m in migrations._migrations}
    assert set(RELEASED) <= set(registered), "a released migration was removed or renamed"
    changed = [name for name, digest in RELEASED.items() if fingerprint(registered[name]) != digest]
    assert changed == [], "released migrations must never change; add a new one instead"
    stored = set()
    for path in SCHEMAS.glob("*.sql"):
        header = path.read_text(encoding="utf-8").splitlines()[1]
        stored |= set(header.removeprefix("-- migrations: ").split(", "))
    assert stored == set(RELEASED)


def test_the_fingerprint_sees_an_edit():
    """The oracle for the meta-test: the edit the review found (0006's index) changes the fingerprint."""
    fn = next(m.fn for m in migrations._migrations if m.name == "0006_search")
    source = inspect.getsource(fn)
    assert fingerprint(fn, source) == RELEASED["0006_search"]
    edited = source.replace("check_id, created_at)", "created_at)")
    assert edited != source and fingerprint(fn, edited) != RELEASED["0006_search"]


def test_connections_use_wal_and_foreign_keys(tmp_path):
    db = connect(tmp_path / "a.db")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000


def test_upgrade_command(runner):
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0 and "up to date" in result.output
