"""Auditor area: the audit log, filtered, and the state of its hash chain."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request

from ..db import get_db
from ..store import audit as store
from .access import Permission, requires
from .paging import Pagination, page_number

bp = Blueprint("audit", __name__, url_prefix="/audit")
PAGE_SIZE = 50


@bp.route("/")
@requires(Permission.VIEW_AUDIT)
def index() -> Any:
    """The log, newest first, filtered by actor, action and record."""
    db = get_db()
    args = request.args
    rows, total = store.search(db, actor=args.get("actor", "").strip(), action=args.get("action", ""),
                               record_type=args.get("record_type", ""), record_id=args.get("record_id", "").strip(),
                               page=page_number(), page_size=PAGE_SIZE)
    from flask import current_app

    from ..db import audit_anchor_file
    from ..domain import audit_anchor

    checked, broken, _anchored = audit_anchor.verify(db, audit_anchor_file(current_app))
    return render_template("audit/index.html", entries=rows, actions=store.actions(db), checked=checked,
                           broken=broken, pagination=Pagination(page_number(), PAGE_SIZE, total))
