"""Key figures per organisation and fiscal year (table company_key_figures, filled from annual reports)."""
from __future__ import annotations

from typing import Any

import sqlite_utils

from . import utcnow

FIGURES = ("net_revenue", "result", "result_after_financial_items", "equity", "share_capital", "solidity",
           "employees", "balance_total")


def upsert(db: sqlite_utils.Database, organisation_id: int, outcome_id: int, year: dict[str, Any]) -> None:
    """Store one fiscal year's figures; a newer report's figures for the same year replace the older ones."""
    columns = ("organisation_id", "fiscal_start", "fiscal_end", *FIGURES, "currency", "document_id", "outcome_id",
               "updated_at")
    values = [organisation_id, year.get("start"), year["end"], *(year.get(f) for f in FIGURES), year.get("currency"),
              year.get("document_id"), outcome_id, utcnow()]
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns[1:])
    db.execute(f"INSERT INTO company_key_figures ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
               f" ON CONFLICT (organisation_id, fiscal_end) DO UPDATE SET {updates}", values)


def for_organisation(db: sqlite_utils.Database, organisation_id: int, limit: int = 10) -> list[dict[str, Any]]:
    """The organisation's fiscal years, newest first."""
    return list(db.query("SELECT * FROM company_key_figures WHERE organisation_id = ? ORDER BY fiscal_end DESC"
                         " LIMIT ?", [organisation_id, limit]))
