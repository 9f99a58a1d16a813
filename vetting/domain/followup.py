"""Follow-up after signing: risk-based schedules, background re-check batches, change alerts and reviews."""
from __future__ import annotations

import sqlite3
import time
from collections.abc import Mapping
from datetime import date
from typing import Any

import sqlite_utils
from .message import _l
from .settings import DomainSettings
from .settings import of as settings_of

from ..store import followup as store
from ..store import organisations as org_store
from ..store import outcomes as outcome_store
from ..store import procurements as procurement_store
from ..store import write_transaction
from . import changes, events, stored_text
from .audit import SYSTEM, Actor, deferred, record
from .errors import InvalidInput, NotFound
from .screening import worst_status
from ..contract import is_under_contract

RISK_LEVELS = ("high", "medium", "low")
MAX_INTERVAL_MONTHS = 36  # three years: a contract not looked at for longer is not followed up


def intervals(settings: Mapping[str, Any] | DomainSettings | None) -> dict[str, int]:
    """Months between follow-ups per risk level, from configuration ("high=3", ...)."""
    return dict(settings_of(settings).followup_intervals)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the last day of the month when it has fewer days)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)


def set_schedule(db: sqlite_utils.Database, actor: Actor, procurement_id: int, risk_level: str,
                 settings: Mapping[str, Any], interval_months: int | None = None) -> dict[str, Any]:
    """Set a contract's follow-up schedule; the interval follows the risk level unless given."""
    if risk_level not in RISK_LEVELS:
        raise InvalidInput(_l("Choose a risk level."), "risk_level")
    # 0 is a value the user typed, not "use the default": only an empty field follows the risk level.
    months = intervals(settings)[risk_level] if interval_months is None else interval_months
    if not 1 <= months <= MAX_INTERVAL_MONTHS:
        raise InvalidInput(_l("The interval must be between 1 and 36 months."), "interval_months")
    with write_transaction(db):
        store.put_schedule(db, procurement_id, risk_level, months, add_months(date.today(), months).isoformat())
        record(db, actor, "followup.schedule", "procurement", procurement_id,
               after={"risk_level": risk_level, "interval_months": months})
    return store.schedule(db, procurement_id) or {}


def subjects_of(db: sqlite_utils.Database, organisation_ids: list[int]) -> list[tuple[str, int]]:
    """Organisations and their key persons, each once."""
    subjects: list[tuple[str, int]] = [("organisation", oid) for oid in sorted(set(organisation_ids))]
    people = {kp["id"] for oid in set(organisation_ids) for kp in org_store.key_persons(db, oid)}
    return subjects + [("person", pid) for pid in sorted(people)]


def contract_subjects(db: sqlite_utils.Database, procurement_id: int) -> list[tuple[str, int]]:
    """Everyone in a contract's chain: supplier, subcontractors at any depth, their key persons."""
    return subjects_of(db, [p["organisation_id"] for p in procurement_store.participants(db, procurement_id)])


def start_batch(db: sqlite_utils.Database, actor: Actor, kind: str, description: str, subjects: list[tuple[str, int]],
                procurement_id: int | None = None, check_ids: tuple[str, ...] | None = None,
                fresh: bool = False) -> int:
    """Record a batch and its items; the caller enqueues it (or runs it inline).

    ``fresh``: a user pressed "check now", so registers are asked again (the cache is for automatic batches).
    """
    with write_transaction(db):
        batch_id = store.create_batch(db, kind=kind, description=description, procurement_id=procurement_id,
                                      check_ids=check_ids, subjects=subjects, created_by=actor.username, fresh=fresh)
        record(db, actor, "followup.batch", "procurement" if procurement_id else None, procurement_id,
               after={"batch_id": batch_id, "kind": kind, "subjects": len(subjects), "checks": check_ids})
    return batch_id


def _contracts_of(db: sqlite_utils.Database, kind: str, subject_id: int) -> list[int]:
    """Signed or running contracts in which the subject (or its organisation) takes part."""
    if kind == "organisation":
        organisation_ids = [subject_id]
    else:
        organisation_ids = [r["organisation_id"] for r in org_store.roles_of_person(db, subject_id)]
    contracts = set()
    for organisation_id in organisation_ids:
        for row in procurement_store.procurements_of_organisation(db, organisation_id):
            if is_under_contract(row):
                contracts.add(row["id"])
    return sorted(contracts)


def process_item(db: sqlite_utils.Database, item_id: int, settings: Mapping[str, Any], actor: Actor = SYSTEM) -> bool:
    """Run one item's checks and store them with its change alerts, all or nothing; False if already done."""
    return process_items(db, [item_id], settings, actor) == 1


def process_items(db: sqlite_utils.Database, item_ids: list[int], settings: Mapping[str, Any],
                  actor: Actor = SYSTEM) -> int:
    """Run the checks of several items, then store all their outcomes and alerts in one transaction.

    What the checks need is read for the whole chunk at once (``screening.Prefetched``); the checks
    run and their outcomes are encoded with no lock held; then the chunk is written in one short
    ``BEGIN IMMEDIATE`` transaction of a few bulk statements (``outcome_storing.store_outcomes``), so two
    workers rarely wait on each other's write lock. Safe to repeat: items found done are skipped,
    and the unique (item, check) outcome index and (contract, outcome, kind) alert index refuse
    duplicates if two workers race. Returns the items stored.
    """
    from .runner import Batch
    from .outcome_storing import prepare, store_outcomes
    from .screening import Prefetched, run_prefetched

    pause = float(settings.get("FOLLOWUP_ITEM_PAUSE", 0) or 0)
    found = store.items(db, item_ids)
    todo = [found[i] for i in item_ids if i in found and found[i]["state"] != "done"]
    if not todo:
        return 0
    refused = Batch()  # a register that refused access (CheckAbort) is not asked again in this chunk
    batches = {batch_id: (store.batch_check_ids(db, batch_id), store.batch_is_fresh(db, batch_id))
               for batch_id in sorted({item["batch_id"] for item in todo})}  # a chunk's items share their batch
    prefetched = {fresh: Prefetched(db, [(i["subject_kind"], i["subject_id"]) for i in todo
                                         if batches[i["batch_id"]][1] == fresh], settings, fresh)
                  for fresh in sorted({fresh for _c, fresh in batches.values()})}
    checked = []
    for item in todo:
        if pause:
            time.sleep(pause)  # throttle: spare the registers (and let tests interrupt a batch half-way)
        check_ids, fresh = batches[item["batch_id"]]
        subject, results = run_prefetched(prefetched[fresh], item["subject_kind"], item["subject_id"], check_ids,
                                          refused)
        checked.append((item, [prepare(actor, subject, check, outcome, item["id"]) for check, outcome in results],
                        worst_status([o.status.value for _c, o in results])))
    raised: list[tuple[int, str]] = []
    stored = []
    try:
        with write_transaction(db), deferred(db):  # the chunk's audit entries in one append
            done = {i for i, row in store.items(db, [item["id"] for item, _p, _w in checked]).items()
                    if row["state"] == "done"}
            stored = [(item, prepared, worst) for item, prepared, worst in checked if item["id"] not in done]
            latest = {key: rows for pre in prefetched.values() for key, rows in pre.latest.items()}
            store_outcomes(db, actor, [p for _i, prepared, _w in stored for p in prepared], raised, latest)
            store.finish_items(db, [(item["id"], worst) for item, _p, worst in stored])
            for batch_id in sorted({item["batch_id"] for item, _p, _w in checked}):
                store.close_batch_if_done(db, batch_id)
    except sqlite3.IntegrityError:
        # Another worker stored one of these items first: redo them one by one so the rest still land.
        if len(item_ids) > 1:
            return sum(process_items(db, [i], settings, actor) for i in item_ids)
        return 0
    notify_alerts(db, raised)
    return len(stored)


def alerts_for(db: sqlite_utils.Database, actor: Actor, kind: str, subject_id: int, check_id: str,
               outcome_id: int, previous: dict[str, Any] | None | bool = False,
               current: dict[str, Any] | None = None) -> list[tuple[int, str]]:
    """Compare with the previous outcome; a change that matters raises one alert per contract and opens CP10.

    ``previous``: the outcome before this one when the caller has it (None: there was none); read here if not given.
    ``current``: the outcome as stored, when the caller has it (the one who just wrote it); read here if not given.
    """
    from .checkpoints import open_event

    if current is None:
        current = outcome_store.get(db, outcome_id)
    if previous is False:
        previous = store.previous_outcome(db, kind, subject_id, check_id, outcome_id)
    found = [c for c in changes.compare(previous, current) if c.alert] if current else []
    raised = []
    for contract in _contracts_of(db, kind, subject_id) if found else []:
        for change in found:
            alert_id = store.insert_alert(db, procurement_id=contract, subject_kind=kind, subject_id=subject_id,
                                          check_id=check_id, outcome_id=outcome_id,
                                          previous_outcome_id=previous["id"] if previous else None,
                                          kind=change.kind, detail=change.detail)
            if alert_id:
                raised.append((contract, change.detail))
        if any(r[0] == contract for r in raised):
            open_event(db, actor, contract, "party_changed",
                       {"subject_kind": kind, "subject_id": subject_id, "what": found[0].kind,
                        "change": stored_text.params_of(found[0].detail)})
            record(db, actor, "followup.alert", "procurement", contract,
                   after={"subject": f"{kind}:{subject_id}", "check": check_id,
                          "changes": [stored_text.params_of(c.detail) for c in found]})
    return raised


def notify_alerts(db: sqlite_utils.Database, raised: list[tuple[int, str]]) -> None:
    """Tell each contract's responsible officer about its new alerts (after the data is committed)."""
    from .notify import tell_user

    for contract, detail in raised:
        procurement = procurement_store.get(db, contract)
        if procurement:
            tell_user(db, procurement["responsible_user_id"],
                      stored_text.encode("alert", reference=procurement["reference"], change=detail),
                      f"/followup/contracts/{contract}")


def run_batch_inline(db: sqlite_utils.Database, batch_id: int, settings: Mapping[str, Any]) -> int:
    """Process every pending item of a batch in this process (cron deployments, tests); return items done."""
    pending = [item["id"] for item in store.pending_items(db, batch_id)]
    size = int(settings.get("FOLLOWUP_CHUNK_SIZE", 50) or 50)
    return sum(process_items(db, pending[i:i + size], settings) for i in range(0, len(pending), size))


DUE_WITHIN_MONTHS = 1  # "due" on the reviewers' pages: falls due within a month; before today it is overdue


def due_window(today: date) -> tuple[str, str]:
    """(today, the end of the "due" window) as ISO dates: the one definition of due and overdue."""
    return today.isoformat(), add_months(today, DUE_WITHIN_MONTHS).isoformat()


def due_state(next_due: str, today: date) -> str:
    """``overdue`` (before today), ``due`` (within the window) or ``later`` for a follow-up date."""
    start, until = due_window(today)
    return "overdue" if next_due < start else "due" if next_due <= until else "later"


def by_due_state(schedules: list[dict[str, Any]], today: date) -> dict[str, list[dict[str, Any]]]:
    """Schedules grouped by ``due_state`` (keys ``overdue``, ``due``, ``later``), order kept."""
    out: dict[str, list[dict[str, Any]]] = {"overdue": [], "due": [], "later": []}
    for schedule in schedules:
        out[due_state(schedule["next_due"], today)].append(schedule)
    return out


def due_contracts(db: sqlite_utils.Database, today: date | None = None) -> list[dict[str, Any]]:
    """Contracts whose follow-up date has come and whose parties were not re-checked since."""
    from . import clock

    today_text = (today or clock.today()).isoformat()
    return [s for s in store.schedules(db) if is_under_contract(s) and s["next_due"] <= today_text
            and (s["last_run_at"] is None or s["last_run_at"][:10] < s["next_due"])]


def start_due(db: sqlite_utils.Database, actor: Actor = SYSTEM) -> list[int]:
    """A batch per due contract; return the batch ids."""
    from . import clock

    batches = []
    for schedule in due_contracts(db):
        batches.append(start_batch(db, actor, "followup", f"Follow-up {schedule['reference']}",
                                   contract_subjects(db, schedule["procurement_id"]), schedule["procurement_id"]))
        with write_transaction(db):
            store.mark_run(db, schedule["procurement_id"], clock.now().isoformat(timespec="microseconds"))
            events.publish(db, events.FollowUpDue(actor, schedule["procurement_id"]))  # CP9, on schedule
    return batches


def start_nightly_rescreen(db: sqlite_utils.Database, actor: Actor = SYSTEM) -> int | None:
    """The nightly safety net: every party of signed contracts screened in full against every list.

    A list import re-screens by delta (``rescreen.delta_rescreen``); this catches whatever a delta
    could miss (a changed threshold, a new matching rule, an import made while the queue was down).
    """
    organisation_ids = [row["organisation_id"] for row in store.contract_parties(db)]
    if not organisation_ids:
        return None
    return start_batch(db, actor, "rescreen", "Nightly re-screen", subjects_of(db, organisation_ids), None,
                       ("sanctions",))


def review(db: sqlite_utils.Database, actor: Actor, procurement_id: int, conclusion: str) -> str:
    """Record a periodic review's conclusion; the next date follows the contract's interval."""
    conclusion = (conclusion or "").strip()
    if not conclusion:
        raise InvalidInput(_l("Write the conclusion of the review."), "conclusion")
    schedule = store.schedule(db, procurement_id)
    if schedule is None:
        raise NotFound(_l("The contract has no follow-up schedule."))
    next_due = add_months(date.today(), schedule["interval_months"]).isoformat()
    with write_transaction(db):
        watermark = store.max_outcome_id(db)
        store.insert_review(db, procurement_id, conclusion, actor.username, next_due, watermark)
        record(db, actor, "followup.review", "procurement", procurement_id, after={"next_due": next_due}, reason=conclusion)
    return next_due


def side_by_side(db: sqlite_utils.Database, procurement_id: int) -> list[dict[str, Any]]:
    """Per subject and check: the outcome at the last review and now, with what changed between them."""
    schedule = store.schedule(db, procurement_id) or {}
    watermark = schedule.get("last_review_outcome_id") or 0
    now_mark = store.max_outcome_id(db)
    rows = []
    for kind, subject_id in contract_subjects(db, procurement_id):
        before = {o["check_id"]: o for o in store.outcome_at(db, kind, subject_id, watermark)} if watermark else {}
        after = {o["check_id"]: o for o in store.outcome_at(db, kind, subject_id, now_mark)}
        name = ((org_store.get(db, subject_id) if kind == "organisation" else org_store.get_person(db, subject_id))
                or {}).get("name", "?")
        for check_id in sorted(after):
            found = changes.compare(before.get(check_id), after[check_id])
            rows.append({"kind": kind, "subject_id": subject_id, "name": name, "check_id": check_id,
                         "before": before.get(check_id), "after": after[check_id], "changes": found})
    return rows


def handle_alert(db: sqlite_utils.Database, actor: Actor, alert_id: int, note: str) -> None:
    """Close an alert with what was done about it."""
    note = (note or "").strip()
    if not note:
        raise InvalidInput(_l("Say what was done about the alert."), "note")
    with write_transaction(db):
        if store.handle_alert(db, alert_id, actor.username, note) == 0:
            raise NotFound(_l("The alert does not exist or was already handled."))
        record(db, actor, "followup.alert_handled", "alert", alert_id, reason=note)
