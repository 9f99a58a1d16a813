"""The person merge queue: a typed personnummer that is already stored, waiting for a security officer."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlite_utils

from . import utcnow

# The typed number of a person still in the queue, shown (masked) like a stored one: the typist
# must not be able to tell a queued person from a new one.
PENDING_NUMBER = ("(SELECT m.personnummer FROM person_merges m WHERE m.person_id = p.id AND m.resolved_at IS NULL"
                  " ORDER BY m.id LIMIT 1)")


def insert(db: sqlite_utils.Database, person_id: int, personnummer: str, created_by: str) -> int:
    """Queue a new person whose typed number another person already has; return the queue id."""
    cursor = db.execute("INSERT INTO person_merges (person_id, personnummer, created_at, created_by) VALUES (?, ?, ?, ?)",
                        [person_id, personnummer, utcnow(), created_by])
    return int(cursor.lastrowid)


@dataclass(frozen=True)
class _Queue:
    """What the person and the organisation queues differ in: an entry (``m``) names a new record (``n``) whose
    typed number the stored record ``s`` already has."""

    entries: str  # the queue table
    records: str  # the table of the new and the stored record
    new_id: str  # the entry's column naming the new record
    same_number: str  # when ``s`` holds the entry's typed number


_PERSONS = _Queue("person_merges", "persons", "person_id", "s.personnummer = m.personnummer")
_ORGANISATIONS = _Queue("organisation_merges", "organisations", "organisation_id",
                        "s.identifier_type = m.identifier_type AND s.identifier = m.identifier")


def _open_entries(db: sqlite_utils.Database, queue: _Queue, extra_columns: str = "") -> list[dict[str, Any]]:
    """A queue's unresolved entries, oldest first, with the new and the stored record (``extra_columns`` may read
    ``n`` and ``s``)."""
    return list(db.query(
        f"SELECT m.id, m.created_at, m.created_by, m.{queue.new_id}, n.name AS new_name, s.id AS stored_id,"
        f" s.name AS stored_name{extra_columns} FROM {queue.entries} m"
        f" JOIN {queue.records} n ON n.id = m.{queue.new_id} LEFT JOIN {queue.records} s ON {queue.same_number}"
        " WHERE m.resolved_at IS NULL ORDER BY m.id"))


def _get_open(db: sqlite_utils.Database, queue: _Queue, merge_id: int) -> dict[str, Any] | None:
    """One unresolved entry of a queue with the id of the stored record holding the number (None when gone)."""
    rows = list(db.query(f"SELECT m.*, s.id AS stored_id FROM {queue.entries} m LEFT JOIN {queue.records} s"
                         f" ON {queue.same_number} WHERE m.id = ? AND m.resolved_at IS NULL", [merge_id]))
    return rows[0] if rows else None


def open_items(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Unresolved queue entries with the new person, the stored person and the organisations of each."""
    return _open_entries(db, _PERSONS, "".join(
        f", (SELECT group_concat(o.name, ', ') FROM key_roles k JOIN organisations o ON o.id = k.organisation_id"
        f" WHERE k.person_id = {who}.id) AS {name}_organisations" for who, name in (("n", "new"), ("s", "stored"))))


def get_open(db: sqlite_utils.Database, merge_id: int) -> dict[str, Any] | None:
    """One unresolved entry with the id of the stored person holding the number (None when gone)."""
    return _get_open(db, _PERSONS, merge_id)


def resolve(db: sqlite_utils.Database, merge_id: int, decision: str, resolved_by: str, merged_into: int | None) -> None:
    """Close an entry; the typed number leaves the queue (it lives on in the stored person or nowhere)."""
    db.execute("UPDATE person_merges SET resolved_at = ?, resolved_by = ?, decision = ?, merged_into = ?,"
               " personnummer = NULL WHERE id = ?", [utcnow(), resolved_by, decision, merged_into, merge_id])


def move_key_roles(db: sqlite_utils.Database, from_person: int, to_person: int) -> int:
    """Give the stored person the queued person's roles (a role already held is dropped); return how many moved."""
    moved = db.execute("UPDATE OR IGNORE key_roles SET person_id = ? WHERE person_id = ?", [to_person, from_person]).rowcount
    db.execute("DELETE FROM key_roles WHERE person_id = ?", [from_person])
    return moved


def erase_person(db: sqlite_utils.Database, person_id: int) -> int:
    """Forget the typed numbers queued for a person being erased; return how many."""
    return db.execute("UPDATE person_merges SET personnummer = NULL WHERE person_id = ? AND personnummer IS NOT NULL",
                      [person_id]).rowcount


def count_open(db: sqlite_utils.Database) -> int:
    """How many entries wait for a security officer."""
    return db.execute("SELECT count(*) FROM person_merges WHERE resolved_at IS NULL").fetchone()[0]


def entries_about(db: sqlite_utils.Database, person_id: int, personnummer: str | None) -> list[dict[str, Any]]:
    """Queue entries about a person (for their register extract): a number typed that is theirs, the person
    queued themselves, or merged into them; with the queued person's name, oldest first."""
    return list(db.query(
        "SELECT m.id, m.person_id, n.name AS queued_name, m.created_at, m.created_by, m.resolved_at, m.resolved_by,"
        " m.decision, m.merged_into FROM person_merges m JOIN persons n ON n.id = m.person_id"
        " WHERE m.person_id = ? OR m.merged_into = ? OR (? IS NOT NULL AND m.personnummer = ?) ORDER BY m.id",
        [person_id, person_id, personnummer, personnummer]))


# Sole traders (migration 0026): an organisation whose typed organisation number (a personnummer) another
# organisation has. The pending number is shown (masked) like a stored one, for the same reason as above.
PENDING_IDENTIFIER = ("(SELECT m.identifier FROM organisation_merges m WHERE m.organisation_id = {o}.id"
                      " AND m.resolved_at IS NULL ORDER BY m.id LIMIT 1)")
PENDING_IDENTIFIER_TYPE = ("(SELECT m.identifier_type FROM organisation_merges m WHERE m.organisation_id = {o}.id"
                           " AND m.resolved_at IS NULL ORDER BY m.id LIMIT 1)")


def insert_organisation(db: sqlite_utils.Database, organisation_id: int, identifier_type: str, identifier: str,
                        created_by: str) -> int:
    """Queue an organisation whose typed number another one has (an earlier open entry for it is withdrawn)."""
    withdraw_organisation(db, organisation_id)
    cursor = db.execute("INSERT INTO organisation_merges (organisation_id, identifier_type, identifier, created_at,"
                        " created_by) VALUES (?, ?, ?, ?, ?)",
                        [organisation_id, identifier_type, identifier, utcnow(), created_by])
    return int(cursor.lastrowid)


def withdraw_organisation(db: sqlite_utils.Database, organisation_id: int) -> int:
    """Close an organisation's open entries without a decision (its number was changed); return how many."""
    return db.execute("UPDATE organisation_merges SET resolved_at = ?, resolved_by = 'system', identifier = NULL"
                      " WHERE organisation_id = ? AND resolved_at IS NULL", [utcnow(), organisation_id]).rowcount


def open_organisation_items(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Unresolved organisation entries with the new and the stored organisation."""
    return _open_entries(db, _ORGANISATIONS)


def get_open_organisation(db: sqlite_utils.Database, merge_id: int) -> dict[str, Any] | None:
    """One unresolved organisation entry with the id of the organisation holding the number (None when gone)."""
    return _get_open(db, _ORGANISATIONS, merge_id)


def resolve_organisation(db: sqlite_utils.Database, merge_id: int, decision: str, resolved_by: str,
                         merged_into: int | None) -> None:
    """Close an organisation entry; the typed number leaves the queue."""
    db.execute("UPDATE organisation_merges SET resolved_at = ?, resolved_by = ?, decision = ?, merged_into = ?,"
               " identifier = NULL WHERE id = ?", [utcnow(), resolved_by, decision, merged_into, merge_id])


def move_organisation(db: sqlite_utils.Database, from_organisation: int, to_organisation: int) -> int:
    """Give the stored organisation the queued one's places in procurements and key persons (a place already
    held stays with the queued one); return how many places moved."""
    moved = db.execute("UPDATE OR IGNORE participants SET organisation_id = ? WHERE organisation_id = ?",
                       [to_organisation, from_organisation]).rowcount
    db.execute("UPDATE OR IGNORE key_roles SET organisation_id = ? WHERE organisation_id = ?",
               [to_organisation, from_organisation])
    # The queued record stays (its audit history, outcomes and any place it could not give up point at it) but
    # is marked merged: no longer listed or searchable (the search triggers of migration 0027 drop it).
    db.execute("UPDATE organisations SET merged_into = ?, updated_at = ? WHERE id = ?",
               [to_organisation, utcnow(), from_organisation])
    return moved


def erase_identifier(db: sqlite_utils.Database, identifier: str) -> int:
    """Forget a sole trader's number typed into the queue (its owner is being erased), as an organisation number
    or as the VAT number built from it; return how many."""
    return db.execute("UPDATE organisation_merges SET identifier = NULL WHERE (identifier_type = 'se_orgnr'"
                      " AND identifier = ?) OR (identifier_type = 'vat' AND identifier = 'SE' || ? || '01')",
                      [identifier, identifier]).rowcount
