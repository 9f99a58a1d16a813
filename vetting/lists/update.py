"""Download each configured list from its publisher and import it: ``flask lists update`` and the scheduled update."""
from __future__ import annotations

import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import sqlite_utils

from ..domain import lists as lists_domain
from ..domain.audit import Actor
from ..domain.errors import DomainError
from .importers import SOURCES


@dataclass(frozen=True)
class UpdateResult:
    """What became of one configured list: imported (with the import's summary) or why not."""

    source: str
    summary: dict[str, Any] | None = None
    problem: str | None = None


def update_lists(db: sqlite_utils.Database, actor: Actor, settings: Mapping[str, Any],
                 timeout: float = 60.0) -> list[UpdateResult]:
    """Fetch every ``LIST_URLS`` entry and import it with ``import_list`` (which starts the delta re-screen).

    A failed download or a refused file leaves the loaded version active and is reported, never
    taken as "no change".
    """
    import requests

    results = []
    for item in settings.get("LIST_URLS", ()):
        source, _, url = str(item).partition("=")
        if source not in SOURCES or urlsplit(url).scheme != "https":
            results.append(UpdateResult(item, problem="not a known source with an https address; skipped"))
            continue
        try:
            response = requests.get(url, timeout=(10, timeout), headers={"User-Agent": "vetting list updater"})
            response.raise_for_status()
        except requests.RequestException as exc:
            results.append(UpdateResult(source, problem=f"download failed ({exc.__class__.__name__}: {exc}); "
                                                        "the loaded version stays"))
            continue
        suffix = ".zip" if response.content[:2] == b"PK" else Path(urlsplit(url).path).suffix or ".xml"
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"{source}{suffix}"
            path.write_bytes(response.content)
            try:
                summary = lists_domain.import_list(db, actor, source, [path], settings=settings)
            except DomainError as exc:
                results.append(UpdateResult(source, problem=str(exc.message)))
                continue
        results.append(UpdateResult(source, summary=summary))
    return results
