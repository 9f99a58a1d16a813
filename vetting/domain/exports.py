"""Exports: the rows of a list page (same filters, no pages) as a table, and the audit entry for each export."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils
from .message import _l

from ..formatting import identifier
from ..labels import KEY_ROLES
from ..store import audit as audit_store
from ..store import organisations as org_store
from ..store import procurements as procurement_store
from ..store import reports as report_store
from ..store import write_transaction
from .audit import Actor, record
from .identifiers import IDENTIFIER_TYPES, mask_personnummer, mask_personnummer_in_text
from . import screening_status
from .reports import PERSONAL_FINDINGS, shown_reason
from .screening import all_checks
from ..vocabulary.outcomes import finding_line, plain_reason
from ..vocabulary.words import STATUSES

# The list stores page their results; an export wants every row the filters select.
EVERY_ROW = 2**62
STATUS_NAMES = STATUSES  # the one vocabulary (vetting/vocabulary)
DATASETS = ("organisations", "key_persons", "outcomes", "audit")


@dataclass
class Table:
    """A dataset ready to write: column headings, rows of plain values, and the filters that chose them."""

    dataset: str
    headings: list[str]
    rows: list[list[Any]]
    filters: dict[str, str] = field(default_factory=dict)


def _used(filters: Mapping[str, Any]) -> dict[str, str]:
    """The filters actually set, as text (for the file and its audit entry)."""
    return {k: str(v) for k, v in filters.items() if v not in (None, "")}


def _selected(db: sqlite_utils.Database, text: str, country: str, procurement_id: int | None) -> dict[int, str]:
    """Organisations (id -> name) selected like the organisations list (name/identifier, country), or within a
    procurement's chain when ``procurement_id`` is given."""
    listed = {o["id"]: o["name"] for o in org_store.search(db, text=text, country=country, page_size=EVERY_ROW)[0]}
    if procurement_id is None:
        return listed
    chain = {p["organisation_id"]: p["organisation_name"] for p in procurement_store.participants(db, procurement_id)}
    return {i: name for i, name in chain.items() if i in listed}


def organisations(db: sqlite_utils.Database, *, text: str = "", country: str = "") -> Table:
    """The organisations list with its search and country filter, every page."""
    rows, _total = org_store.search(db, text=text, country=country, page_size=EVERY_ROW)
    return Table("organisations", [str(h) for h in (
        _l("Id"), _l("Name"), _l("Country"), _l("Identifier type"), _l("Identifier"), _l("Address"),
        _l("Industry code (SNI)"), _l("Procurements"), _l("Key persons"), _l("Registered"))],
        [[o["id"], o["name"], o["country"], str(IDENTIFIER_TYPES.get(o["identifier_type"], "")) if o["identifier_type"]
          else "", identifier(o["identifier"], o["identifier_type"]), o["address"], o["industry_code"] or "",
          o["procurement_count"], o["key_person_count"], o["created_at"]] for o in rows],
        _used({"q": text, "country": country}))


def key_persons(db: sqlite_utils.Database, *, text: str = "", country: str = "",
                procurement_id: int | None = None) -> Table:
    """Key persons of the selected organisations; the personnummer is always masked."""
    people = report_store.key_persons(db, list(_selected(db, text, country, procurement_id)))
    return Table("key_persons", [str(h) for h in (
        _l("Organisation"), _l("Identifier"), _l("Name"), _l("Role"), _l("Personnummer"), _l("Birth date"),
        _l("Nationality"), _l("Source"), _l("Since"))],
        [[p["organisation_name"], identifier(p["organisation_identifier"], p["organisation_identifier_type"]),
          p["name"], str(KEY_ROLES.get(p["role"], p["role"])), mask_personnummer(p["personnummer"]),
          p["birth_date"] or "", p["nationality"] or "", p["source"], p["role_since"]] for p in people],
        _used({"q": text, "country": country, "procurement_id": procurement_id}))


def outcomes(db: sqlite_utils.Database, *, text: str = "", country: str = "", procurement_id: int | None = None,
             status: str = "", personal_data: bool = False, language: str = "sv") -> Table:
    """Newest outcome per check of the selected organisations (and, with personal data, of their key persons)."""
    names = _selected(db, text, country, procurement_id)
    org_ids = list(names)
    subjects: list[tuple[str, str, dict[str, Any]]] = [
        ("organisation", names[o["subject_id"]], o) for o in screening_status.newest_outcomes(db, "organisation", org_ids)]
    if personal_data:
        people = report_store.key_persons(db, org_ids)
        who = {p["person_id"]: f"{p['name']} ({p['organisation_name']})" for p in people}
        subjects += [("person", who[o["subject_id"]], o)
                     for o in screening_status.newest_outcomes(db, "person", list(who))]
    subjects.sort(key=lambda s: (s[0] != "organisation", s[1].casefold(), s[2]["check_id"]))
    checks = all_checks()
    rows = []
    for kind, name, o in subjects:
        if status and o["effective"] != status:  # as the pages show it: a dismissed match is clear
            continue
        check = checks.get(o["check_id"])
        # In the reader's language through the vocabulary the pages use; a cell holds plain text.
        shown = [f for f in o["findings"] if personal_data or f["code"] not in PERSONAL_FINDINGS]
        said = "; ".join(finding_line(f, o["check_id"], mask=not personal_data).striptags() for f in shown)
        if len(shown) < len(o["findings"]):
            said = "; ".join(filter(None, (said, str(_l("Details about persons are withheld for your role.")))))
        reason = plain_reason(shown_reason(o), o["check_id"])
        if not personal_data:  # a sole trader's number (a personnummer) in a register's words
            reason = mask_personnummer_in_text(reason)
        rows.append([o["id"], str(_l("Organisation") if kind == "organisation" else _l("Key person")), name,
                     check.name.get(language, o["check_id"]) if check else o["check_id"],
                     str(STATUS_NAMES.get(o["effective"], o["effective"])), o["created_at"], o["run_by"], reason, said])
    return Table("outcomes", [str(h) for h in (
        _l("Outcome"), _l("Subject type"), _l("Subject"), _l("Check"), _l("Result"), _l("When"), _l("Run by"),
        _l("Reason"), _l("What it said"))], rows,
        _used({"q": text, "country": country, "procurement_id": procurement_id, "status": status}))


def audit_entries(db: sqlite_utils.Database, *, actor: str = "", action: str = "", record_type: str = "",
                  record_id: str = "", date_from: str = "", date_to: str = "") -> Table:
    """The audit log with the audit page's filters, newest first: the stored values (JSON before/after and the
    hashes, to verify the chain outside the app) and beside them the user's name, the action in words and the
    change as "field: before → after" lines, as the page shows them."""
    from ..vocabulary import action_label
    from ..vocabulary.audit import changes

    rows, _total = audit_store.search(db, actor=actor, action=action, record_type=record_type, record_id=record_id,
                                      date_from=date_from, date_to=date_to, page_size=EVERY_ROW)
    columns = ("id", "at", "actor", "action", "record_type", "record_id", "before_json", "after_json", "reason")

    def readable(row: dict[str, Any]) -> list[str]:
        lines = [f"{field}: {old or '—'} → {new or '—'}" for field, old, new in changes(row["before_json"],
                                                                                         row["after_json"])]
        return [row["actor_name"] or row["actor"], action_label(row["action"]), "\n".join(lines)]

    return Table("audit", [str(h) for h in (
        _l("Id"), _l("When"), _l("User"), _l("Action"), _l("Record type"), _l("Record id"), _l("Before"),
        _l("After"), _l("Reason"), _l("Name"), _l("What happened"), _l("Change"), "prev_hash", "hash")],
        [[r[c] if r[c] is not None else "" for c in columns] + readable(r) + [r["prev_hash"], r["hash"]]
         for r in rows],
        _used({"actor": actor, "action": action, "record_type": record_type, "record_id": record_id,
               "from": date_from, "to": date_to}))


def record_export(db: sqlite_utils.Database, actor: Actor, table: Table, file_format: str) -> int:
    """Audit an export: who, which dataset, in what format, with which filters, how many rows."""
    with write_transaction(db):
        return record(db, actor, "export.download", "export", table.dataset,
                      after={"dataset": table.dataset, "format": file_format, "filters": table.filters,
                             "rows": len(table.rows)})
