"""Sanctions and debarment lists: import a publisher's file as a new version, and the in-memory index."""
from __future__ import annotations

import functools
import gc
import hashlib
import json
import threading
from collections.abc import Mapping
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

import sqlite_utils
from .message import _l

from checks import Subject
from checks.listmatch import ListMatch

from ..lists import importers
from ..lists.model import ListEntry, ListFormatError
from .. import matching
from ..matching import NameIndex, Query, Thresholds, explain, screen
from ..store import lists as store
from ..store import write_transaction
from . import events
from . import list_index_file as index_file
from . import settings as domain_settings
from .audit import Actor, record
from .errors import InvalidInput

def entry_hash(entry: ListEntry) -> str:
    """A fingerprint of a listed entry's content: a dismissal holds only while it is unchanged."""
    canonical = json.dumps(asdict(entry), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def import_list(db: sqlite_utils.Database, actor: Actor, source: str, paths: list[Path], *, force: bool = False,
                reason: str = "", settings: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Parse, vet and store a list file as the new active version of its source.

    The previous version stays active when the file is refused (wrong format, truncated, much
    smaller, or published before the loaded version). An older version is taken only when
    ``force`` is given with a ``reason``, which is stored with the version and audited. Once
    stored, the delta re-screen starts (``events.ListVersionImported``; ``settings`` give its
    thresholds, the defaults when None): the summary's ``batch_id`` is its background batch.
    """
    if source not in importers.SOURCES:
        raise InvalidInput(f"Unknown list source {source!r}; use one of {', '.join(importers.SOURCES)}.", "source")
    reason = (reason or "").strip()
    try:
        version = importers.parse(source, paths)
        previous = store.active_version(db, source)
        importers.check_acceptable(version, previous["record_count"] if previous else None)
    except ListFormatError as exc:
        raise InvalidInput(str(exc), "file") from None
    older = _older_than(version.published, previous)
    if older and not force:
        raise InvalidInput(_l("This version was published %(published)s, before the loaded one (%(loaded)s); it was "
                              "not imported. Import it anyway only with a reason.",
                              published=version.published.isoformat(), loaded=older), "file")
    if older and not reason:
        raise InvalidInput(_l("Give the reason for loading a version older than the loaded one."), "reason")
    with write_transaction(db):
        version_id = store.insert_version(
            db, source=source, published=version.published.isoformat() if version.published else None,
            sha256=version.sha256, record_count=version.count, declared_count=version.declared_count,
            files=[Path(p).name for p in paths], imported_by=actor.username, published_basis=version.published_basis,
            forced_reason=reason if older else None)
        store.insert_entries(db, version_id, (
            (e.source_id, e.kind, e.name, json.dumps(asdict(e), ensure_ascii=False), entry_hash(e))
            for e in version.entries))
        store.activate(db, version_id, source)
        store.drop_index_blobs(db)
        summary = {"source": source, "version_id": version_id, "published": version.published,
                   "published_basis": version.published_basis, "records": version.count, "sha256": version.sha256}
        if older:
            summary["replaced_newer"] = older
        record(db, actor, "list.import", "list_version", version_id, after=summary, reason=reason if older else None)
    _load_or_build(db, store.active_versions(db))  # keep the new index now, so the next start only loads it
    # The consequence belongs to the operation, so no caller (page, CLI import, lists update, the scheduled
    # update) can forget it: every stored subject the new version may concern is screened again, in the background.
    # The delta re-screen is its one subscriber; its summary answers (unpacking fails loudly if that changes).
    [rescreen] = events.publish(db, events.ListVersionImported(actor, source, settings or {}))
    summary["batch_id"] = rescreen["batch_id"]
    summary["rescreen"] = {k: rescreen[k] for k in ("added", "changed", "removed", "screened")}
    summary["rescreen_query_seconds"] = rescreen.get("query_seconds", 0.0)
    return summary


def _older_than(published: Any, previous: dict[str, Any] | None) -> str | None:
    """The loaded version's publication date when the new one was published before it, else None."""
    if previous is None or not previous.get("published") or published is None:
        return None
    return previous["published"] if published.isoformat() < previous["published"] else None


def entry_from_json(data: str) -> ListEntry:
    raw = json.loads(data)
    for key in ("aliases", "birth_dates", "countries", "programmes", "weak_aliases", "topics"):
        raw[key] = tuple(raw.get(key) or ())
    raw["identifiers"] = tuple(tuple(pair) for pair in raw.get("identifiers") or ())
    return ListEntry(**raw)


_ENTRY_FIELDS = tuple(f.name for f in fields(ListEntry))


class AppListIndex:
    """The active list versions, indexed for screening; implements ``checks.ListIndex``."""

    def __init__(self, versions: list[dict[str, Any]], index: NameIndex, hashes: dict[tuple[str, str], str],
                 thresholds: Thresholds) -> None:
        self._versions = versions
        self._index = index
        self._hashes = hashes
        self.thresholds = thresholds
        self._published = {v["source"]: v["published"] for v in versions}
        self._as_dict: dict[tuple[str, str], dict[str, Any]] = {}  # an entry's fields, written out once

    def _entry_dict(self, list_key: str, entry: ListEntry) -> dict[str, Any]:
        key = (list_key, entry.source_id)
        found = self._as_dict.get(key)
        if found is None:
            # What ``asdict`` gives, without its deep copy: every field is a string, a flag or a tuple of strings.
            found = self._as_dict[key] = {name: getattr(entry, name) for name in _ENTRY_FIELDS}
        return found

    def versions(self) -> list[dict[str, Any]]:
        return [{k: v.get(k) for k in ("source", "published", "published_basis", "sha256", "record_count", "imported_at")}
                for v in self._versions]

    def screen(self, subject: Subject) -> list[ListMatch]:
        query = Query(name=subject.name, kind=subject.kind, birth_date=subject.birth_date, country=subject.country,
                      identifiers=tuple(subject.identifiers.items()))
        published = self._published
        return [ListMatch(
            list=match.list_key, list_version=published.get(match.list_key), listed_id=match.entry.source_id,
            listed_name=match.entry.name, listed_kind=match.entry.kind, matched_name=match.matched_name,
            query_name=match.query_name, score=match.score, level=match.level(self.thresholds),
            programmes=tuple(match.entry.programmes),
            features=tuple({"feature": f[0], "value": f[1], "weight": f[2], "contribution": f[3], "explanation": f[4]}
                           for f in match.features),
            explanation=explain(match, self.thresholds),
            entry_hash=self._hashes.get((match.list_key, match.entry.source_id), ""),
            entry=self._entry_dict(match.list_key, match.entry),
            weak_alias=match.weak_alias, corroborated=match.corroborated, valid_until=match.entry.valid_until,
            topics=tuple(match.entry.topics),
        ) for match in screen(self._index, query, limit=10, thresholds=self.thresholds)]


_cache: dict[tuple[Any, ...], AppListIndex] = {}
_lock = threading.Lock()


@functools.cache
def _matching_code() -> str:
    """A fingerprint of the matching code: the kept index holds its results (each listed word's matches),
    so an index kept by another version of that code is built again, bumped ``FORMAT`` or not."""
    digest = hashlib.sha256()
    for path in sorted(Path(matching.__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _versions_key(versions: list[dict[str, Any]]) -> str:
    """One string naming a set of active versions: the kept index is valid for exactly that set (and code)."""
    ids = [NameIndex.FORMAT, _matching_code(), *((v["id"], v["sha256"], v["imported_at"]) for v in versions)]
    return hashlib.sha256(json.dumps(ids).encode()).hexdigest()


def _build(db: sqlite_utils.Database, versions: list[dict[str, Any]], key: str | None = None,
           keep: Path | None = None, signing: bytes = b"") -> tuple[NameIndex, dict[tuple[str, str], str]]:
    """The index of these versions from the database; also written to ``keep`` (under ``key``) when given."""
    pairs, hashes = [], {}
    keys, ids, texts, hash_list = [], [], [], []
    for version in versions:
        for row in store.entries(db, version["id"]):
            entry = entry_from_json(row["data"])
            pairs.append((version["source"], entry))
            hashes[(version["source"], entry.source_id)] = row["entry_hash"]
            keys.append(version["source"])
            ids.append(entry.source_id)
            texts.append(row["data"])
            hash_list.append(row["entry_hash"])
    index = NameIndex(pairs)
    if keep is not None and key is not None and signing:
        try:
            index_file.save(keep, key, signing, index, keys, ids, texts, hash_list)
        except (OSError, ValueError):
            pass  # a full or read-only folder: the index is still used from memory and kept next time
    return index, hashes


def _load_or_build(db: sqlite_utils.Database, versions: list[dict[str, Any]]) -> tuple[NameIndex, dict[tuple[str, str], str]]:
    """The name index of these versions: loaded from its file when one was kept for them, else built and kept.

    Loading the kept index takes a fraction of building it (see bench/screening.py), so a start
    (``flask screen``, the first screening after a restart) does not rebuild it. The file is used
    only when its signature holds for exactly these versions (``list_index_file``), so a list
    update, a damaged file or one written by anyone without the secret key means a rebuild.
    """
    installed = domain_settings.current()
    folder, signing = installed.list_index_folder, installed.list_index_key
    key = _versions_key(versions)
    if folder is not None and signing:
        enabled = gc.isenabled()
        gc.disable()  # a few hundred thousand small objects, no cycles: collecting meanwhile only re-scans them
        try:
            found = index_file.load(folder, key, signing, entry_from_json)
        finally:
            if enabled:
                gc.enable()
        if found is not None:
            gc.freeze()  # kept for the process's life: later collections need not walk it
            return found
    return _build(db, versions, key, folder, signing)


def list_index(db: sqlite_utils.Database, thresholds: Thresholds) -> AppListIndex:
    """The index of the active versions, built (or loaded) once per set of versions and kept in memory."""
    versions = store.active_versions(db)
    key = (tuple((v["id"], v["sha256"], v["imported_at"]) for v in versions), thresholds)
    with _lock:
        if key not in _cache:
            index, hashes = _load_or_build(db, versions)
            _cache.clear()
            _cache[key] = AppListIndex(versions, index, hashes, thresholds)
        return _cache[key]
