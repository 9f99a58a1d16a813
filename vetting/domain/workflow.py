"""Phases of a procurement and its contract; moving on is gated by signed-off checkpoints."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlite_utils
from .message import _l

from ..store import checkpoints as checkpoint_store
from ..store import procurements as procurement_store
from ..store import write_transaction
from . import checkpoint_templates as templates
from . import checkpoints
from .audit import Actor, record
from .blockers import Blocker, describe, for_phase
from .criteria import evaluate
from .protection import profile
from .errors import Conflict, InvalidInput, NotFound
from .procurements import PHASES
from ..contract import is_under_contract



@dataclass
class Gate:
    """What stands between the procurement and its next phase, and who must act."""

    next_phase: str | None
    blocking: list[dict[str, Any]] = field(default_factory=list)
    holds: list[str] = field(default_factory=list)  # what the law holds back (standstill, review), not a checkpoint
    blockers: list[Blocker] = field(default_factory=list)  # content that forbids the phase, not steps left to do

    @property
    def open(self) -> bool:
        return self.next_phase is not None and not self.blocking and not self.holds and not self.blockers


def next_phase(phase: str) -> str | None:
    """The phase after this one, or None at the end."""
    index = PHASES.index(phase)
    return PHASES[index + 1] if index + 1 < len(PHASES) else None


def gate(db: sqlite_utils.Database, procurement_id: int, procurement: dict[str, Any] | None = None,
         checkpoints_read: list[dict[str, Any]] | None = None) -> Gate:
    """The checkpoints gating the next phase that are not approved, with the missing criteria and the role to act.

    ``procurement`` and ``checkpoints_read`` are the procurement and its checkpoints when the caller has just
    read them in the same request (the procurement page): not read again.
    """
    procurement = procurement if procurement is not None else procurement_store.get(db, procurement_id)
    if procurement is None:
        raise NotFound(_l("No such procurement."))
    target = next_phase(procurement["phase"])
    if target is None:
        return Gate(None)
    rows = checkpoints_read if checkpoints_read is not None else checkpoint_store.for_procurement(db, procurement_id)
    instances = {c["template_id"]: c for c in rows if c["trigger"] == "phase"}
    blocking = []
    for template in templates.gating(target):
        if not template.applies(profile(db, procurement), templates.value_threshold()):
            continue
        instance = instances.get(template.id)
        state = instance["state"] if instance else "open"
        if state in checkpoints.APPROVED:
            continue
        unmet = [c for c in evaluate(db, procurement_id, template.criteria) if not c.held]
        who = template.signer if state == "prepared" else template.preparer
        blocking.append({"template": template, "checkpoint": instance, "state": state, "who": who, "unmet": unmet})
    from .timeline import holds

    return Gate(target, blocking, holds(db, procurement_id, target), for_phase(db, procurement_id, target))


def advance(db: sqlite_utils.Database, actor: Actor, procurement_id: int) -> str:
    """Move to the next phase when every gating checkpoint is approved; return the new phase."""
    checkpoints.sync(db, actor, procurement_id)
    status = gate(db, procurement_id)
    if status.next_phase is None:
        raise InvalidInput(_l("The procurement is already in its last phase."))
    if status.blockers:
        raise InvalidInput(_l("Cannot move on: %(blockers)s", blockers=describe(status.blockers)))
    if status.blocking:
        names = ", ".join(b["template"].id for b in status.blocking)
        raise InvalidInput(_l("Cannot move on: checkpoint(s) %(names)s are not approved.", names=names))
    if status.holds:
        raise InvalidInput(_l("Cannot move on yet: %(holds)s", holds=" ".join(status.holds)))
    with write_transaction(db):
        current = procurement_store.get(db, procurement_id)
        if current is None or next_phase(current["phase"]) != status.next_phase:
            raise Conflict(_l("The phase was changed by someone else meanwhile."))
        late = for_phase(db, procurement_id, status.next_phase)  # re-read under the write lock
        if late:
            raise InvalidInput(_l("Cannot move on: %(blockers)s", blockers=describe(late)))
        procurement_store.update(db, procurement_id, {"phase": status.next_phase})
        record(db, actor, "procurement.phase", "procurement", procurement_id,
               before={"phase": current["phase"]}, after={"phase": status.next_phase})
    return status.next_phase


def start_followup_if_signed(db: sqlite_utils.Database, actor: Actor, procurement_id: int,
                             settings: dict[str, Any] | Any) -> None:
    """A newly signed contract gets a follow-up schedule from its current risk level (medium until assessed)."""
    from .followup_risk import follow_risk_level

    follow_risk_level(db, actor, procurement_id, settings)


def party_added(db: sqlite_utils.Database, actor: Actor, organisation_id: int, what: str, name: str) -> None:
    """A subcontractor or key person joined a party of signed contracts: open CP8 on each contract."""
    for row in procurement_store.procurements_of_organisation(db, organisation_id):
        procurement = procurement_store.get(db, row["id"])
        if procurement and is_under_contract(procurement):
            checkpoints.open_event(db, actor, row["id"], "party_added",
                                   {"organisation_id": organisation_id, "what": what, "name": name})


def extend(db: sqlite_utils.Database, actor: Actor, procurement_id: int, reason: str) -> list[int]:
    """An option or extension is being considered: open CP11 (a full re-check)."""
    procurement = procurement_store.get(db, procurement_id)
    if procurement is None or not is_under_contract(procurement):
        raise InvalidInput(_l("Only a signed contract can be extended."))
    return checkpoints.open_event(db, actor, procurement_id, "extension", {"reason": (reason or "").strip()})
