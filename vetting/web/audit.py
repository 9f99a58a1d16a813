"""Auditor area: the audit log, filtered (user by part of the name, action, record, date range), and the state of
its hash chain."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, current_app, render_template, request
from flask_babel import gettext as _

from ..db import get_db
from ..store import audit as store
from .access import Permission, requires
from .paging import Pagination, page_number

bp = Blueprint("audit", __name__, url_prefix="/audit")
PAGE_SIZE = 50


def filters(args: Any) -> tuple[dict[str, str], dict[str, str]]:
    """The audit filters of a request (the page's and its export's, one home): (filters, errors by field).

    ``actor`` is part of a user name or a full name; ``from``/``to`` are days (``YYYY-MM-DD``), both included.
    A day that is not a date is left out of the filter and reported, never a 500.
    """
    chosen = {"actor": args.get("actor", "").strip()[:100], "action": args.get("action", "")[:100],
              "record_type": args.get("record_type", "")[:40], "record_id": args.get("record_id", "").strip()[:40],
              "date_from": "", "date_to": ""}
    errors = {}
    for arg, key in (("from", "date_from"), ("to", "date_to")):
        text = args.get(arg, "").strip()
        if not text:
            continue
        try:
            chosen[key] = date.fromisoformat(text).isoformat()
        except ValueError:
            errors[arg] = _("“%(value)s” is not a date: write YYYY-MM-DD.", value=text[:20])
    if chosen["date_from"] and chosen["date_to"] and chosen["date_from"] > chosen["date_to"]:
        errors["to"] = _("The last day is before the first day.")
        chosen["date_to"] = ""
    return chosen, errors


@bp.route("/")
@requires(Permission.VIEW_AUDIT)
def index() -> Any:
    """The log, newest first: who (by name), what (in words), on which record, before and after as a table."""
    db = get_db()
    chosen, errors = filters(request.args)
    rows, total = store.search(db, **chosen, page=page_number(), page_size=PAGE_SIZE)
    from ..db import audit_anchor_file
    from ..domain import audit_anchor

    checked, broken, _anchored = audit_anchor.verify(db, audit_anchor_file(current_app))
    return render_template("audit/index.html", entries=rows, actions=store.actions(db), checked=checked,
                           broken=broken, errors=errors, total=total,
                           pagination=Pagination(page_number(), PAGE_SIZE, total)), 400 if errors else 200
