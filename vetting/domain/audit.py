"""Every operation that matters calls ``record``: who, what, which record, before and after."""
from __future__ import annotations

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

    :param action: dotted verb, e.g. ``procurement.create``, ``person.reveal_personnummer``.
    """
    return audit_store.append(db, actor_id=actor.id, actor=actor.username, action=action, record_type=record_type,
                              record_id=record_id, before=_masked(before), after=_masked(after),
                              reason=_masked(reason))


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
