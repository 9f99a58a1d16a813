"""What waits for whom: inboxes per role, and a procurement's timeline."""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from ..store import audit as audit_store
from ..store import checkpoints as store
from ..store import procurements as procurement_store
from . import checkpoint_templates as templates
from . import clock
from .audit import Actor
from .due_dates import applies_yet
from .procurements import PHASES


# The count ``page_for_user`` gives ``start_of`` before the true count is known: more than any box holds.
UNCOUNTED = 2**62


@dataclass(frozen=True)
class Boxes:
    """One page of each inbox box and how many each holds in all (``counts``, for headings and the dashboard)."""

    counts: dict[str, int]
    rows: dict[str, list[dict[str, Any]]]


def _query(actor: Actor) -> dict[str, Any]:
    """What the store's box rule needs of the user: template ids their roles prepare and sign, the time due dates
    are compared with, and the phase checkpoints that do not apply yet (more than one phase ahead)."""
    every = templates.templates().values()
    return {"prepare": [t.id for t in every if actor.has_role(t.preparer)],
            "sign": [t.id for t in every if actor.has_role(t.signer)], "user_id": actor.id,
            "now": clock.now().isoformat(timespec="seconds"),
            "not_yet": [f"{t.id} {phase}" for t in every for phase in PHASES if not applies_yet(phase, t)]}


def _with_templates(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for row in rows:
        row["template"] = templates.templates()[row["template_id"]]
    return rows


def for_user(db: sqlite_utils.Database, actor: Actor) -> dict[str, list[dict[str, Any]]]:
    """Checkpoints waiting for the user's action, returned to them, and overdue ones they can act on: every row.

    ``decide``: waiting for the user's own sign-off; ``overdue``; ``rest``: the user's other work;
    ``waiting`` holds all three, decisions first, then overdue, then by due date. A phase checkpoint
    more than one phase ahead does not apply yet and is left out. Each checkpoint gets its ``template``.
    """
    query = _query(actor)
    return {box: _with_templates(rows)
            for box, rows in store.inbox_pages(db, {box: (0, -1) for box in store.INBOX_BOXES}, **query).items()}


def page_for_user(db: sqlite_utils.Database, actor: Actor, boxes: Iterable[str], start_of: Callable[[str, int], int],
                  size: int) -> Boxes:
    """``for_user`` as counts per box and one page of each of ``boxes``: the page costs the same however much
    waits. ``start_of(box, count)`` says where the page starts (the caller's paging rule, given the box's count).

    Counts and pages are read in one statement, so the page is asked for before the counts are known: first as
    if each box were endless (``start_of(box, UNCOUNTED)``), then again with the true count; only when the two
    differ (a page number past the end) is the page read again."""
    query = _query(actor)
    asked = {box: start_of(box, UNCOUNTED) for box in boxes}
    counts, pages = store.inbox(db, {box: (asked[box], size) for box in boxes}, **query)
    starts = {box: start_of(box, counts[box]) for box in boxes}
    if starts != asked:
        pages = store.inbox_pages(db, {box: (starts[box], size) for box in boxes}, **query)
    return Boxes(counts, {box: _with_templates(rows) for box, rows in pages.items()})


def timeline(db: sqlite_utils.Database, procurement_id: int) -> list[dict[str, Any]]:
    """Audit entries about the procurement and about the checks of its parties, oldest first."""
    organisation_ids = {p["organisation_id"] for p in procurement_store.participants(db, procurement_id)}
    rows = audit_store.procurement_timeline(db, procurement_id, sorted(organisation_ids))
    for row in rows:
        row["after"] = json.loads(row["after_json"]) if row["after_json"] else {}
        row["before"] = json.loads(row["before_json"]) if row["before_json"] else {}
    return rows
