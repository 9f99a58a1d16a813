"""The contract between the app and every check: what goes in (Subject, CheckContext), what comes out (Outcome)."""
from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Protocol

if TYPE_CHECKING:  # only for the annotation: http.py imports this module
    from .http import Fetched


class Status(StrEnum):
    CLEAR = "clear"
    POSSIBLE_MATCH = "possible_match"
    HIT = "hit"
    ERROR = "error"
    NEEDS_MANUAL_INPUT = "needs_manual_input"
    NOT_APPLICABLE = "not_applicable"
    # The source answered properly and what it says is adverse (bankrupt, dissolved, retired LEI...): never "clear".
    OBSERVATION = "observation"


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
    # The response headers that matter for judging the answer (content type, length, retry-after, date, server...).
    headers: Mapping[str, str] = field(default_factory=dict)
    # Bytes received; larger than len(body) when the stored body was capped (sha256 is over what was received).
    received: int | None = None

    @staticmethod
    def digest(body: bytes) -> str:
        return hashlib.sha256(body).hexdigest()


@dataclass(frozen=True)
class Finding:
    """A fact the risk model can read; ``code`` must be declared in the check's FINDINGS.

    ``value`` and ``params`` are what a reader is shown: the app puts them into words through its vocabulary (by
    code), so a check never writes a user's language. ``detail`` is the check's own English note, for logs and
    for outcomes stored before ``params`` existed.
    """

    code: str
    value: Any
    detail: str
    evidence: int = 0
    params: Mapping[str, Any] = field(default_factory=dict)


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


class RegisterHttp(Protocol):
    """The HTTP layer a register check uses (``checks.http.HttpClient``; tests may pass a fake)."""

    def get(self, source: str, path_or_url: str, *, params: Mapping[str, Any] | None = None,
            headers: Mapping[str, str] | None = None, auth: Any = None, expect: str = "json",
            secret_params: Iterable[str] = ()) -> Fetched:
        """GET under the source's base URL."""

    def post(self, source: str, path_or_url: str, *, data: Any = None, json: Any = None,
             headers: Mapping[str, str] | None = None, auth: Any = None, expect: str = "json",
             idempotent: bool = False, fault_status: int | None = None) -> Fetched:
        """POST under the source's base URL."""


def utc_now() -> datetime:
    """The current time, timezone-aware in UTC (checks compare dates; a naive local time shifts them at midnight)."""
    return datetime.now(timezone.utc)


@dataclass
class CheckContext:
    """Everything a check may use; injected by the app's runner.

    ``settings`` is what an administrator configured for the check (credentials, limits); ``inputs`` is what this
    run brings (an officer's recorded answer, matches dismissed before). Keeping them apart means a configured
    value can never be mistaken for an answer, nor an answer leak into the settings page.
    """

    settings: Mapping[str, Any] = field(default_factory=dict)
    lists: ListIndex | None = None
    http: RegisterHttp | None = None
    now: Callable[[], datetime] = utc_now
    inputs: Mapping[str, Any] = field(default_factory=dict)


class Check(ABC):
    """A register or list check. Subclasses describe themselves and implement ``run``."""

    id: ClassVar[str]
    version: ClassVar[str] = "1"
    name: ClassVar[Mapping[str, str]]
    applies_to: ClassVar[frozenset[str]]
    mode: ClassVar[Literal["automatic", "manual"]] = "automatic"
    requires_settings: ClassVar[tuple[str, ...]] = ()
    FINDINGS: ClassVar[Mapping[str, str]] = {}
    # Register sources the check fetches from, with their default base URL (configuration may override them).
    sources: ClassVar[Mapping[str, str]] = {}
    # A well-known public subject: "Test connection" asks the register about it and wants a valid answer back.
    sample_subject: ClassVar[Subject | None] = None
    # Every status run() can return (the runner adds error, not_applicable and observation); the meta-test in
    # tests/test_check_statuses.py demands a fixture-based test for each.
    STATUSES: ClassVar[frozenset[Status]] = frozenset({Status.CLEAR})
    # Findings whose value is an adverse fact (bankrupt, dissolved, lapsed...): a "clear" answer carrying one is an
    # observation. Code -> predicate on the finding's value.
    ADVERSE: ClassVar[Mapping[str, Callable[[Any], bool]]] = {}

    def is_adverse(self, code: str, value: Any) -> bool:
        """Whether a finding (also one read back from storage) is an adverse fact by this check's declaration."""
        predicate = self.ADVERSE.get(code)
        try:
            return bool(predicate and value is not None and predicate(value))
        except TypeError:  # a value of another type than declared: not provably adverse, and shown all the same
            return False

    def adverse(self, findings: Iterable[Finding]) -> list[Finding]:
        """The findings that are adverse facts by this check's declaration."""
        return [f for f in findings if self.is_adverse(f.code, f.value)]

    def applies(self, subject: Subject) -> bool:
        """Whether this check has anything to say about the subject."""
        return subject.kind in self.applies_to

    @abstractmethod
    def run(self, subject: Subject, ctx: CheckContext) -> Outcome:
        """Consult the source and return an Outcome; raise a CheckError on failure."""
