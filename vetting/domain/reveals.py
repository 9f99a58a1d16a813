"""A personnummer reveal in two steps, so a reload never reveals again (issue 16 item 6).

The POST with the reason is audited (once per reveal) and leaves a one-time ticket; the browser is
redirected, and the page after the redirect shows the number if the ticket is unused, the same
user's, for the same person and younger than ``TICKET_SECONDS``. Reloading that page, or going
back, finds the ticket used: the number is masked again and a new reveal needs a new reason.
The ticket's token travels in the server-signed session cookie, never in a URL; only its SHA-256 is
stored, and the number itself is read from the person when shown, never kept with the ticket.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta, timezone

import sqlite_utils

from ..store import organisations as org_store
from ..store import reveals as store
from ..store import write_transaction
from .audit import Actor
from .identifiers import format_personnummer
from .organisations import reveal_personnummer

TICKET_SECONDS = 60


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def request_reveal(db: sqlite_utils.Database, actor: Actor, person_id: int, reason: str) -> str:
    """Audit the reveal and return the one-time token for the page after the redirect."""
    token = secrets.token_urlsafe(24)
    reveal_personnummer(db, actor, person_id, reason, ticket_hash=_hash(token))
    return token


def show_once(db: sqlite_utils.Database, actor: Actor, person_id: int, token: str | None) -> str | None:
    """The formatted personnummer if ``token`` is a fresh, unused ticket of this user for this person
    (using it up), else None. Old tickets are forgotten on the way."""
    if not token or actor.id is None:
        return None
    now = datetime.now(timezone.utc)
    since = (now - timedelta(seconds=TICKET_SECONDS)).isoformat(timespec="microseconds")
    with write_transaction(db):
        store.forget_before(db, (now - timedelta(days=1)).isoformat(timespec="microseconds"))
        ticket = store.take(db, _hash(token), actor.id, person_id, since)
        person = org_store.get_person(db, person_id) if ticket else None
    if not person or not person["personnummer"]:
        return None
    return format_personnummer(person["personnummer"])
