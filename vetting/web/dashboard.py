"""Dashboard per role: charts and counts."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from flask_babel import gettext as _
from flask_login import current_user

from ..db import get_db
from ..domain import dashboard as domain
from . import charts
from ..vocabulary import check_name, source_name
from ..vocabulary.words import CONTROL_LEVELS
from .access import Permission, requires

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")


def risk_labels() -> dict[str, str]:
    """Names of the risk model's levels of control from the vocabulary (``""``: not assessed yet)."""
    return {**{code: str(word) for code, word in CONTROL_LEVELS.items()}, "": _("Not assessed")}


def context_for_user() -> dict[str, Any]:
    """Template variables for the dashboard panels of the signed-in user (the start page uses them too)."""
    data = domain.for_user(get_db(), current_user.actor)
    built: dict[str, Any] = {}
    if "risk" in data:
        labels = risk_labels()
        built["risk"] = charts.bar_chart([(f"risk-{level or 'none'}", labels[level], n) for level, n in data["risk"].items()])
    if "errors" in data:
        built["errors"] = charts.bar_chart([("error", check_name(c), n) for c, n in data["errors"]["by_check"].items()])
    if "hits" in data:
        series = {source_name(name): values for name, values in data["hits"]["series"].items()}
        data["hits"]["series"] = series
        built["hits"] = charts.stacked_by_month(data["hits"]["months"], series)
    return {"dash": data, "charts": built, "risk_labels": risk_labels(), "check_name": check_name}


@bp.route("/")
@requires(Permission.SIGNED_IN)
def index() -> Any:
    """The panels the user's roles see: work waiting, contracts by risk, matches, errors, hits per month."""
    return render_template("dashboard/index.html", **context_for_user())
