"""Test helper: confirm a four-eyes proposal as a second user of a role (created on first use)."""
from __future__ import annotations

from typing import Any

from vetting.domain import foureyes, users
from vetting.domain.audit import SYSTEM, Actor
from vetting.store import users as user_store


def second(db: Any, role: str) -> Actor:
    """Another user holding the role, distinct from the fixtures' one-per-role accounts."""
    username = f"second_{role}"
    row = user_store.get_by_username(db, username)
    user_id = row["id"] if row else users.create_user(db, SYSTEM, username=username, password="correct horse battery staple",
                                                      roles=[role], display_name=f"Second {role}",
                                                      hash_method="pbkdf2:sha256:1000")
    return Actor(user_id, username, frozenset({role}))


def confirmed(db: Any, result: Any, role: str = "security_officer") -> Any:
    """If ``result`` waits for four eyes, confirm it as a second person; return what the decision made."""
    if isinstance(result, foureyes.Proposed):
        return foureyes.confirm(db, second(db, role), result.proposal_id, "Bekräftas")
    return result


def conclude_deepened_checks(db: Any, procurement_id: int) -> None:
    """Conclude every open deepened check the triage opened, as a security officer (a step of the real flow)."""
    from vetting.domain import triage
    from vetting.store import procurements as procurement_store

    security = second(db, "security_officer")
    for row in procurement_store.participants(db, procurement_id):
        for task in triage.tasks(db, procurement_id, row["organisation_id"]):
            if task["concluded_at"] is None:
                triage.conclude(db, security, task["id"], "Ägare, styrelse och registeruppgifter",
                                "Proportionerligt mot kontraktets art", "Inga hinder")
