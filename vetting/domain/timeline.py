"""The award decision's notice, the standstill period (avtalsspärr) and requests for review (överprövning).

LOU (2016:1145) 20 kap. 1 §: after the notice of the award decision (underrättelse, 12 kap. 12 §)
the contract may not be signed during the standstill: 10 days when the notice was sent
electronically, 15 days otherwise. The period counts from the day after the notice was sent; a
last day on a Saturday, Sunday, public holiday, midsommarafton, julafton or nyårsafton moves to the
next working day (lag 1930:173). Signing is allowed from the day after the last day. A request for
review registered with the administrative court holds signing until the court's decision is recorded.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlite_utils
from .message import _l

from ..store import procurements as procurement_store
from ..store import timeline as store
from ..store import write_transaction
from . import clock
from .audit import Actor, record
from .calendar import period_end
from .errors import Conflict, InvalidInput, NotFound

STANDSTILL_DAYS = {"electronic": 10, "post": 15}
NOTIFIED_ROLES = ("bidder", "awarded")
APPEAL_OUTCOMES = ("rejected", "correction", "redo")
NOTICE_PHASES = ("award", "standstill")


@dataclass(frozen=True)
class Standstill:
    """The notice a standstill rests on, its last day and the first day the contract may be signed."""

    notice: dict[str, Any]
    last_day: date
    signable_from: date


def parse_date(raw: Any, field_name: str) -> date:
    """A date typed as YYYY-MM-DD (or given as a date)."""
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw or "").strip())
    except ValueError:
        raise InvalidInput(_l("Write the date as YYYY-MM-DD."), field_name) from None


def standstill_last_day(sent_on: date, method: str) -> date:
    """Last day of the standstill after a notice sent on ``sent_on`` by ``method``."""
    return period_end(sent_on, STANDSTILL_DAYS[method])


def notified_parties(db: sqlite_utils.Database, procurement_id: int) -> list[dict[str, Any]]:
    """The organisations that must receive the notice: every bidder, the awarded one included."""
    seen: dict[int, dict[str, Any]] = {}
    for participant in procurement_store.participants(db, procurement_id):
        if participant["role"] in NOTIFIED_ROLES:
            seen.setdefault(participant["organisation_id"], participant)
    return list(seen.values())


def record_notice(db: sqlite_utils.Database, actor: Actor, procurement_id: int, sent_on: Any, method: str,
                  reasons: str, recipients: list[int]) -> int:
    """Record that the award decision and its reasons were sent to every bidder, when and how."""
    procurement = procurement_store.get(db, procurement_id)
    if procurement is None:
        raise NotFound(_l("No such procurement."))
    if procurement["phase"] not in NOTICE_PHASES:
        raise InvalidInput(_l("The notice of the award decision is recorded in the award decision phase."))
    if method not in STANDSTILL_DAYS:
        raise InvalidInput(_l("Choose how the notice was sent."), "method")
    reasons = (reasons or "").strip()
    if not reasons:
        raise InvalidInput(_l("Give the reasons for the award decision."), "reasons")
    day = parse_date(sent_on, "sent_on")
    if day > clock.today():
        raise InvalidInput(_l("The notice cannot have been sent in the future."), "sent_on")
    bidders = {p["organisation_id"]: p["organisation_name"] for p in notified_parties(db, procurement_id)}
    if not bidders:
        raise InvalidInput(_l("Register the bidders before the award decision is notified."))
    missing = sorted(name for oid, name in bidders.items() if oid not in set(recipients))
    if missing:
        raise InvalidInput(_l("Every bidder must be notified; missing: %(names)s", names=", ".join(missing)),
                           "recipients")
    last_day = standstill_last_day(day, method)
    with write_transaction(db):
        notice_id = store.insert_notice(db, procurement_id=procurement_id, sent_on=day.isoformat(), method=method,
                                        reasons=reasons[:4000], recipients=sorted(bidders),
                                        standstill_days=STANDSTILL_DAYS[method], standstill_ends=last_day.isoformat(),
                                        recorded_by=actor.username)
        record(db, actor, "award.notice", "procurement", procurement_id,
               after={"notice_id": notice_id, "sent_on": day.isoformat(), "method": method,
                      "recipients": sorted(bidders), "standstill_ends": last_day.isoformat()}, reason=reasons[:500])
    return notice_id


def standstill(db: sqlite_utils.Database, procurement_id: int) -> Standstill | None:
    """The current standstill, or None before the award decision was notified."""
    notice = store.latest_notice(db, procurement_id)
    if notice is None:
        return None
    last_day = date.fromisoformat(notice["standstill_ends"])
    return Standstill(notice, last_day, last_day + timedelta(days=1))


def open_appeals(db: sqlite_utils.Database, procurement_id: int) -> list[dict[str, Any]]:
    """Requests for review whose decision is not recorded yet."""
    return [a for a in store.appeals(db, procurement_id) if a["decided_on"] is None]


def signing_holds(db: sqlite_utils.Database, procurement_id: int) -> list[str]:
    """Why the contract may not be signed today (empty: the law does not stand in the way)."""
    holds: list[str] = []
    current = standstill(db, procurement_id)
    if current is None:
        holds.append(str(_l("The notice of the award decision has not been recorded.")))
    elif clock.today() < current.signable_from:
        holds.append(str(_l("Standstill until %(day)s: the contract may be signed from %(first)s.",
                            day=current.last_day.isoformat(), first=current.signable_from.isoformat())))
    for appeal in open_appeals(db, procurement_id):
        holds.append(str(_l("Request for review by %(applicant)s in %(court)s (filed %(day)s): signing waits for "
                            "the court's decision.", applicant=appeal["applicant"], court=appeal["court"],
                            day=appeal["filed_on"])))
    return holds


def holds(db: sqlite_utils.Database, procurement_id: int, target: str) -> list[str]:
    """What the law holds back on the way into ``target``: the standstill starts with the notice, signing waits for it."""
    if target == "standstill" and store.latest_notice(db, procurement_id) is None:
        return [str(_l("Record the notice of the award decision: the standstill starts with it."))]
    if target == "signed":
        return signing_holds(db, procurement_id)
    return []


def register_appeal(db: sqlite_utils.Database, actor: Actor, procurement_id: int, applicant: str, court: str,
                    filed_on: Any) -> int:
    """A bidder asked the court to review the procurement: signing holds until the decision is recorded."""
    applicant, court = (applicant or "").strip(), (court or "").strip()
    if not applicant:
        raise InvalidInput(_l("Name who requested the review."), "applicant")
    if not court:
        raise InvalidInput(_l("Name the court."), "court")
    day = parse_date(filed_on, "filed_on")
    if procurement_store.get(db, procurement_id) is None:
        raise NotFound(_l("No such procurement."))
    with write_transaction(db):
        appeal_id = store.insert_appeal(db, procurement_id=procurement_id, applicant=applicant[:200],
                                        court=court[:200], filed_on=day.isoformat(), registered_by=actor.username)
        record(db, actor, "appeal.register", "procurement", procurement_id,
               after={"appeal_id": appeal_id, "applicant": applicant[:200], "court": court[:200],
                      "filed_on": day.isoformat()})
    return appeal_id


def decide_appeal(db: sqlite_utils.Database, actor: Actor, appeal_id: int, decided_on: Any, outcome: str,
                  note: str) -> None:
    """Record the court's decision; signing is no longer held by this request."""
    if outcome not in APPEAL_OUTCOMES:
        raise InvalidInput(_l("Choose the court's decision."), "outcome")
    day = parse_date(decided_on, "decided_on")
    appeal = store.get_appeal(db, appeal_id)
    if appeal is None:
        raise NotFound(_l("No such request for review."))
    with write_transaction(db):
        if store.decide_appeal(db, appeal_id, decided_on=day.isoformat(), outcome=outcome,
                               note=(note or "").strip()[:4000], decided_by=actor.username) == 0:
            raise Conflict(_l("The court's decision is already recorded."))
        record(db, actor, "appeal.decide", "procurement", appeal["procurement_id"],
               after={"appeal_id": appeal_id, "decided_on": day.isoformat(), "outcome": outcome},
               reason=(note or "").strip()[:500] or None)


def set_planned_dates(db: sqlite_utils.Database, actor: Actor, procurement_id: int, raw: dict[str, Any]) -> None:
    """Set or change the planned dates; the checkpoints' due dates follow them."""
    before = procurement_store.get(db, procurement_id)
    if before is None:
        raise NotFound(_l("No such procurement."))
    dates: dict[str, str | None] = {}
    for key in store.PLANNED:
        if key in raw:
            text = str(raw[key] or "").strip()
            dates[key] = parse_date(text, key).isoformat() if text else None
    merged = {k: dates[k] if k in dates else before.get(k) for k in store.PLANNED}  # changed ones with the rest
    given = [merged[k] for k in store.PLANNED if merged.get(k)]
    if given != sorted(given):
        raise InvalidInput(_l("The planned dates must follow each other: advertising, tender opening, award, "
                              "contract start."))
    with write_transaction(db):
        store.set_planned(db, procurement_id, dates)
        record(db, actor, "procurement.planned_dates", "procurement", procurement_id,
               before={k: before.get(k) for k in dates}, after=dates)
        from .due_dates import refresh

        refresh(db, procurement_id)
