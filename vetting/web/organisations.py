"""Organisation pages: list, detail with key persons and procurements, create, edit."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..db import get_db
from ..domain import control_areas, listing
from ..domain import organisations as domain
from ..domain.errors import DomainError
from ..domain.identifiers import mask_identifier
from ..domain import company_facts, espd, register_persons
from ..domain import screening_status
from ..domain.screening import all_checks
from ..forms.screening import RunForm
from ..store import outcomes as outcome_store
from ..forms.common import show_error
from ..forms.organisations import KeyPersonForm, OrganisationForm
from ..forms.procurements import RemoveForm
from ..store import organisations as store
from ..store import procurements as procurement_store
from .access import Permission, requires, user_can
from .charts import figure_chart
from .paging import Pagination, page_number

bp = Blueprint("organisations", __name__, url_prefix="/organisations")


@bp.route("/")
@requires(Permission.VIEW_RECORDS)
def index() -> Any:
    """List with search by name or identifier, filter by country, pages."""
    db = get_db()
    size = current_app.config["PAGE_SIZE"]
    filters = {"text": request.args.get("q", "").strip(), "country": request.args.get("country", "")}
    wanted = request.args.get("show", "")
    if wanted in listing.FILTERS:  # status lives in read models, not columns: decide over every match, then page
        ids = store.search_ids(db, **filters)
        statuses = listing.organisation_statuses(db, ids)
        rows, total = store.search(db, **filters, page=page_number(), page_size=size,
                                   ids=listing.select(statuses, ids, wanted))
    else:
        rows, total = store.search(db, **filters, page=page_number(), page_size=size)
        statuses = listing.organisation_statuses(db, [r["id"] for r in rows])
    return render_template("organisations/index.html", organisations=rows, countries=store.countries(db),
                           statuses=statuses, filters=listing.FILTERS, pagination=Pagination(page_number(), size, total))


def _values(form: OrganisationForm) -> dict[str, Any]:
    return {name: field.data for name, field in form._fields.items() if name != "csrf_token"}


@bp.route("/new", methods=["GET", "POST"])
@requires(Permission.EDIT_RECORDS)
def new() -> Any:
    """Register an organisation."""
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            organisation_id = domain.create(get_db(), current_user.actor, _values(form))
        except DomainError as exc:
            show_error(form, exc) or flash(str(exc.message), "error")
        else:
            flash(_("Organisation %(name)s created.", name=form.name.data), "success")
            return redirect(url_for(".detail", organisation_id=organisation_id))
    return render_template("organisations/form.html", form=form, organisation=None), 400 if form.errors else 200


@bp.route("/<int:organisation_id>/edit", methods=["GET", "POST"])
@requires(Permission.EDIT_RECORDS)
def edit(organisation_id: int) -> Any:
    """Change an organisation. A sole trader's number is a personnummer: a role that may not see it gets the
    field masked, and sending the masked form back keeps the stored number."""
    organisation = domain.get(get_db(), organisation_id)
    masked = mask_identifier(organisation["identifier_type"], organisation["identifier"])
    hidden = masked != (organisation["identifier"] or "") and not user_can(Permission.REVEAL_PERSONAL_DATA)
    form = OrganisationForm(data={**organisation, "identifier": masked} if hidden else organisation)
    if form.validate_on_submit():
        values = _values(form)
        if hidden and (values.get("identifier") or "").strip() == masked:
            values["identifier"] = organisation["identifier"]
        try:
            domain.update(get_db(), current_user.actor, organisation_id, values)
        except DomainError as exc:
            show_error(form, exc) or flash(str(exc.message), "error")
        else:
            flash(_("Changes saved."), "success")
            return redirect(url_for(".detail", organisation_id=organisation_id))
    return render_template("organisations/form.html", form=form, organisation=organisation), 400 if form.errors else 200


def _render_detail(organisation_id: int, person_form: KeyPersonForm, status: int = 200) -> Any:
    db = get_db()
    organisation = domain.get(db, organisation_id)
    key_persons = domain.masked_key_persons(db, organisation_id)
    screening = screening_status.organisations(db, [organisation_id])[organisation_id]
    evidence = outcome_store.evidence_of_many(db, [c.outcome["id"] for c in screening["checks"]])
    outcomes = [{**c.outcome, "effective": c.effective, "evidence": evidence[c.outcome["id"]]} for c in screening["checks"]]
    return render_template("organisations/detail.html", organisation=organisation, key_persons=key_persons,
                           screening=screening, run_form=RunForm(), outcomes=outcomes, checks=all_checks(),
                           risk_levels=_risk_levels(organisation_id), register_people=register_persons.candidates(db, organisation_id),
                           procurements=procurement_store.procurements_of_organisation(db, organisation_id),
                           key_figures=(years := company_facts.history(db, organisation_id)),
                           figure_chart=figure_chart(years), auditor=company_facts.auditor(db, organisation_id),
                           person_form=person_form, remove_form=RemoveForm(),
                           areas=control_areas.organisations_areas(db, [organisation_id],
                                                                    {organisation_id: screening})[organisation_id],
                           espd_responses=espd.of_organisation(db, organisation_id)), status


@bp.route("/<int:organisation_id>")
@requires(Permission.VIEW_RECORDS)
def detail(organisation_id: int) -> Any:
    """An organisation, its key persons (personnummer masked) and the procurements it takes part in; one merged
    into another (the merge queue) leads to the one it was merged into."""
    merged_into = domain.get(get_db(), organisation_id).get("merged_into")
    if merged_into:
        return redirect(url_for(".detail", organisation_id=merged_into), 303)
    return _render_detail(organisation_id, KeyPersonForm())


@bp.route("/<int:organisation_id>/key-persons", methods=["POST"])
@requires(Permission.EDIT_RECORDS)
def add_key_person(organisation_id: int) -> Any:
    """Add a board member, CEO, signatory, beneficial owner or contact."""
    form = KeyPersonForm()
    if form.validate_on_submit():
        try:
            domain.add_key_person(get_db(), current_user.actor, organisation_id, _values(form))
        except DomainError as exc:
            show_error(form, exc) or flash(str(exc.message), "error")
        else:
            flash(_("%(name)s added.", name=form.name.data), "success")
            back = request.form.get("back", "")
            if back.startswith("/procurements/") and "//" not in back:
                return redirect(back)
            return redirect(url_for(".detail", organisation_id=organisation_id) + "#key-persons")
    return _render_detail(organisation_id, form, 400)


@bp.route("/key-persons/<int:key_role_id>/remove", methods=["POST"])
@requires(Permission.EDIT_RECORDS)
def remove_key_person(key_role_id: int) -> Any:
    """End a person's role in the organisation."""
    db = get_db()
    row = store.get_key_role(db, key_role_id)
    form = RemoveForm()
    if row is None or not form.validate_on_submit():
        flash(_("Nothing was removed."), "error")
        return redirect(url_for(".index"))
    domain.remove_key_role(db, current_user.actor, key_role_id, form.reason.data or "")
    flash(_("The role was removed."), "success")
    return redirect(url_for(".detail", organisation_id=row["organisation_id"]) + "#key-persons")


@bp.route("/<int:organisation_id>/register-persons", methods=["POST"])
@requires(Permission.EDIT_RECORDS)
def add_register_persons(organisation_id: int) -> Any:
    """Add the officers a register names, as the officer chose them, as key persons."""
    if RunForm().validate_on_submit():
        try:
            n = register_persons.confirm(get_db(), current_user.actor, organisation_id, request.form.getlist("person"))
        except DomainError as exc:
            flash(str(exc.message), "error")
        else:
            flash(_("%(n)s key persons added from the register.", n=n), "success")
    return redirect(url_for(".detail", organisation_id=organisation_id) + "#key-persons")


def _risk_levels(organisation_id: int) -> dict[int, dict[str, Any]]:
    """The newest risk level of the organisation in each procurement."""
    from ..store import risk as risk_store

    return {pid: row for (pid, oid), row in risk_store.latest_levels(get_db()).items() if oid == organisation_id}
