"""What the start page shows each role: work waiting, contracts by risk, open matches, errors, hits over time."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlite_utils

from ..risk.score import LEVELS
from ..store import dashboard as store
from . import inbox
from .audit import Actor
from .followup import add_months, due_window
from .screening import open_reviews

# Levels of control of the risk model, highest first; "" for a contract nobody has assessed yet.
RISK_ORDER = (*reversed(LEVELS), "")
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


def open_matches(db: sqlite_utils.Database, limit: int = TOP) -> tuple[list[OpenMatch], int, int]:
    """Undecided matches by the review queue's own rule (``screening.open_reviews``): the first ``limit``
    (hits first, then by score), how many in all, how many are hits."""
    items = open_reviews(db)
    shown = [OpenMatch(i["outcome"]["id"], i["outcome"]["subject_kind"], i["outcome"]["subject_id"], i["subject_name"],
                       i["match"].get("list") or "", i["match"].get("listed_name") or "", i["match"].get("level") or "",
                       float(i["match"].get("score") or 0)) for i in items[:limit]]
    return shown, len(items), sum(1 for i in items if i["match"].get("level") == "hit")


def contracts_by_risk(db: sqlite_utils.Database) -> dict[str, int]:
    """Signed and running contracts per level of control: the highest among their parties' newest assessments."""
    highest: dict[int, str] = {}
    for procurement_id, level in store.contract_levels(db):
        current = highest.get(procurement_id, "")
        if level in LEVELS and (not current or LEVELS.index(level) > LEVELS.index(current)):
            current = level
        highest[procurement_id] = current
    counts = {level: 0 for level in RISK_ORDER}
    for level in highest.values():
        counts[level] += 1
    return counts


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
        boxes = inbox.page_for_user(db, actor, ("overdue", "waiting"), lambda _box, _count: 0, TOP)
        counts = boxes.counts
        out["checkpoints"] = {"waiting": counts["waiting"], "returned": counts["returned"], "overdue": counts["overdue"],
                              "rows": boxes.rows["overdue"] or boxes.rows["waiting"]}
    if "followups" in panels:
        out["followups"] = store.followups_due(db, *due_window(today), TOP)
    if "matches" in panels:
        rows, total, hits = open_matches(db)
        out["matches"] = {"total": total, "hits": hits, "rows": rows}
    if "errors" in panels:
        by_check = store.errors_by_check(db)
        out["errors"] = {"total": sum(by_check.values()), "by_check": by_check,
                         "rows": store.latest_errors(db, TOP) if by_check else []}
    if "risk" in panels:
        out["risk"] = contracts_by_risk(db)
    if "hits" in panels:
        out["hits"] = hits_over_time(db, today)
    return out
