"""Sanctions and debarment lists: import a publisher's file as a new version, and the in-memory index."""
from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import asdict
from pathlib import Path
from typing import Any

import sqlite_utils

from checks import Subject

from ..lists import importers
from ..lists.model import ListEntry, ListFormatError
from ..matching import NameIndex, Query, Thresholds, explain, screen
from ..store import lists as store
from ..store import write_transaction
from .audit import Actor, record
from .errors import InvalidInput

LIST_NAMES = {"un": "UN Security Council", "ofac-sdn": "OFAC SDN", "ofac-xml": "OFAC consolidated (XML)",
              "eu": "EU financial sanctions", "uk": "UK sanctions list", "opensanctions": "OpenSanctions",
              "worldbank": "World Bank debarred firms"}


def entry_hash(entry: ListEntry) -> str:
    """A fingerprint of a listed entry's content: a dismissal holds only while it is unchanged."""
    canonical = json.dumps(asdict(entry), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def import_list(db: sqlite_utils.Database, actor: Actor, source: str, paths: list[Path]) -> dict[str, Any]:
    """Parse, vet and store a list file as the new active version of its source.

    The previous version stays active when the file is refused (wrong format, truncated, much smaller).
    """
    if source not in importers.SOURCES:
        raise InvalidInput(f"Unknown list source {source!r}; use one of {', '.join(importers.SOURCES)}.", "source")
    try:
        version = importers.parse(source, paths)
        previous = store.active_version(db, source)
        importers.check_acceptable(version, previous["record_count"] if previous else None)
    except ListFormatError as exc:
        raise InvalidInput(str(exc), "file") from None
    with write_transaction(db):
        version_id = store.insert_version(
            db, source=source, published=version.published.isoformat() if version.published else None,
            sha256=version.sha256, record_count=version.count, declared_count=version.declared_count,
            files=[Path(p).name for p in paths], imported_by=actor.username)
        store.insert_entries(db, version_id, (
            (e.source_id, e.kind, e.name, json.dumps(asdict(e), ensure_ascii=False), entry_hash(e))
            for e in version.entries))
        store.activate(db, version_id, source)
        summary = {"source": source, "version_id": version_id, "published": version.published,
                   "records": version.count, "sha256": version.sha256}
        record(db, actor, "list.import", "list_version", version_id, after=summary)
    # The consequence belongs to the operation, so no caller (page, CLI import, lists update) can forget it:
    # every party of a signed contract is screened again against the new version, in the background.
    from .background import enqueue
    from .followup import start_list_update_batch

    summary["batch_id"] = start_list_update_batch(db, actor, source)
    enqueue(summary["batch_id"])
    return summary


def _entry_from_json(data: str) -> ListEntry:
    raw = json.loads(data)
    for key in ("aliases", "birth_dates", "countries", "programmes"):
        raw[key] = tuple(raw.get(key) or ())
    raw["identifiers"] = tuple(tuple(pair) for pair in raw.get("identifiers") or ())
    return ListEntry(**raw)


class AppListIndex:
    """The active list versions, indexed for screening; implements ``checks.ListIndex``."""

    def __init__(self, versions: list[dict[str, Any]], index: NameIndex, hashes: dict[tuple[str, str], str],
                 thresholds: Thresholds) -> None:
        self._versions = versions
        self._index = index
        self._hashes = hashes
        self.thresholds = thresholds

    def versions(self) -> list[dict[str, Any]]:
        return [{k: v[k] for k in ("source", "published", "sha256", "record_count", "imported_at")} for v in self._versions]

    def screen(self, subject: Subject) -> list[dict[str, Any]]:
        query = Query(name=subject.name, kind=subject.kind, birth_date=subject.birth_date, country=subject.country,
                      identifiers=tuple(subject.identifiers.items()))
        published = {v["source"]: v["published"] for v in self._versions}
        out = []
        for match in screen(self._index, query, limit=10, thresholds=self.thresholds):
            out.append({
                "list": match.list_key, "list_version": published.get(match.list_key),
                "listed_id": match.entry.source_id, "listed_name": match.entry.name, "listed_kind": match.entry.kind,
                "matched_name": match.matched_name, "query_name": match.query_name, "score": match.score,
                "level": match.level(self.thresholds), "programmes": list(match.entry.programmes),
                "features": [{"feature": f[0], "value": f[1], "weight": f[2], "contribution": f[3], "explanation": f[4]}
                             for f in match.features],
                "explanation": explain(match, self.thresholds),
                "entry_hash": self._hashes.get((match.list_key, match.entry.source_id), ""),
                "entry": asdict(match.entry),
            })
        return out


_cache: dict[tuple[Any, ...], AppListIndex] = {}
_lock = threading.Lock()


def list_index(db: sqlite_utils.Database, thresholds: Thresholds) -> AppListIndex:
    """The index of the active versions, built once per set of versions and kept in memory."""
    versions = store.active_versions(db)
    key = (tuple((v["id"], v["sha256"], v["imported_at"]) for v in versions), thresholds)
    with _lock:
        if key not in _cache:
            pairs, hashes = [], {}
            for version in versions:
                for row in store.entries(db, version["id"]):
                    entry = _entry_from_json(row["data"])
                    pairs.append((version["source"], entry))
                    hashes[(version["source"], entry.source_id)] = row["entry_hash"]
            _cache.clear()
            _cache[key] = AppListIndex(versions, NameIndex(pairs), hashes, thresholds)
        return _cache[key]
