"""Start page and health checks (liveness /healthz, readiness with details /health)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template
from flask_login import current_user

from ..db import get_db
from ..store import procurements as procurement_store
from .access import Permission, public, requires
from .dashboard import context_for_user

bp = Blueprint("main", __name__)


@bp.route("/")
@requires(Permission.SIGNED_IN)
def home() -> Any:
    """Overview: the user's roles, the dashboard panels of those roles and the latest procurements."""
    rows, total = procurement_store.search(get_db(), page_size=10)
    return render_template("main/home.html", procurements=rows, total=total, roles=sorted(current_user.roles),
                           **context_for_user())


@bp.route("/healthz")
@public
def healthz() -> Any:
    """Liveness: the database answers."""
    from ..store import ping

    ping(get_db())
    return {"status": "ok"}


@bp.route("/health")
@public
def health() -> Any:
    """For monitoring: database, schema and queue, each "ok" or what is wrong; 503 when anything is.

    Public on purpose (a load balancer or monitor asks without signing in), so it names no paths,
    versions or counts of records.
    """
    from ..domain.health import report

    result = report(get_db(), current_app.config)
    return result, 200 if result["status"] == "ok" else 503
