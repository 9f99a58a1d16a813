"""Reviewer area: contracts due and overdue, change alerts, side-by-side reviews, background batches."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..db import get_db
from ..domain import clock
from ..domain import followup as domain
from ..domain.errors import DomainError
from ..extensions import huey
from ..forms.common import show_error
from ..forms.followup import HandleAlertForm, ReviewForm, ScheduleForm
from ..forms.screening import RunForm
from ..store import followup as store
from ..store import procurements as procurement_store
from ..tasks import enqueue_batch
from .access import Permission, requires
from .paging import Pagination, page_number
from ..contract import is_under_contract

PAGE_SIZE = 25  # contracts per table: the page stays the same size however many are followed up
bp = Blueprint("followup", __name__, url_prefix="/followup")


@bp.route("/")
@requires(Permission.VIEW_RECORDS)
def index() -> Any:
    """Follow-ups due and overdue, open alerts, recent batches and the queue's health."""
    db = get_db()
    today = clock.today()
    groups = domain.by_due_state([s for s in store.schedules(db) if is_under_contract(s)], today)
    pages = {key: Pagination(page_number(f"{key}_page"), PAGE_SIZE, len(rows), f"{key}_page") for key, rows in groups.items()}
    return render_template("followup/index.html", today=today.isoformat(), **groups, pages=pages,
                           alerts=store.alerts(db), batches=store.recent_batches(db, 10), health=_queue_health())


def _queue_health() -> dict[str, Any]:
    backend = type(huey.storage).__name__.removesuffix("Storage")  # Sqlite / Redis (Memory in tests)
    try:
        return {"backend": backend, "pending": huey.pending_count(), "scheduled": huey.scheduled_count(),
                "ok": True}
    except Exception as exc:  # the page must show a broken queue, not fail with it
        return {"backend": backend, "ok": False, "error": str(exc)}


@bp.route("/contracts/<int:procurement_id>")
@requires(Permission.VIEW_RECORDS)
def contract(procurement_id: int) -> Any:
    """A contract's schedule, alerts, what changed since the last review side by side, and the review form."""
    return _contract_page(procurement_id)


def _contract_page(procurement_id: int, review_form: ReviewForm | None = None, status: int = 200,
                   schedule_form: ScheduleForm | None = None) -> Any:
    from ..domain import clock
    from ..store import conditions as condition_store

    db = get_db()
    procurement = procurement_store.get(db, procurement_id)
    if procurement is None:
        abort(404)
    schedule = store.schedule(db, procurement_id)
    form = schedule_form or ScheduleForm(data=schedule or {"risk_level": "medium"})
    return render_template("followup/contract.html", procurement=procurement, schedule=schedule, schedule_form=form,
                           review_form=review_form or ReviewForm(), handle_form=HandleAlertForm(), run_form=RunForm(),
                           alerts=store.alerts(db, open_only=False, procurement_id=procurement_id),
                           rows=domain.side_by_side(db, procurement_id), reviews=store.reviews(db, procurement_id),
                           conditions=condition_store.for_procurement(db, procurement_id), today=clock.today()), status


@bp.route("/contracts/<int:procurement_id>/schedule", methods=["POST"])
@requires(Permission.WORK_CHECKPOINTS)
def schedule(procurement_id: int) -> Any:
    """Set the risk level and interval of a contract's follow-up."""
    form = ScheduleForm()
    if form.validate_on_submit():
        try:
            domain.set_schedule(get_db(), current_user.actor, procurement_id, form.risk_level.data, current_app.config,
                                form.interval_months.data)
        except DomainError as exc:
            show_error(form, exc) or flash(str(exc.message), "error")
        else:
            flash(_("Follow-up schedule saved."), "success")
            return redirect(url_for(".contract", procurement_id=procurement_id))
    # The page again with what was typed and the message beside the field, never a silent redirect.
    return _contract_page(procurement_id, status=400, schedule_form=form)


@bp.route("/contracts/<int:procurement_id>/recheck", methods=["POST"])
@requires(Permission.RUN_CHECKS)
def recheck(procurement_id: int) -> Any:
    """Re-check now: every party of the contract and their key persons, in the background."""
    if not RunForm().validate_on_submit():
        abort(400)
    db = get_db()
    procurement = procurement_store.get(db, procurement_id)
    if procurement is None:
        abort(404)
    batch_id = domain.start_batch(db, current_user.actor, "recheck", f"Re-check {procurement['reference']}",
                                  domain.contract_subjects(db, procurement_id), procurement_id, fresh=True)
    enqueue_batch(batch_id)
    return redirect(url_for(".batch", batch_id=batch_id))


@bp.route("/contracts/<int:procurement_id>/review", methods=["POST"])
@requires(Permission.WORK_CHECKPOINTS)
def review(procurement_id: int) -> Any:
    """Record the conclusion of a periodic review; the next date is set from the interval."""
    form = ReviewForm()
    if form.validate_on_submit():
        try:
            next_due = domain.review(get_db(), current_user.actor, procurement_id, form.conclusion.data)
        except DomainError as exc:
            show_error(form, exc) or flash(str(exc.message), "error")
            return _contract_page(procurement_id, form, 400)
        flash(_("Review recorded. Next follow-up: %(date)s.", date=next_due), "success")
        return redirect(url_for(".contract", procurement_id=procurement_id))
    return _contract_page(procurement_id, form, 400)


@bp.route("/alerts/<int:alert_id>/handle", methods=["POST"])
@requires(Permission.WORK_CHECKPOINTS)
def handle_alert(alert_id: int) -> Any:
    """Close an alert with a note of what was done."""
    form = HandleAlertForm()
    db = get_db()
    rows = [a for a in store.alerts(db, open_only=False) if a["id"] == alert_id]
    if not rows:
        abort(404)
    if form.validate_on_submit():
        try:
            domain.handle_alert(db, current_user.actor, alert_id, form.note.data)
        except DomainError as exc:
            flash(str(exc.message), "error")
        else:
            flash(_("Alert handled."), "success")
    else:
        flash(_("Say what was done about the alert."), "error")
    return redirect(url_for(".contract", procurement_id=rows[0]["procurement_id"]) + "#alerts")


@bp.route("/batches/<int:batch_id>")
@requires(Permission.VIEW_RECORDS)
def batch(batch_id: int) -> Any:
    """Progress of a background batch (the page updates itself)."""
    from ..domain.batches import result

    row = store.batch(get_db(), batch_id)
    if row is None:
        abort(404)
    return render_template("followup/batch.html", batch=row, items=result(get_db(), batch_id))


@bp.route("/batches/<int:batch_id>.json")
@requires(Permission.VIEW_RECORDS)
def batch_json(batch_id: int) -> Any:
    """Progress as JSON for the page's polling."""
    row = store.batch(get_db(), batch_id)
    if row is None:
        abort(404)
    return jsonify({"id": row["id"], "state": row["state"], "total": row["total"], "done": row["done"],
                    "by_status": row["by_status"]})
