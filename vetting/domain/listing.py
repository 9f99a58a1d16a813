"""What the procurement and organisation lists show per row and filter on: screening, control areas, level.

No status rule lives here: each column is read from its own read model — the screening status
(``screening_status``: decisions counted), the summary per control area (``control_areas``) and the newest
risk assessment's level of control (``triage.effective``: an override counts) — and the filters
("visa alla med träff / fel / uteslutning / hinder") are questions asked of those values.
Statements per call are fixed, however many rows (query budget).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from ..risk.score import LEVELS
from ..store import procurements as procurement_store
from ..store import risk as risk_store
from . import control_areas, screening_status
from .screening import worst_status
from .triage import effective

# Filter code → what it asks of a row. The words are in vetting/vocabulary (LIST_FILTERS).
FILTERS = ("match", "error", "exclusion", "blocker")
_MATCH = ("confirmed", "hit", "possible_match")


@dataclass(frozen=True)
class RowStatus:
    """One row's columns: the worst screening status (own checks and key persons'), the overall control-area
    status, the highest level of control any assessment set, and whether any check is in error."""

    screening: str | None
    area: str
    level: str | None
    error: bool

    def shows(self, wanted: str) -> bool:
        """Whether the row belongs under the filter ``wanted`` (one of FILTERS; "" shows every row)."""
        if wanted == "match":
            return self.screening in _MATCH
        if wanted == "error":
            return self.error or self.area == "fel"
        if wanted == "exclusion":
            return self.level == "exclusion_assessment"
        if wanted == "blocker":
            return self.area == "hinder"
        return True


def _highest(levels: Iterable[str]) -> str | None:
    ranked = [level for level in levels if level in LEVELS]
    return max(ranked, key=LEVELS.index) if ranked else None


def _worst(statuses: Iterable[str | None]) -> str | None:
    return worst_status([s for s in statuses if s])


def organisation_statuses(db: sqlite_utils.Database, organisation_ids: list[int]) -> dict[int, RowStatus]:
    """Each organisation's row: its screening, its control areas and the highest level over its procurements."""
    return _organisations(db, organisation_ids)


def _organisations(db: sqlite_utils.Database, organisation_ids: list[int], latest: Mapping[Any, Any] | None = None
                   ) -> dict[int, RowStatus]:
    if not organisation_ids:
        return {}
    screened = screening_status.organisations(db, organisation_ids)
    area = control_areas.organisations_overall(screened)  # a row shows the overall status, not each area
    levels: dict[int, list[str]] = {oid: [] for oid in organisation_ids}
    for (_pid, oid), row in (latest if latest is not None else risk_store.latest_levels(db)).items():
        if oid in levels:
            levels[oid].append(effective(row))
    out = {}
    for oid in organisation_ids:
        s = screened[oid]
        error = any(c.effective == "error" for c in s["checks"]) or any(
            c.effective == "error" for person in s["persons"].values() for c in person.checks)
        out[oid] = RowStatus(_worst([s["own"], s["people"]]), area[oid], _highest(levels[oid]), error)
    return out


def procurement_statuses(db: sqlite_utils.Database, procurement_ids: list[int]) -> dict[int, RowStatus]:
    """Each procurement's row: the worst over every organisation in its chain (the procurement page's summary)."""
    if not procurement_ids:
        return {}
    members = procurement_store.organisations_of(db, procurement_ids)
    everyone = sorted({oid for ids in members.values() for oid in ids})
    latest = risk_store.latest_levels(db)
    per_org = _organisations(db, everyone, latest)
    levels: dict[int, list[str]] = {pid: [] for pid in procurement_ids}
    for (pid, _oid), row in latest.items():
        if pid in levels:
            levels[pid].append(effective(row))
    out = {}
    for pid in procurement_ids:
        ids = members[pid]
        # The overall status of the chain's combined summary is the worst of its organisations' overall statuses
        # (both are the worst over every area of every organisation): no combined summary is built per row.
        out[pid] = RowStatus(_worst(per_org[oid].screening for oid in ids),
                             control_areas.worst_of(per_org[oid].area for oid in ids),
                             _highest(levels[pid]), any(per_org[oid].error for oid in ids))
    return out


def select(statuses: Mapping[int, RowStatus], ids: list[int], wanted: str) -> list[int]:
    """The ids (in list order) whose row belongs under the filter."""
    return [i for i in ids if statuses[i].shows(wanted)]
