"""One SQLite connection per thread, lent to each request (or CLI command), configured the same way everywhere."""
from __future__ import annotations

import os
import sqlite3
import threading
import weakref
from pathlib import Path

import click
from flask.cli import AppGroup
import sqlite_utils
from typing import Any

from flask import Flask, current_app, g

from . import store
from .domain import audit_anchor
from .domain.text import fold_words
from .migrations import migrations
from .store import audit as audit_store


def connect(path: str | Path, busy_timeout: float = 5.0) -> sqlite_utils.Database:
    """Open the database with WAL, foreign keys and a busy timeout.

    ``isolation_level=None`` leaves transactions to us: writes take the lock up front with
    ``BEGIN IMMEDIATE`` (see ``store.write_transaction``); Python's implicit transactions
    silently lost updates under concurrent writers when measured.
    """
    conn = sqlite3.connect(str(path), timeout=busy_timeout, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
    conn.execute("PRAGMA synchronous=NORMAL")
    # Connections are kept open (see _Pool), so the WAL is no longer deleted when a request ends: after a burst it
    # is cut back to this size at the next checkpoint instead of keeping its largest size (10 MB after 30 s in
    # bench/busy_db.py).
    conn.execute("PRAGMA journal_size_limit=16777216")
    # Deleted and overwritten content is zeroed in the file, so an erased person cannot be read back from
    # free pages (retention then checkpoints the WAL, which holds the old page versions, see store.maintenance).
    conn.execute("PRAGMA secure_delete=ON")
    register_functions(conn)
    db = store.Database(conn)
    db.write_turn = (store.write_turn(os.path.realpath(path)), busy_timeout)  # type: ignore[attr-defined]
    return db


def register_functions(conn: sqlite3.Connection) -> None:
    """SQL functions the schema's triggers call: ``fold_words(name)`` indexes names across scripts for search."""
    conn.create_function("fold_words", 1, lambda value: fold_words(value) if value is not None else None,
                         deterministic=True)


def database_path(app: Flask) -> Path:
    """The configured database path, relative paths taken from the instance folder."""
    path = Path(app.config["DATABASE"])
    if not path.is_absolute():
        path = Path(app.instance_path) / path
    return path


class _Pool:
    """Each thread's own open connection per database path, kept between requests.

    A connection per request paid, each time, the pragmas and SQL functions, and with WAL the close of a
    process's last connection checkpointed and deleted the WAL for the next open to recreate: measured with
    bench/busy_db.py --quick (16 users, 4 workers), keeping them took 42 to 65 requests/s and p99 2.2 to 1.4 s. A kept connection is safe because no transaction outlives a request (``release`` rolls
    back whatever is left open) and a thread never shares it. It is dropped, never closed, in a forked child
    (gunicorn workers): SQLite connections must not cross a fork, and closing one there could checkpoint a WAL
    the parent still uses. A database file deleted or replaced under the path (tests, a manual restore) is seen
    by its inode and reopened.
    """

    def __init__(self) -> None:
        self._pid = os.getpid()
        self._local = threading.local()
        self._all: weakref.WeakSet[sqlite_utils.Database] = weakref.WeakSet()  # a dead thread's close themselves

    def _mine(self) -> dict[str, tuple[sqlite_utils.Database, tuple[int, int]]]:
        if self._pid != os.getpid():
            _INHERITED.append((self._local, list(self._all)))  # never closed in the child (see the class)
            self._pid, self._local, self._all = os.getpid(), threading.local(), weakref.WeakSet()
        if not hasattr(self._local, "kept"):
            self._local.kept, self._local.lent = {}, set()
        return self._local.kept

    def take(self, path: Path, busy_timeout: float) -> tuple[sqlite_utils.Database, bool]:
        """This thread's connection to ``path`` and True, or a fresh one and False while the kept one is lent
        to an outer application context of the same thread (a task run inline in a request)."""
        kept, key = self._mine(), str(path)
        if key in self._local.lent:
            return connect(path, busy_timeout), False
        entry = kept.get(key)
        if entry is not None and _file_id(path) != entry[1]:  # deleted or replaced: the old file is not the database
            kept.pop(key)[0].conn.close()
            entry = None
        if entry is None:
            db = connect(path, busy_timeout)
            kept[key] = entry = (db, _file_id(path))
            self._all.add(db)
        self._local.lent.add(key)
        return entry[0], True

    def release(self, db: sqlite_utils.Database, path: Path) -> None:
        """Take the connection back with no transaction left open."""
        if self._pid != os.getpid():
            return
        self._local.lent.discard(str(path))
        if db.conn.in_transaction:  # a request that failed mid-write must not hold the lock into the next one
            db.execute("ROLLBACK")

    def close_all(self) -> None:
        """Close every connection this process kept (app teardown in tests, interpreter exit)."""
        if self._pid != os.getpid():
            return
        for db in list(self._all):
            db.conn.close()
        self._all = weakref.WeakSet()
        self._local = threading.local()


_INHERITED: list[Any] = []  # connections a forked child got from its parent: kept referenced, so never closed


def _file_id(path: Path) -> tuple[int, int]:
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return (-1, -1)
    return (stat.st_dev, stat.st_ino)


def get_db() -> sqlite_utils.Database:
    """The request's database connection: this thread's kept one (or a new one), on first use."""
    if "db" not in g:
        path, timeout = database_path(current_app), current_app.config["DATABASE_BUSY_TIMEOUT"]
        pool = current_app.extensions.get("vetting.db")
        if pool is None:
            g.db, g.db_kept = connect(path, timeout), False
        else:
            g.db, g.db_kept = pool.take(path, timeout)
    return g.db


def close_db(exc: BaseException | None = None) -> None:
    """Give the request's connection back to its thread (rolled back if left in a transaction) or close it."""
    db = g.pop("db", None)
    if db is None:
        return
    if g.pop("db_kept", False):
        current_app.extensions["vetting.db"].release(db, database_path(current_app))
    else:
        db.conn.close()


def close_connections(app: Flask) -> None:
    """Close the connections ``app`` keeps (tests call this when an app's database goes away)."""
    pool = app.extensions.get("vetting.db")
    if pool is not None:
        pool.close_all()


def upgrade(db: sqlite_utils.Database) -> list[str]:
    """Apply pending migrations; return the names applied."""
    pending = [m.name for m in migrations.pending(db)]
    migrations.apply(db)
    return pending


db_cli = AppGroup("db", help="Database commands.")


@db_cli.command("upgrade")
def upgrade_command() -> None:
    """Create the database or bring it to the newest schema (safe to repeat)."""
    path = database_path(current_app)
    path.parent.mkdir(parents=True, exist_ok=True)
    applied = upgrade(get_db())
    click.echo(f"{path}: " + (f"applied {', '.join(applied)}" if applied else "already up to date"))


def init_app(app: Flask) -> None:
    """Register the teardown and the ``db`` CLI group; set how often a busy write lock is tried again."""
    store.WRITE_RETRIES = int(app.config.get("DATABASE_WRITE_RETRIES", store.WRITE_RETRIES))
    if app.config.get("DATABASE_KEEP_CONNECTIONS", True):
        pool = app.extensions["vetting.db"] = _Pool()
        weakref.finalize(app, pool.close_all)  # when the app is dropped (tests make thousands) or at exit
    app.teardown_appcontext(close_db)
    app.cli.add_command(db_cli)
    _init_audit_anchor(app)


def audit_anchor_file(app: Flask) -> Path:
    """Where the audit chain's heads are anchored (outside the database)."""
    return audit_anchor.anchor_path(app.config, database_path(app))


def _init_audit_anchor(app: Flask) -> None:
    """Key the audit chain with the key outside the database; anchor its head after requests that used it."""
    audit_store.configure(audit_anchor.load_key(app.config, Path(app.instance_path)))

    @app.after_request
    def anchor_audit_head(response: Any) -> Any:
        # Only when this request opened the database: static files and health probes cost nothing.
        if "db" in g and app.config["AUDIT_ANCHOR_INTERVAL"] >= 0:
            try:
                audit_anchor.anchor_if_due(g.db, audit_anchor_file(app), app.config["AUDIT_ANCHOR_INTERVAL"],
                                           to_syslog=app.config["AUDIT_ANCHOR_SYSLOG"])
            except OSError as exc:  # an unwritable anchor file must not fail the user's request
                app.logger.error("Audit anchor not written: %s", exc)
        return response
