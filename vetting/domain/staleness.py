"""Stale assessments: when an outcome behind a risk assessment changes, the case is assessed again.

A match confirmed or dismissed, a new outcome with another status (e.g. after a new list version) or a
new answer marks the newest assessment of every case the subject belongs to as stale, and a fresh one
is made with the system as preparer, so that any security officer keeps the right to override it.
"""
from __future__ import annotations

import sqlite_utils

from ..store import gates as gate_store
from ..store import procurements as procurement_store
from ..store import risk as risk_store
from . import events
from .audit import SYSTEM, record


def _organisations(db: sqlite_utils.Database, subject_kind: str, subject_id: int) -> list[int]:
    return [subject_id] if subject_kind == "organisation" else gate_store.organisations_of_person(db, subject_id)


def outcome_changed(db: sqlite_utils.Database, subject_kind: str, subject_id: int, why: str) -> list[int]:
    """Mark the cases of the subject stale and assess them again; return the new assessment ids."""
    fresh = []
    for organisation_id in _organisations(db, subject_kind, subject_id):
        for row in procurement_store.procurements_of_organisation(db, organisation_id):
            previous = risk_store.latest_assessment(db, row["id"], organisation_id)
            if previous is None:
                continue  # never assessed: nothing is stale, the first assessment will read the new facts
            gate_store.mark_stale(db, row["id"], organisation_id, previous["id"], why)
            record(db, SYSTEM, "risk.stale", "procurement", row["id"],
                   after={"organisation_id": organisation_id, "assessment_id": previous["id"], "why": why})
            [assessment_id] = events.publish(db, events.AssessmentStale(row["id"], organisation_id))
            fresh.append(assessment_id)
    return fresh
