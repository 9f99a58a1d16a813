"""Search across procurements, organisations and persons; the exact personnummer lookup is audited."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils
from .message import _l

from ..store import organisations as org_store
from ..store import search as store
from ..store import write_transaction
from .audit import Actor, record
from .errors import InvalidInput
from .identifiers import validate_personnummer, vat_personnummer_in_text
from .text import fold_words

KINDS = store.KINDS
MAX_QUERY_LENGTH = 200


@dataclass
class Group:
    """One kind of record in the results: a page of rows and how many matched in all."""

    kind: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0


_PERSONNUMMER_SHAPE = re.compile(r"(?<!\d)\d{6}(?:\d{2})?\s?[-+]?\s?\d{4}(?!\d)")


def looks_like_personnummer(text: str) -> bool:
    """True when the text holds a valid personnummer or samordningsnummer (which must not be echoed).

    An organisation number has the same shape but its "month" is 20 or more, so it never passes.
    """
    if vat_personnummer_in_text(text or ""):  # a sole trader's VAT number (SE + personnummer + 01)
        return True
    for candidate in _PERSONNUMMER_SHAPE.findall(text or ""):
        try:
            validate_personnummer(candidate)
        except InvalidInput:
            continue
        return True
    return False


def search(db: sqlite_utils.Database, text: str, *, kind: str | None = None, page: int = 1,
           per_group: int = 10) -> dict[str, Group]:
    """Matches per kind, best first (all kinds, or one kind paged); empty when nothing is searchable.

    :param text: what the user typed; never raises on FTS syntax (see ``store.search.fts_query``)
    :param kind: one of ``KINDS`` to page through that kind only
    """
    expression = store.fts_query((text or "")[:MAX_QUERY_LENGTH])
    kinds = (kind,) if kind in KINDS else KINDS
    groups = {k: Group(k) for k in kinds}
    if expression is None:
        return groups
    offset = (max(page, 1) - 1) * per_group if kind in KINDS else 0
    # Names are also looked up folded to ASCII words: "Kuzmenko" finds "Кузьменко", "Orsted" "Ørsted".
    folded = store.fts_query(fold_words((text or "")[:MAX_QUERY_LENGTH])) or expression
    for k in kinds:
        groups[k].rows, groups[k].total = store.search(db, k, expression, limit=per_group, offset=offset,
                                                       folded=folded)
    return groups


def find_by_personnummer(db: sqlite_utils.Database, actor: Actor, raw: str) -> dict[str, Any] | None:
    """The person with exactly this personnummer (name and birth year only), or None; audited.

    The number itself goes neither into the audit entry nor into the result.
    """
    personnummer = validate_personnummer(raw)
    person = org_store.find_person_by_personnummer(db, personnummer)
    if person is not None and person.get("erased_at"):
        person = None  # an erased person is not found again
    # A sole trader's organisation number is the owner's personnummer without the century; the search
    # indexes hold only its date part, so this posted lookup is the way to find the firm by its number.
    firm = org_store.find_by_identifier(db, "se_orgnr", personnummer[2:])
    with write_transaction(db):
        record(db, actor, "person.search_personnummer", "person", person["id"] if person else None,
               after={"found": person is not None, "sole_trader": firm["id"] if firm else None})
    if person is None and firm is None:
        return None
    found = {"id": person["id"], "name": person["name"],
             "birth_year": (person["birth_date"] or "")[:4] or None} if person else {}
    if firm:
        found["sole_trader"] = {"id": firm["id"], "name": firm["name"]}
    return found
