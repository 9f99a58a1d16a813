"""Screening area: loaded lists, a subject's results with explanations, the review queue."""
from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.utils import secure_filename

from ..db import get_db
from ..domain import listed_profile
from ..domain import lists as lists_domain
from ..domain import screening as domain
from ..domain.errors import DomainError
from ..forms.screening import DecisionForm, ListUploadForm, RunForm
from ..store import lists as list_store
from ..store import outcomes as outcome_store
from ..store import reviews as review_store
from .access import Permission, requires, user_can
from .downloads import attachment, extension, read_or_abort
from ..domain.screening_status import newest_of

bp = Blueprint("screening", __name__, url_prefix="/screening")
KINDS = ("organisation", "person")


def _age_days(version: dict[str, Any]) -> int | None:
    stamp = version["published"] or version["imported_at"][:10]
    try:
        return (date.today() - date.fromisoformat(stamp[:10])).days
    except ValueError:
        return None


@bp.route("/lists")
@requires(Permission.VIEW_RECORDS)
def lists() -> Any:
    """What is loaded, from when, how many records; upload of a new version for list managers."""
    return _lists_page(ListUploadForm())


def _lists_page(form: ListUploadForm, status: int = 200) -> Any:
    db = get_db()
    versions = list_store.active_versions(db)
    for version in versions:
        version["age_days"] = _age_days(version)
    return render_template("screening/lists.html", versions=versions, history=list_store.all_versions(db)[:30],
                           form=form), status


@bp.route("/lists/upload", methods=["POST"])
@requires(Permission.MANAGE_LISTS)
def upload_list() -> Any:
    """Import a publisher's file as the new version of a list; a refused file leaves the old version active."""
    form = ListUploadForm()
    if not form.validate_on_submit():
        return _lists_page(form, 400)
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for upload in request.files.getlist(form.files.name):
            path = Path(tmp) / (secure_filename(upload.filename or "") or "list")
            upload.save(path)
            paths.append(path)
        try:
            summary = lists_domain.import_list(get_db(), current_user.actor, form.source.data, paths,
                                               force=bool(form.force.data), reason=form.reason.data or "",
                                               settings=current_app.config)
        except DomainError as exc:
            flash(_("The file was refused and the loaded version stays active: %(reason)s", reason=str(exc.message)),
                  "error")
            return _lists_page(form, 400)
    flash(_("%(source)s: %(n)s records imported.", source=form.source.data, n=summary["records"]), "success")
    if summary.get("batch_id"):  # the subjects the new version may concern are being screened again
        return redirect(url_for("followup.batch", batch_id=summary["batch_id"]))
    return redirect(url_for(".lists"))


@bp.route("/<kind>/<int:subject_id>")
@requires(Permission.VIEW_RECORDS)
def subject(kind: str, subject_id: int) -> Any:
    """A subject's newest outcome per check: every list consulted with its version, each match explained."""
    if kind not in KINDS:
        abort(404)
    db = get_db()
    subj = domain.subject_of(db, kind, subject_id)
    outcomes = newest_of(db, kind, subject_id)
    from ..store.checkpoints import overridden_outcomes

    overrides = overridden_outcomes(db)
    evidence = outcome_store.evidence_of_many(db, [o["id"] for o in outcomes])
    for outcome in outcomes:
        outcome["override"] = overrides.get(outcome["id"])
        outcome["evidence"] = evidence[outcome["id"]]
        outcome["decisions"] = {(r["list_source"], r["listed_id"]): r for r in review_store.for_outcome(db, outcome["id"])}
        outcome["earlier"] = domain.earlier_decisions(db, outcome) if outcome["check_id"] == "sanctions" else {}
        outcome["profiles"] = listed_profile.profiles(db, outcome) if outcome["check_id"] == "sanctions" else {}
    return render_template("screening/subject.html", kind=kind, subject=subj, outcomes=outcomes,
                           checks=domain.all_checks(), history=outcome_store.history(db, kind, subject_id, 20),
                           decision_form=DecisionForm(), run_form=RunForm())


@bp.route("/<kind>/<int:subject_id>/run", methods=["POST"])
@requires(Permission.RUN_CHECKS)
def run(kind: str, subject_id: int) -> Any:
    """Screen now (an organisation together with its key persons) in the background; show the progress."""
    if kind not in KINDS:
        abort(404)
    if not RunForm().validate_on_submit():
        abort(400)
    db = get_db()
    subj = domain.subject_of(db, kind, subject_id)
    from ..domain import batches

    return redirect(url_for("followup.batch", batch_id=batches.screen_subject(db, current_user.actor, kind,
                                                                              subject_id, subj.name)))


@bp.route("/procurement/<int:procurement_id>/run", methods=["POST"])
@requires(Permission.RUN_CHECKS)
def run_procurement(procurement_id: int) -> Any:
    """Screen every organisation in the procurement's chain and their key persons, in the background."""
    if not RunForm().validate_on_submit():
        abort(400)
    from ..domain import batches

    try:
        batch_id = batches.screen_procurement(get_db(), current_user.actor, procurement_id)
    except DomainError:
        abort(404)
    return redirect(url_for("followup.batch", batch_id=batch_id))


@bp.route("/review")
@requires(Permission.VIEW_RECORDS)
def review() -> Any:
    """Possible matches and hits nobody has decided on yet."""
    return render_template("screening/review.html", items=domain.open_reviews(get_db()), decision_form=DecisionForm())


@bp.route("/outcomes/<int:outcome_id>/decide", methods=["POST"])
@requires(Permission.REVIEW_MATCHES)
def decide(outcome_id: int) -> Any:
    """Confirm or dismiss one match with a reason."""
    form = DecisionForm()
    db = get_db()
    outcome = outcome_store.get(db, outcome_id)
    if outcome is None:
        abort(404)
    if form.validate_on_submit():
        try:
            result = domain.decide(db, current_user.actor, outcome_id, form.list_source.data, form.listed_id.data,
                                   form.decision.data, form.reason.data)
        except DomainError as exc:
            flash(str(exc.message), "error")
        else:
            from .approvals import proposed_message

            flash(proposed_message(result) or _("Decision recorded."), "success")
    else:
        flash(_("Choose same or not the same entity, and give a reason."), "error")
    target = request.form.get("back", "")
    if target.startswith("/screening/") and "//" not in target:
        return redirect(target)
    return redirect(url_for(".subject", kind=outcome["subject_kind"], subject_id=outcome["subject_id"]))


@bp.route("/evidence/<int:evidence_id>")
@requires(Permission.DOWNLOAD_EVIDENCE)
def evidence(evidence_id: int) -> Any:
    """The raw evidence as it was stored, with its SHA-256 in a header; a person's only with the
    personal-data right; audited."""
    from ..domain import downloads

    row = read_or_abort(lambda: downloads.evidence(get_db(), current_user.actor, evidence_id,
                                                   personal_data=user_can(Permission.REVEAL_PERSONAL_DATA)))
    return attachment(row, f"evidence-{evidence_id}.{extension(row['media_type'])}")




@bp.route("/<kind>/<int:subject_id>/manual/<check_id>", methods=["GET", "POST"])
@requires(Permission.RUN_CHECKS)
def manual(kind: str, subject_id: int, check_id: str) -> Any:
    """Record the answer of a register without an API (with the document it came in)."""
    from flask_babel import get_locale

    from ..domain import manual as manual_domain
    from ..forms.common import show_error
    from ..forms.screening import manual_answer_form

    if kind not in KINDS:
        abort(404)
    db = get_db()
    check = manual_domain.manual_check(check_id)
    subj = domain.subject_of(db, kind, subject_id)
    form = manual_answer_form(check, str(get_locale() or "sv"))
    if form.validate_on_submit():
        upload = form.document.data
        document = (upload.filename or "document", upload.read()) if upload else None
        try:
            manual_domain.record_answer(db, current_user.actor, kind, subject_id, check_id,
                                        {f.name: form[f.name].data for f in check.FIELDS}, document)
        except DomainError as exc:
            if not show_error(form, exc):
                flash(str(exc.message), "error")
        else:
            flash(_("Answer recorded."), "success")
            return redirect(url_for(".subject", kind=kind, subject_id=subject_id))
    return render_template("screening/manual.html", form=form, check=check, subject=subj, kind=kind), \
        400 if form.errors else 200
