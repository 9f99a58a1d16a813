"""Tender prices imported from the evaluation's spreadsheet (CSV or XLSX): one row per bidder, its organisation
identifier and its evaluated price. Read with the import's file reader (same limits), each amount through the
amount parser; all or nothing: one row that cannot be read or placed writes no price and says which and why."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlite_utils
from .message import _l

from ..store import procurements as procurement_store
from ..store import write_transaction
from .audit import Actor, record
from .bids import PRICED_ROLES, set_bid_price
from .errors import DomainError, InvalidInput
from .imports import HEADER_ALIASES, MAX_ROWS, ImportFileError, _fold, read_table
from .procurements import get, parse_amount

IDENTIFIER = HEADER_ALIASES["identifier"] | HEADER_ALIASES["organisation_identifier"]
PRICE = {"bid price", "bid_price", "price", "tender price", "evaluated price", "pris", "anbudspris", "anbudssumma",
         "utvarderat pris", "utvarderingspris", "anbudsbelopp", "belopp"}


@dataclass
class PriceImport:
    """The prices read from a file: the rows ready to write and the rows refused, with reasons."""

    prices: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)


def _key(identifier: str | None) -> str:
    return "".join(ch for ch in (identifier or "") if ch.isalnum()).upper()


def read(db: sqlite_utils.Database, procurement_id: int, data: bytes, filename: str) -> PriceImport:
    """Read and place every row without writing anything."""
    get(db, procurement_id)
    rows = [r for r in read_table(data, filename) if any(c.strip() for c in r)]
    if not rows:
        raise ImportFileError(_l("The file %(name)s has no rows.", name=filename))
    header = [_fold(c) for c in rows[0]]
    ident = next((i for i, c in enumerate(header) if c in IDENTIFIER), None)
    price = next((i for i, c in enumerate(header) if c in PRICE), None)
    if ident is None or price is None:
        raise ImportFileError(_l("The first row must name the columns; missing: %(cols)s. Found: %(found)s.",
                                 cols=", ".join(n for n, i in (("organisationsnummer", ident), ("anbudspris", price))
                                                if i is None), found=", ".join(c for c in rows[0] if c)[:200]))
    if len(rows) - 1 > MAX_ROWS:
        raise ImportFileError(_l("The file has more rows than an import may have."))
    bidders = {_key(p["identifier"]): p for p in procurement_store.participants(db, procurement_id)
               if p["role"] in PRICED_ROLES and p["identifier"]}
    result, seen = PriceImport(), set()
    for number, row in enumerate(rows[1:], start=2):
        cells = {"identifier": row[ident].strip() if ident < len(row) else "",
                 "price": row[price].strip() if price < len(row) else ""}
        try:
            found = bidders.get(_key(cells["identifier"]))
            if found is None:
                raise InvalidInput(_l("No bidder in this procurement has the identifier %(id)s.",
                                      id=cells["identifier"][:40]))
            if found["id"] in seen:
                raise InvalidInput(_l("The same row appears earlier in the file."))
            amount = parse_amount(cells["price"], "bid_price")
            if amount is None:
                raise InvalidInput(_l("The row has no price."))
        except DomainError as exc:
            result.rejected.append({"row": number, "values": cells, "reason": str(exc.message)})
        else:
            seen.add(found["id"])
            result.prices.append({"row": number, "participant_id": found["id"], "name": found["organisation_name"],
                                  "bid_price": amount})
    return result


def commit(db: sqlite_utils.Database, actor: Actor, procurement_id: int, prices: PriceImport, filename: str) -> int:
    """Write every price in one transaction (only when no row was refused); return how many."""
    if prices.rejected:
        raise InvalidInput(_l("No price was written: correct the rows listed and import the file again."))
    with write_transaction(db):
        for row in prices.prices:
            set_bid_price(db, actor, row["participant_id"], row["bid_price"])
        record(db, actor, "bid.import", "procurement", procurement_id,
               after={"filename": filename[:200], "written": len(prices.prices)})
    return len(prices.prices)
