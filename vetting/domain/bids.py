"""Tender prices per bidder (what BD-01, abnormally low tender, reads) and the request for an explanation that
16 kap. 7 § LOU requires before an abnormally low tender may be rejected, as a tracked step: asked (date, what),
deadline, the supplier's reply, and the agency's assessment (16 kap. 8 §: accepted, or the tender rejected)."""
from __future__ import annotations

from datetime import date
from typing import Any

import sqlite_utils
from .message import _l

from ..store import bids as store
from ..store import procurements as procurement_store
from ..store import write_transaction
from . import clock
from .audit import Actor, record
from .errors import Conflict, InvalidInput, NotFound
from .procurements import parse_amount

PRICED_ROLES = ("bidder", "awarded")  # only a tender has a price; a subcontractor's share has none
ASSESSMENTS = ("accepted", "rejected")


def median_price(db: sqlite_utils.Database, procurement_id: int) -> float | None:
    """The median of the bidders' tender prices in the procurement (what BD-01 compares a price with)."""
    import statistics

    prices = [p["bid_price"] for p in procurement_store.participants(db, procurement_id)
              if p["role"] in PRICED_ROLES and p.get("bid_price")]
    return statistics.median(prices) if prices else None


def participant(db: sqlite_utils.Database, participant_id: int) -> dict[str, Any]:
    """The participant, or NotFound."""
    row = procurement_store.get_participant(db, participant_id)
    if row is None:
        raise NotFound(_l("No such participant."))
    return row


def set_bid_price(db: sqlite_utils.Database, actor: Actor, participant_id: int, raw: Any) -> int | None:
    """Record the evaluated price of a bidder's tender (an amount as typed; blank clears it); return it."""
    price = parse_amount(raw, "bid_price")
    with write_transaction(db):
        row = participant(db, participant_id)
        if row["role"] not in PRICED_ROLES:
            raise InvalidInput(_l("Only a bidder or the awarded supplier has a tender price."), "bid_price")
        if row.get("bid_price") == price:
            return price
        store.set_bid_price(db, participant_id, price)
        record(db, actor, "participant.bid_price", "procurement", row["procurement_id"],
               before={"participant_id": participant_id, "bid_price": row.get("bid_price")},
               after={"participant_id": participant_id, "organisation_id": row["organisation_id"], "bid_price": price})
    return price


def _day(raw: Any, field: str) -> date:
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw or "").strip())
    except ValueError:
        raise InvalidInput(_l("“%(value)s” is not a date: write YYYY-MM-DD.", value=str(raw or "")[:20]), field) from None


def request_explanation(db: sqlite_utils.Database, actor: Actor, participant_id: int, requested_on: Any,
                        deadline: Any, what: str) -> int:
    """Record that the bidder was asked to explain its price or costs (16:7 LOU), with the deadline given."""
    asked, due = _day(requested_on, "requested_on"), _day(deadline, "deadline")
    what = (what or "").strip()
    if asked > clock.today():
        raise InvalidInput(_l("The date cannot be in the future."), "requested_on")
    if due <= asked:
        raise InvalidInput(_l("The deadline must come after the day the explanation was requested."), "deadline")
    if not what:
        raise InvalidInput(_l("Say what the supplier was asked to explain."), "what")
    with write_transaction(db):
        row = participant(db, participant_id)
        if row["role"] not in PRICED_ROLES or not row.get("bid_price"):
            raise InvalidInput(_l("Record the tender price before asking for an explanation of it."), "what")
        if any(e["assessment"] is None for e in store.explanations(db, participant_id)):
            raise Conflict(_l("An earlier request for an explanation is not yet assessed."), "what")
        explanation_id = store.insert_explanation(db, participant_id, asked.isoformat(), due.isoformat(),
                                                  what[:4000], actor.username)
        record(db, actor, "bid.explanation_request", "procurement", row["procurement_id"],
               after={"participant_id": participant_id, "explanation_id": explanation_id,
                      "requested_on": asked.isoformat(), "deadline": due.isoformat(), "bid_price": row["bid_price"]})
    return explanation_id


def _explanation(db: sqlite_utils.Database, explanation_id: int) -> tuple[dict[str, Any], dict[str, Any]]:
    row = store.explanation(db, explanation_id)
    if row is None:
        raise NotFound(_l("No such request for an explanation."))
    return row, participant(db, row["participant_id"])


def record_reply(db: sqlite_utils.Database, actor: Actor, explanation_id: int, received_on: Any, text: str) -> None:
    """The supplier's explanation arrived (on or after the day it was asked for)."""
    received, text = _day(received_on, "received_on"), (text or "").strip()
    if not text:
        raise InvalidInput(_l("Give the supplier's explanation or a summary of it."), "reply_text")
    with write_transaction(db):
        row, part = _explanation(db, explanation_id)
        if row["assessment"] is not None:
            raise Conflict(_l("The explanation is already assessed."), "reply_text")
        if received < date.fromisoformat(row["requested_on"]) or received > clock.today():
            raise InvalidInput(_l("The reply cannot arrive before the request or in the future."), "received_on")
        store.record_reply(db, explanation_id, received.isoformat(), text[:8000])
        record(db, actor, "bid.explanation_reply", "procurement", part["procurement_id"],
               after={"participant_id": part["id"], "explanation_id": explanation_id,
                      "received_on": received.isoformat()})


def assess(db: sqlite_utils.Database, actor: Actor, explanation_id: int, assessment: str, reason: str) -> None:
    """The agency's assessment: the explanation is accepted, or it is not and the tender is rejected (16:8 LOU).
    Only once the reply is in or the deadline has passed: the supplier must have had its chance to explain."""
    reason = (reason or "").strip()
    if assessment not in ASSESSMENTS:
        raise InvalidInput(_l("Choose whether the explanation is accepted."), "assessment")
    if not reason:
        raise InvalidInput(_l("Give the reasons for the assessment."), "assessment_reason")
    with write_transaction(db):
        row, part = _explanation(db, explanation_id)
        if row["assessment"] is not None:
            raise Conflict(_l("The explanation is already assessed."), "assessment")
        if row["reply_received_on"] is None and clock.today() <= date.fromisoformat(row["deadline"]):
            raise InvalidInput(_l("Wait for the supplier's reply or for the deadline (%(deadline)s) to pass.",
                                  deadline=row["deadline"]), "assessment")
        store.record_assessment(db, explanation_id, assessment, reason[:4000], actor.username,
                                clock.today().isoformat())
        record(db, actor, "bid.explanation_assessment", "procurement", part["procurement_id"], reason=reason[:500],
               after={"participant_id": part["id"], "explanation_id": explanation_id, "assessment": assessment})


def state(explanation: dict[str, Any], today: date | None = None) -> str:
    """Where the step is: awaiting_reply, overdue (deadline passed, no reply), replied, accepted or rejected."""
    if explanation["assessment"]:
        return str(explanation["assessment"])
    if explanation["reply_received_on"]:
        return "replied"
    return "overdue" if (today or clock.today()) > date.fromisoformat(explanation["deadline"]) else "awaiting_reply"


def explanations(db: sqlite_utils.Database, participant_id: int) -> list[dict[str, Any]]:
    """The requests made of this participant, oldest first, each with its state."""
    today = clock.today()
    return [{**e, "state": state(e, today)} for e in store.explanations(db, participant_id)]
