"""Organisations (suppliers), persons and their key roles in organisations."""
from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from typing import Any

import sqlite_utils

from . import escape_like, page_clause, utcnow
from .merges import PENDING_IDENTIFIER, PENDING_IDENTIFIER_TYPE, PENDING_NUMBER

COLUMNS = ("name", "country", "identifier_type", "identifier", "address", "industry_code", "phone", "email", "bank_account")
PERSON_COLUMNS = ("name", "personnummer", "birth_date", "nationality")


# The part of an identifier a text filter matches: all of it, but of a sole trader's organisation number
# (a personnummer; the rule of domain/identifiers.is_sole_trader) only the date part every role sees, so
# filtering by nine digits and then a tenth cannot spell it out. The search indexes hold the same
# (migration 0022).
# A queued organisation's typed number counts as its own (``store/merges.py``).
_IDENTIFIER = f"coalesce(o.identifier, {PENDING_IDENTIFIER.format(o='o')})"
# A VAT number built from a sole trader's number (SE + ten digits + 01) likewise: "SE" and the date part.
_IDENTIFIER_TYPE = f"coalesce(o.identifier_type, {PENDING_IDENTIFIER_TYPE.format(o='o')})"
SEARCHABLE_IDENTIFIER = (f"CASE WHEN {_IDENTIFIER_TYPE} = 'se_orgnr'"
                         f" AND length({_IDENTIFIER}) = 10 AND substr({_IDENTIFIER}, 3, 1) IN ('0', '1')"
                         f" THEN substr({_IDENTIFIER}, 1, 6) WHEN {_IDENTIFIER_TYPE} = 'vat'"
                         f" AND length({_IDENTIFIER}) = 14 AND upper(substr({_IDENTIFIER}, 1, 2)) = 'SE'"
                         f" AND substr({_IDENTIFIER}, 5, 1) IN ('0', '1') THEN 'SE' || substr({_IDENTIFIER}, 3, 6)"
                         f" ELSE {_IDENTIFIER} END")


def _trigram_candidates(text: str, compact: str) -> str | None:
    """An FTS5 expression for the trigram index (migration 0029) that finds at least every organisation the text
    filter's LIKE finds, so that only those few are tested (not all 10,000); None when the index cannot help:
    a piece shorter than three characters has no trigram, and a control character could end the expression."""
    if len(text) < 3 or len(compact) < 3 or any(unicodedata.category(ch)[0] == "C" for ch in text):
        return None
    return '{name} : "%s" OR {identifier} : "%s"' % (text.replace('"', '""'), compact.replace('"', '""'))


def _filters(text: str, country: str, ids: Sequence[int] | None) -> tuple[str, list[Any]]:
    where: list[str] = ["o.merged_into IS NULL"]  # a record merged into another is not listed (migration 0027)
    params: list[Any] = []
    if ids is not None:
        where.append("o.id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(list(ids)))
    if text:
        compact = text.replace('-', '').replace(' ', '')
        candidates = _trigram_candidates(text, compact)
        if candidates:
            where.append("o.id IN (SELECT rowid FROM search_organisations_trigram WHERE search_organisations_trigram"
                         " MATCH ?)")
            params.append(candidates)
        where.append(f"(o.name LIKE ? ESCAPE '\\' OR {SEARCHABLE_IDENTIFIER} LIKE ? ESCAPE '\\')")
        params += [f"%{escape_like(text)}%", f"%{escape_like(compact)}%"]
    if country:
        where.append("o.country = ?")
        params.append(country)
    return " AND ".join(where), params


def _order(text: str, ids: Sequence[int] | None) -> str:
    """By name. With a text filter (or among ids) few rows match: sorting them is cheaper than walking the name
    index through every organisation to find them (the unary + keeps SQLite off the index; 6.8 → 3.0 ms with 10,000).
    Ties by id, as the index walk gives them."""
    return (" ORDER BY +o.name COLLATE NOCASE, o.id" if text or ids is not None else " ORDER BY o.name COLLATE NOCASE, o.id")


def search_ids(db: sqlite_utils.Database, *, text: str = "", country: str = "") -> list[int]:
    """The ids of every organisation matching the filters, in list order (by name)."""
    condition, params = _filters(text, country, None)
    return [r[0] for r in db.execute(f"SELECT o.id FROM organisations o WHERE {condition}{_order(text, None)}",
                                     params).fetchall()]


def search(db: sqlite_utils.Database, *, text: str = "", country: str = "", page: int = 1,
           page_size: int = 25, ids: Sequence[int] | None = None) -> tuple[list[dict[str, Any]], int]:
    """Organisations whose name or identifier contains ``text`` (among ``ids`` when given); return (page rows,
    total)."""
    condition, params = _filters(text, country, ids)
    limit, limit_params = page_clause(page, page_size)
    counts = ("(SELECT count(DISTINCT procurement_id) FROM participants x WHERE x.organisation_id = o.id)"
              " AS procurement_count, (SELECT count(*) FROM key_roles k WHERE k.organisation_id = o.id) AS key_person_count")
    if text:
        # A text filter scans every organisation: count the matches in the same scan that finds the page
        # (the per-row counts only for the page's rows).
        rows = list(db.query(
            f"SELECT o.*, {counts}, page.total FROM (SELECT o.id, o.name, count(*) OVER () AS total FROM organisations o"
            f" WHERE {condition}{_order(text, ids)}{limit}) page JOIN organisations o ON o.id = page.id"
            " ORDER BY page.name COLLATE NOCASE, page.id", params + limit_params))
        for row in rows:
            total = row.pop("total")
        if rows:
            return with_pending_identifiers(db, rows), total
    total = db.execute(f"SELECT count(*) FROM organisations o WHERE {condition}", params).fetchone()[0]
    rows = list(db.query(f"SELECT o.*, {counts} FROM organisations o WHERE {condition}{_order(text, ids)}{limit}",
                         params + limit_params))
    return with_pending_identifiers(db, rows), total


def choices(db: sqlite_utils.Database, limit: int = 1000) -> list[dict[str, Any]]:
    """Id, name and country of organisations by name, for a picker (no per-row counts: it lists hundreds)."""
    return list(db.query("SELECT id, name, country FROM organisations WHERE merged_into IS NULL"
                         " ORDER BY name COLLATE NOCASE LIMIT ?", [limit]))


def find_by_identifier_or_name(db: sqlite_utils.Database, compact: str, name: str) -> list[dict[str, Any]]:
    """Organisations whose identifier (compacted) or name (case-insensitive, exact) is the one given; at most 5."""
    return list(db.query("SELECT id, name FROM organisations WHERE merged_into IS NULL AND"
                         " ((identifier IS NOT NULL AND upper(identifier) = ?) OR name = ? COLLATE NOCASE) LIMIT 5",
                         [compact, name]))


def countries(db: sqlite_utils.Database) -> list[str]:
    """Countries that occur among organisations, for the filter."""
    return [r[0] for r in db.execute("SELECT DISTINCT country FROM organisations ORDER BY country")]


def get(db: sqlite_utils.Database, organisation_id: int) -> dict[str, Any] | None:
    """One organisation, or None."""
    rows = list(db.query("SELECT * FROM organisations WHERE id = ?", [organisation_id]))
    return with_pending_identifiers(db, rows)[0] if rows else None


def with_pending_identifiers(db: sqlite_utils.Database, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with the typed number of an organisation waiting in the merge queue filled in, so that the typist's
    pages look like those of any new organisation (see ``store/merges.py``)."""
    waiting = [row["id"] for row in rows if row.get("identifier") is None]
    if not waiting:
        return rows
    pending = {r[0]: (r[1], r[2]) for r in db.execute(
        f"SELECT organisation_id, identifier_type, identifier FROM organisation_merges WHERE resolved_at IS NULL"
        f" AND identifier IS NOT NULL AND organisation_id IN ({', '.join('?' for _ in waiting)}) ORDER BY id DESC",
        waiting)}
    for row in rows:
        if row["id"] in pending:
            row["identifier_type"], row["identifier"] = pending[row["id"]]
    return rows


def get_many(db: sqlite_utils.Database, organisation_ids: list[int]) -> dict[int, dict[str, Any]]:
    """``get`` for many organisations in one statement (two when some wait in the merge queue), by id."""
    rows = list(db.query("SELECT * FROM organisations WHERE id IN (SELECT value FROM json_each(?))",
                         [json.dumps(sorted(set(organisation_ids)))]))
    return {row["id"]: row for row in with_pending_identifiers(db, rows)}


def find_by_identifier(db: sqlite_utils.Database, identifier_type: str, identifier: str) -> dict[str, Any] | None:
    """The organisation with this identifier, or None."""
    rows = list(db.query("SELECT * FROM organisations WHERE identifier_type = ? AND identifier = ?",
                         [identifier_type, identifier]))
    return rows[0] if rows else None


def insert(db: sqlite_utils.Database, values: dict[str, Any]) -> int:
    """Create an organisation; return its id."""
    now = utcnow()
    data = {k: values.get(k) for k in COLUMNS}
    data["address"] = data["address"] or ""
    data.update(created_at=now, updated_at=now)
    cursor = db.execute(f"INSERT INTO organisations ({', '.join(data)}) VALUES ({', '.join('?' for _ in data)})",
                        list(data.values()))
    return int(cursor.lastrowid)


def update(db: sqlite_utils.Database, organisation_id: int, values: dict[str, Any]) -> None:
    """Change known columns of an organisation."""
    data = {k: values[k] for k in COLUMNS if k in values}
    data["updated_at"] = utcnow()
    db.execute(f"UPDATE organisations SET {', '.join(f'{k} = ?' for k in data)} WHERE id = ?",
               [*data.values(), organisation_id])


def key_persons(db: sqlite_utils.Database, organisation_id: int) -> list[dict[str, Any]]:
    """Key roles of an organisation with the person behind each."""
    return [_with_pending_number(row) for row in db.query(
        f"SELECT k.id AS key_role_id, k.role, k.source, k.created_at AS role_since, p.*, {PENDING_NUMBER} AS pending"
        " FROM key_roles k JOIN persons p ON p.id = k.person_id WHERE k.organisation_id = ?"
        " ORDER BY k.role, p.name", [organisation_id])]


def _with_pending_number(row: dict[str, Any]) -> dict[str, Any]:
    """The person's number, or the one typed for them while they wait in the merge queue."""
    pending = row.pop("pending")
    row["personnummer"] = row["personnummer"] or pending
    return row


def names_of(db: sqlite_utils.Database, kind: str, ids: list[int]) -> dict[int, str]:
    """Names of many organisations (``kind="organisation"``) or persons in one statement, by id."""
    table = {"organisation": "organisations", "person": "persons"}[kind]
    return {row["id"]: row["name"] for row in db.query(
        f"SELECT id, name FROM {table} WHERE id IN (SELECT value FROM json_each(?))", [json.dumps(sorted(set(ids)))])}


def key_persons_of(db: sqlite_utils.Database, organisation_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """``key_persons`` for many organisations in one statement, by organisation id."""
    out: dict[int, list[dict[str, Any]]] = {i: [] for i in organisation_ids}
    for row in db.query(
            "SELECT k.organisation_id AS _organisation_id, k.id AS key_role_id, k.role, k.source,"
            " k.created_at AS role_since, p.* FROM key_roles k JOIN persons p ON p.id = k.person_id"
            " WHERE k.organisation_id IN (SELECT value FROM json_each(?)) ORDER BY k.role, p.name",
            [json.dumps(sorted(set(organisation_ids)))]):
        out[row.pop("_organisation_id")].append(row)
    return out


def key_person_ids(db: sqlite_utils.Database, organisation_ids: list[int]) -> dict[int, list[int]]:
    """For many organisations in one statement: the ids of their key persons."""
    out: dict[int, list[int]] = {i: [] for i in organisation_ids}
    # Plain rows from the connection: the lists read several hundred pairs, a dict per pair was 0.3 ms.
    for organisation_id, person_id in db.conn.execute(
            "SELECT DISTINCT organisation_id, person_id FROM key_roles WHERE organisation_id IN"
            " (SELECT value FROM json_each(?)) ORDER BY person_id", [json.dumps(sorted(set(organisation_ids)))]):
        out[organisation_id].append(person_id)
    return out


def get_person(db: sqlite_utils.Database, person_id: int) -> dict[str, Any] | None:
    """One person, or None; a person in the merge queue carries the number typed for them."""
    rows = list(db.query(f"SELECT p.*, {PENDING_NUMBER} AS pending FROM persons p WHERE p.id = ?", [person_id]))
    return _with_pending_number(rows[0]) if rows else None


def get_persons(db: sqlite_utils.Database, person_ids: list[int]) -> dict[int, dict[str, Any]]:
    """``get_person`` for many persons in one statement, by id."""
    return {row["id"]: _with_pending_number(row) for row in db.query(
        f"SELECT p.*, {PENDING_NUMBER} AS pending FROM persons p WHERE p.id IN (SELECT value FROM json_each(?))",
        [json.dumps(sorted(set(person_ids)))])}


def find_person_by_personnummer(db: sqlite_utils.Database, personnummer: str) -> dict[str, Any] | None:
    """The person with this (12-digit) personnummer, or None."""
    rows = list(db.query("SELECT * FROM persons WHERE personnummer = ?", [personnummer]))
    return rows[0] if rows else None


def insert_person(db: sqlite_utils.Database, values: dict[str, Any]) -> int:
    """Create a person; return the id."""
    now = utcnow()
    data = {k: values.get(k) for k in PERSON_COLUMNS}
    data.update(created_at=now, updated_at=now)
    cursor = db.execute(f"INSERT INTO persons ({', '.join(data)}) VALUES ({', '.join('?' for _ in data)})",
                        list(data.values()))
    return int(cursor.lastrowid)


def update_person(db: sqlite_utils.Database, person_id: int, values: dict[str, Any]) -> None:
    """Change known columns of a person."""
    data = {k: values[k] for k in PERSON_COLUMNS if k in values}
    data["updated_at"] = utcnow()
    db.execute(f"UPDATE persons SET {', '.join(f'{k} = ?' for k in data)} WHERE id = ?", [*data.values(), person_id])


def roles_of_person(db: sqlite_utils.Database, person_id: int) -> list[dict[str, Any]]:
    """Every organisation in which the person holds a role."""
    return list(db.query(
        "SELECT k.id AS key_role_id, k.role, k.source, o.id AS organisation_id, o.name AS organisation_name"
        " FROM key_roles k JOIN organisations o ON o.id = k.organisation_id WHERE k.person_id = ? ORDER BY o.name",
        [person_id]))


def find_key_role(db: sqlite_utils.Database, organisation_id: int, person_id: int, role: str) -> dict[str, Any] | None:
    """The key role row, or None."""
    rows = list(db.query("SELECT * FROM key_roles WHERE organisation_id = ? AND person_id = ? AND role = ?",
                         [organisation_id, person_id, role]))
    return rows[0] if rows else None


def insert_key_role(db: sqlite_utils.Database, organisation_id: int, person_id: int, role: str, source: str) -> int:
    """Give a person a role in an organisation; return the key role id."""
    cursor = db.execute("INSERT INTO key_roles (organisation_id, person_id, role, source, created_at) VALUES (?, ?, ?, ?, ?)",
                        [organisation_id, person_id, role, source, utcnow()])
    return int(cursor.lastrowid)


def get_key_role(db: sqlite_utils.Database, key_role_id: int) -> dict[str, Any] | None:
    """One key role row, or None."""
    rows = list(db.query("SELECT * FROM key_roles WHERE id = ?", [key_role_id]))
    return rows[0] if rows else None


def delete_key_role(db: sqlite_utils.Database, key_role_id: int) -> None:
    """Remove a person's role in an organisation (the person stays)."""
    db.execute("DELETE FROM key_roles WHERE id = ?", [key_role_id])
