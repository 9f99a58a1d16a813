"""The contract between the app and every check: what goes in (Subject, CheckContext), what comes out (Outcome)."""
from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar, Literal, Protocol


class Status(StrEnum):
    CLEAR = "clear"
    POSSIBLE_MATCH = "possible_match"
    HIT = "hit"
    ERROR = "error"
    NEEDS_MANUAL_INPUT = "needs_manual_input"
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True)
class Subject:
    """What is being checked: an organisation or a person, with what is known of it."""

    kind: Literal["organisation", "person"]
    id: int
    name: str
    country: str | None = None
    identifiers: Mapping[str, str] = field(default_factory=dict)
    birth_date: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Evidence:
    """What was consulted: kept immutably with its SHA-256 so the outcome can be shown to rest on it."""

    source: str
    fetched_at: datetime
    sha256: str
    body: bytes = b""
    url: str | None = None
    list_version: str | None = None
    http_status: int | None = None
    media_type: str | None = None

    @staticmethod
    def digest(body: bytes) -> str:
        return hashlib.sha256(body).hexdigest()


@dataclass(frozen=True)
class Finding:
    """A fact the risk model can read; ``code`` must be declared in the check's FINDINGS."""

    code: str
    value: Any
    detail: str
    evidence: int = 0


@dataclass(frozen=True)
class Outcome:
    """The result of one check on one subject."""

    status: Status
    findings: tuple[Finding, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    reason: str | None = None
    explanation: tuple[dict[str, Any], ...] = ()


class ListIndex(Protocol):
    """Screening lists as the app loaded them (implemented in vetting/, injected through the context)."""

    def versions(self) -> list[dict[str, Any]]:
        """The active list versions: source, published date, record count, sha256."""

    def screen(self, subject: Subject) -> list[Any]:
        """Candidate matches for a subject, best first."""


@dataclass
class CheckContext:
    """Everything a check may use; injected by the app's runner."""

    settings: Mapping[str, Any] = field(default_factory=dict)
    lists: ListIndex | None = None
    http: Any = None
    now: Callable[[], datetime] = datetime.now


class Check(ABC):
    """A register or list check. Subclasses describe themselves and implement ``run``."""

    id: ClassVar[str]
    version: ClassVar[str] = "1"
    name: ClassVar[Mapping[str, str]]
    applies_to: ClassVar[frozenset[str]]
    mode: ClassVar[Literal["automatic", "manual"]] = "automatic"
    requires_settings: ClassVar[tuple[str, ...]] = ()
    FINDINGS: ClassVar[Mapping[str, str]] = {}

    def applies(self, subject: Subject) -> bool:
        """Whether this check has anything to say about the subject."""
        return subject.kind in self.applies_to

    @abstractmethod
    def run(self, subject: Subject, ctx: CheckContext) -> Outcome:
        """Consult the source and return an Outcome; raise a CheckError on failure."""
