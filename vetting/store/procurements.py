"""Procurements and the organisations taking part in them (a tree of subcontractors)."""
from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import sqlite_utils

from . import escape_like, page_clause, utcnow
from .merges import PENDING_IDENTIFIER, PENDING_IDENTIFIER_TYPE

COLUMNS = ("reference", "title", "description", "cpv_code", "category", "risk_industry", "estimated_value",
           "currency", "protection_level", "phase", "responsible_user_id", "annual_value", "required_staff",
           "labour_intensive")


def _filters(text: str, phase: str, protection_level: str, risk_industry: bool | None,
             ids: Sequence[int] | None) -> tuple[str, list[Any]]:
    where: list[str] = ["1=1"]
    params: list[Any] = []
    if ids is not None:
        where.append("p.id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(list(ids)))
    if text:
        where.append("(p.reference LIKE ? ESCAPE '\\' OR p.title LIKE ? ESCAPE '\\')")
        params += [f"%{escape_like(text)}%"] * 2
    if phase:
        where.append("p.phase = ?")
        params.append(phase)
    if protection_level:
        where.append("p.protection_level = ?")
        params.append(protection_level)
    if risk_industry is not None:
        where.append("p.risk_industry = ?")
        params.append(int(risk_industry))
    return " AND ".join(where), params


def search_ids(db: sqlite_utils.Database, *, text: str = "", phase: str = "", protection_level: str = "",
               risk_industry: bool | None = None) -> list[int]:
    """The ids of every procurement matching the filters, in list order (newest first)."""
    condition, params = _filters(text, phase, protection_level, risk_industry, None)
    return [r[0] for r in db.execute(f"SELECT p.id FROM procurements p WHERE {condition}"
                                     " ORDER BY p.created_at DESC, p.id DESC", params).fetchall()]


def organisations_of(db: sqlite_utils.Database, procurement_ids: Sequence[int]) -> dict[int, list[int]]:
    """Per procurement: the organisations taking part at any depth (one statement)."""
    out: dict[int, list[int]] = {pid: [] for pid in procurement_ids}
    for row in db.execute("SELECT DISTINCT procurement_id, organisation_id FROM participants"
                          " WHERE procurement_id IN (SELECT value FROM json_each(?)) ORDER BY procurement_id, id",
                          [json.dumps(list(procurement_ids))]).fetchall():
        out[row[0]].append(row[1])
    return out


def search(db: sqlite_utils.Database, *, text: str = "", phase: str = "", protection_level: str = "",
           risk_industry: bool | None = None, page: int = 1, page_size: int = 25,
           ids: Sequence[int] | None = None) -> tuple[list[dict[str, Any]], int]:
    """Procurements matching the filters (and among ``ids`` when given), newest first; return (page rows, total)."""
    condition, params = _filters(text, phase, protection_level, risk_industry, ids)
    total = db.execute(f"SELECT count(*) FROM procurements p WHERE {condition}", params).fetchone()[0]
    limit, limit_params = page_clause(page, page_size)
    rows = list(db.query(
        "SELECT p.*, u.display_name AS responsible_name,"
        " (SELECT count(*) FROM participants x WHERE x.procurement_id = p.id) AS participant_count"
        f" FROM procurements p LEFT JOIN users u ON u.id = p.responsible_user_id WHERE {condition}"
        f" ORDER BY p.created_at DESC, p.id DESC{limit}", params + limit_params))
    return rows, total


def get(db: sqlite_utils.Database, procurement_id: int) -> dict[str, Any] | None:
    """One procurement with its responsible officer's name, or None."""
    rows = list(db.query(
        "SELECT p.*, u.display_name AS responsible_name FROM procurements p"
        " LEFT JOIN users u ON u.id = p.responsible_user_id WHERE p.id = ?", [procurement_id]))
    return rows[0] if rows else None


def get_by_reference(db: sqlite_utils.Database, reference: str) -> dict[str, Any] | None:
    """The procurement with this reference number, or None."""
    rows = list(db.query("SELECT * FROM procurements WHERE reference = ?", [reference]))
    return rows[0] if rows else None


def insert(db: sqlite_utils.Database, values: dict[str, Any]) -> int:
    """Create a procurement from known columns; return its id."""
    now = utcnow()
    data = {k: values.get(k) for k in COLUMNS if k in values}
    data.update(created_at=now, updated_at=now)
    cursor = db.execute(f"INSERT INTO procurements ({', '.join(data)}) VALUES ({', '.join('?' for _ in data)})",
                        list(data.values()))
    return int(cursor.lastrowid)


def update(db: sqlite_utils.Database, procurement_id: int, values: dict[str, Any]) -> None:
    """Change known columns of a procurement."""
    data = {k: values[k] for k in COLUMNS if k in values}
    data["updated_at"] = utcnow()
    db.execute(f"UPDATE procurements SET {', '.join(f'{k} = ?' for k in data)} WHERE id = ?",
               [*data.values(), procurement_id])


def participants(db: sqlite_utils.Database, procurement_id: int) -> list[dict[str, Any]]:
    """Every participant of a procurement with its organisation, in insertion order."""
    return list(db.query(
        "SELECT x.*, o.name AS organisation_name, o.country,"
        f" coalesce(o.identifier_type, {PENDING_IDENTIFIER_TYPE.format(o='o')}) AS identifier_type,"
        f" coalesce(o.identifier, {PENDING_IDENTIFIER.format(o='o')}) AS identifier"
        " FROM participants x JOIN organisations o ON o.id = x.organisation_id"
        " WHERE x.procurement_id = ? ORDER BY x.id", [procurement_id]))


def get_participant(db: sqlite_utils.Database, participant_id: int) -> dict[str, Any] | None:
    """One participant row with its organisation's name, or None."""
    rows = list(db.query(
        "SELECT x.*, o.name AS organisation_name FROM participants x JOIN organisations o ON o.id = x.organisation_id"
        " WHERE x.id = ?", [participant_id]))
    return rows[0] if rows else None


def find_participant(db: sqlite_utils.Database, procurement_id: int, organisation_id: int,
                     parent_id: int | None) -> dict[str, Any] | None:
    """The participant with this organisation under this parent, or None."""
    rows = list(db.query(
        "SELECT * FROM participants WHERE procurement_id = ? AND organisation_id = ? AND ifnull(parent_id, 0) = ?",
        [procurement_id, organisation_id, parent_id or 0]))
    return rows[0] if rows else None


def insert_participant(db: sqlite_utils.Database, *, procurement_id: int, organisation_id: int, role: str,
                       parent_id: int | None, share_percent: float | None) -> int:
    """Add an organisation to a procurement; return the participant id."""
    cursor = db.execute(
        "INSERT INTO participants (procurement_id, organisation_id, role, parent_id, share_percent, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)", [procurement_id, organisation_id, role, parent_id, share_percent, utcnow()])
    return int(cursor.lastrowid)


def delete_participant(db: sqlite_utils.Database, participant_id: int) -> None:
    """Remove a participant and (by cascade) everything under it."""
    db.execute("DELETE FROM participants WHERE id = ?", [participant_id])


def procurements_of_organisation(db: sqlite_utils.Database, organisation_id: int) -> list[dict[str, Any]]:
    """The procurements an organisation takes part in, with its role there."""
    return list(db.query(
        "SELECT p.id, p.reference, p.title, p.phase, x.role, x.id AS participant_id FROM participants x"
        " JOIN procurements p ON p.id = x.procurement_id WHERE x.organisation_id = ? ORDER BY p.created_at DESC",
        [organisation_id]))
