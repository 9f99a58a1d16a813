"""Named domain errors; views turn them into a message for the user (never a 500)."""
from __future__ import annotations


class DomainError(Exception):
    """Base: the message is meant for the user and is already translated (or lazily translatable)."""

    http_status = 400

    def __init__(self, message: object, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


class InvalidInput(DomainError):
    """A value the user gave is not valid; ``field`` names the form field."""


class NotFound(DomainError):
    """The record does not exist."""

    http_status = 404


class Conflict(DomainError):
    """The change clashes with the current state (duplicate, already decided...)."""

    http_status = 409


class RateLimited(DomainError):
    """Too many attempts; try again later."""

    http_status = 429
