"""The only package with SQL. Functions take the database first and return plain dicts."""
from __future__ import annotations

import os
import random
import re
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any

import sqlite_utils
from sqlite_utils.utils import dedupe_keys

# Further tries to take the write lock after the busy timeout ran out, with back-off between them (configurable
# as DATABASE_WRITE_RETRIES; vetting.db sets it from configuration).
WRITE_RETRIES = 3
WRITE_BACKOFF = 0.05


class DatabaseBusy(sqlite3.OperationalError):
    """The write lock could not be taken in time even after retries: the web layer answers 503 "try again"."""


def is_busy(exc: BaseException) -> bool:
    """Whether an SQLite error is lock contention (database is locked / busy), not a real failure."""
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


def _begin_immediate(db: sqlite_utils.Database) -> None:
    """BEGIN IMMEDIATE, retried with exponential back-off and jitter when the lock stays taken."""
    for attempt in range(WRITE_RETRIES + 1):
        try:
            db.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            if not is_busy(exc):
                raise
            if attempt == WRITE_RETRIES:
                raise DatabaseBusy(f"database is busy: the write lock was not free after {attempt + 1} tries") from exc
            delay = WRITE_BACKOFF * 2 ** attempt
            time.sleep(delay + random.uniform(0, delay))  # jitter: waiting writers do not retry in lockstep


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
    turn = getattr(db, "write_turn", None)
    waited = turn is not None and turn[0].acquire(timeout=turn[1])
    try:
        _begin_immediate(db)
        try:
            yield db
        except BaseException:
            if db.conn.in_transaction:
                db.execute("ROLLBACK")
            raise
        else:
            db.execute("COMMIT")
    finally:
        if waited:
            turn[0].release()


_turns: dict[tuple[int, str], threading.RLock] = {}
_turns_lock = threading.Lock()


def write_turn(path: str) -> threading.RLock:
    """The lock this process's threads take, in turn, around their write transactions on one database file.

    SQLite makes a writer that finds the lock taken sleep and poll (1 ms, 2 ms, ... up to 100 ms
    a try), and threads of one process sharing the GIL stretch each other's transactions: two
    worker threads were slower than one (bench/followup.py). Waiting on this lock first hands the
    write over the moment it is free; other processes still wait in SQLite's busy handler. It is
    taken for no longer than the busy timeout (``connect`` stores both on the connection), then
    SQLite's own wait and retries decide as before; re-entrant, so a thread writing through a
    second connection meets SQLite's answer, not a deadlock. One per process (a forked child
    gets its own, never one a parent's thread held at the fork).
    """
    key = (os.getpid(), path)
    with _turns_lock:
        return _turns.setdefault(key, threading.RLock())


def escape_like(text: str) -> str:
    """Escape ``%``, ``_`` and ``\\`` for a ``LIKE ... ESCAPE '\\'`` pattern."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def page_clause(page: int, page_size: int) -> tuple[str, list[int]]:
    """``LIMIT ? OFFSET ?`` for a 1-based page number."""
    page = max(page, 1)
    return " LIMIT ? OFFSET ?", [page_size, (page - 1) * page_size]


# A statement that only reads: SELECT, or WITH ... SELECT with no data-changing verb anywhere in it.
_READ_ONLY = re.compile(r"\s*(SELECT\b|WITH\b(?!.*\b(INSERT|UPDATE|DELETE|REPLACE)\b))", re.IGNORECASE | re.DOTALL)


class Database(sqlite_utils.Database):
    """sqlite-utils' database with a plain path for reads.

    ``query`` runs every statement inside SAVEPOINT/RELEASE so that a statement that returns no rows can be
    rolled back before it is refused; a SELECT cannot change anything, so that guard bought nothing and cost
    two extra statements per read (a third of a page's statements, bench/page_cost.py). Other statements
    keep sqlite-utils' guard.
    """

    def query(self, sql: str, params: Any = None) -> Iterator[dict[str, Any]]:
        if not _READ_ONLY.match(sql):
            return super().query(sql, params)
        if self._tracer:
            self._tracer(sql, params)
        cursor = self.conn.execute(sql, params) if params is not None else self.conn.execute(sql)
        keys = dedupe_keys(d[0] for d in cursor.description)
        return (dict(zip(keys, row)) for row in cursor)


def ping(db: sqlite_utils.Database) -> None:
    """Raise if the database does not answer."""
    db.execute("SELECT 1").fetchone()
