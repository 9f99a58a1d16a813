"""Every operation that matters calls ``record``: who, what, which record, before and after."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from ..store import audit as audit_store


@dataclass(frozen=True)
class Actor:
    """Who does something: a signed-in user, or the system itself (id None)."""

    id: int | None
    username: str
    roles: frozenset[str] = field(default_factory=frozenset)

    def has_role(self, role: str) -> bool:
        return role in self.roles


SYSTEM = Actor(None, "system", frozenset({"admin"}))


def record(db: sqlite_utils.Database, actor: Actor, action: str, record_type: str | None = None,
           record_id: Any = None, *, before: Any = None, after: Any = None, reason: str | None = None) -> int:
    """Append an audit entry in the caller's transaction; return its id.

    Inside ``deferred`` the entry is kept and appended with the others when the block ends.

    :param action: dotted verb, e.g. ``procurement.create``, ``person.reveal_personnummer``.
    """
    fields = audit_store.entry(actor_id=actor.id, actor=actor.username, action=action, record_type=record_type,
                               record_id=record_id, before=_masked(before), after=_masked(after),
                               reason=_masked(reason))
    pending = _deferred.get(id(db.conn))
    if pending is not None:
        base, entries = pending
        entries.append(fields)
        return base + len(entries)
    return audit_store.append_many(db, [fields])[0]


# Entries recorded inside ``deferred``, per connection: (newest id when the block began, entries so far).
_deferred: dict[int, tuple[int, list[dict[str, Any]]]] = {}


@contextmanager
def deferred(db: sqlite_utils.Database) -> Iterator[None]:
    """Within the caller's write transaction: the entries recorded inside are chained and appended in one
    statement when the block ends (a batch storing hundreds of outcomes pays one append, not one per entry).

    Nothing inside may read the log back; on an error the entries are dropped with the transaction.
    """
    if not db.conn.in_transaction:
        raise RuntimeError("audit.deferred needs the caller's write transaction")
    key = id(db.conn)
    if key in _deferred:  # nested: the outer block appends
        yield
        return
    _deferred[key] = (audit_store.last_id(db), [])
    try:
        yield
        entries = _deferred[key][1]
    finally:
        del _deferred[key]
    audit_store.append_many(db, entries)


def _masked(value: Any) -> Any:
    """The log is kept for ever and never rewritten: no full personnummer goes in, not even one typed
    into free text (a hearing note, a reason) or a sole trader's organisation number."""
    from .identifiers import mask_personnummer_in_text

    if isinstance(value, str):
        return mask_personnummer_in_text(value)
    if isinstance(value, list):
        return [_masked(v) for v in value]
    if isinstance(value, dict):
        return {k: _masked(v) for k, v in value.items()}
    return value


def changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the fields that differ, as (before, after) for a compact audit entry."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}
