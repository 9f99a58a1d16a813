"""The person merge queue: who is linked at once, and the security officer's merge or keep-apart decision."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlite_utils
from .message import _l

from ..store import merges as store
from ..store import organisations as org_store
from ..store import write_transaction
from .audit import Actor, record
from .errors import InvalidInput, NotFound

# Roles that may look a personnummer up anyway (exact search): linking tells them nothing new.
LINKING_ROLES = frozenset({"security_officer"})
DECISIONS = ("merge", "separate")


def links_at_once(actor: Actor) -> bool:
    """True for the system (demo load, registers) and the roles that may see personnummer."""
    return actor.id is None or bool(actor.roles & LINKING_ROLES)


def queue(db: sqlite_utils.Database, actor: Actor, data: dict[str, Any]) -> int:
    """A new person under the typed name, the typed number queued beside it; return the new person's id.

    Runs inside the caller's transaction. The audit entry is the caller's ``key_person.add``
    plus this one, readable by auditors only; the typist sees neither.
    """
    person_id = org_store.insert_person(db, {**data, "personnummer": None})
    merge_id = store.insert(db, person_id, data["personnummer"], actor.username)
    record(db, actor, "person.merge_queued", "person", person_id, after={"merge_id": merge_id})
    return person_id


def open_items(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """What waits for a security officer."""
    return store.open_items(db)


def queue_organisation(db: sqlite_utils.Database, actor: Actor, organisation_id: int, data: dict[str, Any]) -> None:
    """Queue the typed number of an organisation stored without it (a sole trader's number another organisation
    has); runs inside the caller's transaction, audited for auditors only, like ``queue``."""
    merge_id = store.insert_organisation(db, organisation_id, data["identifier_type"], data["identifier"],
                                         actor.username)
    record(db, actor, "organisation.merge_queued", "organisation", organisation_id, after={"merge_id": merge_id})


def withdraw_organisation(db: sqlite_utils.Database, organisation_id: int) -> None:
    """The organisation's number was changed to one no one else has: its queued match is void."""
    store.withdraw_organisation(db, organisation_id)


def open_organisation_items(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Sole traders waiting for a security officer."""
    return store.open_organisation_items(db)


@dataclass(frozen=True)
class _Queue:
    """One merge queue's store calls and audit words: persons (their roles move) and sole traders (their places in
    procurements and their key persons move)."""

    get_open: Callable[[sqlite_utils.Database, int], dict[str, Any] | None]
    move: Callable[[sqlite_utils.Database, int, int], int]
    resolve: Callable[[sqlite_utils.Database, int, str, str, int | None], None]
    kind: str  # the audit entity and action prefix
    subject_key: str  # the queued record's column
    moved_key: str  # what the audit entry counts as moved


_PERSONS = _Queue(store.get_open, store.move_key_roles, store.resolve, "person", "person_id", "roles_moved")
_ORGANISATIONS = _Queue(store.get_open_organisation, store.move_organisation, store.resolve_organisation,
                        "organisation", "organisation_id", "places_moved")


def resolve_organisation(db: sqlite_utils.Database, actor: Actor, merge_id: int, decision: str,
                         reason: str = "") -> None:
    """Merge the queued organisation into the stored one (its places in procurements and its key persons move),
    or keep them apart (the typed number is dropped: it is the stored firm's); audited either way."""
    _resolve(_ORGANISATIONS, db, actor, merge_id, decision, reason)


def resolve(db: sqlite_utils.Database, actor: Actor, merge_id: int, decision: str, reason: str = "") -> None:
    """Merge the queued person into the stored one (their roles move), or keep them apart (the typed
    number is dropped: it is the stored person's); audited either way."""
    _resolve(_PERSONS, db, actor, merge_id, decision, reason)


def _resolve(which: _Queue, db: sqlite_utils.Database, actor: Actor, merge_id: int, decision: str,
             reason: str) -> None:
    if decision not in DECISIONS:
        raise InvalidInput(_l("Choose merge or keep apart."), "decision")
    with write_transaction(db):
        item = which.get_open(db, merge_id)
        if item is None:
            raise NotFound(_l("This match has already been resolved."))
        target = item["stored_id"] if decision == "merge" else None
        moved = which.move(db, item[which.subject_key], target) if target is not None else 0
        which.resolve(db, merge_id, "merge" if target is not None else "separate", actor.username, target)
        record(db, actor, f"{which.kind}.{'merge' if target is not None else 'keep_apart'}", which.kind,
               item[which.subject_key], after={"merge_id": merge_id, "merged_into": target, which.moved_key: moved},
               reason=reason or None)
