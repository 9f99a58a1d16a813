"""Person pages: masked by default; the full personnummer only on an explicit, audited reveal."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..db import get_db
from ..domain import merges, reveals
from ..domain import organisations as domain
from ..domain.errors import DomainError
from ..forms.organisations import MergeForm, RevealForm
from ..store import organisations as store
from .access import Permission, requires

bp = Blueprint("persons", __name__, url_prefix="/persons")


@bp.route("/<int:person_id>")
@requires(Permission.VIEW_RECORDS)
def detail(person_id: int) -> Any:
    """A person and every organisation they hold a role in (common denominators); right after an audited
    reveal, the full personnummer once (a reload shows it masked again)."""
    db = get_db()
    person = domain.get_person(db, current_user.actor, person_id)
    ticket = session.pop("reveal", None)
    revealed = None
    if isinstance(ticket, dict) and ticket.get("person") == person_id:
        revealed = reveals.show_once(db, current_user.actor, person_id, ticket.get("token"))
    return render_template("persons/detail.html", person=person, roles=store.roles_of_person(db, person_id),
                           form=RevealForm(), revealed=revealed)


@bp.route("/<int:person_id>/reveal", methods=["POST"])
@requires(Permission.REVEAL_PERSONAL_DATA)
def reveal(person_id: int) -> Any:
    """Audit the reveal with its reason and answer with a redirect (post/redirect/get): the page after it shows
    the number once, so reloading it does not reveal again; the number is never in a URL."""
    db = get_db()
    form = RevealForm()
    if form.validate_on_submit():
        token = reveals.request_reveal(db, current_user.actor, person_id, form.reason.data)
        session["reveal"] = {"person": person_id, "token": token}
        return redirect(url_for(".detail", person_id=person_id) + "#personnummer", 303)
    person = domain.get_person(db, current_user.actor, person_id)
    return render_template("persons/detail.html", person=person, roles=store.roles_of_person(db, person_id),
                           form=form, revealed=None), 400


@bp.route("/merges")
@requires(Permission.REVEAL_PERSONAL_DATA)
def merge_queue() -> Any:
    """Key persons whose typed personnummer is already stored: merge with the stored person or keep apart."""
    db = get_db()
    return render_template("persons/merges.html", items=merges.open_items(db),
                           organisation_items=merges.open_organisation_items(db), form=MergeForm())


@bp.route("/merges/<int:merge_id>", methods=["POST"])
@requires(Permission.REVEAL_PERSONAL_DATA)
def resolve_merge(merge_id: int) -> Any:
    """Record the security officer's decision on one queued person."""
    return _decide(merges.resolve, merge_id)


@bp.route("/merges/organisations/<int:merge_id>", methods=["POST"])
@requires(Permission.REVEAL_PERSONAL_DATA)
def resolve_organisation_merge(merge_id: int) -> Any:
    """Record the security officer's decision on one queued sole trader."""
    return _decide(merges.resolve_organisation, merge_id)


def _decide(resolve: Any, merge_id: int) -> Any:
    """The security officer's merge-or-keep-apart form, posted for either queue, then back to the queue page."""
    form = MergeForm()
    if form.validate_on_submit():
        try:
            resolve(get_db(), current_user.actor, merge_id, form.decision.data, form.reason.data or "")
        except DomainError as exc:
            flash(str(exc.message), "error")
        else:
            flash(_("Decision saved."), "success")
    else:
        flash(_("Choose merge or keep apart."), "error")
    return redirect(url_for(".merge_queue"))
