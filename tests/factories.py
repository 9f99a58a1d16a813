"""Factories for records in tests, through the domain (audited, as the app writes them), never raw SQL.

Each factory returns ids; values are Swedish-looking defaults that a test overrides where it cares.
"""
from __future__ import annotations

import itertools
import json
from datetime import datetime, timezone
from typing import Any

import sqlite_utils

from checks import Evidence, Finding, Outcome, Status
from vetting.domain import organisations, procurements
from vetting.domain.audit import SYSTEM
from vetting.domain.screening import all_checks, store_outcome, subject_of

_serial = itertools.count(1)


def organisation(db: sqlite_utils.Database, **values: Any) -> int:
    n = next(_serial)
    return organisations.create(db, SYSTEM, {"name": f"Leverantör {n} AB", "country": "SE", "address": "Storgatan 1",
                                             **values})


def procurement(db: sqlite_utils.Database, **values: Any) -> int:
    n = next(_serial)
    return procurements.create(db, SYSTEM, {"reference": f"UH-2026-{n:05d}", "title": "Städtjänster", "phase": "need",
                                            **values})


def key_person(db: sqlite_utils.Database, organisation_id: int, **values: Any) -> int:
    """A key person of the organisation; returns the person's id."""
    n = next(_serial)
    values = {"name": f"Person {n} Andersson", "role": "board_member", "birth_date": f"19{50 + n % 40}-01-01", **values}
    organisations.add_key_person(db, SYSTEM, organisation_id, values)
    return int(db.execute("SELECT person_id FROM key_roles WHERE organisation_id = ? ORDER BY id DESC LIMIT 1",
                          [organisation_id]).fetchone()[0])


def sanctions_outcome(db: sqlite_utils.Database, kind: str, subject_id: int, level: str = "clear") -> int:
    """A stored list-check outcome: clear, or one match at ``level`` (possible_match or hit)."""
    body = json.dumps({"checked": subject_id}).encode()
    evidence = Evidence(source="sanctions", fetched_at=datetime.now(timezone.utc), sha256=Evidence.digest(body),
                        body=body, list_version="2026-11-01", media_type="application/json")
    if level == "clear":
        outcome = Outcome(Status.CLEAR, (), (evidence,))
    else:
        listed = f"QDi.{subject_id:03d}"
        match = {"list": "un", "listed_id": listed, "level": level, "score": 0.9, "entry_hash": listed}
        finding = Finding(f"sanctions.{level}", {"list": "un", "listed_id": listed}, f"un {listed}")
        outcome = Outcome(Status(level), (finding,), (evidence,), None, (match,))
    return store_outcome(db, SYSTEM, subject_of(db, kind, subject_id), all_checks()["sanctions"], outcome)


def screened_procurement(db: sqlite_utils.Database, parties: int, key_persons: int = 3) -> dict[str, Any]:
    """A procurement with ``parties`` bidders, each with key persons, all screened (every fifth a possible match)."""
    proc = procurement(db)
    orgs = []
    for i in range(parties):
        org = organisation(db)
        procurements.add_participant(db, SYSTEM, proc, org, "bidder")
        sanctions_outcome(db, "organisation", org, "possible_match" if i % 5 == 0 else "clear")
        for _ in range(key_persons):
            sanctions_outcome(db, "person", key_person(db, org))
        orgs.append(org)
    return {"procurement": proc, "organisations": orgs}
