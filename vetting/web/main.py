"""Start page and health check."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
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
