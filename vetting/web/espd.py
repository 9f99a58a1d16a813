"""The ESPD of each party: upload the supplier's ESPD response, record its truth declaration, read the answers."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..db import get_db
from ..domain import espd as domain
from ..domain.errors import DomainError
from ..espd import MAX_BYTES
from ..forms.espd import EspdUploadForm, TruthDeclarationForm
from .access import Permission, requires, user_can
from .downloads import attachment, extension, read_or_abort

bp = Blueprint("espd", __name__, url_prefix="/espd")


def _upload(form: EspdUploadForm) -> tuple[str, bytes]:
    """The uploaded file, read no further than one byte past the limit (the domain refuses it then)."""
    upload = form.file.data
    return (upload.filename or "espd.xml", upload.read(MAX_BYTES + 1))


@bp.route("/procurements/<int:procurement_id>/organisations/<int:organisation_id>")
@requires(Permission.VIEW_RECORDS)
def party(procurement_id: int, organisation_id: int) -> Any:
    """One party's ESPD in a procurement: the answer to each exclusion criterion, by LOU ground, as evidence."""
    try:
        context = domain.party(get_db(), procurement_id, organisation_id)
    except DomainError as exc:
        abort(exc.http_status if exc.http_status != 400 else 404)
    return render_template("espd/party.html", upload_form=EspdUploadForm(), truth_form=TruthDeclarationForm(),
                           **context)


@bp.route("/procurements/<int:procurement_id>/organisations/<int:organisation_id>/upload", methods=["POST"])
@requires(Permission.RUN_CHECKS)
def upload(procurement_id: int, organisation_id: int) -> Any:
    """Import the party's ESPD response; a file that cannot be used is refused with the reason."""
    _import(EspdUploadForm(), procurement_id, organisation_id)
    return redirect(url_for(".party", procurement_id=procurement_id, organisation_id=organisation_id) + "#espd")


@bp.route("/organisations/<int:organisation_id>/upload", methods=["POST"])
@requires(Permission.RUN_CHECKS)
def upload_for_organisation(organisation_id: int) -> Any:
    """Import an ESPD from the organisation page, for the procurement chosen there."""
    form = EspdUploadForm()
    _import(form, form.procurement_id.data or 0, organisation_id)
    return redirect(url_for("organisations.detail", organisation_id=organisation_id) + "#espd")


def _import(form: EspdUploadForm, procurement_id: int, organisation_id: int) -> None:
    if not form.validate_on_submit():
        flash(next(iter(form.file.errors), _("Choose the ESPD file.")), "error")
        return
    try:
        domain.import_espd(get_db(), current_user.actor, procurement_id, organisation_id, *_upload(form))
    except DomainError as exc:
        flash(_("The ESPD was not imported: %(reason)s", reason=str(exc.message)), "error")
    else:
        flash(_("The ESPD was imported; its answers are shown below."), "success")


@bp.route("/procurements/<int:procurement_id>/organisations/<int:organisation_id>/truth-declaration",
          methods=["POST"])
@requires(Permission.RUN_CHECKS)
def truth_declaration(procurement_id: int, organisation_id: int) -> Any:
    """Record the signed truth declaration (sanningsförsäkran): who signed, when, the document."""
    form = TruthDeclarationForm()
    back = url_for(".party", procurement_id=procurement_id, organisation_id=organisation_id) + "#truth"
    if not form.validate_on_submit():
        flash(_("Enter who signed, the date and attach the signed document."), "error")
        return redirect(back)
    upload = form.document.data
    try:
        domain.record_truth_declaration(get_db(), current_user.actor, procurement_id, organisation_id,
                                        form.signed_by.data, form.signed_on.data,
                                        (upload.filename or "document", upload.read(10 * 1024 * 1024 + 1)))
    except DomainError as exc:
        flash(_("The truth declaration was not recorded: %(reason)s", reason=str(exc.message)), "error")
    else:
        flash(_("The truth declaration was recorded."), "success")
    return redirect(back)


@bp.route("/<int:espd_id>/file")
@requires(Permission.DOWNLOAD_EVIDENCE)
def file(espd_id: int) -> Any:
    """The ESPD file exactly as uploaded (its SHA-256 in a header); audited."""
    row = read_or_abort(lambda: domain.response_file(get_db(), current_user.actor, espd_id,
                                                     personal_data=user_can(Permission.REVEAL_PERSONAL_DATA)))
    return attachment(row, f"espd-{espd_id}.xml")


@bp.route("/truth-declarations/<int:declaration_id>/document")
@requires(Permission.DOWNLOAD_EVIDENCE)
def truth_document(declaration_id: int) -> Any:
    """The signed truth declaration as recorded; audited."""
    row = read_or_abort(lambda: domain.truth_declaration_file(get_db(), current_user.actor, declaration_id,
                                                              personal_data=user_can(Permission.REVEAL_PERSONAL_DATA)))
    return attachment(row, f"sanningsforsakran-{declaration_id}.{extension(row['media_type'])}")
