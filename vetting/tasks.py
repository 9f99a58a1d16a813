"""Background tasks (huey): thin wrappers that call domain functions inside an app context."""
from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, current_app, has_app_context
from huey import crontab

from . import create_app, mail
from .db import get_db
from .domain import followup
from .extensions import huey
from .store import followup as followup_store

log = logging.getLogger(__name__)


_worker_app_lock = threading.Lock()
_worker_apps: list[Flask] = []


def _worker_app() -> Flask:
    """The worker's one application, built on first use. Under a lock: the consumer's threads start tasks at once,
    and two concurrent ``create_app`` calls crash CPython's compiler while werkzeug compiles the URL rules
    ("AST constructor recursion depth mismatch", seen in ``make run``); ``lru_cache`` does not serialise that."""
    with _worker_app_lock:
        if not _worker_apps:
            _worker_apps.append(create_app())
        return _worker_apps[0]


@contextmanager
def app_context() -> Iterator[Any]:
    """The request's app when called in-process (tests, immediate mode), else the worker's own."""
    if has_app_context():
        yield current_app
        return
    with _worker_app().app_context():
        yield current_app


def queue_batch(batch_id: int) -> bool:
    """The domain's queue (``domain.background.use_queue``): queue a batch when an application runs."""
    if not has_app_context():
        return False
    enqueue_batch(batch_id)
    return True


def queue_connection_test(test_id: int, actor: Any) -> bool:
    """The domain's queue for "Test connection" (``domain.background.use_queue``), when an application runs."""
    if not has_app_context():
        return False
    test_register_connection(test_id, actor.id, actor.username)
    return True


def enqueue_batch(batch_id: int) -> int:
    """Queue the batch's pending items in chunks (two worker threads share a batch); return chunks queued."""
    with app_context() as app:
        items = [item["id"] for item in followup_store.pending_items(get_db(), batch_id)]
        size = int(app.config["FOLLOWUP_CHUNK_SIZE"])
    chunks = [items[i:i + size] for i in range(0, len(items), size)]
    for chunk in chunks:
        process_items(chunk)
    return len(chunks)


@huey.task(retries=3, retry_delay=60)
def send_email(to: str, subject: str, text: str, link: str | None) -> bool:
    """Send one notification e-mail (retried when the mail server fails; the action that caused it is done).
    ``subject`` and ``text`` may be stored forms (domain/stored_text.py): they are worded here."""
    from flask_babel import force_locale
    from markupsafe import Markup

    from .vocabulary import notification_text

    with app_context() as app, force_locale(app.config["BABEL_DEFAULT_LOCALE"]):  # the officers' language
        words = Markup(notification_text(text)).striptags()
        title = words[:120] if subject == text else Markup(notification_text(subject)).striptags()
        return mail.send(app.config, to, title, words, link)


@huey.task(retries=3, retry_delay=60)
def process_items(item_ids: list[int]) -> int:
    """Run the checks of some batch items; items already done are skipped (a redo adds nothing)."""
    with app_context() as app:
        db = get_db()
        return followup.process_items(db, item_ids, app.config)


@huey.task()
def test_register_connection(test_id: int, actor_id: int | None, username: str) -> bool:
    """Run one "Test connection" of the Registers page (never retried: the administrator presses again)."""
    from .domain import register_settings
    from .domain.audit import Actor

    with app_context() as app:
        ok, _status, _reason = register_settings.run_connection_test(get_db(), Actor(actor_id, username), test_id,
                                                                     app.config)
        return ok


@huey.periodic_task(crontab(minute="*/15"))
def run_due_followups() -> int:
    """Start a re-check batch for every contract whose follow-up is due."""
    with app_context():
        batches = followup.start_due(get_db())
    for batch_id in batches:
        enqueue_batch(batch_id)
    return len(batches)


@huey.periodic_task(crontab(minute="5"))
def alert_overdue_conditions() -> int:
    """Once an hour: each condition that went overdue raises its alert (once)."""
    from .domain.conditions import alert_overdue

    with app_context():
        return len(alert_overdue(get_db()))


@huey.on_startup()
def resume_interrupted_batches() -> None:
    """A consumer killed half-way left items pending: queue them again when a consumer starts."""
    try:
        with app_context():
            batch_ids = sorted({item["batch_id"] for item in followup_store.pending_items(get_db())})
    except Exception:  # a missing database or secret key must not stop the consumer from starting
        log.exception("Could not look for interrupted batches")
        return
    for batch_id in batch_ids:
        enqueue_batch(batch_id)


@huey.periodic_task(crontab(hour="2", minute="30"))
def nightly_rescreen() -> int | None:
    """Every night: every party of a signed contract against every list (the delta re-screen's safety net)."""
    with app_context() as app:
        if not app.config.get("NIGHTLY_RESCREEN", True):
            return None
        batch_id = followup.start_nightly_rescreen(get_db())
    if batch_id:
        enqueue_batch(batch_id)
    return batch_id


@huey.periodic_task(crontab(hour="3", minute="30"))
def scheduled_list_update() -> int:
    """Every night, when configured: download and import each list (each import starts its delta re-screen)."""
    from .domain.audit import SYSTEM
    from .lists.update import update_lists

    with app_context() as app:
        if not app.config.get("LIST_UPDATE_SCHEDULED"):
            return 0
        results = update_lists(get_db(), SYSTEM, app.config)
    for result in results:
        if result.problem:
            log.warning("Scheduled list update, %s: %s", result.source, result.problem)
    return sum(r.summary is not None for r in results)
