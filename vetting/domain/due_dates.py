"""Due dates of phase checkpoints: they follow the phases they gate and the procurement's planned dates.

A checkpoint gating phase P is due when the procurement should enter P: the planned date of that
milestone when the officer set one, else the previous phase's due date plus the template's own
number of days. Dates never go backwards along the phases, so CP5 is never due before CP1.
A checkpoint whose phase is more than one step ahead does not apply yet and stays out of inboxes.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import Any

import sqlite_utils

from ..store import checkpoints as checkpoint_store
from ..store import procurements as procurement_store
from ..store import timeline as store
from . import checkpoint_templates as templates
from .clock import STOCKHOLM
from .procurements import PHASES

# The planned milestone by which the procurement should have entered a phase.
MILESTONE = {"advertised": "planned_advertising", "evaluation": "planned_opening", "award": "planned_award",
             "signed": "planned_contract_start", "active": "planned_contract_start"}
UNDECIDED = ("open", "prepared", "rejected")


def phase_due_dates(procurement: dict[str, Any]) -> dict[str, date]:
    """For each phase that checkpoints gate, the day it should be entered, in phase order."""
    start = date.fromisoformat(str(procurement["created_at"])[:10])
    due: dict[str, date] = {}
    previous = start
    for phase in PHASES:
        gating = [t for t in templates.gating(phase) if t.applies(procurement, templates.value_threshold())]
        planned = procurement.get(MILESTONE.get(phase, "")) if phase in MILESTONE else None
        if planned:
            day = max(previous, date.fromisoformat(planned))
        elif gating:
            day = previous + timedelta(days=max(t.due_days for t in gating))
        else:
            day = previous
        due[phase] = day
        previous = day
    return due


def end_of_day(day: date) -> str:
    """The last second of a Swedish day, as the UTC timestamp checkpoints store."""
    moment = datetime.combine(day, time(23, 59, 59), STOCKHOLM).astimezone(timezone.utc)
    return moment.isoformat(timespec="seconds")


def refresh(db: sqlite_utils.Database, procurement_id: int) -> None:
    """Recompute the due dates of the procurement's undecided phase checkpoints (inside the caller's transaction)."""
    procurement = procurement_store.get(db, procurement_id)
    if procurement is None:
        return
    due = phase_due_dates(procurement)
    for checkpoint in checkpoint_store.for_procurement(db, procurement_id):
        if checkpoint["trigger"] != "phase" or checkpoint["state"] not in UNDECIDED:
            continue
        template = templates.templates().get(checkpoint["template_id"])
        if template is None or template.gates not in due:
            continue
        wanted = end_of_day(due[template.gates])
        if checkpoint["due_at"] != wanted:
            store.set_checkpoint_due(db, checkpoint["id"], wanted)


def applies_yet(phase: str, template: templates.Template) -> bool:
    """Whether a phase checkpoint is worked on now: it gates the next phase or one already reached."""
    if not template.gates or phase not in PHASES or template.gates not in PHASES:
        return True
    return PHASES.index(template.gates) <= PHASES.index(phase) + 1
