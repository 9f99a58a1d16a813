"""One SQLite connection per request (or per CLI command), configured the same way everywhere."""
from __future__ import annotations

import sqlite3
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
    # Deleted and overwritten content is zeroed in the file, so an erased person cannot be read back from
    # free pages (retention then checkpoints the WAL, which holds the old page versions, see store.maintenance).
    conn.execute("PRAGMA secure_delete=ON")
    register_functions(conn)
    return sqlite_utils.Database(conn)


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


def get_db() -> sqlite_utils.Database:
    """The request's database connection, opened on first use."""
    if "db" not in g:
        g.db = connect(database_path(current_app), current_app.config["DATABASE_BUSY_TIMEOUT"])
    return g.db


def close_db(exc: BaseException | None = None) -> None:
    """Close the request's connection, if one was opened."""
    db = g.pop("db", None)
    if db is not None:
        db.conn.close()


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
