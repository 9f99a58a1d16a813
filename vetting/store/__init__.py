"""The only package with SQL. Functions take the database first and return plain dicts."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone

import sqlite_utils


def utcnow() -> str:
    """Current UTC time as an ISO 8601 string with microseconds (sorts as text)."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


@contextmanager
def write_transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """Run a read-then-write unit of work holding the write lock from the start.

    ``BEGIN IMMEDIATE`` takes the lock up front so a concurrent writer waits (busy timeout)
    instead of failing or losing an update. Nested calls become savepoints.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.execute("ROLLBACK")
        raise
    else:
        db.execute("COMMIT")


def escape_like(text: str) -> str:
    """Escape ``%``, ``_`` and ``\\`` for a ``LIKE ... ESCAPE '\\'`` pattern."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def page_clause(page: int, page_size: int) -> tuple[str, list[int]]:
    """``LIMIT ? OFFSET ?`` for a 1-based page number."""
    page = max(page, 1)
    return " LIMIT ? OFFSET ?", [page_size, (page - 1) * page_size]


def ping(db: sqlite_utils.Database) -> None:
    """Raise if the database does not answer."""
    db.execute("SELECT 1").fetchone()
