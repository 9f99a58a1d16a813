"""Four eyes: decisions that wait for a second person, with confirm and refuse."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..db import get_db
from ..domain import foureyes
from ..domain.errors import DomainError
from ..forms.checkpoints import ReasonForm
from .access import Permission, requires

bp = Blueprint("approvals", __name__, url_prefix="/approvals")


@bp.route("/")
@requires(Permission.CONFIRM_FOUR_EYES)
def index() -> Any:
    """Decisions I may confirm, and mine that wait for someone else."""
    return render_template("approvals/index.html", proposals=foureyes.waiting_for(get_db(), current_user.actor),
                           form=ReasonForm())


@bp.route("/<int:proposal_id>/confirm", methods=["POST"])
@requires(Permission.CONFIRM_FOUR_EYES)
def confirm(proposal_id: int) -> Any:
    """The second person confirms: the decision takes effect."""
    form = ReasonForm()
    form.reason.validators = []  # a confirmation may be given without further words
    if form.is_submitted():
        try:
            foureyes.confirm(get_db(), current_user.actor, proposal_id, form.reason.data or "")
        except DomainError as exc:
            flash(str(exc.message), "error")
        else:
            flash(_("Confirmed: the decision has taken effect."), "success")
    return redirect(url_for(".index"))


@bp.route("/<int:proposal_id>/refuse", methods=["POST"])
@requires(Permission.CONFIRM_FOUR_EYES)
def refuse(proposal_id: int) -> Any:
    """The second person refuses (or the first withdraws), with a reason; nothing changes."""
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            foureyes.refuse(get_db(), current_user.actor, proposal_id, form.reason.data)
        except DomainError as exc:
            flash(str(exc.message), "error")
        else:
            flash(_("Refused: nothing was changed."), "success")
    else:
        flash(_("Give the reason for refusing."), "error")
    return redirect(url_for(".index"))


def proposed_message(result: Any) -> str | None:
    """The flash for a decision that now waits for a second person, or None when it took effect at once."""
    if isinstance(result, foureyes.Proposed):
        return _("Recorded. Four eyes: the decision takes effect when another person confirms it under “To confirm”.")
    return None
