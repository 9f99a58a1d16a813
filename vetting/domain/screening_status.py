"""The read model of screening status: what a subject's checks say once officers' decisions count.

The one home of "the status of a screening" for pages, exports, reports and summaries: the
newest outcome per check (``store.outcomes.latest_for_subjects``), each read through
``screening.effective_status`` (a dismissed match no longer counts; an error accepted with four eyes reads
``error_accepted``), and the worst of them.
Everything is loaded for many subjects at once, so a page with 100 parties costs the same
few statements as a page with one.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

import sqlite_utils

from ..store import checkpoints as checkpoint_store
from ..store import organisations as org_store
from ..store import outcomes as outcome_store
from ..store import reviews as review_store
from .screening import effective_status, worst_status


class CheckStatus(NamedTuple):
    """The newest outcome of one check on a subject and its status after officers' decisions.

    A named tuple, not a frozen dataclass: the procurement list builds over a thousand of these per request
    and a frozen dataclass's ``__init__`` (``object.__setattr__`` per field) cost four times as much.
    """

    check_id: str
    status: str
    effective: str
    outcome: dict[str, Any]


class SubjectStatus(NamedTuple):
    """A subject's screening: one line per check; ``worst`` is what a badge shows (a named tuple, as above)."""

    kind: str
    subject_id: int
    checks: tuple[CheckStatus, ...]

    @property
    def worst(self) -> str | None:
        return worst_status([c.effective for c in self.checks])

    @property
    def screened(self) -> bool:
        return bool(self.checks)


def subjects(db: sqlite_utils.Database, kind: str, subject_ids: list[int]) -> dict[int, SubjectStatus]:
    """The screening status of each subject (two statements, however many subjects)."""
    newest = outcome_store.latest_for_subjects(db, kind, subject_ids)
    decisions = review_store.latest_decisions_for_subjects(db, kind, subject_ids)
    errors = [o["id"] for outcomes in newest.values() for o in outcomes if o["status"] == "error"]
    accepted = checkpoint_store.overridden_among(db, errors) if errors else set()
    return {sid: SubjectStatus(kind, sid, tuple([CheckStatus(o["check_id"], o["status"],
                                                             "error_accepted" if o["id"] in accepted
                                                             else effective_status(o, decisions[sid]), o)
                                                 for o in outcomes]) if outcomes else ())
            for sid, outcomes in newest.items()}


def newest_outcomes(db: sqlite_utils.Database, kind: str, subject_ids: list[int]) -> list[dict[str, Any]]:
    """The newest outcome per check of many subjects, each with its ``effective`` status, by subject then check."""
    return [{**c.outcome, "effective": c.effective}
            for sid, status in sorted(subjects(db, kind, subject_ids).items()) for c in status.checks]


def subject(db: sqlite_utils.Database, kind: str, subject_id: int) -> SubjectStatus:
    """The screening status of one subject."""
    return subjects(db, kind, [subject_id])[subject_id]


def organisations(db: sqlite_utils.Database, organisation_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Per organisation: its own worst status, the worst among its key persons, whether it was screened,
    and each key person's status (a hit on a person shows on the company)."""
    people_of = org_store.key_person_ids(db, organisation_ids)
    own = subjects(db, "organisation", organisation_ids)
    people = subjects(db, "person", sorted({p for ids in people_of.values() for p in ids}))
    return {org_id: {"own": own[org_id].worst,
                     "people": worst_status([c.effective for p in people_of[org_id] for c in people[p].checks]),
                     "screened": own[org_id].screened, "checks": own[org_id].checks,
                     "persons": {p: people[p] for p in people_of[org_id]}}
            for org_id in organisation_ids}


def newest(db: sqlite_utils.Database, subjects: Iterable[tuple[str, int]]) -> dict[tuple[str, int], list[dict[str, Any]]]:
    """The newest outcome of each check for subjects of either kind, each with its ``effective`` status.

    The one way the domain reads "newest outcome per check" (gates, criteria, snapshots, facts); two
    statements per kind of subject however many subjects there are.
    """
    wanted = list(dict.fromkeys(subjects))
    out: dict[tuple[str, int], list[dict[str, Any]]] = {s: [] for s in wanted}
    for kind in ("organisation", "person"):
        ids = [sid for k, sid in wanted if k == kind]
        if ids:
            for sid, status in subjects_status(db, kind, ids).items():
                out[(kind, sid)] = [{**c.outcome, "effective": c.effective} for c in status.checks]
    return out


def newest_of(db: sqlite_utils.Database, kind: str, subject_id: int) -> list[dict[str, Any]]:
    """``newest`` for one subject."""
    return newest(db, [(kind, subject_id)])[(kind, subject_id)]


subjects_status = subjects
