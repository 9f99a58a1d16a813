"""A per-source token bucket that tells the caller how long to wait instead of sleeping itself."""
from __future__ import annotations

import threading
from collections.abc import Callable


class TokenBucket:
    """``per_minute`` tokens, refilled continuously; a full bucket allows a burst of ``per_minute`` requests."""

    def __init__(self, per_minute: int, clock: Callable[[], float]) -> None:
        if per_minute <= 0:
            raise ValueError("per_minute must be positive")
        self._rate = per_minute / 60.0  # tokens per second
        self._capacity = float(per_minute)
        self._tokens = float(per_minute)
        self._clock = clock
        self._last = clock()
        self._lock = threading.Lock()

    def reserve(self) -> float:
        """Take one token and return the seconds the caller must wait before using it (0 when one was free).

        The token is reserved even when the bucket is empty (the count goes negative), so that concurrent
        callers queue up behind each other instead of all waking at the same moment and bursting.
        """
        with self._lock:
            now = self._clock()
            self._tokens = min(self._capacity, self._tokens + (now - self._last) * self._rate)
            self._last = now
            self._tokens -= 1.0
            return 0.0 if self._tokens >= 0 else -self._tokens / self._rate
