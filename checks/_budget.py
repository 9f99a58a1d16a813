"""One wall-clock budget and one evidence recorder per check run, shared by every register call the run makes.

The runner opens a budget around ``Check.run``; the HTTP layer reads what is left before each connect, read, retry
and back-off, and records every answer it received, so a run that fails still keeps what the register said.
State is per thread: the process-wide HTTP client serves several runs at once.
"""
from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from .contract import Evidence

# Bodies kept with an error outcome: enough to see what answered (an HTML error page, a cut-off JSON), no more.
FAILURE_BODY_CAP = 64 * 1024
_local = threading.local()


@dataclass
class _State:
    deadline: float  # time.monotonic() value; math.inf when there is no limit
    total: float
    received: list[Evidence] = field(default_factory=list)


@contextmanager
def run_budget(total: float | None) -> Iterator[list[Evidence]]:
    """Within the block every register call shares ``total`` seconds (an enclosing budget still caps it).

    Yields the list that collects the evidence of every answer received in the block, failures included.
    """
    outer: _State | None = getattr(_local, "state", None)
    deadline = time.monotonic() + total if total and total > 0 else math.inf
    limit = float(total or 0)
    if outer is not None and outer.deadline < deadline:
        deadline, limit = outer.deadline, outer.total
    state = _State(deadline, limit)
    _local.state = state
    try:
        yield state.received
    finally:
        _local.state = outer
        if outer is not None:
            outer.received.extend(state.received)


def remaining() -> float | None:
    """Seconds left in the current run's budget; None when no budget is open or it is unlimited."""
    state: _State | None = getattr(_local, "state", None)
    if state is None or state.deadline == math.inf:
        return None
    return state.deadline - time.monotonic()


def total() -> float:
    """The limit of the budget in force (for messages)."""
    state: _State | None = getattr(_local, "state", None)
    return state.total if state is not None else 0.0


def record(evidence: Evidence) -> None:
    """Keep the evidence of an answer for the current run (a no-op outside a budget)."""
    state: _State | None = getattr(_local, "state", None)
    if state is not None:
        state.received.append(evidence)


def received_so_far() -> list[Evidence]:
    """The evidence recorded so far in the current run (empty outside a budget)."""
    state: _State | None = getattr(_local, "state", None)
    return list(state.received) if state is not None else []


def capped(evidence: Evidence) -> Evidence:
    """The evidence with its body cut to FAILURE_BODY_CAP; ``received`` and ``sha256`` still describe all of it."""
    if len(evidence.body) <= FAILURE_BODY_CAP:
        return evidence
    received = evidence.received if evidence.received is not None else len(evidence.body)
    return replace(evidence, body=evidence.body[:FAILURE_BODY_CAP], received=received)
