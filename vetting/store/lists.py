"""Sanctions and debarment list versions and their entries."""
from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import sqlite_utils

from . import utcnow
from .outcomes import IS_NEWEST


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


def previous_version(db: sqlite_utils.Database, source: str, version_id: int) -> dict[str, Any] | None:
    """The version of a source imported just before ``version_id``, or None."""
    rows = list(db.query("SELECT * FROM list_versions WHERE source = ? AND id < ? ORDER BY id DESC LIMIT 1",
                         [source, version_id]))
    return rows[0] if rows else None


def entry_hashes(db: sqlite_utils.Database, version_id: int) -> dict[str, str]:
    """``source_id -> entry_hash`` of every entry of a version."""
    return dict(db.execute("SELECT source_id, entry_hash FROM list_entries WHERE version_id = ?", [version_id]))


def entries_by_id(db: sqlite_utils.Database, version_id: int, source_ids: Iterable[str]) -> list[dict[str, Any]]:
    """The entries of a version with these publisher ids (``data`` still JSON text)."""
    wanted = list(source_ids)
    out: list[dict[str, Any]] = []
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        out += db.query(f"SELECT source_id, kind, name, data, entry_hash FROM list_entries WHERE version_id = ?"
                        f" AND source_id IN ({', '.join('?' * len(chunk))})", [version_id, *chunk])
    return out


def screening_subjects(db: sqlite_utils.Database) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every organisation (not merged into another) and every person not erased, with what screening compares."""
    organisations = list(db.query("SELECT id, name, country, identifier_type, identifier FROM organisations"
                                  " WHERE merged_into IS NULL"))
    persons = list(db.query("SELECT id, name, birth_date, nationality FROM persons WHERE erased_at IS NULL"))
    return organisations, persons


def subjects_matched_to(db: sqlite_utils.Database, source: str, listed_ids: set[str]) -> set[tuple[str, int]]:
    """Subjects whose newest sanctions outcome holds a match on one of these entries of a source (one statement)."""
    if not listed_ids:
        return set()
    rows = db.execute(
        "SELECT DISTINCT o.subject_kind, o.subject_id FROM outcomes o, json_each(o.explanation) m"
        " WHERE o.check_id = 'sanctions' AND o.explanation != '[]' AND json_extract(m.value, '$.list') = ?"
        f" AND json_extract(m.value, '$.listed_id') IN (SELECT value FROM json_each(?)) AND {IS_NEWEST}",
        [source, json.dumps(sorted(listed_ids))])
    return {(kind, subject_id) for kind, subject_id in rows}


def drop_index_blobs(db: sqlite_utils.Database) -> None:
    """Remove the name indexes earlier versions kept in the database: the index is now a signed file
    (``domain.list_index_file``), and those blobs were pickles that nothing reads any more."""
    db.execute("DELETE FROM list_index_cache")
