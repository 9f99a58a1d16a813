"""Checkpoint instances: opened per procurement or by events, prepared, signed off under four eyes."""
from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import sqlite_utils
from .message import _l

from ..store import checkpoints as store
from ..store import outcomes as outcome_store
from ..store import procurements as procurement_store
from ..store import write_transaction
from . import checkpoint_templates as templates
from . import clock
from .audit import Actor, record
from .criteria import evaluate
from .errors import Conflict, InvalidInput, NotFound
from .screening_status import newest_of

DECISIONS = ("approved", "approved_with_conditions", "rejected")
APPROVED = ("approved", "approved_with_conditions")


def _due(days: int) -> str:
    return (clock.now() + timedelta(days=days)).isoformat(timespec="seconds")


def sync(db: sqlite_utils.Database, actor: Actor, procurement_id: int) -> list[int]:
    """Open the phase checkpoints the procurement needs and does not have yet; return the new ids."""
    procurement = procurement_store.get(db, procurement_id)
    if procurement is None:
        raise NotFound(_l("No such procurement."))
    existing = {c["template_id"] for c in store.for_procurement(db, procurement_id) if c["trigger"] == "phase"}
    from .protection import profile

    procurement = profile(db, procurement)
    created = []
    with write_transaction(db):
        for template in templates.templates().values():
            if template.gates and template.id not in existing and template.applies(procurement, templates.value_threshold()):
                cid = store.insert(db, procurement_id=procurement_id, template_id=template.id, trigger="phase",
                                   event_detail=None, due_at=_due(template.due_days))
                record(db, actor, "checkpoint.open", "procurement", procurement_id,
                       after={"checkpoint_id": cid, "template": template.id})
                created.append(cid)
        from .due_dates import refresh

        refresh(db, procurement_id)  # due dates follow the phases and the planned dates
    return created


def open_event(db: sqlite_utils.Database, actor: Actor, procurement_id: int, event: str,
               detail: Mapping[str, Any]) -> list[int]:
    """Open the checkpoints an event calls for (a new party on a signed contract, a new hit, an extension)."""
    created = []
    with write_transaction(db):
        for template in templates.for_event(event):
            cid = store.insert(db, procurement_id=procurement_id, template_id=template.id, trigger="event",
                               event_detail=dict(detail), due_at=_due(template.due_days))
            record(db, actor, "checkpoint.open", "procurement", procurement_id,
                   after={"checkpoint_id": cid, "template": template.id, "event": event, **dict(detail)})
            created.append(cid)
    return created


def get(db: sqlite_utils.Database, checkpoint_id: int) -> dict[str, Any]:
    """A checkpoint with its template, or NotFound."""
    checkpoint = store.get(db, checkpoint_id)
    if checkpoint is None:
        raise NotFound(_l("No such checkpoint."))
    checkpoint["template"] = templates.templates()[checkpoint["template_id"]]
    return checkpoint


def _clean_answers(template: templates.Template, raw: Mapping[str, Any], documents: Mapping[str, dict[str, Any]],
                   earlier: Mapping[str, Any]) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for field in template.fields:
        if field.kind == "document":
            doc = documents.get(field.name)
            if doc is None and not earlier.get(field.name):
                raise InvalidInput(_l("Attach the document “%(label)s”.", label=field.label["en"]), field.name)
            answers[field.name] = ({k: doc[k] for k in ("filename", "sha256", "media_type")} if doc
                                   else earlier[field.name])
            continue
        value = str(raw.get(field.name) or "").strip()
        if not value and field.optional:
            continue
        if not value:
            raise InvalidInput(_l("Answer “%(label)s”.", label=field.label["en"]), field.name)
        if field.kind == "bool":
            if value not in ("yes", "no"):
                raise InvalidInput(_l("Answer yes or no."), field.name)
            answers[field.name] = value == "yes"
        elif field.kind == "choice":
            if value not in field.choices:
                raise InvalidInput(_l("Choose one of the options."), field.name)
            answers[field.name] = value
        else:
            answers[field.name] = value[:4000]
    return answers


def prepare(db: sqlite_utils.Database, actor: Actor, checkpoint_id: int, raw: Mapping[str, Any],
            documents: Mapping[str, dict[str, Any]] | None = None) -> None:
    """The owner fills in the checkpoint and asks for sign-off; its automatic criteria must hold."""
    documents = documents or {}
    checkpoint = get(db, checkpoint_id)
    template = checkpoint["template"]
    if not actor.has_role(template.preparer):
        raise InvalidInput(_l("Only a %(role)s prepares this checkpoint.", role=template.preparer))
    if checkpoint["state"] not in ("open", "rejected"):
        raise Conflict(_l("The checkpoint is already prepared or decided."))
    answers = _clean_answers(template, raw, documents, checkpoint["answers"])
    unmet = [c for c in evaluate(db, checkpoint["procurement_id"], template.criteria) if not c.held]
    if unmet:
        raise InvalidInput(_l("Not ready for sign-off: %(problems)s", problems="; ".join(c.detail for c in unmet)))
    with write_transaction(db):
        current = store.get(db, checkpoint_id)
        if current is None or current["state"] not in ("open", "rejected"):
            raise Conflict(_l("The checkpoint was changed by someone else meanwhile."))
        for field_name, doc in documents.items():
            store.insert_document(db, checkpoint_id, field_name, doc, actor.username)
        store.mark_prepared(db, checkpoint_id, answers, actor.username, actor.id)
        record(db, actor, "checkpoint.prepare", "procurement", checkpoint["procurement_id"],
               after={"checkpoint_id": checkpoint_id, "template": template.id, "answers": answers})
    from .notify import tell_role

    tell_role(db, template.signer, _l("Checkpoint %(cp)s of %(ref)s waits for your sign-off.", cp=template.id,
                                       ref=_reference(db, checkpoint["procurement_id"])),
              f"/checkpoints/{checkpoint_id}", exclude_user=actor.id)


def _reference(db: sqlite_utils.Database, procurement_id: int) -> str:
    row = procurement_store.get(db, procurement_id)
    return row["reference"] if row else "?"


def snapshot(db: sqlite_utils.Database, checkpoint: dict[str, Any]) -> dict[str, Any]:
    """The evidence a sign-off rests on, frozen with it: criteria, answers, and each party's check results."""
    template = checkpoint["template"]
    parties = []
    for participant in procurement_store.participants(db, checkpoint["procurement_id"]):
        outcomes = newest_of(db, "organisation", participant["organisation_id"])
        parties.append({"organisation": participant["organisation_name"], "role": participant["role"],
                        "outcomes": [{"check": o["check_id"], "status": o["status"], "outcome_id": o["id"],
                                      "at": o["created_at"]} for o in outcomes]})
    return {"criteria": [c.__dict__ for c in evaluate(db, checkpoint["procurement_id"], template.criteria)],
            "answers": checkpoint["answers"], "prepared_by": checkpoint["prepared_by"], "parties": parties}


def sign(db: sqlite_utils.Database, actor: Actor, checkpoint_id: int, decision: str, reason: str,
         conditions: str = "") -> int:
    """Approve, approve with conditions or reject; never by the preparer; exactly one decision per round."""
    reason, conditions = (reason or "").strip(), (conditions or "").strip()
    if decision not in DECISIONS:
        raise InvalidInput(_l("Choose a decision."), "decision")
    if not reason:
        raise InvalidInput(_l("Give the reason for the decision."), "reason")
    if decision == "approved_with_conditions" and not conditions:
        raise InvalidInput(_l("State the conditions to be followed up."), "conditions")
    checkpoint = get(db, checkpoint_id)
    template = checkpoint["template"]
    if not actor.has_role(template.signer):
        raise InvalidInput(_l("Only a %(role)s signs off this checkpoint.", role=template.signer))
    if checkpoint["prepared_by_id"] == actor.id:
        raise InvalidInput(_l("Four eyes: you prepared this checkpoint, so someone else must sign it off."))
    if decision in APPROVED:
        _refuse_blocked(db, checkpoint)
        if template.id == "CP0":
            from .protection import check_cp0

            check_cp0(procurement_store.get(db, checkpoint["procurement_id"]) or {}, checkpoint["answers"])
        unmet = [c for c in evaluate(db, checkpoint["procurement_id"], template.criteria) if not c.held]
        if unmet:
            raise InvalidInput(_l("Cannot approve: %(problems)s", problems="; ".join(c.detail for c in unmet)))
    frozen = snapshot(db, checkpoint)
    try:
        with write_transaction(db):
            current = store.get(db, checkpoint_id)
            if current is None or current["state"] != "prepared" or current["round"] != checkpoint["round"]:
                raise Conflict(_l("Someone else has already decided this checkpoint."))
            if decision in APPROVED:
                _refuse_blocked(db, checkpoint)  # again under the write lock: a blocker may have appeared meanwhile
            decision_id = store.insert_decision(db, checkpoint_id=checkpoint_id, round_=checkpoint["round"],
                                                decision=decision, reason=reason, conditions=conditions or None,
                                                user=actor.username, user_id=actor.id, snapshot=frozen)
            record(db, actor, f"checkpoint.{decision}", "procurement", checkpoint["procurement_id"],
                   after={"checkpoint_id": checkpoint_id, "template": template.id, "round": checkpoint["round"],
                          "conditions": conditions or None, "snapshot_parties": len(frozen["parties"])}, reason=reason)
            if template.id == "CP0" and decision in APPROVED:
                from .protection import apply_cp0

                apply_cp0(db, actor, checkpoint["procurement_id"], checkpoint["answers"])
            if decision == "approved_with_conditions":
                from .conditions import create_from_decision

                create_from_decision(db, actor, checkpoint, decision_id, conditions)  # each is followed up
    except sqlite3.IntegrityError:
        raise Conflict(_l("Someone else has already decided this checkpoint.")) from None
    if decision == "rejected":
        from .notify import tell_user

        tell_user(db, checkpoint["prepared_by_id"], _l("Checkpoint %(cp)s of %(ref)s was returned: %(reason)s",
                                                        cp=template.id, ref=_reference(db, checkpoint["procurement_id"]),
                                                        reason=reason), f"/checkpoints/{checkpoint_id}")
    return decision_id


def _refuse_blocked(db: sqlite_utils.Database, checkpoint: dict[str, Any]) -> None:
    """No approval past a blocker: a Säpo "no go" cannot be approved, a blocked chain cannot be signed past."""
    from .blockers import describe, for_checkpoint

    template = checkpoint["template"]
    if template.id == "CP2" and (checkpoint["answers"] or {}).get("sapo_decision") == "no_go":
        raise InvalidInput(_l("The consultation answer is “must not be carried out”: it cannot be approved. Return it; "
                              "only a new consultation answer lifts the block."))
    found = for_checkpoint(db, checkpoint["procurement_id"], template.gates, template.event)
    action = (checkpoint["answers"] or {}).get("action")
    if template.event == "party_changed" and action not in ("terminate", "replace_subcontractor"):
        from .blockers import party_blockers

        prohibited = [b for b in party_blockers(db, checkpoint["procurement_id"]) if b.kind in ("sanctions_hit", "art5k")]
        if prohibited:  # the law allows no "continue" past a sanctions or art. 5k prohibition
            raise InvalidInput(_l("A prohibition stands (%(blockers)s): terminate the contract or replace the "
                                  "subcontractor.", blockers=describe(prohibited)))
    if found:
        raise InvalidInput(_l("Cannot approve while blockers remain: %(blockers)s", blockers=describe(found)))


def override_error(db: sqlite_utils.Database, actor: Actor, outcome_id: int, reason: str) -> Any:
    """Propose accepting a check that ended in error; once a second person confirms, it no longer blocks."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_l("Give the reason for accepting the error."), "reason")
    outcome = outcome_store.get(db, outcome_id)
    if outcome is None or outcome["status"] != "error":
        raise InvalidInput(_l("Only a check in error can be overridden."))
    if outcome_id in store.overridden_outcomes(db):
        raise Conflict(_l("This error has already been overridden."))
    from .foureyes import propose

    return propose(db, actor, "error_acceptance", str(outcome_id),
                   {"outcome_id": outcome_id, "check": outcome["check_id"], "error": outcome["reason"]}, reason,
                   outcome["subject_kind"], outcome["subject_id"])


def apply_error_override(db: sqlite_utils.Database, proposer: Actor, confirmer: Actor, payload: dict[str, Any]) -> None:
    """Four eyes confirmed: the error is accepted with its reason (caller holds the transaction)."""
    outcome = outcome_store.get(db, payload["outcome_id"])
    if outcome is None:
        raise NotFound(_l("No such screening result."))
    try:
        with write_transaction(db):
            store.override_outcome(db, payload["outcome_id"], payload["reason"], proposer.username)
            record(db, proposer, "check.error_overridden", outcome["subject_kind"], outcome["subject_id"],
                   after={"outcome_id": payload["outcome_id"], "check": outcome["check_id"], "error": outcome["reason"],
                          "confirmed_by": confirmer.username}, reason=payload["reason"])
    except sqlite3.IntegrityError:
        raise Conflict(_l("This error has already been overridden.")) from None
