"""Procurement officer area: procurements, their participants and the subcontractor tree."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..db import get_db
from ..domain import control_areas, listing
from ..domain import organisations as organisations_domain
from ..domain import procurements as domain
from ..domain.errors import DomainError
from ..domain import workflow
from ..domain.checkpoint_templates import templates as checkpoint_templates
from ..domain import screening_status
from ..store import checkpoints as checkpoint_store
from ..forms.common import show_error
from ..forms.procurements import ParticipantForm, ProcurementForm, ProtectionForm, RemoveForm
from ..forms.screening import RunForm
from ..store import organisations as org_store
from ..store import procurements as store
from ..store import users as user_store
from . import links
from .access import Permission, requires
from .paging import Pagination, page_number

bp = Blueprint("procurements", __name__, url_prefix="/procurements")


@bp.route("/")
@requires(Permission.VIEW_RECORDS)
def index() -> Any:
    """List with search, filters and pages."""
    args, db, size = request.args, get_db(), current_app.config["PAGE_SIZE"]
    filters = {"text": args.get("q", "").strip(), "phase": args.get("phase", ""),
               "protection_level": args.get("protection_level", ""),
               "risk_industry": {"1": True, "0": False}.get(args.get("risk_industry", ""))}
    wanted = args.get("show", "")
    if wanted in listing.FILTERS:  # status lives in read models, not columns: decide over every match, then page
        ids = store.search_ids(db, **filters)
        statuses = listing.procurement_statuses(db, ids)
        rows, total = store.search(db, **filters, page=page_number(), page_size=size,
                                   ids=listing.select(statuses, ids, wanted))
    else:
        rows, total = store.search(db, **filters, page=page_number(), page_size=size)
        statuses = listing.procurement_statuses(db, [r["id"] for r in rows])
    return render_template("procurements/index.html", procurements=rows, statuses=statuses, filters=listing.FILTERS,
                           pagination=Pagination(page_number(), size, total),
                           detail_link=links.pattern(".detail", "procurement_id"))


def _officer_choices() -> list[tuple[int, str]]:
    return [(0, "—")] + [(u["id"], u["display_name"])
                          for u in user_store.users_with_role(get_db(), "procurement_officer")]


def _form_values(form: ProcurementForm) -> dict[str, Any]:
    data = {name: field.data for name, field in form._fields.items() if name != "csrf_token"}
    data["responsible_user_id"] = data.get("responsible_user_id") or None
    return data


@bp.route("/new", methods=["GET", "POST"])
@requires(Permission.EDIT_RECORDS)
def new() -> Any:
    """Register a procurement."""
    form = ProcurementForm()
    form.responsible_user_id.choices = _officer_choices()
    if request.method == "GET":
        form.responsible_user_id.data = current_user.id
    if form.validate_on_submit():
        try:
            procurement_id = domain.create(get_db(), current_user.actor, _form_values(form))
        except DomainError as exc:
            show_error(form, exc) or flash(str(exc.message), "error")
        else:
            flash(_("Procurement %(ref)s created.", ref=form.reference.data), "success")
            return redirect(url_for(".detail", procurement_id=procurement_id))
    return render_template("procurements/form.html", form=form, procurement=None), 400 if form.errors else 200


@bp.route("/<int:procurement_id>/edit", methods=["GET", "POST"])
@requires(Permission.EDIT_RECORDS)
def edit(procurement_id: int) -> Any:
    """Change a procurement."""
    procurement = domain.get(get_db(), procurement_id)
    stated = {1: "yes", 0: "no"}.get(procurement.get("labour_intensive"), "")  # the select's codes, not 1/0
    form = ProcurementForm(data={**procurement, "labour_intensive": stated})
    # The level and the risk-industry flag change only through CP0 or a security officer (see .protection).
    del form.protection_level
    del form.risk_industry
    form.responsible_user_id.choices = _officer_choices()
    if request.method == "GET":
        form.responsible_user_id.data = procurement["responsible_user_id"] or 0
    if form.validate_on_submit():
        try:
            domain.update(get_db(), current_user.actor, procurement_id, _form_values(form))
        except DomainError as exc:
            show_error(form, exc) or flash(str(exc.message), "error")
        else:
            flash(_("Changes saved."), "success")
            return redirect(url_for(".detail", procurement_id=procurement_id))
    return render_template("procurements/form.html", form=form, procurement=procurement), 400 if form.errors else 200


@bp.route("/<int:procurement_id>/protection", methods=["POST"])
@requires(Permission.SET_PROTECTION)
def protection(procurement_id: int) -> Any:
    """A security officer changes the protection level or risk-industry flag with a reason; CP0 re-opens."""
    from ..domain.protection import set_protection

    form = ProtectionForm()
    if not form.validate_on_submit():
        flash(_("Give the reason for the change."), "error")
    else:
        try:
            set_protection(get_db(), current_user.actor, procurement_id, form.protection_level.data,
                           bool(form.risk_industry.data), form.reason.data)
        except DomainError as exc:
            flash(str(exc.message), "error")
        else:
            flash(_("The protection level is changed; CP0 is to be worked again."), "success")
    return redirect(url_for(".detail", procurement_id=procurement_id) + "#protection")


def _participant_form(procurement_id: int, tree: list[Any] | None = None) -> ParticipantForm:
    """The add-participant form; ``tree`` is the flattened participant tree when the caller has read it."""
    form = ParticipantForm()
    if tree is None:
        tree = domain.flatten(domain.participant_tree(get_db(), procurement_id))
    form.parent_id.choices = [(0, "—")] + [
        (n.participant["id"], "\u2003" * n.depth + n.participant["organisation_name"]) for n in tree]
    return form


def _tree_links(procurement_id: int) -> dict[str, str]:
    """The links each node of the participant tree and each checkpoint row has, built once for the page
    (``links.x.format(id)``)."""
    return links.patterns(organisation=("organisations.detail", "organisation_id"),
                          screening=("screening.subject", "subject_id", {"kind": "organisation"}),
                          risk=("risk.case", "organisation_id", {"procurement_id": procurement_id}),
                          espd=("espd.party", "organisation_id", {"procurement_id": procurement_id}),
                          bid=("bids.participant", "participant_id"), person=("persons.detail", "person_id"),
                          under=(".detail", "parent", {"procurement_id": procurement_id}),
                          remove=(".remove_participant", "participant_id"),
                          checkpoint=("checkpoints.detail", "checkpoint_id"))


@bp.route("/<int:procurement_id>")
@requires(Permission.VIEW_RECORDS)
def detail(procurement_id: int) -> Any:
    """The procurement, its participants as a tree, and the key persons of each (masked)."""
    db = get_db()
    procurement = domain.get(db, procurement_id)
    nodes = domain.flatten(domain.participant_tree(db, procurement_id))
    key_persons = organisations_domain.masked_key_persons_of(db, [n.participant["organisation_id"] for n in nodes])
    parent = request.args.get("parent", type=int)
    form = _participant_form(procurement_id, nodes)
    if parent:
        form.parent_id.data, form.role.data = parent, "subcontractor"
    organisation_ids = list(dict.fromkeys(n.participant["organisation_id"] for n in nodes))
    screened = screening_status.organisations(db, organisation_ids)  # read once: the tree's badges and the areas
    return render_template("procurements/detail.html", procurement=procurement, nodes=nodes,
                           key_persons=key_persons, form=form, remove_form=RemoveForm(), run_form=RunForm(),
                           screening=screened,
                           areas=control_areas.combined(control_areas.organisations_areas(db, organisation_ids, screened)),
                           links=_tree_links(procurement_id), **_phase_context(procurement_id, procurement))


@bp.route("/<int:procurement_id>/participants", methods=["POST"])
@requires(Permission.EDIT_RECORDS)
def add_participant(procurement_id: int) -> Any:
    """Add a bidder, subcontractor or capacity provider (an existing organisation or a new one)."""
    db = get_db()
    procurement = domain.get(db, procurement_id)
    form = _participant_form(procurement_id)
    if form.validate_on_submit():
        try:
            share = float(form.share_percent.data) if form.share_percent.data is not None else None
            new_organisation, existing_id = None, None
            if (form.existing.data or "").strip():
                existing_id = organisations_domain.resolve(db, form.existing.data, "existing", current_user.actor)
            elif not (form.name.data or "").strip():
                raise DomainError(_("Give an existing organisation or enter the name of a new one."), "name")
            else:
                new_organisation = {"name": form.name.data, "country": form.country.data,
                                    "identifier_type": form.identifier_type.data, "identifier": form.identifier.data}
            domain.add_participant_with_organisation(db, current_user.actor, procurement_id,
                                                     existing_id, new_organisation,
                                                     form.role.data, form.parent_id.data or None, share)
        except DomainError as exc:
            show_error(form, exc) or flash(str(exc.message), "error")
        else:
            flash(_("Participant added."), "success")
            return redirect(url_for(".detail", procurement_id=procurement_id) + "#participants")
    nodes = domain.flatten(domain.participant_tree(db, procurement_id))
    key_persons = organisations_domain.masked_key_persons_of(db, [n.participant["organisation_id"] for n in nodes])
    return render_template("procurements/detail.html", procurement=procurement, nodes=nodes, key_persons=key_persons,
                           form=form, remove_form=RemoveForm(), run_form=RunForm(),
                           screening=screening_status.organisations(db, [n.participant["organisation_id"] for n in nodes]),
                           links=_tree_links(procurement_id), **_phase_context(procurement_id, procurement)), 400


@bp.route("/participants/<int:participant_id>/remove", methods=["POST"])
@requires(Permission.EDIT_RECORDS)
def remove_participant(participant_id: int) -> Any:
    """Remove a participant and the subcontractors under it."""
    db = get_db()
    row = store.get_participant(db, participant_id)
    form = RemoveForm()
    if row is None or not form.validate_on_submit():
        flash(_("Nothing was removed."), "error")
        return redirect(url_for(".index"))
    domain.remove_participant(db, current_user.actor, participant_id, form.reason.data or "")
    flash(_("%(name)s was removed from the procurement.", name=row["organisation_name"]), "success")
    return redirect(url_for(".detail", procurement_id=row["procurement_id"]))


def _phase_context(procurement_id: int, procurement: dict[str, Any]) -> dict[str, Any]:
    """The phase panel: where the procurement is, what blocks the next phase, every checkpoint (the procurement
    and its checkpoints read once for the gate, the list and the timeline)."""
    db = get_db()
    from ..store import risk as risk_store
    from ..domain.batches import SCREENING_KINDS
    from ..store.followup import running_batch
    from .timeline import context as timeline_context

    checkpoints = checkpoint_store.for_procurement(db, procurement_id)
    return {"gate": workflow.gate(db, procurement_id, procurement, checkpoints), "checkpoints": checkpoints,
            "risk_levels": {oid: row for (_pid, oid), row in risk_store.latest_levels(db, procurement_id).items()},
            "checkpoint_templates": checkpoint_templates(), "phases": domain.PHASES,
            "screening_batch": running_batch(db, procurement_id, SCREENING_KINDS),
            **timeline_context(procurement_id, procurement)}
