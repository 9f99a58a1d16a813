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
             "sample": c.sample_subject.name if c.sample_subject is not None else None, "sources": tuple(c.sources)}
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


def start_connection_test(db: sqlite_utils.Database, actor: Actor, check_id: str) -> int:
    """Record a connection test and hand it to the background workers; return its id (the page shows progress).

    A register may wait on retries for up to the check's deadline, so the test never runs on the request.
    Pressed again while one is waiting or running: that test answers.
    """
    from .background import enqueue_connection_test

    check = all_checks().get(check_id)
    if check is None or check.sample_subject is None:
        raise NotFound(_l("This check has no connection test."))
    latest = store.latest_tests(db).get(check_id)
    if latest and latest["state"] != "done":
        return int(latest["id"])
    with write_transaction(db):
        test_id = store.start_test(db, check_id, actor.username)
    enqueue_connection_test(test_id, actor)
    return test_id


def run_connection_test(db: sqlite_utils.Database, actor: Actor, test_id: int, settings: Any) -> tuple[bool, str, str]:
    """Ask the register about the check's well-known sample subject with the stored credentials; store the result.

    Returns (ok, status, reason). Only a valid answer about the sample subject counts as a working connection
    (clear, or an observation: the sample's facts may be adverse); "not found", an error page or any doubtful
    answer is a failure. Nothing is stored but the test's row and the audit entry.
    """
    from checks import Status

    from .check_context import check_context, http_for
    from .runner import run_one

    test = store.get_test(db, test_id)
    if test is None:
        raise NotFound(_l("No such connection test."))
    check = all_checks().get(test["check_id"])
    if check is None or check.sample_subject is None:
        raise NotFound(_l("This check has no connection test."))
    with write_transaction(db):
        store.mark_test(db, test_id, "running")
    ctx = check_context(db, check, http=http_for(db, all_checks().values(), settings))
    outcome = run_one(check, check.sample_subject, ctx, total=float(settings.get("REGISTER_CHECK_DEADLINE") or 0) or None)
    ok = outcome.status in (Status.CLEAR, Status.OBSERVATION)
    # The fault the check raised (the runner's ``source.fault``), kept so the page words it as it words outcomes.
    coded = next((f for f in outcome.findings if f.code == "source.fault"), None)
    with write_transaction(db):
        store.finish_test(db, test_id, ok, outcome.status.value, outcome.reason or "",
                          str(coded.value) if coded is not None and not ok else None,
                          dict(coded.params or {}) if coded is not None and not ok else None)
        record(db, actor, "register.test_connection", "check", check.id,
               after={"status": outcome.status.value, "ok": ok, "reason": outcome.reason})
    return ok, outcome.status.value, outcome.reason or ""


def test_connection(db: sqlite_utils.Database, actor: Actor, check_id: str, settings: Any) -> tuple[bool, str, str]:
    """Run a connection test at once, in this process (the CLI and tests); the page uses start_connection_test."""
    check = all_checks().get(check_id)
    if check is None or check.sample_subject is None:
        raise NotFound(_l("This check has no connection test."))
    with write_transaction(db):
        test_id = store.start_test(db, check_id, actor.username)
    return run_connection_test(db, actor, test_id, settings)


def test_progress(db: sqlite_utils.Database, deadline: float) -> dict[str, dict[str, Any]]:
    """The newest connection test of each check, with its progress for the Registers page.

    ``elapsed``: seconds since it was started, capped at ``deadline`` (the check's total budget, so the bar fills
    as the register's time runs out); ``stalled``: waiting for a worker far longer than a worker needs to start.
    """
    from datetime import datetime, timezone

    now = datetime.now(timezone.utc)
    tests = store.latest_tests(db)
    for test in tests.values():
        waited = (now - datetime.fromisoformat(test["created_at"])).total_seconds()
        test["elapsed"] = round(min(max(waited, 0.0), deadline))
        test["deadline"] = round(deadline)
        test["stalled"] = test["state"] == "pending" and waited > 60
    return tests
