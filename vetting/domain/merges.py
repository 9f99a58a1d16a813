"""The person merge queue: who is linked at once, and the security officer's merge or keep-apart decision."""
from __future__ import annotations

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


def resolve_organisation(db: sqlite_utils.Database, actor: Actor, merge_id: int, decision: str,
                         reason: str = "") -> None:
    """Merge the queued organisation into the stored one (its places in procurements and its key persons move),
    or keep them apart (the typed number is dropped: it is the stored firm's); audited either way."""
    if decision not in DECISIONS:
        raise InvalidInput(_l("Choose merge or keep apart."), "decision")
    with write_transaction(db):
        item = store.get_open_organisation(db, merge_id)
        if item is None:
            raise NotFound(_l("This match has already been resolved."))
        target = item["stored_id"] if decision == "merge" else None
        moved = store.move_organisation(db, item["organisation_id"], target) if target is not None else 0
        store.resolve_organisation(db, merge_id, "merge" if target is not None else "separate", actor.username,
                                   target)
        record(db, actor, f"organisation.{'merge' if target is not None else 'keep_apart'}", "organisation",
               item["organisation_id"], after={"merge_id": merge_id, "merged_into": target, "places_moved": moved},
               reason=reason or None)


def resolve(db: sqlite_utils.Database, actor: Actor, merge_id: int, decision: str, reason: str = "") -> None:
    """Merge the queued person into the stored one (their roles move), or keep them apart (the typed
    number is dropped: it is the stored person's); audited either way."""
    if decision not in DECISIONS:
        raise InvalidInput(_l("Choose merge or keep apart."), "decision")
    with write_transaction(db):
        item = store.get_open(db, merge_id)
        if item is None:
            raise NotFound(_l("This match has already been resolved."))
        target = item["stored_id"] if decision == "merge" else None
        moved = 0
        if decision == "merge" and target is not None:
            moved = store.move_key_roles(db, item["person_id"], target)
        store.resolve(db, merge_id, decision if target is not None or decision == "separate" else "separate",
                      actor.username, target)
        record(db, actor, f"person.{'merge' if target is not None else 'keep_apart'}", "person", item["person_id"],
               after={"merge_id": merge_id, "merged_into": target, "roles_moved": moved}, reason=reason or None)
