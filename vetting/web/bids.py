"""A bidder's tender on its own page: the price BD-01 reads, and the 16 kap. 7 § LOU request for an explanation
(asked, deadline, reply, assessment); and the import of the evaluation's prices for a whole procurement."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from ..translation import lazy_gettext as _l
from flask_login import current_user

from ..db import get_db
from ..domain import bid_import
from ..domain import bids as domain
from ..domain import procurements as procurements_domain
from ..domain.errors import DomainError
from ..forms.bids import (BidPriceForm, ExplanationAssessmentForm, ExplanationReplyForm, ExplanationRequestForm,
                          PriceImportForm)
from ..forms.common import show_error
from .access import Permission, requires

bp = Blueprint("bids", __name__, url_prefix="/procurements")

STATES = {"awaiting_reply": _l("Waiting for the reply"), "overdue": _l("Deadline passed without a reply"),
          "replied": _l("Reply received, to be assessed"), "accepted": _l("Explanation accepted"),
          "rejected": _l("Explanation not accepted: tender rejected")}


def _page(participant_id: int, status: int = 200, **forms: Any) -> Any:
    db = get_db()
    participant = domain.participant(db, participant_id)
    procurement = procurements_domain.get(db, participant["procurement_id"])
    price_form = forms.get("price_form") or BidPriceForm(data={"bid_price": participant.get("bid_price")})
    return render_template("procurements/participant.html", participant=participant, procurement=procurement,
                           median=domain.median_price(db, participant["procurement_id"]),
                           priced=participant["role"] in domain.PRICED_ROLES,
                           explanations=domain.explanations(db, participant_id), STATES=STATES,
                           price_form=price_form,
                           request_form=forms.get("request_form") or ExplanationRequestForm(),
                           reply_form=forms.get("reply_form") or ExplanationReplyForm(),
                           assessment_form=forms.get("assessment_form") or ExplanationAssessmentForm(),
                           ), status


@bp.route("/participants/<int:participant_id>")
@requires(Permission.VIEW_RECORDS)
def participant(participant_id: int) -> Any:
    """The participant's tender: price, the median of the tenders, and each request for an explanation."""
    return _page(participant_id)


def _record(participant_id: int, form_name: str, form: Any, write: Callable[[], object], done: str,
            anchor: str = "#explanations") -> Any:
    """Every form on the participant page: a valid one is written by ``write`` and the page shown again with
    ``done``; a refusal is said at its field (or flashed) and the page comes back with the form as typed (400)."""
    if form.validate_on_submit():
        try:
            write()
        except DomainError as exc:
            show_error(form, exc) or flash(str(exc.message), "error")
        else:
            flash(done, "success")
            return redirect(url_for(".participant", participant_id=participant_id) + anchor)
    return _page(participant_id, 400, **{form_name: form})


@bp.route("/participants/<int:participant_id>/bid-price", methods=["POST"])
@requires(Permission.EDIT_RECORDS)
def bid_price(participant_id: int) -> Any:
    """Record the evaluated price of the tender (amounts as typed in Sweden or abroad)."""
    form = BidPriceForm()
    return _record(participant_id, "price_form", form, lambda: domain.set_bid_price(
        get_db(), current_user.actor, participant_id, form.bid_price.data), _("The tender price is saved."), anchor="")


@bp.route("/participants/<int:participant_id>/explanations", methods=["POST"])
@requires(Permission.EDIT_RECORDS)
def request_explanation(participant_id: int) -> Any:
    """Record that the supplier was asked to explain a low price (16 kap. 7 § LOU), with the deadline."""
    form = ExplanationRequestForm()
    return _record(participant_id, "request_form", form, lambda: domain.request_explanation(
        get_db(), current_user.actor, participant_id, form.requested_on.data, form.deadline.data, form.what.data),
        _("The request for an explanation is recorded."))


def _participant_of(explanation_id: int) -> int:
    from ..store import bids as store

    row = store.explanation(get_db(), explanation_id)
    if row is None:
        from ..domain.errors import NotFound

        raise NotFound(_l("No such request for an explanation."))
    return int(row["participant_id"])


@bp.route("/explanations/<int:explanation_id>/reply", methods=["POST"])
@requires(Permission.EDIT_RECORDS)
def reply(explanation_id: int) -> Any:
    """The supplier's explanation arrived."""
    form = ExplanationReplyForm()
    return _record(_participant_of(explanation_id), "reply_form", form, lambda: domain.record_reply(
        get_db(), current_user.actor, explanation_id, form.received_on.data, form.reply_text.data),
        _("The reply is recorded."))


@bp.route("/explanations/<int:explanation_id>/assessment", methods=["POST"])
@requires(Permission.EDIT_RECORDS)
def assessment(explanation_id: int) -> Any:
    """The agency's assessment of the explanation (16 kap. 8 § LOU)."""
    form = ExplanationAssessmentForm()
    return _record(_participant_of(explanation_id), "assessment_form", form, lambda: domain.assess(
        get_db(), current_user.actor, explanation_id, form.assessment.data, form.assessment_reason.data),
        _("The assessment is recorded."))


@bp.route("/<int:procurement_id>/bid-prices", methods=["POST"])
@requires(Permission.EDIT_RECORDS)
def import_prices(procurement_id: int) -> Any:
    """Import every bidder's tender price from the evaluation's file; nothing is written if a row is refused."""
    db = get_db()
    procurement = procurements_domain.get(db, procurement_id)
    form = PriceImportForm()
    result = None
    if form.validate_on_submit():
        upload = form.file.data
        try:
            result = bid_import.read(db, procurement_id, upload.read(), upload.filename or "")
            if not result.rejected:
                written = bid_import.commit(db, current_user.actor, procurement_id, result, upload.filename or "")
                flash(_("%(n)s tender prices imported.", n=written), "success")
                return redirect(url_for("procurements.detail", procurement_id=procurement_id) + "#participants")
        except DomainError as exc:
            show_error(form, exc) or flash(str(exc.message), "error")
    return render_template("procurements/price_import.html", procurement=procurement, form=form, result=result), 400
