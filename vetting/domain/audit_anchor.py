"""The audit chain's anchor outside the database: the chain key, and heads written to an append-only file.

Threat model (README "Audit trail"): someone who can write the database file (a stolen or
edited copy, a mistaken administrator, SQL run around the triggers) but neither the key nor
the anchor file. Without the key they cannot re-compute a keyed chain that verifies; the
anchor file (opened for appending only; make it append-only with ``chattr +a``, or send the
heads to the system log as well) records the newest entry's id and hash from time to time, so
deleting the newest entries or rebuilding the whole log shows as a missing or different head.
Entries written after the last anchor and deleted before the next one are not detected: the
interval (``AUDIT_ANCHOR_INTERVAL``) is that window; ``flask audit anchor`` from cron narrows it.
"""
from __future__ import annotations

import json
import logging
import os
import secrets
import time
from pathlib import Path
from typing import Any

import sqlite_utils

from ..store import audit as audit_store
from ..store import utcnow

log = logging.getLogger(__name__)
# This process's last write per anchor file (monotonic time, head id): spares the file on every request.
_last_anchor: dict[Path, tuple[float, int | None]] = {}


def _beside_database(config: dict[str, Any], setting: str, default_name: str, database: Path) -> Path:
    value = config.get(setting) or ""
    path = Path(value) if value else database.with_name(default_name)
    return path if path.is_absolute() else database.parent / path


def key_path(config: dict[str, Any], instance: Path) -> Path:
    """The key file: ``AUDIT_KEY_FILE`` (relative to the instance folder), else ``instance/audit.key``."""
    path = Path(config.get("AUDIT_KEY_FILE") or "audit.key")
    return path if path.is_absolute() else instance / path


def anchor_path(config: dict[str, Any], database: Path) -> Path:
    """The anchor file: ``AUDIT_ANCHOR_FILE``, else ``audit-anchor.jsonl`` beside the database (by default
    in the instance folder; one anchor file per database)."""
    return _beside_database(config, "AUDIT_ANCHOR_FILE", "audit-anchor.jsonl", database)


def load_key(config: dict[str, Any], instance: Path) -> bytes:
    """``AUDIT_KEY`` (hex) if set, else the key file, created with a random key (mode 0600) the first time."""
    if config.get("AUDIT_KEY"):
        return bytes.fromhex(config["AUDIT_KEY"])
    path = key_path(config, instance)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written aside and linked into place: two processes starting at once agree on one key.
        staging = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        descriptor = os.open(staging, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32) + "\n")
        try:
            os.link(staging, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(staging)
    return bytes.fromhex(path.read_text().strip())


def read_anchors(path: Path) -> tuple[dict[int, str], int | None, bool]:
    """Anchored heads since the last restore (id -> hash), the first keyed entry's id, whether the file exists."""
    if not path.exists():
        return {}, None, False
    heads: dict[int, str] = {}
    keyed_from: int | None = None
    for line in path.read_text().splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if entry.get("event") == "reset":
            heads, keyed_from = {}, None
            continue
        heads[int(entry["id"])] = entry["hash"]
        if entry.get("keyed_from") is not None:
            keyed_from = int(entry["keyed_from"]) if keyed_from is None else min(keyed_from, int(entry["keyed_from"]))
    return heads, keyed_from, True


def _append(path: Path, entry: dict[str, Any], to_syslog: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    with os.fdopen(descriptor, "a") as handle:
        handle.write(json.dumps(entry, sort_keys=True) + "\n")
    if to_syslog:
        logging.getLogger("vetting.audit.anchor").warning("audit anchor %s", json.dumps(entry, sort_keys=True))


def anchor(db: sqlite_utils.Database, path: Path, *, to_syslog: bool = False) -> dict[str, Any] | None:
    """Write the current head (id, hash, first keyed id) to the anchor file; None for an empty log."""
    current = audit_store.head(db)
    if current is None:
        return None
    entry = {"at": utcnow(), "event": "anchor", **current}
    _append(path, entry, to_syslog)
    _last_anchor[path] = (time.monotonic(), current["id"])
    return entry


def reset(path: Path, reason: str, *, to_syslog: bool = False) -> None:
    """Mark a restore: heads anchored before it no longer bind the restored log."""
    _append(path, {"at": utcnow(), "event": "reset", "reason": reason}, to_syslog)


def anchor_if_due(db: sqlite_utils.Database, path: Path, interval: float, *, to_syslog: bool = False) -> None:
    """Anchor at most every ``interval`` seconds per process, and only when the head moved."""
    at, head = _last_anchor.get(path, (None, None))
    if at is not None and time.monotonic() - at < interval:
        return
    current = audit_store.head(db)
    _last_anchor[path] = (time.monotonic(), head)
    if current is not None and current["id"] != head:
        anchor(db, path, to_syslog=to_syslog)


def verify(db: sqlite_utils.Database, path: Path) -> tuple[int, audit_store.ChainBreak | None, bool]:
    """The chain checked against the anchors: (entries checked, first break, whether an anchor file exists)."""
    heads, keyed_from, exists = read_anchors(path)
    checked, broken = audit_store.verify_chain(db, heads, keyed_from)
    return checked, broken, exists
