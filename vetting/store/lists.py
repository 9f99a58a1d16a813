"""Sanctions and debarment list versions and their entries."""
from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import sqlite_utils

from . import utcnow


def active_versions(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """The active version of every source, by source."""
    return list(db.query("SELECT * FROM list_versions WHERE active = 1 ORDER BY source"))


def all_versions(db: sqlite_utils.Database, source: str | None = None) -> list[dict[str, Any]]:
    """Every imported version, newest first."""
    where, params = ("WHERE source = ?", [source]) if source else ("", [])
    return list(db.query(f"SELECT * FROM list_versions {where} ORDER BY id DESC", params))


def active_version(db: sqlite_utils.Database, source: str) -> dict[str, Any] | None:
    """The active version of one source, or None."""
    rows = list(db.query("SELECT * FROM list_versions WHERE source = ? AND active = 1", [source]))
    return rows[0] if rows else None


def insert_version(db: sqlite_utils.Database, *, source: str, published: str | None, sha256: str, record_count: int,
                   declared_count: int | None, files: list[str], imported_by: str, published_basis: str | None = None,
                   forced_reason: str | None = None) -> int:
    """Record a new version (inactive until ``activate``)."""
    cursor = db.execute(
        "INSERT INTO list_versions (source, published, sha256, record_count, declared_count, files, imported_at,"
        " imported_by, active, published_basis, forced_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
        [source, published, sha256, record_count, declared_count, json.dumps(files), utcnow(), imported_by,
         published_basis, forced_reason])
    return int(cursor.lastrowid)


def insert_entries(db: sqlite_utils.Database, version_id: int, rows: Iterable[tuple[str, str, str, str, str]]) -> None:
    """Bulk insert ``(source_id, kind, name, data_json, entry_hash)`` rows of a version."""
    db.conn.executemany(
        "INSERT INTO list_entries (version_id, source_id, kind, name, data, entry_hash) VALUES (?, ?, ?, ?, ?, ?)",
        ((version_id, *row) for row in rows))


def activate(db: sqlite_utils.Database, version_id: int, source: str) -> None:
    """Make one version the active one of its source."""
    db.execute("UPDATE list_versions SET active = 0 WHERE source = ? AND active = 1", [source])
    db.execute("UPDATE list_versions SET active = 1 WHERE id = ?", [version_id])


def entries(db: sqlite_utils.Database, version_id: int) -> Iterable[dict[str, Any]]:
    """Every entry of a version (``data`` still JSON text)."""
    return db.query("SELECT source_id, kind, name, data, entry_hash FROM list_entries WHERE version_id = ?", [version_id])


def entry_by_hash(db: sqlite_utils.Database, source: str, listed_id: str, entry_hash: str) -> dict[str, Any] | None:
    """The listed entry (``data`` as a dict) of a source with exactly this content fingerprint, from any version."""
    rows = list(db.query(
        "SELECT e.data FROM list_entries e JOIN list_versions v ON v.id = e.version_id"
        " WHERE v.source = ? AND e.source_id = ? AND e.entry_hash = ? ORDER BY e.version_id DESC LIMIT 1",
        [source, listed_id, entry_hash]))
    return json.loads(rows[0]["data"]) if rows else None
