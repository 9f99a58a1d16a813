"""Risk area: a case's assessment explained, the questionnaire, overrides, model versions (exclusion: web/exclusion.py)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from ..db import get_db
from ..domain import graph
from ..domain import espd as espd_domain
from ..domain import risk as domain
from ..domain.errors import DomainError
from ..domain.exclusion.decisions import OUTCOMES
from ..domain.exclusion.view import case_view
from ..forms.risk import ModelForm, OverrideForm, StaffConflictForm
from ..forms.screening import RunForm
from ..store import organisations as org_store
from ..store import procurements as procurement_store
from ..store import risk as store
from .access import Permission, requires, user_can

bp = Blueprint("risk", __name__, url_prefix="/risk")


def _case(procurement_id: int, organisation_id: int) -> tuple[dict[str, Any], dict[str, Any]]:
    db = get_db()
    procurement = procurement_store.get(db, procurement_id)
    organisation = org_store.get(db, organisation_id)
    if procurement is None or organisation is None:
        abort(404)
    return procurement, organisation


@bp.route("/procurements/<int:procurement_id>/organisations/<int:organisation_id>")
@requires(Permission.VIEW_RECORDS)
def case(procurement_id: int, organisation_id: int) -> Any:
    """The assessment explained: each indicator's state, evidence and (for those allowed) weight and contribution."""
    db = get_db()
    procurement, organisation = _case(procurement_id, organisation_id)
    model = domain.current_model(db)
    assessment = store.latest_assessment(db, procurement_id, organisation_id)
    indicators = {i.id: i for i in model.indicators}
    if assessment and assessment["model_version"] != model.version:
        stored = store.model(db, assessment["model_version"])
        if stored:
            indicators = {i.id: i for i in domain._parse(stored["text"]).indicators}
    cases = case_view(db, procurement_id, organisation_id)["cases"]
    if not user_can(Permission.VIEW_RISK_WEIGHTS):
        assessment, cases = _method_free(assessment, cases)
    return render_template(
        "risk/case.html", procurement=procurement, organisation=organisation, assessment=assessment,
        level=domain.effective_level(assessment), indicators=indicators, model=model,
        questions=domain.open_questions(db, procurement_id, organisation_id),
        answers=store.answers(db, procurement_id, organisation_id),
        cases=cases, outcomes=OUTCOMES, override_form=OverrideForm(), run_form=RunForm(), locale=str(get_locale() or "sv"),
        espd_case=espd_domain.case_evidence(db, procurement_id, organisation_id))


@bp.route("/procurements/<int:procurement_id>/organisations/<int:organisation_id>/assess", methods=["POST"])
@requires(Permission.ASSESS_RISK)
def assess(procurement_id: int, organisation_id: int) -> Any:
    """Assess the case again with everything known now."""
    _case(procurement_id, organisation_id)
    if RunForm().validate_on_submit():
        domain.assess(get_db(), current_user.actor, procurement_id, organisation_id)
        flash(_("Assessment updated."), "success")
    return redirect(url_for(".case", procurement_id=procurement_id, organisation_id=organisation_id))


@bp.route("/procurements/<int:procurement_id>/assess", methods=["POST"])
@requires(Permission.ASSESS_RISK)
def assess_all(procurement_id: int) -> Any:
    """Assess every organisation in the procurement's chain."""
    if RunForm().validate_on_submit():
        n = domain.assess_procurement(get_db(), current_user.actor, procurement_id)
        flash(_("%(n)s organisations assessed.", n=n), "success")
    return redirect(url_for("procurements.detail", procurement_id=procurement_id) + "#participants")


@bp.route("/procurements/<int:procurement_id>/organisations/<int:organisation_id>/answers", methods=["POST"])
@requires(Permission.ASSESS_RISK)
def answer(procurement_id: int, organisation_id: int) -> Any:
    """Record the questionnaire's answers; the case is assessed again at once."""
    _case(procurement_id, organisation_id)
    if not RunForm().validate_on_submit():
        abort(400)
    answers = {k[len("q:"):]: v for k, v in request.form.items() if k.startswith("q:")}
    notes = {k[len("note:"):]: v for k, v in request.form.items() if k.startswith("note:")}
    try:
        domain.answer(get_db(), current_user.actor, procurement_id, organisation_id, answers, notes)
    except DomainError as exc:
        flash(str(exc.message), "error")
    else:
        flash(_("Answers recorded and the case assessed again."), "success")
    return redirect(url_for(".case", procurement_id=procurement_id, organisation_id=organisation_id))


@bp.route("/assessments/<int:assessment_id>/override", methods=["POST"])
@requires(Permission.OVERRIDE_RISK)
def override(assessment_id: int) -> Any:
    """A security officer sets another level with a reason."""
    db = get_db()
    assessment = store.assessment(db, assessment_id)
    if assessment is None:
        abort(404)
    form = OverrideForm()
    if form.validate_on_submit():
        try:
            result = domain.override(db, current_user.actor, assessment_id, form.level.data, form.reason.data)
        except DomainError as exc:
            flash(str(exc.message), "error")
        else:
            from .approvals import proposed_message

            flash(proposed_message(result) or _("The level is overridden; the reason is recorded."), "success")
    else:
        flash(_("Choose a level and give the reason."), "error")
    return redirect(url_for(".case", procurement_id=assessment["procurement_id"],
                            organisation_id=assessment["organisation_id"]))


@bp.route("/network/<int:organisation_id>")
@requires(Permission.VIEW_RECORDS)
def network(organisation_id: int) -> Any:
    """Common denominators: organisations linked to this one, each shared element named."""
    db = get_db()
    organisation = org_store.get(db, organisation_id)
    if organisation is None:
        abort(404)
    return render_template("risk/network.html", organisation=organisation, links=graph.network(db, organisation_id))


@bp.route("/models", methods=["GET", "POST"])
@requires(Permission.MANAGE_RISK_MODEL)
def models() -> Any:
    """Model versions: validate a new file, replay it on the stored cases, publish it."""
    db = get_db()
    form = ModelForm()
    replay, problems = None, ()
    if request.method == "GET":
        active = store.active_model(db)
        form.text.data = active["text"] if active else domain.default_model_text()
    elif form.validate_on_submit():
        try:
            if request.form.get("action") == "publish":
                from .approvals import proposed_message

                flash(proposed_message(domain.publish(db, current_user.actor, form.text.data)) or "", "success")
                return redirect(url_for(".models"))
            replay = domain.replay(db, form.text.data)
        except DomainError as exc:
            form.text.errors = list(form.text.errors) + [str(exc.message)]
            problems = getattr(exc, "problems", ())
    domain.current_model(db)
    return render_template("risk/models.html", form=form, versions=store.models(db), replay=replay,
                           problems=problems), \
        400 if form.errors else 200


@bp.route("/staff-conflicts", methods=["GET", "POST"])
@requires(Permission.MANAGE_RISK_MODEL)
def staff_conflicts() -> Any:
    """The agency's own staff conflict list (EX-12 reads it)."""
    db = get_db()
    form = StaffConflictForm()
    if form.validate_on_submit():
        try:
            domain.add_staff_conflict(db, current_user.actor, form.name.data, form.birth_year.data or "", form.note.data or "")
        except DomainError as exc:
            flash(str(exc.message), "error")
        else:
            flash(_("Added."), "success")
            return redirect(url_for(".staff_conflicts"))
    return render_template("risk/staff.html", form=form, entries=store.staff_conflicts(db))


def _method_free(assessment: dict[str, Any] | None, cases: list[dict[str, Any]]) -> tuple[Any, list[dict[str, Any]]]:
    """The assessment and exclusion cases as a role without the method sees them (no limits, no points)."""
    from ..risk.secrecy import without_method

    if assessment:
        assessment = {**assessment, "reasons": [{k: without_method(v) for k, v in r.items()} for r in assessment["reasons"]],
                      "results": [{**r, "detail": without_method(r.get("detail"))} for r in assessment["results"]]}
    cases = [{**c, "grounds": [{**g, "detail": without_method(g.get("detail"))} for g in c.get("grounds") or []]}
             for c in cases]
    return assessment, cases
