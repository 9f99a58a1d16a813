"""Why a check could not give an answer; the runner maps each to a status (never ``clear``)."""
from __future__ import annotations

from typing import Any


class CheckError(Exception):
    """Base of the taxonomy. ``code`` and ``params`` say what went wrong for the app to put into words (the runner
    keeps them as the outcome's ``source.fault`` finding); the message is the check's own note, stored as the reason
    for logs and for readers of outcomes stored before codes existed."""

    def __init__(self, message: str = "", *, code: str | None = None, **params: Any) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


class NotConfigured(CheckError):
    """Credentials or base URL missing: the check is not applicable until an administrator configures it."""


class SourceUnavailable(CheckError):
    """Timeout, refused connection, 5xx or 429 after retries, or the circuit breaker is open."""


class SourceChanged(CheckError):
    """The answer is not in the shape the parser knows (layout or schema changed, truncated body)."""


class SubjectRejected(CheckError):
    """The source says the identifier is invalid or unknown (a finding when the source answered)."""


class CheckAbort(CheckError):
    """The whole source is unusable for this run (401/403, expired token): skip it for the rest of the batch."""
