"""Full-text search (SQLite FTS5) over procurements, organisations and persons.

The indexes are kept in step by triggers (migration ``0006_search``). The person index holds
the name and the birth year only, never the personnummer.
"""
from __future__ import annotations

import unicodedata
from typing import Any

import sqlite_utils

KINDS = ("procurement", "organisation", "person")
MAX_TERMS = 8
MAX_TERM_LENGTH = 64

_SQL = {
    "procurement": "SELECT p.id, p.reference, p.title, p.phase FROM search_procurements s"
                   " JOIN procurements p ON p.id = s.rowid WHERE search_procurements MATCH ?",
    "organisation": "SELECT o.id, o.name, o.country, o.identifier_type, o.identifier FROM search_organisations s"
                    " JOIN organisations o ON o.id = s.rowid WHERE search_organisations MATCH ?",
    "person": "SELECT p.id, p.name, substr(p.birth_date, 1, 4) AS birth_year FROM search_persons s"
              " JOIN persons p ON p.id = s.rowid WHERE search_persons MATCH ?",
}
_COUNT = {
    "procurement": "SELECT count(*) FROM search_procurements WHERE search_procurements MATCH ?",
    "organisation": "SELECT count(*) FROM search_organisations WHERE search_organisations MATCH ?",
    "person": "SELECT count(*) FROM search_persons WHERE search_persons MATCH ?",
}


def _is_word_char(ch: str) -> bool:
    """Characters the ``unicode61`` tokenizer keeps in tokens: letters, digits, private use."""
    category = unicodedata.category(ch)
    return category[0] in "LN" or category == "Co"


def fts_query(text: str) -> str | None:
    """Turn what a user typed into a safe FTS5 expression, or None when nothing is searchable.

    Each whitespace-separated word becomes a quoted phrase with a prefix star (``"anna"*``), so
    no FTS5 operator, column filter or quote in the input can change the query's syntax. A word
    with punctuation also matches its compact form (``556677-8899`` finds ``5566778899``).
    Words are joined with AND; at most ``MAX_TERMS`` words of ``MAX_TERM_LENGTH`` characters.
    """
    # Control, format and surrogate characters (NUL ends an FTS5 string early) become spaces.
    cleaned = "".join(" " if unicodedata.category(ch)[0] in "CZ" else ch for ch in text or "")
    terms = []
    for word in cleaned.split():
        word = word[:MAX_TERM_LENGTH]
        compact = "".join(ch for ch in word if _is_word_char(ch))
        if not compact:
            continue  # nothing the tokenizer would index (only punctuation)
        phrase = '"' + word.replace('"', '""') + '"*'
        terms.append(phrase if compact == word else f'({phrase} OR "{compact}"*)')
        if len(terms) == MAX_TERMS:
            break
    return " AND ".join(terms) or None


def search(db: sqlite_utils.Database, kind: str, expression: str, *, limit: int = 10,
           offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    """Records of one kind matching an expression from ``fts_query``, best first; return (rows, total).

    :param kind: ``procurement``, ``organisation`` or ``person``
    """
    total = db.execute(_COUNT[kind], [expression]).fetchone()[0]
    if not total:
        return [], 0
    rows = list(db.query(f"{_SQL[kind]} ORDER BY s.rank, s.rowid LIMIT ? OFFSET ?", [expression, limit, offset]))
    return rows, total


def indexed_person(db: sqlite_utils.Database, person_id: int) -> dict[str, Any] | None:
    """What the search index holds about a person (for tests and audits of the index)."""
    rows = list(db.query("SELECT name, birth_year FROM search_persons WHERE rowid = ?", [person_id]))
    return rows[0] if rows else None
