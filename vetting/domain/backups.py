"""Backups, restores and the health check: online copies that are verified before anyone trusts them.

A backup is taken with SQLite's online backup API (never ``cp``: a file copy of a WAL database
in use can be torn), written beside the target under a temporary name, checked, and only then
linked into place, so an existing file is never overwritten and a half-written copy never
carries the target's name. A restore first copies the backup into a staging file and checks
it (integrity, audit chain, known schema); then it keeps a safety copy of the live database,
copies the backup into the live database with the same API, brings the schema up to date,
checks again and writes an audit entry that continues the restored chain.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import sqlite_utils

from ..db import upgrade
from ..migrations import migrations
from ..store import audit as audit_store
from ..store import maintenance as store
from ..store import privacy as privacy_store
from ..store import write_transaction
from .audit import Actor, record
from .errors import DomainError


class BackupError(DomainError):
    """A backup cannot be written, or a file cannot be trusted as one."""


@dataclass(frozen=True)
class Health:
    """What ``flask check`` reports about a database."""

    integrity: tuple[str, ...]
    foreign_key_problems: int
    audit_checked: int
    audit_break: audit_store.ChainBreak | None
    open_erasures: int

    @property
    def ok(self) -> bool:
        return (self.integrity == ("ok",) and not self.foreign_key_problems and self.audit_break is None
                and not self.open_erasures)

    def lines(self) -> list[str]:
        """One line per check, for the command line."""
        chain = (f"intact, {self.audit_checked} entries verified" if self.audit_break is None else
                 f"BROKEN at entry {self.audit_break.entry_id}: {self.audit_break.problem}")
        return [f"integrity_check: {'; '.join(self.integrity[:20])}",
                f"foreign keys: {self.foreign_key_problems} rows point nowhere" if self.foreign_key_problems
                else "foreign keys: ok",
                f"audit chain: {chain}",
                f"erasures left open: {self.open_erasures}"]


def health(db: sqlite_utils.Database) -> Health:
    """Integrity check, foreign keys, the audit hash chain and unfinished erasures of one database."""
    integrity = tuple(store.integrity_check(db.conn))
    if not store.has_table(db.conn, "audit_log"):
        return Health(integrity, 0, 0, audit_store.ChainBreak(0, "there is no audit log: not a vetting database"), 0)
    checked, broken = audit_store.verify_chain(db)
    open_erasures = len(privacy_store.open_erasures(db)) if store.has_table(db.conn, "erasures") else 0
    return Health(integrity, store.foreign_key_problems(db.conn), checked, broken, open_erasures)


def inspect(path: Path) -> Health:
    """The Health of a database file, opened read-only (e.g. a backup before restoring it)."""
    conn = store.open_read_only(path)
    try:
        return health(sqlite_utils.Database(conn))
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a readable SQLite database: {exc}") from None
    finally:
        conn.close()


def backup(db: sqlite_utils.Database, target: Path) -> Health:
    """Write a consistent copy of ``db`` to ``target`` (which must not exist) and check it.

    The copy is a self-contained file in rollback-journal mode; the returned Health is the copy's.
    """
    target = Path(target)
    if target.exists():
        raise BackupError(f"{target} already exists; choose a new file name (backups never overwrite).")
    if not target.parent.is_dir():
        raise BackupError(f"The directory {target.parent} does not exist.")
    handle, staging = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    os.close(handle)
    try:
        copy = sqlite3.connect(staging, isolation_level=None)
        try:
            store.copy_database(db.conn, copy)
            store.make_standalone(copy)
        finally:
            copy.close()
        _fsync(Path(staging))
        result = inspect(Path(staging))
        if result.integrity != ("ok",):
            raise BackupError(f"The copy failed its integrity check: {'; '.join(result.integrity[:5])}")
        _publish(Path(staging), target)
        return result
    finally:
        os.unlink(staging)


def _publish(staging: Path, target: Path) -> None:
    """Give the finished copy its name without ever replacing an existing file."""
    try:
        os.link(staging, target)  # atomic, and fails if the target appeared meanwhile
    except FileExistsError:
        raise BackupError(f"{target} already exists; choose a new file name (backups never overwrite).") from None
    except OSError:  # a file system without hard links: create exclusively, then copy our quiescent file
        try:
            with open(target, "xb") as out, open(staging, "rb") as copy:
                shutil.copyfileobj(copy, out)
                out.flush()
                os.fsync(out.fileno())
        except FileExistsError:
            raise BackupError(f"{target} already exists; choose a new file name (backups never overwrite).") from None


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _known_schema(conn: sqlite3.Connection) -> None:
    """Refuse a file this version of the app did not write (unknown or missing migrations table)."""
    if not store.has_table(conn, "_sqlite_migrations"):
        raise BackupError("The file has no migration record: it is not a vetting database.")
    known = {m.name for m in migrations.pending(sqlite_utils.Database(memory=True))}
    unknown = {m.name for m in migrations.applied(sqlite_utils.Database(conn))} - known
    if unknown:
        raise BackupError(f"The backup comes from a newer version of the app (migrations {', '.join(sorted(unknown))});"
                          " nothing was changed.")


def restore(db: sqlite_utils.Database, source: Path, actor: Actor, safety_copy: Path,
            reason: str = "") -> dict[str, Any]:
    """Replace the live database ``db`` with the backup ``source`` after verifying it; audited.

    Refuses, changing nothing, when the backup fails its integrity check, its audit chain does
    not verify or it is not a database this app wrote. Before replacing anything, the live
    database is copied to ``safety_copy``. Returns what the audit entry records.
    """
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source} does not exist.")
    handle, staging = tempfile.mkstemp(prefix=".restore.", suffix=".sqlite3", dir=safety_copy.parent)
    os.close(handle)
    staged = sqlite3.connect(staging, isolation_level=None)
    try:
        original = store.open_read_only(source)
        try:
            store.copy_database(original, staged)
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{source} is not a readable SQLite database: {exc}") from None
        finally:
            original.close()
        checked = health(sqlite_utils.Database(staged))
        if not checked.ok:
            raise BackupError("The backup cannot be trusted (nothing was changed): " + "; ".join(checked.lines()))
        _known_schema(staged)
        replaced = ({"audit_entries": audit_store.verify_chain(db)[0], "last_hash": _head(db)}
                    if store.has_table(db.conn, "audit_log") else None)
        backup(db, safety_copy)
        store.copy_database(staged, db.conn)
        db.conn.execute("PRAGMA journal_mode=WAL").fetchone()
        applied = upgrade(db)
        after = health(db)
        if not after.ok:
            raise BackupError(f"The restored database failed its checks (the previous one is in {safety_copy}): "
                              + "; ".join(after.lines()))
        details = {"source": str(source), "source_sha256": _sha256(source),
                   "audit_entries_verified": checked.audit_checked,
                   "safety_copy": str(safety_copy), "replaced": replaced, "migrations_applied": applied}
        with write_transaction(db):
            record(db, actor, "database.restore", "database", None, after=details, reason=reason or None)
        return details
    finally:
        staged.close()
        os.unlink(staging)


def _head(db: sqlite_utils.Database) -> str | None:
    rows = audit_store.search(db, page=1, page_size=1)[0]
    return rows[0]["hash"] if rows else None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def safety_copy_path(live: Path) -> Path:
    """Where a restore keeps the database it replaces: beside it, stamped with the time (UTC)."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    return live.with_name(f"{live.stem}.pre-restore-{stamp}{live.suffix}")


def copies_beside(live: Path) -> list[Path]:
    """The safety copies restores left beside the live database (``safety_copy_path``): whole databases that
    an erasure in the live one does not reach, so the purge names them."""
    return sorted(live.parent.glob(f"{live.stem}.pre-restore-*{live.suffix}"))
