"""Checks a user asks for run as background batches: start one, and read back what it found and what changed.

Screening more than one subject, or calling a register that may wait on retries, never runs on
the request: the view records a batch, queues it and shows its progress page. Batches a user
starts are "fresh": registers are asked again rather than answered from the cache.
"""
from __future__ import annotations

from typing import Any

import sqlite_utils
from .message import _l

from ..store import followup as store
from ..store import outcomes as outcome_store
from ..store import procurements as procurement_store
from . import changes
from .audit import Actor
from .background import enqueue
from .errors import NotFound
from .followup import contract_subjects, start_batch, subjects_of

SCREENING_KINDS = ("screen", "recheck")


def screen_procurement(db: sqlite_utils.Database, actor: Actor, procurement_id: int) -> int:
    """Screen every organisation in the procurement's chain and their key persons in the background."""
    procurement = procurement_store.get(db, procurement_id)
    if procurement is None:
        raise NotFound(_l("No such procurement."))
    running = store.running_batch(db, procurement_id, SCREENING_KINDS)
    if running:
        return int(running["id"])  # pressed twice: the batch already running answers
    batch_id = start_batch(db, actor, "screen", f"Screening {procurement['reference']}",
                           contract_subjects(db, procurement_id), procurement_id, fresh=True)
    enqueue(batch_id)
    return batch_id


def screen_subject(db: sqlite_utils.Database, actor: Actor, kind: str, subject_id: int, name: str) -> int:
    """Screen one person, or an organisation with its key persons, in the background."""
    subjects = subjects_of(db, [subject_id]) if kind == "organisation" else [(kind, subject_id)]
    batch_id = start_batch(db, actor, "screen", f"Screening {name}", subjects, None, fresh=True)
    enqueue(batch_id)
    return batch_id


def result(db: sqlite_utils.Database, batch_id: int) -> list[dict[str, Any]]:
    """Per subject of the batch: its state, worst status and what changed since the outcome before."""
    rows = store.batch_items(db, batch_id)
    for row in rows:
        found: list[changes.Change] = []
        row["first"] = True  # no earlier outcome of any of its checks: nothing to compare with
        for outcome_id in row["outcome_ids"]:
            current = outcome_store.get(db, outcome_id)
            if current is None:
                continue
            previous = store.previous_outcome(db, row["subject_kind"], row["subject_id"], current["check_id"],
                                              outcome_id)
            row["first"] = row["first"] and previous is None
            found += changes.compare(previous, current)
        row["changes"] = found
    return rows
