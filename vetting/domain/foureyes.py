"""The one four-eyes mechanism: one person proposes a decision, a different person confirms it; both audited.

Used wherever one person alone could let a bad supplier through: dismissing a match at or above the
hit threshold, deciding an exclusion assessment, overriding a risk level, accepting a register error,
publishing a risk-model version, granting the security-officer or administrator role. The decision
takes effect only when confirmed, in the confirming transaction, by the kind's ``apply`` function.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

import sqlite_utils
from .message import _l

from ..store import gates as store
from ..store import write_transaction
from .audit import Actor, record
from .errors import Conflict, InvalidInput, NotFound


@dataclass(frozen=True)
class Kind:
    """A decision under four eyes: who may confirm it and where the function that carries it out lives."""

    label: Any
    confirmers: tuple[str, ...]
    apply: str  # "module:function" under vetting.domain, called as f(db, proposer, confirmer, payload)


KINDS: dict[str, Kind] = {
    "match_dismissal": Kind(_l("Dismiss a match at or above the hit threshold"), ("security_officer",),
                            "screening:apply_decision"),
    "exclusion_decision": Kind(_l("Decide an exclusion assessment"), ("security_officer", "procurement_officer"),
                               "exclusion.decisions:apply_decision"),
    "risk_override": Kind(_l("Override a risk level"), ("security_officer",), "risk:apply_override"),
    "error_acceptance": Kind(_l("Accept a register error"), ("security_officer",), "checkpoints:apply_error_override"),
    "model_publish": Kind(_l("Publish a risk-model version"), ("admin", "security_officer"), "risk:apply_publish"),
    "role_grant": Kind(_l("Grant the security-officer or administrator role"), ("admin",), "users:apply_role_grant"),
}


@dataclass(frozen=True)
class Proposed:
    """What a four-eyes decision returns to its first person: it waits for a second one."""

    proposal_id: int


def _handler(kind: str) -> Callable[..., Any]:
    module, function = KINDS[kind].apply.split(":")
    return getattr(import_module(f"vetting.domain.{module}"), function)  # late: the users live above this module


def propose(db: sqlite_utils.Database, actor: Actor, kind: str, target: str, payload: dict[str, Any], reason: str,
            record_type: str | None = None, record_id: Any = None) -> Proposed:
    """Record the first person's decision; it takes effect when someone else confirms it."""
    if kind not in KINDS:
        raise InvalidInput(_l("Unknown kind of decision."))
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_l("Give the reason for your decision."), "reason")
    try:
        with write_transaction(db):
            if store.pending_proposal(db, kind, target):
                raise Conflict(_l("The same decision already waits for confirmation."))
            proposal_id = store.insert_proposal(db, kind=kind, target=target, payload=payload, reason=reason,
                                                record_type=record_type, record_id=record_id, user=actor.username,
                                                user_id=actor.id)
            record(db, actor, "four_eyes.propose", record_type, record_id,
                   after={"proposal_id": proposal_id, "kind": kind, "target": target, **payload}, reason=reason)
    except sqlite3.IntegrityError:
        raise Conflict(_l("The same decision already waits for confirmation.")) from None
    from .notify import tell_role

    for role in KINDS[kind].confirmers[:1]:
        tell_role(db, role, _l("A decision waits for your confirmation (four eyes): %(what)s", what=KINDS[kind].label),
                  "/approvals", exclude_user=actor.id)
    return Proposed(proposal_id)


def _same_person(proposal: dict[str, Any], actor: Actor) -> bool:
    if proposal["proposed_by_id"] is not None and actor.id is not None:
        return bool(proposal["proposed_by_id"] == actor.id)
    return bool(proposal["proposed_by"] == actor.username)


def confirm(db: sqlite_utils.Database, actor: Actor, proposal_id: int, reason: str = "") -> Any:
    """A different person with a confirming role confirms: the decision takes effect now; returns what it made."""
    proposal = store.proposal(db, proposal_id)
    if proposal is None:
        raise NotFound(_l("No such decision waiting for confirmation."))
    kind = KINDS[proposal["kind"]]
    if _same_person(proposal, actor):
        raise InvalidInput(_l("Four eyes: you proposed this decision, so someone else must confirm it."))
    if not any(actor.has_role(role) for role in kind.confirmers):
        raise InvalidInput(_l("Your role may not confirm this decision."))
    proposer = Actor(proposal["proposed_by_id"], proposal["proposed_by"], frozenset())
    with write_transaction(db):
        if not store.decide_proposal(db, proposal_id, "confirmed", actor.username, actor.id, (reason or "").strip() or None):
            raise Conflict(_l("Someone else has already decided on this."))
        record(db, actor, "four_eyes.confirm", proposal["record_type"], proposal["record_id"],
               after={"proposal_id": proposal_id, "kind": proposal["kind"], "proposed_by": proposal["proposed_by"]},
               reason=(reason or "").strip() or None)
        return _handler(proposal["kind"])(db, proposer, actor, {**proposal["payload"], "reason": proposal["reason"]})


def refuse(db: sqlite_utils.Database, actor: Actor, proposal_id: int, reason: str) -> None:
    """The second person says no (with a reason); nothing changes. The proposer may also withdraw it."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_l("Give the reason for refusing."), "reason")
    proposal = store.proposal(db, proposal_id)
    if proposal is None:
        raise NotFound(_l("No such decision waiting for confirmation."))
    if not _same_person(proposal, actor) and not any(actor.has_role(r) for r in KINDS[proposal["kind"]].confirmers):
        raise InvalidInput(_l("Your role may not confirm this decision."))
    with write_transaction(db):
        if not store.decide_proposal(db, proposal_id, "refused", actor.username, actor.id, reason):
            raise Conflict(_l("Someone else has already decided on this."))
        record(db, actor, "four_eyes.refuse", proposal["record_type"], proposal["record_id"],
               after={"proposal_id": proposal_id, "kind": proposal["kind"]}, reason=reason)


def waiting_for(db: sqlite_utils.Database, actor: Actor) -> list[dict[str, Any]]:
    """Pending decisions this person may confirm (not their own), and their own waiting ones."""
    out = []
    for proposal in store.pending_proposals(db):
        kind = KINDS[proposal["kind"]]
        mine = _same_person(proposal, actor)
        if mine or any(actor.has_role(r) for r in kind.confirmers):
            out.append({**proposal, "label": kind.label, "mine": mine})
    return out
