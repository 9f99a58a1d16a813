"""Checkpoint area: inboxes, a checkpoint's page (prepare, sign off), phase changes, the timeline."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from ..db import get_db
from ..domain import checkpoints as domain
from ..domain import inbox, workflow
from ..domain.errors import DomainError
from ..domain.manual import clean_document
from ..forms.checkpoints import CHOICE_LABELS, ReasonForm, SignForm, prepare_form
from ..forms.common import show_error
from ..forms.screening import RunForm
from ..store import checkpoints as store
from .auth import safe_next
from .paging import Pagination, page_number
from .access import Permission, requires
from .downloads import attachment, read_or_abort

bp = Blueprint("checkpoints", __name__, url_prefix="/checkpoints")
INBOX_PAGE_SIZE = 25  # rows per box of the inbox


@bp.route("/")
@requires(Permission.SIGNED_IN)
def index() -> Any:
    """Waiting for me, returned to me, overdue: per the roles I hold."""
    from ..domain import conditions

    # Each box shows one page (its own ?<box>_page=N), read as such from the database, so the page costs the
    # same however much waits.
    pages: dict[str, Pagination] = {}

    def start_of(key: str, count: int) -> int:
        pages[key] = Pagination(page_number(f"{key}_page"), INBOX_PAGE_SIZE, count, f"{key}_page")
        return pages[key].start

    boxes = inbox.page_for_user(get_db(), current_user.actor, ("decide", "overdue", "rest", "returned"), start_of,
                                INBOX_PAGE_SIZE)
    return render_template("checkpoints/index.html", boxes=boxes.rows, counts=boxes.counts, pages=pages,
                           conditions=conditions.for_user(get_db(), current_user.actor))


def _render(checkpoint_id: int, prepare: Any = None, sign: Any = None, status: int = 200) -> Any:
    db = get_db()
    checkpoint = domain.get(db, checkpoint_id)
    template = checkpoint["template"]
    locale = str(get_locale() or "sv")
    from ..domain.criteria import evaluate
    from ..store import procurements as procurement_store

    return render_template(
        "checkpoints/detail.html", checkpoint=checkpoint, template=template,
        procurement=procurement_store.get(db, checkpoint["procurement_id"]),
        criteria=evaluate(db, checkpoint["procurement_id"], template.criteria), decisions=store.decisions(db, checkpoint_id),
        documents=store.documents_of(db, checkpoint_id),
        prepare_form=prepare or prepare_form(template, locale, checkpoint["answers"]), sign_form=sign or SignForm(),
        choice_labels=CHOICE_LABELS, locale=locale), status


@bp.route("/<int:checkpoint_id>")
@requires(Permission.VIEW_RECORDS)
def detail(checkpoint_id: int) -> Any:
    """A checkpoint: what it is about, its criteria now, answers, decisions with their frozen evidence."""
    return _render(checkpoint_id)


@bp.route("/<int:checkpoint_id>/prepare", methods=["POST"])
@requires(Permission.WORK_CHECKPOINTS)
def prepare(checkpoint_id: int) -> Any:
    """The owner fills in the checkpoint and sends it for sign-off."""
    db = get_db()
    checkpoint = domain.get(db, checkpoint_id)
    template = checkpoint["template"]
    form = prepare_form(template, str(get_locale() or "sv"), {})
    if not form.validate_on_submit():
        return _render(checkpoint_id, prepare=form, status=400)
    try:
        documents = {}
        for field in template.fields:
            upload = form[field.name].data if field.kind == "document" else None
            if upload and getattr(upload, "filename", ""):
                documents[field.name] = clean_document(upload.filename, upload.read())
        raw = {f.name: form[f.name].data for f in template.fields if f.kind != "document"}
        domain.prepare(db, current_user.actor, checkpoint_id, raw, documents)
    except DomainError as exc:
        if not show_error(form, exc):
            flash(str(exc.message), "error")
        return _render(checkpoint_id, prepare=form, status=400)
    flash(_("Sent for sign-off."), "success")
    return redirect(url_for(".detail", checkpoint_id=checkpoint_id))


@bp.route("/<int:checkpoint_id>/sign", methods=["POST"])
@requires(Permission.WORK_CHECKPOINTS)
def sign(checkpoint_id: int) -> Any:
    """Approve, approve with conditions, or reject with a reason."""
    form = SignForm()
    if not form.validate_on_submit():
        return _render(checkpoint_id, sign=form, status=400)
    try:
        domain.sign(get_db(), current_user.actor, checkpoint_id, form.decision.data, form.reason.data,
                    form.conditions.data or "")
    except DomainError as exc:
        if not show_error(form, exc):
            flash(str(exc.message), "error")
        return _render(checkpoint_id, sign=form, status=exc.http_status if exc.http_status == 409 else 400)
    flash(_("Decision recorded."), "success")
    return redirect(url_for(".detail", checkpoint_id=checkpoint_id))


@bp.route("/documents/<int:document_id>")
@requires(Permission.WORK_CHECKPOINTS)
def document(document_id: int) -> Any:
    """A document attached to a checkpoint, as a download (never rendered inline); audited."""
    from ..domain import downloads

    row = read_or_abort(lambda: downloads.document(get_db(), current_user.actor, document_id))
    return attachment(row, f"checkpoint-document-{document_id}")


@bp.route("/procurement/<int:procurement_id>/advance", methods=["POST"])
@requires(Permission.ADVANCE_PHASE)
def advance(procurement_id: int) -> Any:
    """Move the procurement to its next phase if its gates are open."""
    if RunForm().validate_on_submit():
        try:
            phase = workflow.advance(get_db(), current_user.actor, procurement_id)
            workflow.start_followup_if_signed(get_db(), current_user.actor, procurement_id, current_app.config)
        except DomainError as exc:
            flash(str(exc.message), "error")
        else:
            from ..labels import PHASES

            flash(_("The procurement is now in phase: %(phase)s.", phase=PHASES[phase]), "success")
    return redirect(url_for("procurements.detail", procurement_id=procurement_id) + "#phase")


@bp.route("/procurement/<int:procurement_id>/extend", methods=["POST"])
@requires(Permission.ADVANCE_PHASE)
def extend(procurement_id: int) -> Any:
    """Open CP11 for an extension of a signed contract."""
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            workflow.extend(get_db(), current_user.actor, procurement_id, form.reason.data)
        except DomainError as exc:
            flash(str(exc.message), "error")
        else:
            flash(_("Checkpoint CP11 opened for the extension."), "success")
    return redirect(url_for("procurements.detail", procurement_id=procurement_id) + "#phase")


@bp.route("/outcomes/<int:outcome_id>/override", methods=["POST"])
@requires(Permission.OVERRIDE_ERRORS)
def override(outcome_id: int) -> Any:
    """Accept a check in error with a reason so it no longer blocks sign-off."""
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            result = domain.override_error(get_db(), current_user.actor, outcome_id, form.reason.data)
        except DomainError as exc:
            flash(str(exc.message), "error")
        else:
            from .approvals import proposed_message

            flash(proposed_message(result) or _("The error is accepted; the reason is recorded."), "success")
    else:
        flash(_("Give the reason for accepting the error."), "error")
    return redirect(safe_next(request.form.get("back"), url_for(".index")))


@bp.route("/procurement/<int:procurement_id>/timeline")
@requires(Permission.VIEW_RECORDS)
def timeline(procurement_id: int) -> Any:
    """Every check, assessment, sign-off and phase change of a procurement, in order, with who and why."""
    from ..store import procurements as procurement_store

    db = get_db()
    procurement = procurement_store.get(db, procurement_id)
    if procurement is None:
        abort(404)
    return render_template("checkpoints/timeline.html", procurement=procurement,
                           events=inbox.timeline(db, procurement_id))


@bp.route("/notifications", methods=["GET", "POST"])
@requires(Permission.SIGNED_IN)
def notifications() -> Any:
    """The user's in-app notifications; opening them marks them read."""
    db = get_db()
    rows = store.notifications(db, current_user.id)
    from ..store import write_transaction

    with write_transaction(db):
        store.mark_read(db, current_user.id)
    return render_template("checkpoints/notifications.html", notifications=rows)
