"""Notifications: in the app always, by e-mail through the queue when the app has a mailer.

The domain never talks SMTP nor reads the app's configuration: the app hands in a mailer
(``use_mailer``; the queue task ``vetting.tasks.send_email``), so a request only enqueues the
mail and a slow or broken mail server cannot hold up the action that caused it.
"""
from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

from ..store import checkpoints as store
from ..store import users as user_store
from ..store import write_transaction
from . import stored_text

# to, subject, text, link (a path; the worker prefixes the app's public address)
Mailer = Callable[[str, str, str, "str | None"], object]
_mailer: dict[str, Mailer | None] = {"send": None}


def use_mailer(mailer: Mailer | None) -> None:
    """Hand in how e-mail leaves (None: in-app notifications only)."""
    _mailer["send"] = mailer


def tell_user(db: sqlite_utils.Database, user_id: int | None, text: object, link: str | None) -> None:
    """Notify one user in the app and by e-mail."""
    if user_id is None:
        return
    user = user_store.get(db, user_id)
    if user is None or not user["active"]:
        return
    with write_transaction(db):
        # Kept as a code and its parameters: the reader's language is known only when it is shown.
        store.notify(db, user_id, stored_text.of(text), link)
    mailer = _mailer["send"]
    if user["email"] and mailer is not None:
        stored = stored_text.of(text)  # the mail is worded by the worker, in the agency's language
        mailer(user["email"], stored, stored, link)


def tell_role(db: sqlite_utils.Database, role: str, text: object, link: str | None, exclude_user: int | None = None) -> None:
    """Notify every active user holding a role (except the one who caused it)."""
    for user in user_store.users_with_role(db, role):
        if user["id"] != exclude_user:
            tell_user(db, user["id"], text, link)
