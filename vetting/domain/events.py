"""Named domain events: what an operation did, told to the consequences that follow from it.

An operation publishes its event at the very place where it used to call the next aggregate's
function, inside the same transaction, so the order of the writes and their all-or-nothing stay as
they were. The module that acts no longer imports the module that reacts: that breaks the import
cycles of the consequence web (a list import re-screens, a stored outcome raises alerts, a risk level
opens checkpoints ...).

Handlers are subscribed in one place, ``consequences.assemble()``, which the app factory calls (so the
web, every ``flask`` command and the queue consumer get them) and the tests' conftest calls. An event
nobody subscribed to raises ``Unsubscribed``: a process that skipped the assembly fails loudly instead
of silently leaving a consequence out.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import sqlite_utils

if TYPE_CHECKING:
    from .audit import Actor

Handler = Callable[[sqlite_utils.Database, Any], Any]


class Unsubscribed(RuntimeError):
    """An event was published with no handler subscribed: the process never ran ``consequences.assemble()``."""


@dataclass(frozen=True)
class Event:
    """Base of every domain event (``event_types()`` lists the subclasses for the meta-test)."""


@dataclass(frozen=True)
class ListVersionImported(Event):
    """A list version was stored and activated. Its one subscriber, the delta re-screen, answers with its
    summary (``batch_id``, counts), which the import's summary reports."""
    actor: Actor
    source: str
    settings: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class OutcomeStored(Event):
    """A check's outcome was stored (inside its transaction). ``previous`` is the newest outcome of the check
    before it (None: there was none), ``current`` the stored one as a row (None: read it by ``outcome_id``). Its one subscriber, change detection, answers with the alerts raised
    as ``(procurement_id, detail)`` pairs, to be told after the commit (``AlertsRaised``)."""
    actor: Actor
    subject_kind: str
    subject_id: int
    check_id: str
    outcome_id: int
    previous: dict[str, Any] | None
    current: dict[str, Any] | None = None


@dataclass(frozen=True)
class AlertsRaised(Event):
    """Change alerts were committed: each contract's responsible officer is told (published after the commit)."""
    alerts: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class FollowUpDue(Event):
    """A contract's follow-up fell due and its re-check batch started: CP9 (periodic follow-up) opens."""
    actor: Actor
    procurement_id: int


@dataclass(frozen=True)
class AssessmentStale(Event):
    """An outcome behind a case's risk assessment changed and the assessment was marked stale: the case is
    assessed again by the system. The subscriber answers with the new assessment's id."""
    procurement_id: int
    organisation_id: int


@dataclass(frozen=True)
class ProcurementSaved(Event):
    """A procurement was registered or changed: the phase checkpoints it now needs open."""
    actor: Actor
    procurement_id: int


@dataclass(frozen=True)
class PartyAddedUnderContract(Event):
    """An organisation joined a signed contract (as subcontractor, supplier ...): CP8 opens on it."""
    actor: Actor
    procurement_id: int
    organisation_id: int
    what: str
    name: str | None


@dataclass(frozen=True)
class KeyPersonAdded(Event):
    """A key person was added to an organisation: CP8 opens on each signed contract the organisation is a party of."""
    actor: Actor
    organisation_id: int
    name: str


@dataclass(frozen=True)
class MatchConfirmedUnderContract(Event):
    """A sanctions hit was confirmed on a party of a signed contract and no decision on it is pending yet:
    CP10 opens, asking for the decision."""
    actor: Actor
    procurement_id: int
    organisation_id: int
    subject_kind: str
    subject_id: int


@dataclass(frozen=True)
class ProtectionLevelSet(Event):
    """The protection level or risk-industry flag was set (by a security officer, or by CP0's approval): the
    security checkpoints they call for open."""
    actor: Actor
    procurement_id: int


@dataclass(frozen=True)
class RiskLevelSet(Event):
    """A risk assessment's level took effect on a case (triage): the checkpoints it routes to open (joint review: CP5)."""
    actor: Actor
    procurement_id: int


_subscribers: dict[type[Event], tuple[Handler, ...]] = {}


def install(table: Mapping[type[Event], tuple[Handler, ...]]) -> None:
    """Replace every subscription with ``table`` (``consequences.assemble``; calling it again changes nothing)."""
    global _subscribers
    _subscribers = {kind: tuple(handlers) for kind, handlers in table.items() if handlers}


def subscribers(kind: type[Event]) -> tuple[Handler, ...]:
    """The handlers of an event type, in the order they run."""
    return _subscribers.get(kind, ())


def event_types() -> tuple[type[Event], ...]:
    """Every event type declared here."""
    return tuple(kind for kind in Event.__subclasses__() if kind.__module__ == __name__)


def publish(db: sqlite_utils.Database, event: Event) -> list[Any]:
    """Run the event's handlers now, in this transaction, in subscription order; return their answers."""
    handlers = _subscribers.get(type(event))
    if not handlers:
        raise Unsubscribed(f"No consequence is subscribed to {type(event).__name__}: this process did not run "
                           "vetting.domain.consequences.assemble() (the app factory and the tests' conftest do).")
    return [handler(db, event) for handler in handlers]
