"""The listed entity's profile beside the subject on a match: who the list says it is, from the list version the
match was made against (birth dates, nationality, programme, reason, listing date, list and version)."""
from __future__ import annotations

from typing import Any

import sqlite_utils

from ..store import lists as list_store


def profiles(db: sqlite_utils.Database, outcome: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """Per match of a list outcome, keyed (list, listed id): the entry as it was listed when matched.

    The entry is found by its content fingerprint (``entry_hash``), so a later edit of the list never changes
    what the officer sees beside an old match. Matches whose entry is no longer stored get the fields the match
    itself keeps (name, programmes, list, version).
    """
    out = {}
    for match in outcome.get("explanation") or ():
        if not isinstance(match, dict) or "listed_id" not in match:
            continue
        entry = list_store.entry_by_hash(db, match.get("list", ""), match["listed_id"], match.get("entry_hash", "")) or {}
        out[(match.get("list"), match["listed_id"])] = {
            "name": entry.get("name") or match.get("listed_name"),
            "kind": entry.get("kind") or match.get("listed_kind"),
            "aliases": list(entry.get("aliases") or ())[:5],
            "birth_dates": list(entry.get("birth_dates") or ()),
            "countries": list(entry.get("countries") or ()),
            "identifiers": [tuple(i) for i in entry.get("identifiers") or ()][:6],
            "programmes": list(entry.get("programmes") or match.get("programmes") or ()),
            "remarks": entry.get("remarks") or "",
            "listed_on": entry.get("listed_on"),
            "list": match.get("list"),
            "list_version": match.get("list_version"),
            "stored": bool(entry),
        }
    return out
