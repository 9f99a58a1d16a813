"""A per-source circuit breaker: closed, open after N consecutive failures, half-open with one trial call."""
from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Admission:
    """Whether a call may go ahead; when not, how long until a trial call will be allowed."""

    allowed: bool
    trial: bool = False
    retry_in: float = 0.0
    failures: int = 0


class CircuitBreaker:
    """Counts consecutive failed calls (each already retried) and short-circuits while the source is down."""

    def __init__(self, failures: int, reset: float, clock: Callable[[], float]) -> None:
        if failures <= 0 or reset < 0:
            raise ValueError("breaker_failures must be positive and breaker_reset not negative")
        self._threshold = failures
        self._reset = reset
        self._clock = clock
        self._failures = 0
        self._opened_at: float | None = None
        self._trial_running = False
        self._lock = threading.Lock()

    def admit(self) -> Admission:
        """Ask before touching the network; an open breaker admits one trial call once ``reset`` has passed."""
        with self._lock:
            if self._opened_at is None:
                return Admission(True)
            remaining = self._opened_at + self._reset - self._clock()
            if remaining > 0 or self._trial_running:
                # While the trial is in flight every other caller still fails fast: one probe is enough.
                return Admission(False, retry_in=max(remaining, 0.0), failures=self._failures)
            self._trial_running = True
            return Admission(True, trial=True, failures=self._failures)

    def succeeded(self) -> None:
        """The source answered: close the breaker and forget earlier failures."""
        with self._lock:
            self._failures = 0
            self._opened_at = None
            self._trial_running = False

    def failed(self) -> None:
        """The call failed after its retries; a failed trial re-opens the breaker for another ``reset``."""
        with self._lock:
            self._failures += 1
            self._trial_running = False
            if self._failures >= self._threshold:
                self._opened_at = self._clock()

    def released(self) -> None:
        """The call ended without saying anything about availability (e.g. a programming error): free the trial."""
        with self._lock:
            self._trial_running = False
