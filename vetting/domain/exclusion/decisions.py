"""Decisions on an exclusion case: exclude, do not exclude, or require a subcontractor or relied-on entity replaced.

One person prepares the decision (with reasons and the evidence it rests on), another decides it: four eyes
through ``domain/foureyes.py``. A decision is never edited; a reconsideration is a new decision that refers to the
one it reconsiders, and the newest decision of a party is the one in force (``in_force``, the one home of that
question: the award and signing gates ask it). The law is checked when the decision is prepared and again when it
is confirmed: an exclusion needs a ground that stands and a supplier that has been heard.
"""
from __future__ import annotations

from datetime import date
from typing import Any

import sqlite_utils
from ..message import _l

from ...store import exclusion as store
from ...store import procurements as procurement_store
from .. import clock
from ..audit import Actor, record
from ..errors import Conflict, InvalidInput, NotFound
from . import communication, self_cleaning
from . import grounds as law

OUTCOMES = {"exclude": _l("Exclude the supplier"), "not_exclude": _l("Do not exclude"),
            "require_replacement": _l("Require the subcontractor or relied-on entity to be replaced")}
REPLACEABLE_ROLES = ("subcontractor", "capacity")


def ground_states(db: sqlite_utils.Database, case: dict[str, Any], today: date) -> list[dict[str, Any]]:
    """Each ground of the case with its state today (limit, stated, self-cleaning, payment, exception)."""
    stated = store.stated_grounds(db, case["procurement_id"])
    below = store.below_threshold(db, case["procurement_id"])
    cleaned = self_cleaning.accepted(store.self_cleanings(db, [case["id"]]))
    out = []
    for ground in store.grounds(db, [case["id"]]):
        state = law.state_of(ground, today, stated, below, cleaned)
        out.append({**ground, "state": state.state, "kind": state.kind, "limit_end": state.limit_end,
                    "usable": state.usable})
    return out


def in_force(db: sqlite_utils.Database, procurement_id: int,
             organisation_id: int | None = None) -> dict[int, dict[str, Any]]:
    """Per party: the decision in force, the newest one (a reconsideration replaces the one it refers to)."""
    out: dict[int, dict[str, Any]] = {}
    for decision in store.party_decisions(db, procurement_id, organisation_id):
        out[decision["organisation_id"]] = decision
    return out


def undecided(db: sqlite_utils.Database, procurement_id: int) -> list[dict[str, Any]]:
    """Cases of the procurement no decision has been taken on."""
    return store.undecided_cases(db, procurement_id)


def _check(db: sqlite_utils.Database, case: dict[str, Any], outcome: str, reconsiders: int | None,
           today: date) -> list[dict[str, Any]]:
    """Refuse a decision the law does not allow now; return the grounds' states it rests on."""
    if outcome not in OUTCOMES:
        raise InvalidInput(_l("Choose a decision."), "outcome")
    earlier = store.decisions(db, [case["id"]])
    newest = earlier[-1] if earlier else None
    if newest is not None and reconsiders is None:
        raise Conflict(_l("The case is decided already: reconsider the decision instead."))
    if reconsiders is not None and (newest is None or newest["id"] != reconsiders):
        raise Conflict(_l("Only the decision in force can be reconsidered."))
    states = ground_states(db, case, today)
    usable = [g for g in states if g["usable"]]
    if outcome in ("exclude", "require_replacement") and not usable:
        raise InvalidInput(_l("No ground stands: a ground past its time limit, not stated in the procurement "
                              "documents, paid, excepted or lifted by self-cleaning cannot found an exclusion."),
                           "outcome")
    if outcome == "exclude" and not communication.heard(store.communications(db, [case["id"]]), today):
        raise InvalidInput(_l("The supplier has not been heard: an exclusion can be decided only after its reply "
                              "has arrived or the deadline for it has passed."), "outcome")
    if outcome == "require_replacement":
        roles = {p["role"] for p in procurement_store.participants(db, case["procurement_id"])
                 if p["organisation_id"] == case["organisation_id"]}
        if not roles & set(REPLACEABLE_ROLES):
            raise InvalidInput(_l("Replacement can be required only of a subcontractor or an entity whose capacity "
                                  "is relied on."), "outcome")
    return states


def propose(db: sqlite_utils.Database, actor: Actor, case_id: int, outcome: str, reasons: str, evidence: str,
            reconsiders: int | None = None) -> Any:
    """Prepare a decision; it takes effect when a second person confirms it (returns ``foureyes.Proposed``)."""
    case = store.case(db, case_id)
    if case is None:
        raise NotFound(_l("No such exclusion assessment."))
    reasons, evidence = (reasons or "").strip(), (evidence or "").strip()
    if not reasons:
        raise InvalidInput(_l("Give the reasons for the decision."), "reasons")
    if not evidence:
        raise InvalidInput(_l("Name the evidence the decision rests on."), "evidence")
    _check(db, case, outcome, reconsiders, clock.today())
    from ..foureyes import propose as four_eyes

    return four_eyes(db, actor, "exclusion_decision", str(case_id),
                     {"procurement_id": case["procurement_id"], "organisation_id": case["organisation_id"],
                      "case_id": case_id, "outcome": outcome, "evidence": evidence, "reconsiders": reconsiders},
                     reasons, "procurement", case["procurement_id"])


def apply_decision(db: sqlite_utils.Database, proposer: Actor, confirmer: Actor, payload: dict[str, Any]) -> int:
    """Four eyes confirmed: store the decision, prepared by the proposer and decided by the confirmer (caller holds
    the transaction). The law is checked again: the facts may have moved while the proposal waited."""
    case = store.case(db, payload["case_id"])
    if case is None:
        raise NotFound(_l("No such exclusion assessment."))
    outcome = payload.get("outcome") or payload.get("decision")  # a proposal made before 0019 says "decision"
    states = _check(db, case, outcome, payload.get("reconsiders"), clock.today())
    decision_id = store.insert_decision(
        db, case_id=case["id"], outcome=outcome, reasons=payload["reason"], evidence=payload.get("evidence"),
        grounds=[{"id": g["id"], "indicator": g["indicator"], "ground": g["ground"], "state": g["state"],
                  "kind": g["kind"], "limit_end": g["limit_end"].isoformat() if g["limit_end"] else None}
                 for g in states],
        reconsiders=payload.get("reconsiders"), prepared_by=proposer.username, prepared_by_id=proposer.id,
        decided_by=confirmer.username, decided_by_id=confirmer.id)
    record(db, confirmer, "exclusion.decision", "procurement", case["procurement_id"],
           after={"case_id": case["id"], "decision_id": decision_id, "outcome": outcome,
                  "organisation_id": case["organisation_id"], "prepared_by": proposer.username,
                  "reconsiders": payload.get("reconsiders")}, reason=payload["reason"])
    return decision_id
