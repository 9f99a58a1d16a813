"""What waits for whom: inboxes per role, and a procurement's timeline."""
from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from ..store import audit as audit_store
from ..store import checkpoints as store
from ..store import procurements as procurement_store
from . import checkpoint_templates as templates
from . import clock
from .audit import Actor
from .due_dates import applies_yet


def for_user(db: sqlite_utils.Database, actor: Actor) -> dict[str, list[dict[str, Any]]]:
    """Checkpoints waiting for the user's action, returned to them, and overdue ones they can act on."""
    every = templates.templates().values()
    prepare = [t.id for t in every if actor.has_role(t.preparer)]
    sign = [t.id for t in every if actor.has_role(t.signer)]
    return sort_into_boxes(store.open_for_roles(db, prepare, sign, actor.id), actor)


def sort_into_boxes(checkpoints: list[dict[str, Any]], actor: Actor) -> dict[str, list[dict[str, Any]]]:
    """Put open checkpoints (``template_id``, ``state``, ``prepared_by_id``, ``due_at``, ``phase``) into the user's boxes.

    ``decide``: waiting for the user's own sign-off; ``overdue``; ``rest``: the user's other work;
    ``waiting`` holds all three, decisions first, then overdue, then by due date. A phase checkpoint
    more than one phase ahead does not apply yet and is left out. Each checkpoint gets its ``template``.
    """
    now = clock.now().isoformat(timespec="seconds")
    boxes: dict[str, list[dict[str, Any]]] = {"decide": [], "waiting": [], "rest": [], "returned": [], "overdue": []}
    for checkpoint in checkpoints:
        template = templates.templates()[checkpoint["template_id"]]
        checkpoint["template"] = template
        if checkpoint.get("trigger", "phase") == "phase" and checkpoint.get("phase") and \
                not applies_yet(checkpoint["phase"], template):
            continue
        mine_to_prepare = actor.has_role(template.preparer) and (
            checkpoint["state"] == "open" or (checkpoint["state"] == "rejected" and checkpoint["prepared_by_id"] != actor.id))
        mine_to_sign = (checkpoint["state"] == "prepared" and actor.has_role(template.signer)
                        and checkpoint["prepared_by_id"] != actor.id)
        returned = checkpoint["state"] == "rejected" and checkpoint["prepared_by_id"] == actor.id
        overdue = bool(checkpoint["due_at"] and checkpoint["due_at"] < now)
        if mine_to_prepare or mine_to_sign:
            boxes["waiting"].append(checkpoint)
            boxes["decide" if mine_to_sign else "overdue" if overdue else "rest"].append(checkpoint)
        if returned:
            boxes["returned"].append(checkpoint)
            if overdue:
                boxes["overdue"].append(checkpoint)
    boxes["waiting"].sort(key=lambda c: (c not in boxes["decide"], c not in boxes["overdue"], c["due_at"] or ""))
    return boxes


def timeline(db: sqlite_utils.Database, procurement_id: int) -> list[dict[str, Any]]:
    """Audit entries about the procurement and about the checks of its parties, oldest first."""
    organisation_ids = {p["organisation_id"] for p in procurement_store.participants(db, procurement_id)}
    rows = audit_store.procurement_timeline(db, procurement_id, sorted(organisation_ids))
    for row in rows:
        row["after"] = json.loads(row["after_json"]) if row["after_json"] else {}
        row["before"] = json.loads(row["before_json"]) if row["before_json"] else {}
    return rows
