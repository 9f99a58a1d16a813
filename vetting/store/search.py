"""Full-text search (SQLite FTS5) over procurements, organisations and persons.

The indexes are kept in step by triggers (migration ``0006_search``). The person index holds
the name and the birth year only, never the personnummer.
"""
from __future__ import annotations

import unicodedata
from typing import Any

import sqlite_utils

from .merges import PENDING_IDENTIFIER, PENDING_IDENTIFIER_TYPE

KINDS = ("procurement", "organisation", "person")
MAX_TERMS = 8
MAX_TERM_LENGTH = 64

# Organisations and persons are found in their own index or in the folded-name index
# (migration 0017_screening: names in ASCII words, so "Kuzmenko" finds "Кузьменко"); the better
# rank of the two counts.
_EITHER = ("(SELECT rowid, min(rank) AS rank FROM (SELECT rowid, rank FROM {own} WHERE {own} MATCH ?"
           " UNION ALL SELECT rowid, rank FROM {own}_folded WHERE {own}_folded MATCH ?) GROUP BY rowid)")
_SQL = {
    "procurement": "SELECT p.id, p.reference, p.title, p.phase FROM search_procurements s"
                   " JOIN procurements p ON p.id = s.rowid WHERE search_procurements MATCH ?",
    # A queued organisation's typed number shows (masked) like any new one's (``store/merges.py``).
    "organisation": "SELECT o.id, o.name, o.country,"
                    f" coalesce(o.identifier_type, {PENDING_IDENTIFIER_TYPE.format(o='o')}) AS identifier_type,"
                    f" coalesce(o.identifier, {PENDING_IDENTIFIER.format(o='o')}) AS identifier FROM "
                    + _EITHER.format(own="search_organisations") + " s JOIN organisations o ON o.id = s.rowid",
    "person": "SELECT p.id, p.name, substr(p.birth_date, 1, 4) AS birth_year FROM "
              + _EITHER.format(own="search_persons") + " s JOIN persons p ON p.id = s.rowid",
}
_COUNT = {
    "procurement": "SELECT count(*) FROM search_procurements WHERE search_procurements MATCH ?",
    "organisation": "SELECT count(*) FROM " + _EITHER.format(own="search_organisations"),
    "person": "SELECT count(*) FROM " + _EITHER.format(own="search_persons"),
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
           offset: int = 0, folded: str | None = None) -> tuple[list[dict[str, Any]], int]:
    """Records of one kind matching an expression from ``fts_query``, best first; return (rows, total).

    :param kind: ``procurement``, ``organisation`` or ``person``
    :param folded: the expression for the folded-name index (the query's words folded to ASCII);
        ``expression`` when not given
    """
    params = [expression] if kind == "procurement" else [expression, folded or expression]
    total = db.execute(_COUNT[kind], params).fetchone()[0]
    if not total:
        return [], 0
    rows = list(db.query(f"{_SQL[kind]} ORDER BY s.rank, s.rowid LIMIT ? OFFSET ?", [*params, limit, offset]))
    return rows, total


def indexed_person(db: sqlite_utils.Database, person_id: int) -> dict[str, Any] | None:
    """What the search index holds about a person (for tests and audits of the index)."""
    rows = list(db.query("SELECT name, birth_year FROM search_persons WHERE rowid = ?", [person_id]))
    return rows[0] if rows else None
