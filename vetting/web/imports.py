"""Bulk import page: upload, preview with row-level errors, confirm."""
from __future__ import annotations

import secrets
from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..db import get_db
from ..domain import imports as domain
from ..domain.errors import DomainError
from ..forms.organisations import ImportConfirmForm, ImportUploadForm
from ..store import imports as store
from ..store import write_transaction
from .access import Permission, requires

bp = Blueprint("imports", __name__, url_prefix="/import")


@bp.route("/", methods=["GET", "POST"])
@requires(Permission.IMPORT_RECORDS)
def upload() -> Any:
    """Upload a CSV/XLSX file; show what would be imported and what is rejected, write nothing yet."""
    form = ImportUploadForm()
    if form.validate_on_submit():
        upload_file = form.file.data
        filename = upload_file.filename or "file"
        db = get_db()
        try:
            preview = domain.parse(db, form.kind.data, upload_file.read(), filename, current_user.actor)
        except DomainError as exc:
            form.file.errors = list(form.file.errors) + [str(exc.message)]
        else:
            token = secrets.token_urlsafe(16)
            with write_transaction(db):
                store.save(db, token=token, kind=preview.kind, filename=filename, user_id=current_user.id,
                           rows=preview.valid)
            return render_template("imports/preview.html", preview=preview, filename=filename,
                                   confirm=ImportConfirmForm(token=token))
    return render_template("imports/upload.html", form=form), 400 if form.errors else 200


@bp.route("/confirm", methods=["POST"])
@requires(Permission.IMPORT_RECORDS)
def confirm() -> Any:
    """Write the valid rows of a previewed import."""
    form = ImportConfirmForm()
    db = get_db()
    pending = store.get(db, form.token.data or "", current_user.id) if form.validate_on_submit() else None
    if pending is None:
        flash(_("This import is no longer waiting for confirmation. Upload the file again."), "error")
        return redirect(url_for(".upload"))
    preview = domain.Preview(pending["kind"], valid=pending["rows"])
    try:
        written = domain.commit(db, current_user.actor, preview, pending["filename"])
    except DomainError as exc:
        flash(_("Nothing was imported: %(reason)s", reason=str(exc.message)), "error")
        return redirect(url_for(".upload"))
    with write_transaction(db):
        store.delete(db, pending["token"])
    flash(_("%(n)s rows imported from %(name)s.", n=written, name=pending["filename"]), "success")
    target = "organisations.index"
    return redirect(url_for(target))
