"""Queries behind common denominators: shared key persons, addresses and contact details."""
from __future__ import annotations

from typing import Any

import sqlite_utils

from .outcomes import is_newest


def organisations_sharing_persons(db: sqlite_utils.Database, organisation_id: int) -> list[dict[str, Any]]:
    """Other organisations where a key person of this one also holds a role."""
    return list(db.query(
        "SELECT DISTINCT other.organisation_id, o.name AS organisation_name, p.id AS person_id, p.name AS person_name"
        " FROM key_roles mine JOIN key_roles other ON other.person_id = mine.person_id"
        " AND other.organisation_id != mine.organisation_id JOIN organisations o ON o.id = other.organisation_id"
        " JOIN persons p ON p.id = mine.person_id WHERE mine.organisation_id = ?", [organisation_id]))


def organisations_with(db: sqlite_utils.Database, column: str, value: str, exclude_id: int) -> list[dict[str, Any]]:
    """Organisations with the same normalised address, phone, e-mail domain or bank account."""
    expressions = {
        "address": "lower(replace(replace(address, ' ', ''), ',', ''))",
        "phone": "replace(replace(replace(phone, ' ', ''), '-', ''), '+46', '0')",
        "email_domain": "lower(substr(email, instr(email, '@') + 1))",
        "bank_account": "upper(replace(replace(bank_account, ' ', ''), '-', ''))",
    }
    expression = expressions[column]
    return list(db.query(f"SELECT id, name FROM organisations WHERE id != ? AND merged_into IS NULL"
                         f" AND {expression} = ? AND {expression} != ''", [exclude_id, value]))


def normalised(db: sqlite_utils.Database, organisation_id: int) -> dict[str, str]:
    """This organisation's contact details in the normalised forms ``organisations_with`` compares."""
    row = db.execute(
        "SELECT lower(replace(replace(address, ' ', ''), ',', '')),"
        " replace(replace(replace(ifnull(phone, ''), ' ', ''), '-', ''), '+46', '0'),"
        " lower(substr(ifnull(email, ''), instr(ifnull(email, ''), '@') + 1)),"
        " upper(replace(replace(ifnull(bank_account, ''), ' ', ''), '-', ''))"
        " FROM organisations WHERE id = ?", [organisation_id]).fetchone()
    if row is None:
        return {}
    return {k: v for k, v in zip(("address", "phone", "email_domain", "bank_account"), row) if v}


def failed_engagements(db: sqlite_utils.Database, person_id: int, exclude_organisation: int) -> list[dict[str, Any]]:
    """Other organisations of a person whose newest register outcome says bankrupt, in liquidation or deleted."""
    return list(db.query(
        "SELECT DISTINCT o.id, o.name FROM key_roles k JOIN organisations o ON o.id = k.organisation_id"
        " JOIN outcomes x ON x.subject_kind = 'organisation' AND x.subject_id = o.id"
        f" AND {is_newest('x')}"
        " WHERE k.person_id = ? AND o.id != ? AND EXISTS (SELECT 1 FROM json_each(x.findings) f"
        " WHERE json_extract(f.value, '$.code') IN ('company.bankrupt', 'company.liquidation', 'company.deleted',"
        " 'company.forcibly_dissolved') AND json_extract(f.value, '$.value') IN (1, 'true'))",
        [person_id, exclude_organisation]))


def engagements(db: sqlite_utils.Database, person_id: int) -> int:
    """In how many organisations the person holds a key role."""
    return db.execute("SELECT count(DISTINCT organisation_id) FROM key_roles WHERE person_id = ?", [person_id]).fetchone()[0]
