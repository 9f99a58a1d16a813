"""Gate records in the UI: art. 5k answers per party, deepened-check tasks, sanctions freeze and reporting."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..db import get_db
from ..domain import prohibitions, triage
from ..domain.errors import DomainError
from ..store import gates as store
from .access import Permission, requires
from .auth import safe_next

bp = Blueprint("gates", __name__, url_prefix="/gates")


@bp.app_context_processor
def gate_records() -> dict[str, Any]:
    """Lookups the organisation, case and procurement pages include (kept here so those views stay as they are)."""
    return {"art5k_answer": lambda oid: store.art5k_answer(get_db(), oid),
            "deepened_tasks": lambda pid, oid: triage.tasks(get_db(), pid, oid),
            "sanction_reports": lambda pid: prohibitions.reports(get_db(), pid)}


def _back(default: str) -> Any:
    return redirect(safe_next(request.form.get("back"), default))


@bp.route("/organisations/<int:organisation_id>/art5k", methods=["POST"])
@requires(Permission.ASSESS_RISK)
def art5k(organisation_id: int) -> Any:
    """The officer's art. 5k answers for a party (Russian ownership above 50 %, acting on behalf)."""
    try:
        prohibitions.record_art5k(get_db(), current_user.actor, organisation_id,
                                  russian_owned=request.form.get("russian_owned", ""),
                                  acting_for_russia=request.form.get("acting_for_russia", ""),
                                  note=request.form.get("note", ""))
    except DomainError as exc:
        flash(str(exc.message), "error")
    else:
        flash(_("Art. 5k answers recorded."), "success")
    return redirect(url_for("organisations.detail", organisation_id=organisation_id) + "#art5k")


@bp.route("/deepened/<int:task_id>/conclude", methods=["POST"])
@requires(Permission.OVERRIDE_RISK)
def conclude(task_id: int) -> Any:
    """A security officer concludes a deepened check."""
    task = store.deepened_check(get_db(), task_id)
    try:
        triage.conclude(get_db(), current_user.actor, task_id, request.form.get("examined", ""),
                        request.form.get("proportionality", ""), request.form.get("conclusion", ""))
    except DomainError as exc:
        flash(str(exc.message), "error")
    else:
        flash(_("The deepened check is concluded."), "success")
    if task is None:
        return redirect(url_for("procurements.index"))
    return redirect(url_for("risk.case", procurement_id=task["procurement_id"],
                            organisation_id=task["organisation_id"]) + "#deepened")


@bp.route("/sanction-reports/<int:report_id>/reported", methods=["POST"])
@requires(Permission.OVERRIDE_RISK)
def reported(report_id: int) -> Any:
    """A security officer records that the confirmed hit was reported onwards (to the configured recipient)."""
    try:
        recipient = prohibitions.report_onwards(get_db(), current_user.actor, report_id, current_app.config)
    except DomainError as exc:
        flash(str(exc.message), "error")
    else:
        flash(_("Recorded as reported to %(to)s.", to=recipient), "success")
    return _back(url_for("procurements.index"))
