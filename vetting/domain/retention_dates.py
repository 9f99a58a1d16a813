"""When a record's retention period runs out: the due record and the date arithmetic (retention and the
sole-trader erasure share it, so it sits below both)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class Due:
    """A record whose retention period has run out."""

    kind: str  # "person", "sole_trader" (one whose owner is no stored person) or "pending_import"
    id: int
    label: str
    basis: str  # what the period ran from: procurement_closed, role_ended, role_created, registered, uploaded
    reference_date: str
    due_date: str


def _day(value: str) -> date:
    return datetime.fromisoformat(value).date()


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
