"""Whole-database operations: online copies through SQLite's backup API, integrity checks."""
from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote


def copy_database(source: sqlite3.Connection, target: sqlite3.Connection) -> None:
    """Copy ``source`` into ``target`` in one step of SQLite's online backup API.

    One step (``pages=-1``) reads a single consistent snapshot: in WAL mode writers carry on
    meanwhile and their commits after the snapshot are simply not in the copy.
    """
    source.backup(target, pages=-1)


def checkpoint_truncate(conn: sqlite3.Connection) -> bool:
    """Copy the WAL into the database file and empty it (the WAL keeps old page versions: after an erasure,
    the erased text); False when a reader kept it from finishing (the next checkpoint does it)."""
    busy, _log, _done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return not busy


def drop_search_leftovers(conn: sqlite3.Connection) -> None:
    """Merge every full-text index into one segment: FTS5 deletes by adding delete markers, so until a merge
    the old segments keep the tokens of what was erased (a sole trader's name, lowercased)."""
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                                         " AND sql LIKE 'CREATE VIRTUAL TABLE%USING fts5%'")]
    for table in tables:
        conn.execute(f'INSERT INTO "{table}" ("{table}") VALUES (\'optimize\')')


def make_standalone(conn: sqlite3.Connection) -> None:
    """Switch a copy to rollback-journal mode so the copy is one self-contained file (no -wal/-shm)."""
    conn.execute("PRAGMA journal_mode=DELETE").fetchone()


def integrity_check(conn: sqlite3.Connection) -> list[str]:
    """``PRAGMA integrity_check`` rows: ``["ok"]`` for a sound database."""
    return [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]


def foreign_key_problems(conn: sqlite3.Connection) -> int:
    """How many rows point at a parent row that does not exist."""
    return len(conn.execute("PRAGMA foreign_key_check").fetchall())


def has_table(conn: sqlite3.Connection, name: str) -> bool:
    """True when the database has a table of this name."""
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [name]).fetchone() is not None


def open_read_only(path: Path) -> sqlite3.Connection:
    """Open a database file without any chance of changing it."""
    return sqlite3.connect(f"file:{quote(str(Path(path).resolve()))}?mode=ro", uri=True, isolation_level=None)
