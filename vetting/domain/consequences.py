"""The one place where the domain's consequences are subscribed to its events (``events``).

Each line of ``TABLE`` says what follows from what. The modules that publish an event do not import
the modules below, which is how the consequence web stays free of import cycles; this module imports
them all and nothing in the domain imports it. ``assemble()`` is called by the app factory (the web,
the ``flask`` commands, the queue consumer) and by the tests' conftest.
"""
from __future__ import annotations

from typing import Any

import sqlite_utils

from . import checkpoints, events, followup, followup_risk, rescreen, risk, workflow
from .audit import SYSTEM
from .events import (AlertsRaised, AssessmentStale, FollowUpDue, KeyPersonAdded, ListVersionImported,
                     MatchConfirmedUnderContract, OutcomeStored, PartyAddedUnderContract, ProcurementSaved,
                     ProtectionLevelSet, RiskLevelSet)


def _delta_rescreen(db: sqlite_utils.Database, event: ListVersionImported) -> dict[str, Any]:
    return rescreen.delta_rescreen(db, event.actor, event.source, event.settings)


def _change_alerts(db: sqlite_utils.Database, event: OutcomeStored) -> list[tuple[int, str]]:
    return followup.alerts_for(db, event.actor, event.subject_kind, event.subject_id, event.check_id,
                               event.outcome_id, event.previous, event.current)


def _tell_alerts(db: sqlite_utils.Database, event: AlertsRaised) -> None:
    followup.notify_alerts(db, list(event.alerts))


def _open_periodic(db: sqlite_utils.Database, event: FollowUpDue) -> list[int]:
    return followup_risk.open_periodic(db, event.actor, event.procurement_id)


def _reassess(db: sqlite_utils.Database, event: AssessmentStale) -> int:
    # The system prepares the fresh assessment, so that any security officer keeps the right to override it.
    return risk.assess(db, SYSTEM, event.procurement_id, event.organisation_id)


def _sync_checkpoints(db: sqlite_utils.Database,
                      event: ProcurementSaved | ProtectionLevelSet | RiskLevelSet) -> list[int]:
    return checkpoints.sync(db, event.actor, event.procurement_id)


def _open_party_added(db: sqlite_utils.Database, event: PartyAddedUnderContract) -> list[int]:
    return checkpoints.open_event(db, event.actor, event.procurement_id, "party_added",
                                  {"organisation_id": event.organisation_id, "what": event.what, "name": event.name})


def _key_person_added(db: sqlite_utils.Database, event: KeyPersonAdded) -> None:
    workflow.party_added(db, event.actor, event.organisation_id, "key_person", event.name)


def _open_hit_decision(db: sqlite_utils.Database, event: MatchConfirmedUnderContract) -> list[int]:
    return checkpoints.open_event(db, event.actor, event.procurement_id, "party_changed",
                                  {"subject_kind": event.subject_kind, "subject_id": event.subject_id,
                                   "organisation_id": event.organisation_id, "what": "sanctions_hit_confirmed"})


TABLE: dict[type[events.Event], tuple[events.Handler, ...]] = {
    ListVersionImported: (_delta_rescreen,),  # every stored subject the new version may concern is screened again
    OutcomeStored: (_change_alerts,),  # a change on a party of a signed contract: alert and CP10
    AlertsRaised: (_tell_alerts,),  # the contract's officer is told, after the commit
    FollowUpDue: (_open_periodic,),  # CP9, on schedule
    AssessmentStale: (_reassess,),  # a changed outcome re-assesses the risk case
    ProcurementSaved: (_sync_checkpoints,),  # a higher value or level may call for more checkpoints
    PartyAddedUnderContract: (_open_party_added,),  # CP8
    KeyPersonAdded: (_key_person_added,),  # CP8 on each signed contract of the organisation
    MatchConfirmedUnderContract: (_open_hit_decision,),  # CP10 asks for the decision
    ProtectionLevelSet: (_sync_checkpoints,),  # the security checkpoints the level calls for
    RiskLevelSet: (_sync_checkpoints,),  # a joint review opens CP5
}


def assemble() -> None:
    """Subscribe every consequence (idempotent: the subscriptions become exactly ``TABLE``)."""
    events.install(TABLE)
