"""Exclusion cases as assessments open them, and what the officer establishes about each ground.

A re-assessment opens nothing for a ground whose facts are unchanged: the facts an indicator read are
fingerprinted, and a ground already in a case (decided or not) with the same fingerprint stays where it is.
A changed ground joins the undecided case, or opens a new case when the earlier one is decided.
"""
from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

import sqlite_utils
from ..message import _l

from ...risk import Model
from ...store import exclusion as store
from ...store import risk as risk_store
from ...store import write_transaction
from .. import clock
from ..audit import Actor, record
from ..errors import InvalidInput, NotFound
from . import grounds as law


def fingerprint(indicator: Any, case: Any) -> str:
    """SHA-256 of the values of the facts an indicator read (evidence ids left out: a re-run check is not new facts)."""
    def values(facts: dict[str, Any]) -> dict[str, Any]:
        return {name: (facts[name].value if name in facts else None) for name in indicator.facts}

    data: dict[str, Any] = {"own": values({**case.contract, **case.organisation})}
    if indicator.with_key_persons:
        data["persons"] = {label: values(facts) for label, facts in sorted(case.persons.items())}
    text = json.dumps([indicator.id, data], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def sync(db: sqlite_utils.Database, actor: Actor, procurement_id: int, organisation_id: int, assessment_id: int,
         model: Model, case: Any, fired: list[Any]) -> int | None:
    """Bring the party's exclusion cases up to date with the grounds that fired (caller holds the transaction).

    Returns the id of the case that received new or changed grounds, or None when nothing changed.
    """
    indicators = {i.id: i for i in model.indicators}
    latest = {g["indicator"]: g for g in store.party_grounds(db, procurement_id, organisation_id)}
    decided = {d["case_id"] for d in store.party_decisions(db, procurement_id, organisation_id)}
    undecided = [c["id"] for c in store.cases(db, procurement_id, organisation_id) if c["id"] not in decided]
    open_case = undecided[-1] if undecided else None
    new: list[tuple[Any, str]] = []
    for ground in fired:
        sha = fingerprint(indicators[ground.indicator_id], case)
        before = latest.get(ground.indicator_id)
        if before is not None and before["facts_sha256"] in (sha, None):
            if before["facts_sha256"] is None:  # a case from before 0019: adopt today's facts, keep its decision
                store.refresh_ground(db, before["id"], before["detail"], sha)
            continue
        if before is not None and before["case_id"] == open_case:
            store.refresh_ground(db, before["id"], ground.detail, sha)
            record(db, actor, "exclusion.ground_changed", "procurement", procurement_id,
                   after={"case_id": open_case, "indicator": ground.indicator_id})
            continue
        new.append((ground, sha))
    if not new:
        return None
    if open_case is None:
        open_case = risk_store.open_exclusion_case(
            db, assessment_id, procurement_id, organisation_id,
            [{"indicator": g.indicator_id, "legal_basis": g.legal_basis, "name": {"sv": g.name.sv, "en": g.name.en},
              "detail": g.detail} for g, _sha in new])
    for ground, sha in new:
        store.insert_ground(db, open_case, ground.indicator_id, law.code_for(ground.legal_basis), ground.legal_basis,
                            {"sv": ground.name.sv, "en": ground.name.en}, ground.detail, sha)
    record(db, actor, "exclusion.case_open", "procurement", procurement_id,
           after={"case_id": open_case, "organisation_id": organisation_id,
                  "grounds": [g.indicator_id for g, _sha in new]})
    return open_case


def _date(value: Any, field: str, today: date) -> str | None:
    if value in (None, ""):
        return None
    if not isinstance(value, date):
        raise InvalidInput(_l("Enter the date as YYYY-MM-DD."), field)
    if value > today:
        raise InvalidInput(_l("The date cannot be in the future."), field)
    return value.isoformat()


def record_ground_facts(db: sqlite_utils.Database, actor: Actor, ground_id: int, *,
                        start_date: date | None = None, established: str = "", remedy: str = "",
                        remedy_date: date | None = None, remedy_evidence: str = "", exception: str = "",
                        exception_reason: str = "") -> None:
    """Record the date that starts a ground's limit, how 13:2 was established, payment, or an exception (audited)."""
    ground = store.ground(db, ground_id)
    if ground is None:
        raise NotFound(_l("No such ground."))
    code = ground["ground"]
    today = clock.today()
    values: dict[str, Any] = {"start_date": _date(start_date, "start_date", today)}
    if established and (code != "13:2" or established not in ("final", "other")):
        raise InvalidInput(_l("Only unpaid taxes (LOU 13:2) are established by a final or another decision."),
                           "established")
    values["established"] = established or None
    if remedy:
        if code != "13:2" or remedy not in ("paid", "arrangement"):
            raise InvalidInput(_l("Payment or a binding arrangement to pay removes only a tax ground (LOU 13:2)."),
                               "remedy")
        if not remedy_evidence.strip():
            raise InvalidInput(_l("Describe the evidence of the payment or arrangement."), "remedy_evidence")
    values.update(remedy=remedy or None, remedy_date=_date(remedy_date, "remedy_date", today),
                  remedy_evidence=remedy_evidence.strip() or None)
    if exception:
        if exception not in law.exceptions_allowed(code):
            raise InvalidInput(_l("LOU allows no such exception for this ground."), "exception")
        if not exception_reason.strip():
            raise InvalidInput(_l("Give the reason for the exception."), "exception_reason")
    values.update(exception=exception or None, exception_reason=exception_reason.strip() or None)
    with write_transaction(db):
        store.set_ground_facts(db, ground_id, actor.username, **values)
        case = store.case(db, ground["case_id"]) or {}
        record(db, actor, "exclusion.ground", "procurement", case.get("procurement_id"),
               before={k: ground.get(k) for k in values}, after={"ground_id": ground_id, **values})


def set_procurement_grounds(db: sqlite_utils.Database, actor: Actor, procurement_id: int, stated: list[str],
                            below_threshold: bool) -> None:
    """Record which optional grounds the procurement documents state, and whether it is below the threshold."""
    unknown = set(stated) - set(law.STATABLE)
    if unknown:
        raise InvalidInput(_l("Choose grounds from the list."), "stated")
    with write_transaction(db):
        before = {"stated": sorted(store.stated_grounds(db, procurement_id)),
                  "below_threshold": store.below_threshold(db, procurement_id)}
        store.set_stated_grounds(db, procurement_id, set(stated), actor.username)
        store.set_below_threshold(db, procurement_id, below_threshold)
        record(db, actor, "exclusion.stated_grounds", "procurement", procurement_id, before=before,
               after={"stated": sorted(set(stated)), "below_threshold": below_threshold})
