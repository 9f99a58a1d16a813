"""Personal data: retention, access log, data-subject extracts."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from ..translation import lazy_gettext as _l
from flask_login import current_user

from ..db import get_db
from ..domain import privacy as domain
from ..domain import retention
from ..domain.errors import DomainError
from ..forms.common import show_error
from ..forms.privacy import ExtractForm, PurgeForm
from ..store import privacy as store
from .access import Permission, requires, user_can

bp = Blueprint("privacy", __name__, url_prefix="/privacy")
# What a retention period ran from, in words.
BASES = {"procurement_closed": _l("last linked procurement ended"), "role_ended": _l("last role ended"),
         "role_created": _l("last role was registered"), "registered": _l("person was registered"),
         "uploaded": _l("import preview was uploaded"), "firm_registered": _l("sole trader was registered")}
KINDS = {"person": _l("Key person"), "sole_trader": _l("Sole trader"), "pending_import": _l("Unconfirmed import")}


@bp.context_processor
def labels() -> dict[str, Any]:
    return {"RETENTION_BASES": BASES, "RETENTION_KINDS": KINDS}


def _records(due: list[retention.Due]) -> str:
    return ",".join(f"{d.kind}:{d.id}" for d in due)


@bp.route("/")
@requires(Permission.MANAGE_PERSONAL_DATA)
def index() -> Any:
    """What is due for erasure under the retention rules, the purge form and recent erasures."""
    db = get_db()
    due = retention.due_for_erasure(db, current_app.config)
    form = PurgeForm(records=_records(due))
    return render_template("privacy/index.html", due=due, form=form, erasures=store.erasures(db))


@bp.route("/purge", methods=["POST"])
@requires(Permission.MANAGE_PERSONAL_DATA)
def purge() -> Any:
    """Erase the records listed on the page (those still due); each erasure is audited."""
    form = PurgeForm()
    if not form.validate_on_submit():
        db = get_db()
        due = retention.due_for_erasure(db, current_app.config)
        return render_template("privacy/index.html", due=due, form=form,
                               erasures=store.erasures(db)), 400
    listed = set()
    for token in (form.records.data or "").split(","):
        kind, _sep, number = token.partition(":")
        if kind in KINDS and number.isdigit():
            listed.add((kind, int(number)))
    done = retention.purge(get_db(), current_user.actor, current_app.config, only=listed)
    flash(_("%(n)s records erased; each erasure is in the audit log.", n=len(done)), "success")
    return redirect(url_for(".index"))


@bp.route("/persons/<int:person_id>")
@requires(Permission.VIEW_ACCESS_LOG)
def person(person_id: int) -> Any:
    """Who saw, revealed, exported or extracted this person's data, when and why."""
    log = domain.access_log(get_db(), current_user.actor, person_id)
    form = ExtractForm() if user_can(Permission.MANAGE_PERSONAL_DATA) else None
    return render_template("privacy/person.html", form=form, **log)


@bp.route("/persons/<int:person_id>/extract", methods=["POST"])
@requires(Permission.MANAGE_PERSONAL_DATA)
def extract(person_id: int) -> Any:
    """Register extract for the data subject: a JSON download or a readable page; audited with the reason."""
    db = get_db()
    form = ExtractForm()
    if form.validate_on_submit():
        try:
            data, document, digest = domain.register_extract(db, current_user.actor, person_id, form.reason.data,
                                                             form.output.data)
        except DomainError as exc:
            if not show_error(form, exc):
                raise
        else:
            if form.output.data == "html":
                return render_template("privacy/extract.html", extract=data, sha256=digest)
            response = Response(document, mimetype="application/json")
            response.headers["Content-Disposition"] = f"attachment; filename=register-extract-person-{person_id}.json"
            response.headers["X-Content-SHA256"] = digest
            return response
    log = domain.access_log(db, current_user.actor, person_id)
    return render_template("privacy/person.html", form=form, **log), 400
