"""Exclusion case page: the grounds with their law, the communication, self-cleaning and the decisions.

Thin: each form posts to its own route, which calls one domain function; a refusal renders the page again with
the message on its field and the typed values kept (400), a success redirects back to the page.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from ..db import get_db
from ..domain import espd
from ..domain.errors import DomainError
from ..domain.exclusion import cases, communication, decisions, self_cleaning
from ..domain.exclusion import grounds as law
from ..domain.exclusion.view import case_view
from ..forms.common import show_error
from ..forms.exclusion import (CommunicationForm, DecisionForm, GroundForm, ReplyForm, SelfCleaningForm,
                               StatedGroundsForm)
from ..store import exclusion as store
from ..store import organisations as org_store
from ..store import procurements as procurement_store
from .access import Permission, requires, user_can

bp = Blueprint("exclusion", __name__, url_prefix="/exclusion")


@bp.record_once
def _words(state: Any) -> None:
    """The words of the exclusion law for every template (the report's macros have no view context)."""
    state.app.jinja_env.globals.update(
        exclusion_law=law, exclusion_elements=self_cleaning.ELEMENTS, exclusion_assessments=self_cleaning.ASSESSMENTS,
        exclusion_conclusions=self_cleaning.CONCLUSIONS, exclusion_outcomes=decisions.OUTCOMES,
        exclusion_means=communication.MEANS)


def _page(procurement_id: int, organisation_id: int, status: int = 200, failed: tuple[str, int, FlaskForm] | None = None) -> Any:
    """The case page; ``failed`` is (form kind, record id, bound form) of a refused submission, shown with its values."""
    db = get_db()
    procurement, organisation = procurement_store.get(db, procurement_id), org_store.get(db, organisation_id)
    if procurement is None or organisation is None:
        abort(404)
    view = case_view(db, procurement_id, organisation_id)
    if not user_can(Permission.VIEW_RISK_WEIGHTS):  # what fired, without the model's limits
        from ..risk.secrecy import without_method

        for case in view["cases"]:
            for g in case["grounds"]:
                g["detail"] = without_method(g.get("detail"))
    forms: dict[tuple[str, int], FlaskForm] = {
        ("stated", 0): StatedGroundsForm(formdata=None, stated=sorted(view["stated"]),
                                         below_threshold=view["below_threshold"])}
    for case in view["cases"]:
        for g in case["grounds"]:
            forms[("ground", g["id"])] = GroundForm(
                formdata=None, prefix=f"ground{g['id']}-", start_date=law.parse_date(g["start_date"]),
                established=g["established"] or "", remedy=g["remedy"] or "", remedy_date=law.parse_date(g["remedy_date"]),
                remedy_evidence=g["remedy_evidence"] or "", exception=g["exception"] or "",
                exception_reason=g["exception_reason"] or "")
        forms[("communication", case["id"])] = CommunicationForm(formdata=None, prefix=f"communication{case['id']}-")
        for item in case["communications"]:
            forms[("reply", item["id"])] = ReplyForm(formdata=None, prefix=f"reply{item['id']}-")
        forms[("cleaning", case["id"])] = SelfCleaningForm(formdata=None, prefix=f"cleaning{case['id']}-")
        in_force = case["in_force"]
        forms[("decision", case["id"])] = DecisionForm(formdata=None, prefix=f"decision{case['id']}-",
                                                       reconsiders=str(in_force["id"]) if in_force else "")
    if failed:
        forms[(failed[0], failed[1])] = failed[2]
    return render_template(
        "exclusion/case.html", procurement=procurement, organisation=organisation, view=view, law=law,
        means=communication.MEANS, elements=self_cleaning.ELEMENTS, assessments=self_cleaning.ASSESSMENTS,
        conclusions=self_cleaning.CONCLUSIONS, outcomes=decisions.OUTCOMES, forms=forms,
        espd_case=espd.case_evidence(db, procurement_id, organisation_id),
        locale=str(get_locale() or "sv")), status


def _case(case_id: int) -> dict[str, Any]:
    case = store.case(get_db(), case_id)
    if case is None:
        abort(404)
    return case


def _back(case: dict[str, Any], anchor: str) -> Any:
    return redirect(url_for(".case", procurement_id=case["procurement_id"], organisation_id=case["organisation_id"])
                    + f"#{anchor}")


def _refused(case: dict[str, Any], kind: str, record_id: int, form: FlaskForm, exc: DomainError) -> Any:
    if not show_error(form, exc):
        form.form_errors.append(str(exc.message))
    return _page(case["procurement_id"], case["organisation_id"], 400, (kind, record_id, form))


@bp.route("/procurements/<int:procurement_id>/organisations/<int:organisation_id>")
@requires(Permission.VIEW_RECORDS)
def case(procurement_id: int, organisation_id: int) -> Any:
    """The party's exclusion cases: each ground with its limit, the communication, self-cleaning, decisions."""
    return _page(procurement_id, organisation_id)


@bp.route("/procurements/<int:procurement_id>/organisations/<int:organisation_id>/stated", methods=["POST"])
@requires(Permission.ASSESS_RISK)
def stated(procurement_id: int, organisation_id: int) -> Any:
    """Record the optional grounds the procurement documents state and whether it is below the threshold."""
    form = StatedGroundsForm()
    if not form.validate_on_submit():
        return _page(procurement_id, organisation_id, 400, ("stated", 0, form))
    try:
        cases.set_procurement_grounds(get_db(), current_user.actor, procurement_id, form.stated.data or [],
                                      bool(form.below_threshold.data))
    except DomainError as exc:
        show_error(form, exc)
        return _page(procurement_id, organisation_id, 400, ("stated", 0, form))
    flash(_("The procurement's grounds are recorded."), "success")
    return redirect(url_for(".case", procurement_id=procurement_id, organisation_id=organisation_id) + "#stated")


@bp.route("/grounds/<int:ground_id>", methods=["POST"])
@requires(Permission.ASSESS_RISK)
def ground(ground_id: int) -> Any:
    """Record a ground's date, how it was established, payment or an exception."""
    row = store.ground(get_db(), ground_id) or abort(404)
    case = _case(row["case_id"])
    form = GroundForm(prefix=f"ground{ground_id}-")
    if not form.validate_on_submit():
        return _page(case["procurement_id"], case["organisation_id"], 400, ("ground", ground_id, form))
    try:
        cases.record_ground_facts(get_db(), current_user.actor, ground_id, start_date=form.start_date.data,
                                  established=form.established.data or "", remedy=form.remedy.data or "",
                                  remedy_date=form.remedy_date.data, remedy_evidence=form.remedy_evidence.data or "",
                                  exception=form.exception.data or "", exception_reason=form.exception_reason.data or "")
    except DomainError as exc:
        return _refused(case, "ground", ground_id, form, exc)
    flash(_("The ground is updated."), "success")
    return _back(case, f"ground-{ground_id}")


@bp.route("/cases/<int:case_id>/communication", methods=["POST"])
@requires(Permission.ASSESS_RISK)
def communicate(case_id: int) -> Any:
    """Record that the supplier was given the chance to comment, and by when."""
    case = _case(case_id)
    form = CommunicationForm(prefix=f"communication{case_id}-")
    if not form.validate_on_submit():
        return _page(case["procurement_id"], case["organisation_id"], 400, ("communication", case_id, form))
    try:
        communication.send(get_db(), current_user.actor, case_id, form.sent_on.data, form.means.data or "",
                           form.content.data or "", form.deadline.data)
    except DomainError as exc:
        return _refused(case, "communication", case_id, form, exc)
    flash(_("The communication is recorded."), "success")
    return _back(case, f"communication-{case_id}")


@bp.route("/communications/<int:communication_id>/reply", methods=["POST"])
@requires(Permission.ASSESS_RISK)
def reply(communication_id: int) -> Any:
    """Record the supplier's reply."""
    item = store.communication(get_db(), communication_id) or abort(404)
    case = _case(item["case_id"])
    form = ReplyForm(prefix=f"reply{communication_id}-")
    if not form.validate_on_submit():
        return _page(case["procurement_id"], case["organisation_id"], 400, ("reply", communication_id, form))
    try:
        communication.reply(get_db(), current_user.actor, communication_id, form.reply_on.data,
                            form.reply_text.data or "", form.documents.data or "")
    except DomainError as exc:
        return _refused(case, "reply", communication_id, form, exc)
    flash(_("The reply is recorded."), "success")
    return _back(case, f"communication-{case['id']}")


@bp.route("/cases/<int:case_id>/self-cleaning", methods=["POST"])
@requires(Permission.ASSESS_RISK)
def clean(case_id: int) -> Any:
    """Record the assessment of the supplier's self-cleaning."""
    case = _case(case_id)
    form = SelfCleaningForm(prefix=f"cleaning{case_id}-")
    if not form.validate_on_submit():
        return _page(case["procurement_id"], case["organisation_id"], 400, ("cleaning", case_id, form))
    elements = {name: (getattr(form, f"{name}_evidence").data or "", getattr(form, f"{name}_assessment").data or "")
                for name in self_cleaning.ELEMENTS}
    try:
        self_cleaning.assess(get_db(), current_user.actor, case_id, elements, form.conclusion.data or "",
                             form.conclusion_reason.data or "")
    except DomainError as exc:
        return _refused(case, "cleaning", case_id, form, exc)
    flash(_("The self-cleaning assessment is recorded."), "success")
    return _back(case, f"cleaning-{case_id}")


@bp.route("/cases/<int:case_id>/decision", methods=["POST"])
@requires(Permission.ASSESS_RISK)
def decide(case_id: int) -> Any:
    """Prepare a decision (or a reconsideration); a second person confirms it under four eyes."""
    case = _case(case_id)
    form = DecisionForm(prefix=f"decision{case_id}-")
    if not form.validate_on_submit():
        return _page(case["procurement_id"], case["organisation_id"], 400, ("decision", case_id, form))
    reconsiders = int(form.reconsiders.data) if (form.reconsiders.data or "").isdigit() else None
    try:
        result = decisions.propose(get_db(), current_user.actor, case_id, form.outcome.data or "",
                                   form.reasons.data or "", form.evidence.data or "", reconsiders)
    except DomainError as exc:
        return _refused(case, "decision", case_id, form, exc)
    from .approvals import proposed_message

    flash(proposed_message(result) or _("The decision is prepared."), "success")
    return _back(case, f"decision-{case_id}")
