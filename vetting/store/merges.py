"""The person merge queue: a typed personnummer that is already stored, waiting for a security officer."""
from __future__ import annotations

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


def open_items(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Unresolved queue entries with the new person, the stored person and the organisations of each."""
    return list(db.query(
        "SELECT m.id, m.created_at, m.created_by, m.person_id, n.name AS new_name, s.id AS stored_id,"
        " s.name AS stored_name,"
        " (SELECT group_concat(o.name, ', ') FROM key_roles k JOIN organisations o ON o.id = k.organisation_id"
        "  WHERE k.person_id = n.id) AS new_organisations,"
        " (SELECT group_concat(o.name, ', ') FROM key_roles k JOIN organisations o ON o.id = k.organisation_id"
        "  WHERE k.person_id = s.id) AS stored_organisations"
        " FROM person_merges m JOIN persons n ON n.id = m.person_id"
        " LEFT JOIN persons s ON s.personnummer = m.personnummer"
        " WHERE m.resolved_at IS NULL ORDER BY m.id"))


def get_open(db: sqlite_utils.Database, merge_id: int) -> dict[str, Any] | None:
    """One unresolved entry with the id of the stored person holding the number (None when gone)."""
    rows = list(db.query("SELECT m.*, s.id AS stored_id FROM person_merges m"
                         " LEFT JOIN persons s ON s.personnummer = m.personnummer"
                         " WHERE m.id = ? AND m.resolved_at IS NULL", [merge_id]))
    return rows[0] if rows else None


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
