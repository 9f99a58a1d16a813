"""Storing a check's outcome: the one door, with every consequence of storing it (evidence, company facts, audit,
staleness, change alerts). Bulk for a batch (``store_outcomes``), one for everyone else (``store_outcome``);
its own module so screening (running checks, reviewing matches) and the batches both build on it.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from checks import Check, Outcome, Subject

from ..store import outcomes as outcome_store
from ..store import utcnow, write_transaction
from . import changes, company_facts, events
from .audit import Actor, record


@dataclass
class Prepared:
    """An outcome ready to store: encoded with no lock held, written by ``store_outcomes`` (``row``: the outcome's
    columns, ``evidence``: its pieces)."""

    subject: Subject
    check: Check
    outcome: Outcome
    row: dict[str, Any]
    evidence: list[dict[str, Any]]
    # The outcome as ``outcomes.get`` will read it back (what change detection compares); its id once stored.
    current: dict[str, Any]


def prepare(actor: Actor, subject: Subject, check: Check, outcome: Outcome,
            batch_item_id: int | None = None) -> Prepared:
    """Encode an outcome and its evidence for storing (no database needed: done before taking the write lock)."""
    findings = [{"code": f.code, "value": f.value, "detail": f.detail, "evidence": f.evidence,
                 **({"params": dict(f.params)} if f.params else {})} for f in outcome.findings]
    row = {"subject_kind": subject.kind, "subject_id": subject.id, "check_id": check.id,
           "check_version": check.version, "status": outcome.status.value, "reason": outcome.reason,
           "findings": json.dumps(findings, ensure_ascii=False, default=str),
           "explanation": json.dumps(list(outcome.explanation), ensure_ascii=False, default=str),
           "run_by": actor.username, "created_at": None, "batch_item_id": batch_item_id}
    evidence = [{"source": ev.source, "url": ev.url, "list_version": ev.list_version,
                 "fetched_at": ev.fetched_at.isoformat(), "http_status": ev.http_status, "media_type": ev.media_type,
                 "sha256": ev.sha256, "body": ev.body, "headers": dict(ev.headers)} for ev in outcome.evidence]
    current = {"id": None, **row, "findings": json.loads(row["findings"]), "explanation": json.loads(row["explanation"])}
    return Prepared(subject, check, outcome, row, evidence, current)


def store_outcome(db: sqlite_utils.Database, actor: Actor, subject: Subject, check: Check, outcome: Outcome,
                  batch_item_id: int | None = None, raised: list[tuple[int, str]] | None = None) -> int:
    """Persist an outcome with its evidence, audit entry and change alerts in one transaction; return its id.

    The one door for outcomes (``store_outcomes`` for one): whoever stores one (a batch, a manual
    re-check, an officer's answer), a change on a party of a signed contract raises its alert and
    opens CP10 there. Alerts are told to the contract's officer after the commit, or collected in
    ``raised`` for a caller that commits later.
    """
    return store_outcomes(db, actor, [prepare(actor, subject, check, outcome, batch_item_id)], raised)[0]


def store_outcomes(db: sqlite_utils.Database, actor: Actor, prepared: list[Prepared],
                   raised: list[tuple[int, str]] | None = None,
                   latest: Mapping[tuple[str, int], list[dict[str, Any]]] | None = None) -> list[int]:
    """Persist outcomes (from ``prepare``) in order, each with every consequence of storing it; return their ids.

    Per outcome, as if stored one at a time: its evidence, company facts and audit entry; when
    its status differs from the subject's previous outcome of the check, the cases go stale and
    are assessed again; a change that matters on a party of a signed contract raises its alert
    and opens CP10 (``events.OutcomeStored``). The previous outcomes are read in this transaction,
    all at once; ``latest``: the subjects' newest outcomes as the caller read them before taking the
    lock (``Prefetched``), then only their ids are read here, and a subject whose newest outcome
    changed meanwhile is read again. Outcomes with nothing to set off (most of a nightly re-screen) are written in
    bulk, one statement for the outcomes and one for the evidence; one that sets something off
    is written on its own, after those before it and before those after it, so the consequence
    sees the database exactly as the one-at-a-time order leaves it (a risk assessment reads the
    key persons' outcomes).
    """
    found: list[tuple[int, str]] = []
    ids: list[int] = []
    with write_transaction(db):
        before: dict[tuple[str, int], dict[str, dict[str, Any]]] = {}
        for kind in sorted({p.subject.kind for p in prepared}):
            ids_of_kind = sorted({p.subject.id for p in prepared if p.subject.kind == kind})
            if latest is not None:
                newest = outcome_store.newest_ids(db, kind, ids_of_kind)
                read = {i: latest[(kind, i)] for i in ids_of_kind if (kind, i) in latest
                        and {o["check_id"]: o["id"] for o in latest[(kind, i)]} == newest.get(i, {})}
            else:
                read = {}
            read.update(outcome_store.latest_for_subjects(db, kind, [i for i in ids_of_kind if i not in read]))
            before.update({(kind, subject_id): {o["check_id"]: o for o in rows} for subject_id, rows in read.items()})
        quiet: list[Prepared] = []

        def write(batch: list[Prepared]) -> list[int]:
            for p in batch:
                p.row["created_at"] = p.current["created_at"] = utcnow()
            written = outcome_store.insert_many(db, [p.row for p in batch])
            outcome_store.insert_evidence_of_many(db, list(zip(written, (p.evidence for p in batch))))
            for p, outcome_id in zip(batch, written):
                p.current["id"] = outcome_id
                company_facts.record_outcome(db, p.check.id, p.subject.kind, p.subject.id, outcome_id,
                                             p.row["status"], [{"code": f.code, "value": f.value}
                                                               for f in p.outcome.findings])
                record(db, actor, "check.run", p.subject.kind, p.subject.id,
                       after={"check": p.check.id, "status": p.row["status"], "outcome_id": outcome_id,
                              "findings": [f.code for f in p.outcome.findings]})
            ids.extend(written)
            return written

        for p in prepared:
            mine = before.setdefault((p.subject.kind, p.subject.id), {})
            previous = mine.get(p.check.id)
            current = p.current
            status_changed = previous is not None and previous["status"] != current["status"]
            mine[p.check.id] = current  # the same check twice for a subject: the second compares with the first
            if not status_changed and not any(c.alert for c in changes.compare(previous, current)):
                quiet.append(p)
                continue
            write(quiet)
            quiet = []
            outcome_id = write([p])[0]
            if status_changed:
                from .staleness import outcome_changed

                outcome_changed(db, p.subject.kind, p.subject.id,
                                f"check.{p.check.id}:{previous['status']}->{current['status']}")
            # The newest outcome before this one was read above, in this transaction: handed on, not read again.
            [alerts] = events.publish(db, events.OutcomeStored(actor, p.subject.kind, p.subject.id, p.check.id,
                                                               outcome_id, previous, current))
            found.extend(alerts)
        write(quiet)
    if raised is None:
        events.publish(db, events.AlertsRaised(tuple(found)))
    else:
        raised.extend(found)
    return ids
