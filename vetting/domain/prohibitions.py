"""Sanctions and art. 5k are prohibitions, not exclusion grounds: answers per party, freeze and reporting record.

No hearing, no self-cleaning, no override: the blocker (blockers.py) stays until the record changes. A
confirmed hit tells the security department at once; who reported it onwards, to whom and when is kept.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlite_utils
from .message import _l

from ..store import gates as store
from ..store import organisations as org_store
from ..store import procurements as procurement_store
from ..store import write_transaction
from . import events
from .audit import Actor, record
from .errors import Conflict, InvalidInput, NotFound
from ..contract import is_under_contract

ANSWERS = ("yes", "no", "unknown")


def record_art5k(db: sqlite_utils.Database, actor: Actor, organisation_id: int, *, russian_owned: str,
                 acting_for_russia: str, note: str = "") -> int:
    """The officer's answers for a party: more than 50 % Russian-owned? acting on behalf of a Russian party?"""
    if russian_owned not in ANSWERS or acting_for_russia not in ANSWERS:
        raise InvalidInput(_l("Answer yes, no or unknown."), "russian_owned")
    with write_transaction(db):
        if org_store.get(db, organisation_id) is None:
            raise NotFound(_l("No such organisation."))
        answer_id = store.insert_art5k_answer(db, organisation_id, russian_owned, acting_for_russia,
                                              (note or "").strip() or None, actor.username)
        record(db, actor, "art5k.answer", "organisation", organisation_id,
               after={"russian_owned": russian_owned, "acting_for_russia": acting_for_russia})
    return answer_id


def _organisations_of(db: sqlite_utils.Database, subject_kind: str, subject_id: int) -> list[int]:
    if subject_kind == "organisation":
        return [subject_id]
    return store.organisations_of_person(db, subject_id)


def hit_confirmed(db: sqlite_utils.Database, actor: Actor, subject_kind: str, subject_id: int,
                  review_id: int) -> list[int]:
    """Freeze the party in every procurement it takes part in and tell the security department (caller's transaction)."""
    reports = []
    for organisation_id in _organisations_of(db, subject_kind, subject_id):
        for row in procurement_store.procurements_of_organisation(db, organisation_id):
            report_id = store.insert_sanction_report(db, row["id"], organisation_id, review_id)
            if report_id is None:
                continue
            reports.append(report_id)
            record(db, actor, "sanctions.freeze", "procurement", row["id"],
                   after={"organisation_id": organisation_id, "review_id": review_id, "report_id": report_id,
                          "security_told": True})
            from .notify import tell_role

            tell_role(db, "security_officer", _l("Confirmed sanctions hit in %(ref)s: the party is frozen; report it "
                                                 "onwards.", ref=row["reference"]), f"/procurements/{row['id']}#blockers")
            if is_under_contract(row):
                _ask_for_a_decision(db, actor, row["id"], organisation_id, subject_kind, subject_id)
    return reports


def _ask_for_a_decision(db: sqlite_utils.Database, actor: Actor, procurement_id: int, organisation_id: int,
                        subject_kind: str, subject_id: int) -> None:
    """A blocker on a running contract opens the event checkpoint (CP10) once, asking for the decision."""
    from ..store import checkpoints as checkpoint_store

    for checkpoint in checkpoint_store.for_procurement(db, procurement_id):
        detail = checkpoint["event_detail"] or {}
        if (checkpoint["template_id"] == "CP10" and checkpoint["state"] in ("open", "prepared", "rejected")
                and detail.get("subject_kind") == subject_kind and detail.get("subject_id") == subject_id):
            return  # the change on this subject already waits for its decision
    events.publish(db, events.MatchConfirmedUnderContract(actor, procurement_id, organisation_id, subject_kind,
                                                          subject_id))


def report_onwards(db: sqlite_utils.Database, actor: Actor, report_id: int, settings: Mapping[str, Any]) -> str:
    """A security officer records that the hit was reported onwards, to the configured recipient; returns it."""
    recipient = str(settings.get("SANCTIONS_REPORT_RECIPIENT") or "").strip()
    if not recipient:
        raise InvalidInput(_l("No recipient for sanctions reports is configured (SANCTIONS_REPORT_RECIPIENT)."))
    if not actor.has_role("security_officer"):
        raise InvalidInput(_l("Only a security officer reports a sanctions hit onwards."))
    with write_transaction(db):
        if not store.mark_reported(db, report_id, actor.username, recipient):
            raise Conflict(_l("This hit has already been reported onwards."))
        record(db, actor, "sanctions.reported", "sanction_report", report_id, after={"to": recipient})
    return recipient


def reports(db: sqlite_utils.Database, procurement_id: int) -> list[dict[str, Any]]:
    """The freeze and reporting record of a procurement."""
    return store.sanction_reports(db, procurement_id)
