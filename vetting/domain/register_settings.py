"""Register credentials and settings, administered in the app; secret values never leave the database."""
from __future__ import annotations

from typing import Any

import sqlite_utils
from .message import _l

from ..store import register_settings as store
from ..store import write_transaction
from .audit import Actor, record
from .errors import InvalidInput, NotFound
from .screening import all_checks

# Settings that are secret whatever the check calls them.
SECRET_WORDS = ("secret", "key", "token", "password")


def is_secret(key: str) -> bool:
    """Whether a setting's value must never be shown back or logged."""
    return any(word in key for word in SECRET_WORDS)


def configurable_checks() -> list[dict[str, Any]]:
    """Register checks (those that need settings, and those with a connection test), with what they need."""
    return [{"id": c.id, "name": c.name, "requires": c.requires_settings, "testable": c.sample_subject is not None,
             "sources": tuple(c.sources)}
            for c in all_checks().values() if c.requires_settings or c.sample_subject is not None]


def overview(db: sqlite_utils.Database) -> dict[str, dict[str, dict[str, Any]]]:
    """Per check, per setting: whether it is set, its value unless secret, who set it when."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for row in store.overview(db):
        out.setdefault(row["check_id"], {})[row["key"]] = row
    return out


def put(db: sqlite_utils.Database, actor: Actor, check_id: str, key: str, value: str) -> None:
    """Set a setting; the audit entry names the setting but never holds a secret value."""
    check = all_checks().get(check_id)
    if check is None:
        raise NotFound(_l("No such check."))
    if key not in (*check.requires_settings, "per_minute"):
        raise InvalidInput(_l("This check has no setting %(key)s.", key=key), "key")
    value = (value or "").strip()
    if not value or len(value) > 2000:
        raise InvalidInput(_l("Enter a value."), "value")
    if key == "per_minute" and not (value.isdigit() and 1 <= int(value) <= 6000):
        raise InvalidInput(_l("Requests per minute: a whole number from 1 to 6000."), "value")
    secret = is_secret(key)
    with write_transaction(db):
        store.put(db, check_id, key, value, secret, actor.username)
        record(db, actor, "register.setting", "check", check_id,
               after={"key": key, "value": "(secret)" if secret else value})


def missing(db: sqlite_utils.Database, check_id: str) -> list[str]:
    """Required settings of a check that are not set."""
    check = all_checks()[check_id]
    present = store.for_check(db, check_id)
    return [k for k in check.requires_settings if k not in present]


def test_connection(db: sqlite_utils.Database, actor: Actor, check_id: str, settings: Any) -> tuple[bool, str, str]:
    """Ask the register about the check's well-known sample subject with the stored credentials.

    Returns (ok, status, reason). Only a valid answer about the sample subject counts as a working connection
    (clear, or an observation: the sample's facts may be adverse); "not found", an error page or any doubtful
    answer is a failure. Nothing is stored but the audit entry.
    """
    from checks import Status

    from .check_context import check_context, http_for
    from .runner import run_one

    check = all_checks().get(check_id)
    if check is None or check.sample_subject is None:
        raise NotFound(_l("This check has no connection test."))
    ctx = check_context(db, check, http=http_for(db, all_checks().values(), settings))
    outcome = run_one(check, check.sample_subject, ctx, total=float(settings.get("REGISTER_CHECK_DEADLINE") or 0) or None)
    ok = outcome.status in (Status.CLEAR, Status.OBSERVATION)
    with write_transaction(db):
        record(db, actor, "register.test_connection", "check", check_id,
               after={"status": outcome.status.value, "ok": ok, "reason": outcome.reason})
    return ok, outcome.status.value, outcome.reason or ""
