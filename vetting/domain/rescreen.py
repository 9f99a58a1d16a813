"""Re-screening by delta: after a list update, every stored subject against only what changed.

The entries added or changed by the new version are indexed on their own (a few dozen names, so
each query costs microseconds), every stored organisation and key person is queried against that
small index with its own names, and only the subjects that resemble a new or changed entry are
screened in full. Subjects whose newest outcome holds a match on a removed entry are screened in
full too, which retires that match. The nightly full re-screen stays as the safety net.
"""
from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from ..lists.model import ListEntry
from ..matching import NameIndex, Query, screen
from ..matching.score import may_match
from ..store import lists as store
from .audit import Actor
from .lists import entry_from_json
from .screening import thresholds_of


@dataclass
class Delta:
    """What a list version changed against the one before it, by publisher id."""

    source: str
    version_id: int
    added: list[ListEntry] = field(default_factory=list)
    changed: list[ListEntry] = field(default_factory=list)
    removed: set[str] = field(default_factory=set)


def list_delta(db: sqlite_utils.Database, source: str) -> Delta | None:
    """The delta of the active version of ``source`` against the previous one; None when there is none."""
    active = store.active_version(db, source)
    if active is None:
        return None
    previous = store.previous_version(db, source, active["id"])
    new = store.entry_hashes(db, active["id"])
    old = store.entry_hashes(db, previous["id"]) if previous else {}
    added = [i for i in new if i not in old]
    changed = [i for i in new if i in old and old[i] != new[i]]
    rows = {r["source_id"]: entry_from_json(r["data"]) for r in store.entries_by_id(db, active["id"], added + changed)}
    return Delta(source, active["id"], [rows[i] for i in added if i in rows], [rows[i] for i in changed if i in rows],
                 {i for i in old if i not in new})


def candidates(db: sqlite_utils.Database, delta: Delta, settings: Mapping[str, Any]) -> set[tuple[str, int]]:
    """Subjects that resemble an added or changed entry, or whose newest outcome matched a removed or changed one.

    The delta is indexed, not the subjects: each distinct stored name is asked once whether any
    delta entry could reach the possible level with it (``may_match``: many key persons share a
    name), and only the subjects it lets through are scored against the delta with their own facts
    (birth date, country, identifier), once per distinct set of facts.
    """
    found = store.subjects_matched_to(db, delta.source, delta.removed | {e.source_id for e in delta.changed})
    entries = delta.added + delta.changed
    if not entries:
        return found
    index = NameIndex((delta.source, e) for e in entries)
    floor = thresholds_of(settings).possible
    organisations, persons = store.screening_subjects(db)
    near: dict[tuple[Any, ...], bool] = {}
    scored: dict[tuple[Any, ...], bool] = {}

    def resembles(name: str, kind: str, ids: tuple[tuple[str, str], ...] = ()) -> bool:
        key = (name, kind, ids)
        if key not in near:
            near[key] = may_match(index, name or "", kind, ids, floor)
        return near[key]

    def matches(query: Query) -> bool:
        key = (query.name, query.kind, query.birth_date, query.country, query.identifiers)
        if key not in scored:
            scored[key] = bool(screen(index, query, 1, floor))
        return scored[key]

    for org in organisations:
        ids = ((org["identifier_type"] or "id", org["identifier"]),) if org["identifier"] else ()
        if resembles(org["name"], "organisation", ids) and matches(
                Query(org["name"], "organisation", country=org["country"], identifiers=ids)):
            found.add(("organisation", org["id"]))
    for person in persons:
        if resembles(person["name"], "person") and matches(
                Query(person["name"], "person", birth_date=person["birth_date"], country=person["nationality"])):
            found.add(("person", person["id"]))
    return found


def delta_rescreen(db: sqlite_utils.Database, actor: Actor, source: str, settings: Mapping[str, Any]) -> dict[str, Any]:
    """The consequence of importing a version of ``source``: the subjects it may concern, screened again.

    Finds the subjects (``candidates``, in a second or so), records them as one background batch
    (sanctions check, in full against every active list, so a removed entry's match is retired and
    a new entry's match raised, with change alerts on contracts) and queues it; the batch page
    shows its progress. ``import_list`` is the only caller: every way of importing a list (page,
    ``flask lists import``, ``flask lists update``, the scheduled update) gets it.
    """
    from .background import enqueue
    from .followup import start_batch

    delta = list_delta(db, source)
    if delta is None:
        return {"source": source, "added": 0, "changed": 0, "removed": 0, "screened": 0, "batch_id": None}
    started = time.perf_counter()
    subjects = sorted(candidates(db, delta, settings))
    query_seconds = time.perf_counter() - started  # reported by bench/followup.py beside the full screens
    batch_id = None
    if subjects:
        batch_id = start_batch(db, actor, "list_update", f"New version of {source}", subjects, None, ("sanctions",))
        enqueue(batch_id)
    return {"source": source, "added": len(delta.added), "changed": len(delta.changed), "removed": len(delta.removed),
            "screened": len(subjects), "subjects": subjects, "query_seconds": round(query_seconds, 3),
            "batch_id": batch_id}


__all__ = ["Delta", "candidates", "delta_rescreen", "list_delta"]
