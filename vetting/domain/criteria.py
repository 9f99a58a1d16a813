"""Automatic gate criteria of checkpoints: each a small function saying whether it holds, and why not."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlite_utils
from .message import _l

from ..store import checkpoints as checkpoint_store
from ..store import organisations as org_store
from ..store import procurements as procurement_store
from .screening import check_name, open_reviews
from .screening_status import newest


@dataclass(frozen=True)
class CriterionResult:
    """One criterion: held or not, in plain words, with the subjects that are the problem."""

    id: str
    held: bool
    detail: str


def _parties(db: sqlite_utils.Database, procurement_id: int, roles: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
    rows = procurement_store.participants(db, procurement_id)
    return [r for r in rows if roles is None or r["role"] in roles]


def _subjects(db: sqlite_utils.Database, organisation_ids: set[int]) -> list[tuple[str, int, str]]:
    subjects = [("organisation", oid, (org_store.get(db, oid) or {}).get("name", "?")) for oid in sorted(organisation_ids)]
    for oid in sorted(organisation_ids):
        subjects += [("person", kp["id"], kp["name"]) for kp in org_store.key_persons(db, oid)]
    return subjects


def _unscreened(db: sqlite_utils.Database, organisation_ids: set[int]) -> list[str]:
    """Subjects without a sanctions screening outcome."""
    missing = []
    subjects = _subjects(db, organisation_ids)
    found = newest(db, [(kind, subject_id) for kind, subject_id, _name in subjects])
    for kind, subject_id, name in subjects:
        if "sanctions" not in {o["check_id"] for o in found[(kind, subject_id)]}:
            missing.append(name)
    return missing


def bidders_registered(db: sqlite_utils.Database, procurement_id: int) -> CriterionResult:
    """At least one bidder is registered."""
    held = bool(_parties(db, procurement_id, ("bidder", "awarded")))
    return CriterionResult("bidders_registered", held, "" if held else str(_l("No bidder is registered.")))


def all_screened(db: sqlite_utils.Database, procurement_id: int) -> CriterionResult:
    """Every participant in the chain and every key person of theirs has been screened."""
    missing = _unscreened(db, {p["organisation_id"] for p in _parties(db, procurement_id)})
    return CriterionResult("all_screened", not missing, "" if not missing else str(_l("Not screened: %(names)s", names=", ".join(missing[:8]))))


def subcontractors_screened(db: sqlite_utils.Database, procurement_id: int) -> CriterionResult:
    """Every subcontractor (at any depth) and its key persons have been screened."""
    missing = _unscreened(db, {p["organisation_id"] for p in _parties(db, procurement_id, ("subcontractor",))})
    return CriterionResult("subcontractors_screened", not missing,
                           "" if not missing else str(_l("Subcontractors not screened: %(names)s", names=", ".join(missing[:8]))))


def no_open_matches(db: sqlite_utils.Database, procurement_id: int) -> CriterionResult:
    """No possible match or hit on a party of the procurement waits for a decision."""
    subjects = {(k, i) for k, i, _n in _subjects(db, {p["organisation_id"] for p in _parties(db, procurement_id)})}
    waiting = [item["subject_name"] for item in open_reviews(db)
               if (item["outcome"]["subject_kind"], item["outcome"]["subject_id"]) in subjects]
    return CriterionResult("no_open_matches", not waiting,
                           "" if not waiting else str(_l("Matches wait for review: %(names)s",
                                                         names=", ".join(sorted(set(waiting))[:8]))))


def no_unresolved_errors(db: sqlite_utils.Database, procurement_id: int) -> CriterionResult:
    """No check on a party ended in error, unless someone accepted that with a reason."""
    overridden = checkpoint_store.overridden_outcomes(db)
    failing = []
    subjects = _subjects(db, {p["organisation_id"] for p in _parties(db, procurement_id)})
    found = newest(db, [(kind, subject_id) for kind, subject_id, _name in subjects])
    for kind, subject_id, name in subjects:
        for outcome in found[(kind, subject_id)]:
            if outcome["status"] == "error" and outcome["id"] not in overridden:
                failing.append(f"{name} ({check_name(outcome['check_id'])})")  # by name: the page shows it
    return CriterionResult("no_unresolved_errors", not failing,
                           "" if not failing else str(_l("Checks in error: %(names)s", names=", ".join(failing[:8]))))


def awarded_selected(db: sqlite_utils.Database, procurement_id: int) -> CriterionResult:
    """A supplier has been marked as the one to be awarded."""
    held = bool(_parties(db, procurement_id, ("awarded",)))
    return CriterionResult("awarded_selected", held, "" if held else str(_l("No supplier is marked as awarded.")))


def followup_set(db: sqlite_utils.Database, procurement_id: int) -> CriterionResult:
    """The contract has a follow-up schedule (risk level and interval)."""
    from ..store import followup

    held = followup.schedule(db, procurement_id) is not None
    return CriterionResult("followup_set", held, "" if held else str(_l("No follow-up schedule is set for the contract.")))


def screened_since_award(db: sqlite_utils.Database, procurement_id: int) -> CriterionResult:
    """Every party was screened again after the award decision (facts can change during the standstill)."""
    from ..store import audit as audit_store

    awarded_at = audit_store.phase_entered_at(db, procurement_id, "award")
    if awarded_at is None:
        return CriterionResult("screened_since_award", False, str(_l("The award decision has not been recorded.")))
    stale = []
    subjects = _subjects(db, {p["organisation_id"] for p in _parties(db, procurement_id)})
    found = newest(db, [(kind, subject_id) for kind, subject_id, _name in subjects])
    for kind, subject_id, name in subjects:
        latest = {o["check_id"]: o for o in found[(kind, subject_id)]}.get("sanctions")
        if latest is None or latest["created_at"] < awarded_at:
            stale.append(name)
    return CriterionResult("screened_since_award", not stale,
                           "" if not stale else str(_l("Not screened again since the award: %(names)s", names=", ".join(stale[:8]))))


def risk_assessed(db: sqlite_utils.Database, procurement_id: int) -> CriterionResult:
    """Every bidder and awarded supplier has a risk assessment, and no exclusion assessment is left undecided."""
    from ..store import risk as risk_store
    from .exclusion.decisions import undecided

    levels = risk_store.latest_levels(db, procurement_id)
    missing = [p["organisation_name"] for p in _parties(db, procurement_id, ("bidder", "awarded"))
               if (procurement_id, p["organisation_id"]) not in levels]
    taking_part = {p["organisation_id"] for p in _parties(db, procurement_id)}
    # A removed party's undecided case no longer stands between the procurement and its award.
    open_cases = [c for c in undecided(db, procurement_id) if c["organisation_id"] in taking_part]
    problems = []
    if missing:
        problems.append(str(_l("Not risk-assessed: %(names)s", names=", ".join(missing[:8]))))
    if open_cases:
        names = {p["organisation_id"]: p["organisation_name"] for p in _parties(db, procurement_id)}
        problems.append(str(_l("Exclusion assessment not decided: %(names)s", names=", ".join(names.get(c["organisation_id"], "?")
                                                                         for c in open_cases))))
    return CriterionResult("risk_assessed", not problems, "; ".join(problems))


CRITERIA: dict[str, Callable[[sqlite_utils.Database, int], CriterionResult]] = {
    f.__name__: f for f in (bidders_registered, all_screened, subcontractors_screened, no_open_matches,
                            no_unresolved_errors, awarded_selected, followup_set, screened_since_award, risk_assessed)
}


def evaluate(db: sqlite_utils.Database, procurement_id: int, criteria: tuple[str, ...]) -> list[CriterionResult]:
    """The named criteria evaluated now."""
    return [CRITERIA[c](db, procurement_id) for c in criteria]
