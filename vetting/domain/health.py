"""What the health endpoint reports: the database answers, no migration is pending, the queue answers."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlite_utils

from ..migrations import migrations
from ..queue import huey
from ..store import ping


def report(db: sqlite_utils.Database, settings: Mapping[str, Any]) -> dict[str, Any]:
    """``{"status": "ok"|"failing", "checks": {name: "ok" or the problem}}``."""
    checks: dict[str, str] = {}
    try:
        ping(db)
        checks["database"] = "ok"
        pending = [m.name for m in migrations.pending(db)]
        checks["schema"] = "ok" if not pending else f"{len(pending)} migrations pending: run `flask db upgrade`"
    except Exception as exc:  # noqa: BLE001 - any failure is the answer, not a crash of the health check
        checks["database"] = f"unavailable: {type(exc).__name__}"
    try:
        huey.pending_count()
        checks["queue"] = "ok"
    except Exception as exc:  # noqa: BLE001
        checks["queue"] = f"unavailable: {type(exc).__name__}"
    return {"status": "ok" if all(v == "ok" for v in checks.values()) else "failing", "checks": checks}
