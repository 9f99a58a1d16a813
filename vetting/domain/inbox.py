"""What waits for whom: inboxes per role, and a procurement's timeline."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

import sqlite_utils

from ..store import audit as audit_store
from ..store import checkpoints as store
from ..store import procurements as procurement_store
from . import checkpoint_templates as templates
from .audit import Actor


def for_user(db: sqlite_utils.Database, actor: Actor) -> dict[str, list[dict[str, Any]]]:
    """Checkpoints waiting for the user's action, returned to them, and overdue ones they can act on."""
    return sort_into_boxes(store.open_for_roles(db), actor)


def sort_into_boxes(checkpoints: list[dict[str, Any]], actor: Actor) -> dict[str, list[dict[str, Any]]]:
    """Put open checkpoints (``template_id``, ``state``, ``prepared_by_id``, ``due_at``) into the user's boxes.

    Each checkpoint gets its ``template``. The dashboard passes leaner rows than the inbox page.
    """
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    boxes: dict[str, list[dict[str, Any]]] = {"waiting": [], "returned": [], "overdue": []}
    for checkpoint in checkpoints:
        template = templates.templates()[checkpoint["template_id"]]
        checkpoint["template"] = template
        mine_to_prepare = actor.has_role(template.preparer) and (
            checkpoint["state"] == "open" or (checkpoint["state"] == "rejected" and checkpoint["prepared_by_id"] != actor.id))
        mine_to_sign = (checkpoint["state"] == "prepared" and actor.has_role(template.signer)
                        and checkpoint["prepared_by_id"] != actor.id)
        returned = checkpoint["state"] == "rejected" and checkpoint["prepared_by_id"] == actor.id
        if mine_to_prepare or mine_to_sign:
            boxes["waiting"].append(checkpoint)
        if returned:
            boxes["returned"].append(checkpoint)
        if (mine_to_prepare or mine_to_sign or returned) and checkpoint["due_at"] and checkpoint["due_at"] < now:
            boxes["overdue"].append(checkpoint)
    return boxes


def timeline(db: sqlite_utils.Database, procurement_id: int) -> list[dict[str, Any]]:
    """Audit entries about the procurement and about the checks of its parties, oldest first."""
    organisation_ids = {p["organisation_id"] for p in procurement_store.participants(db, procurement_id)}
    rows = audit_store.procurement_timeline(db, procurement_id, sorted(organisation_ids))
    for row in rows:
        row["after"] = json.loads(row["after_json"]) if row["after_json"] else {}
        row["before"] = json.loads(row["before_json"]) if row["before_json"] else {}
    return rows
