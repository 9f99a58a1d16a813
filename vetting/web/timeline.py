"""The procurement's timeline: planned dates, the award notice and standstill, requests for review."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..db import get_db
from ..domain import clock
from ..domain import timeline as domain
from ..domain.errors import DomainError
from ..forms.timeline import AppealDecisionForm, AppealForm, NoticeForm, PlannedDatesForm
from ..store import procurements as procurement_store
from ..store import timeline as store
from .access import Permission, requires

bp = Blueprint("timeline", __name__, url_prefix="/procurements")


def _back(procurement_id: int) -> Any:
    return redirect(url_for("procurements.detail", procurement_id=procurement_id) + "#timeline")


def _exists(procurement_id: int) -> dict[str, Any]:
    procurement = procurement_store.get(get_db(), procurement_id)
    if procurement is None:
        abort(404)
    return procurement


def notice_form(procurement_id: int) -> NoticeForm:
    """The notice form with every bidder offered (and ticked: all must be notified)."""
    form = NoticeForm()
    parties = domain.notified_parties(get_db(), procurement_id)
    form.recipients.choices = [(p["organisation_id"], p["organisation_name"]) for p in parties]
    if not form.is_submitted():
        form.recipients.data = [p["organisation_id"] for p in parties]
        form.sent_on.data = clock.today()
    return form


def context(procurement_id: int, procurement: dict[str, Any] | None = None) -> dict[str, Any]:
    """What the procurement page shows of the timeline (``procurement``: the record when the page has read it)."""
    db = get_db()
    procurement = procurement if procurement is not None else procurement_store.get(db, procurement_id) or {}
    planned = PlannedDatesForm(data={k: _as_date(procurement.get(k)) for k in store.PLANNED})
    from ..store import conditions as condition_store

    appeals = store.appeals(db, procurement_id)
    # The notice and appeal forms show in the award phases only, the decision form beside an open appeal: not
    # built (nor the bidders read for them) on the page of a procurement elsewhere.
    award = procurement.get("phase") in ("award", "standstill")
    return {"standstill": domain.standstill(db, procurement_id), "appeals": appeals,
            "conditions": condition_store.for_procurement(db, procurement_id),
            "planned_form": planned, "notice_form": notice_form(procurement_id) if award else None,
            "appeal_form": AppealForm() if award else None,
            "appeal_decision_form": AppealDecisionForm() if any(not a["decided_on"] for a in appeals) else None,
            "today": clock.today()}


def _as_date(text: str | None) -> Any:
    from datetime import date

    return date.fromisoformat(text) if text else None


def _errors(form: Any) -> None:
    for field_errors in form.errors.values():
        for message in field_errors:
            flash(str(message), "error")


@bp.route("/<int:procurement_id>/planned-dates", methods=["POST"])
@requires(Permission.EDIT_RECORDS)
def planned_dates(procurement_id: int) -> Any:
    """Set or change the planned dates; the checkpoints' due dates follow."""
    _exists(procurement_id)
    form = PlannedDatesForm()
    if not form.validate_on_submit():
        _errors(form)
        return _back(procurement_id)
    try:
        domain.set_planned_dates(get_db(), current_user.actor, procurement_id,
                                 {k: getattr(form, k).data for k in store.PLANNED})
    except DomainError as exc:
        flash(str(exc.message), "error")
    else:
        flash(_("Planned dates saved; the checkpoints' due dates follow them."), "success")
    return _back(procurement_id)


@bp.route("/<int:procurement_id>/award-notice", methods=["POST"])
@requires(Permission.ADVANCE_PHASE)
def award_notice(procurement_id: int) -> Any:
    """Record that the award decision was sent to every bidder: the standstill starts."""
    _exists(procurement_id)
    form = notice_form(procurement_id)
    if not form.validate_on_submit():
        _errors(form)
        return _back(procurement_id)
    try:
        domain.record_notice(get_db(), current_user.actor, procurement_id, form.sent_on.data, form.method.data,
                             form.reasons.data, form.recipients.data or [])
    except DomainError as exc:
        flash(str(exc.message), "error")
    else:
        flash(_("Notice recorded. Standstill until %(day)s.",
                day=domain.standstill(get_db(), procurement_id).last_day.isoformat()), "success")
    return _back(procurement_id)


@bp.route("/<int:procurement_id>/appeals", methods=["POST"])
@requires(Permission.ADVANCE_PHASE)
def appeal(procurement_id: int) -> Any:
    """Register a request for review: signing waits for the court."""
    _exists(procurement_id)
    form = AppealForm()
    if not form.validate_on_submit():
        _errors(form)
        return _back(procurement_id)
    try:
        domain.register_appeal(get_db(), current_user.actor, procurement_id, form.applicant.data, form.court.data,
                               form.filed_on.data)
    except DomainError as exc:
        flash(str(exc.message), "error")
    else:
        flash(_("Request for review registered; the contract may not be signed until the court has decided."),
              "success")
    return _back(procurement_id)


@bp.route("/appeals/<int:appeal_id>/decision", methods=["POST"])
@requires(Permission.ADVANCE_PHASE)
def appeal_decision(appeal_id: int) -> Any:
    """Record the court's decision on a request for review."""
    row = store.get_appeal(get_db(), appeal_id)
    if row is None:
        abort(404)
    form = AppealDecisionForm()
    if not form.validate_on_submit():
        _errors(form)
        return _back(row["procurement_id"])
    try:
        domain.decide_appeal(get_db(), current_user.actor, appeal_id, form.decided_on.data, form.outcome.data,
                             form.note.data)
    except DomainError as exc:
        flash(str(exc.message), "error")
    else:
        flash(_("The court's decision is recorded."), "success")
    return _back(row["procurement_id"])


@bp.route("/conditions/<int:condition_id>/fulfil", methods=["POST"])
@requires(Permission.WORK_CHECKPOINTS)
def fulfil_condition(condition_id: int) -> Any:
    """Record that a condition of a sign-off is met, with its evidence."""
    from flask import request

    from ..domain import conditions
    from ..store import conditions as condition_store

    row = condition_store.get(get_db(), condition_id)
    if row is None:
        abort(404)
    try:
        conditions.fulfil(get_db(), current_user.actor, condition_id, request.form.get("evidence", ""))
    except DomainError as exc:
        flash(str(exc.message), "error")
    else:
        flash(_("The condition is marked as fulfilled."), "success")
    return redirect(url_for("procurements.detail", procurement_id=row["procurement_id"]) + "#conditions")
