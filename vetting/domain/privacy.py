"""A person's access log and register extract (GDPR art. 15): both audited as accesses themselves."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from typing import Any

import sqlite_utils
from .message import _l

from ..store import organisations as org_store
from ..store import outcomes as outcome_store
from ..store import merges as merge_store
from ..store import privacy as store
from ..store import reviews as review_store
from ..store import write_transaction
from .audit import Actor, record
from .errors import InvalidInput, NotFound
from .identifiers import format_personnummer


def _person(db: sqlite_utils.Database, person_id: int) -> dict[str, Any]:
    person = org_store.get_person(db, person_id)
    if person is None:
        raise NotFound(_l("No such person."))
    return person


def access_log(db: sqlite_utils.Database, actor: Actor, person_id: int) -> dict[str, Any]:
    """Who saw, revealed, exported or extracted the person's data, when and why; this look is audited too.

    Returns the person's name and id (never the personnummer), the entries filed under the person
    newest first, the reports and exports that may have included them (``indirect``: reports on
    their organisations or those organisations' procurements, exports of key persons or
    outcomes; those entries are not filed per person), and the person's erasures.
    """
    person = _person(db, person_id)
    with write_transaction(db):
        record(db, actor, "person.access_log", "person", person_id)
    entries = store.access_entries(db, person_id)
    indirect = store.indirect_access_entries(db, store.organisations_of_person(db, person_id))
    for entry in entries + indirect:
        entry["detail"] = json.loads(entry.pop("after_json")) if entry.get("after_json") else None
    return {"person": {"id": person["id"], "name": person["name"], "erased_at": person["erased_at"]},
            "entries": entries, "indirect": indirect, "erasures": store.erasures(db, person_id)}


def register_extract(db: sqlite_utils.Database, actor: Actor, person_id: int, reason: str,
                     output: str = "json") -> tuple[dict[str, Any], bytes, str]:
    """Everything stored about one person, for the data subject; audited with the reason and a digest.

    Returns the extract, its JSON document and the document's SHA-256 (kept in the audit entry,
    so an issued extract can be recognised later).

    Holds the person row with the full personnummer, their current roles, every screening outcome
    about them with its evidence metadata (no bodies: those are the lists' and registers' data),
    match decisions, accepted errors, alerts, merge-queue entries (a number typed that is theirs, or
    they queued or merged), erasures, and every audit entry about them. Nothing
    about other persons: only records whose subject is this person are read.
    """
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_l("Give the reason for the extract, e.g. the request's reference number."), "reason")
    person = _person(db, person_id)
    if person["personnummer"]:
        person["personnummer_formatted"] = format_personnummer(person["personnummer"])
    evidence: dict[int, list[dict[str, Any]]] = {}
    for row in store.person_evidence(db, person_id):
        evidence.setdefault(row["outcome_id"], []).append(row)
    outcomes = [{**o, "evidence": evidence.get(o["id"], [])}
                for o in reversed(outcome_store.history(db, "person", person_id, limit=100_000))]
    audit = store.audit_about(db, person_id)
    for entry in audit:
        for key in ("before_json", "after_json"):
            entry[key[:-5]] = json.loads(entry.pop(key)) if entry.get(key) else None
    extract = {
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "generated_by": actor.username,
        "person": person,
        "roles": org_store.roles_of_person(db, person_id),
        "outcomes": outcomes,
        "match_decisions": list(reversed(review_store.for_subject(db, "person", person_id))),
        "accepted_errors": store.outcome_overrides(db, person_id),
        "alerts": store.person_alerts(db, person_id),
        "merge_queue": merge_store.entries_about(db, person_id, person["personnummer"]),
        "erasures": [{**e, "counts": json.loads(e["counts"])} for e in store.erasures(db, person_id)],
        "audit_entries": audit,
    }
    document = extract_json(extract)
    digest = hashlib.sha256(document).hexdigest()
    with write_transaction(db):
        record(db, actor, "person.extract", "person", person_id, reason=reason,
               after={"format": output, "sha256": digest, "outcomes": len(outcomes), "audit_entries": len(audit)})
    return extract, document, digest


def extract_json(extract: dict[str, Any]) -> bytes:
    """The extract as the downloadable JSON document (UTF-8, stable key order)."""
    return json.dumps(extract, ensure_ascii=False, indent=2, sort_keys=True, default=str).encode("utf-8")
