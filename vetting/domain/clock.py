"""The one clock of the domain: tests move time by swapping it, production reads the system clock.

Deadlines in Swedish law run in Swedish calendar days, so ``today()`` is the date in Stockholm,
not in UTC (a notice sent at 00:30 Swedish time on a Monday was sent on Monday).
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _system() -> datetime:
    return datetime.now(timezone.utc)


_source: Callable[[], datetime] = _system


def now() -> datetime:
    """The current time, aware, in UTC."""
    return _source().astimezone(timezone.utc)


def today() -> date:
    """Today's date in Sweden."""
    return now().astimezone(STOCKHOLM).date()


def set_source(source: Callable[[], datetime] | None) -> None:
    """Replace the clock (None restores the system clock)."""
    global _source
    _source = source or _system


@contextmanager
def frozen(at: datetime | date) -> Iterator[None]:
    """Within the block, the clock stands at ``at`` (a date means noon in Stockholm that day)."""
    if not isinstance(at, datetime):
        at = datetime(at.year, at.month, at.day, 12, tzinfo=STOCKHOLM)
    elif at.tzinfo is None:
        at = at.replace(tzinfo=timezone.utc)
    previous = _source
    set_source(lambda: at)
    try:
        yield
    finally:
        set_source(previous)
