"""What the start page shows each role: work waiting, contracts by risk, open matches, errors, hits over time."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import sqlite_utils

from ..store import dashboard as store
from . import inbox
from .audit import Actor
from .followup import add_months

RISK_ORDER = ("high", "medium", "low", "")
PANEL_ORDER = ("checkpoints", "followups", "matches", "errors", "risk", "hits")
# Which panels each role sees; a user with several roles sees the union, in PANEL_ORDER.
PANELS_BY_ROLE: dict[str, tuple[str, ...]] = {
    "procurement_officer": ("checkpoints", "followups", "matches", "errors", "risk"),
    "security_officer": ("checkpoints", "matches", "errors", "risk", "hits"),
    "reviewer": ("checkpoints", "followups", "risk"),
    "auditor": ("errors", "risk", "hits"),
    "admin": ("errors", "risk", "hits"),
}
TOP = 5
HIT_MONTHS = 12


@dataclass(frozen=True)
class OpenMatch:
    """A match in a subject's newest screening that nobody has decided on."""

    outcome_id: int
    subject_kind: str
    subject_id: int
    subject_name: str
    list: str
    listed_name: str
    level: str
    score: float


def panels_for(roles: frozenset[str] | set[str]) -> tuple[str, ...]:
    """The panels a user with these roles sees, in display order."""
    wanted = {panel for role in roles for panel in PANELS_BY_ROLE.get(role, ())}
    return tuple(p for p in PANEL_ORDER if p in wanted)


def months_back(today: date, count: int) -> list[str]:
    """``count`` months as ``YYYY-MM``, oldest first, ending with the month of ``today``."""
    first = today.replace(day=1)
    return [add_months(first, -n).strftime("%Y-%m") for n in range(count - 1, -1, -1)]


def open_matches(db: sqlite_utils.Database) -> list[OpenMatch]:
    """Undecided matches, hits first, then by score: the same rule as the review queue, in few queries.

    A match counts unless it was dismissed before (the check already knew) or an officer has
    decided on it for this outcome. Subject names are left empty (see ``with_names``).
    """
    decided = store.decisions_on_latest_matches(db)
    items = [OpenMatch(o["id"], o["subject_kind"], o["subject_id"], "", m["list"], m.get("listed_name", ""),
                       m.get("level", ""), float(m.get("score") or 0))
             for o in store.latest_match_outcomes(db) for m in o["explanation"]
             if not m.get("dismissed_before") and (o["id"], m.get("list"), m.get("listed_id")) not in decided]
    return sorted(items, key=lambda i: (i.level != "hit", -i.score))


def with_names(db: sqlite_utils.Database, matches: list[OpenMatch]) -> list[OpenMatch]:
    """The matches with their subjects' names filled in (for the few shown)."""
    names = store.subject_names(db, [(m.subject_kind, m.subject_id) for m in matches])
    return [replace(m, subject_name=names.get((m.subject_kind, m.subject_id), "?")) for m in matches]


def hits_over_time(db: sqlite_utils.Database, today: date) -> dict[str, Any]:
    """Subjects with a hit per month and list over the last ``HIT_MONTHS`` months (zero-filled)."""
    months = months_back(today, HIT_MONTHS)
    rows = store.hits_by_month(db, f"{months[0]}-01")
    lists = sorted({r["list"] or "?" for r in rows})
    counts = {(r["month"], r["list"] or "?"): r["subjects"] for r in rows}
    return {"months": months, "series": {name: [counts.get((m, name), 0) for m in months] for name in lists}}


def for_user(db: sqlite_utils.Database, actor: Actor, today: date | None = None) -> dict[str, Any]:
    """The figures behind the dashboard panels this user's roles see (only those are computed)."""
    today = today or date.today()
    panels = panels_for(actor.roles)
    out: dict[str, Any] = {"panels": panels, "today": today.isoformat()}
    if "checkpoints" in panels:
        boxes = inbox.for_user(db, actor)
        out["checkpoints"] = {"waiting": len(boxes["waiting"]), "returned": len(boxes["returned"]),
                              "overdue": len(boxes["overdue"]), "rows": (boxes["overdue"] or boxes["waiting"])[:TOP]}
    if "followups" in panels:
        out["followups"] = store.followups_due(db, today.isoformat(), add_months(today, 1).isoformat(), TOP)
    if "matches" in panels:
        matches = open_matches(db)
        out["matches"] = {"total": len(matches), "hits": sum(m.level == "hit" for m in matches),
                          "rows": with_names(db, matches[:TOP])}
    if "errors" in panels:
        by_check = store.errors_by_check(db)
        out["errors"] = {"total": sum(by_check.values()), "by_check": by_check,
                         "rows": store.latest_errors(db, TOP) if by_check else []}
    if "risk" in panels:
        counts = store.contracts_by_risk(db)
        out["risk"] = {level: counts.get(level, 0) for level in RISK_ORDER}
    if "hits" in panels:
        out["hits"] = hits_over_time(db, today)
    return out
