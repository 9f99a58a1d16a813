"""Search across procurements, organisations and persons."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..db import get_db
from ..domain import search as domain
from ..domain.errors import InvalidInput
from ..forms.search import PersonnummerSearchForm
from .access import Permission, requires, user_can
from .paging import Pagination, page_number

bp = Blueprint("search", __name__, url_prefix="/search")

PER_GROUP = 10
PER_PAGE = 25


@bp.route("/")
@requires(Permission.VIEW_RECORDS)
def index() -> Any:
    """Results for ``q`` grouped by kind (``type`` pages through one kind); a personnummer is never echoed."""
    text = request.args.get("q", "").strip()[:domain.MAX_QUERY_LENGTH]
    kind = request.args.get("type", "")
    kind = kind if kind in domain.KINDS else None
    if domain.looks_like_personnummer(request.args.get("q", "")):
        # Not searched, and away from the address at once (the page would repeat its own address in
        # links and forms): the exact lookup is a posted form, for the roles that may use it.
        return redirect(url_for(".index", notice="personnummer"), 303)
    groups = domain.search(get_db(), text, kind=kind, page=page_number(), per_group=PER_PAGE if kind else PER_GROUP)
    pagination = Pagination(page_number(), PER_PAGE, groups[kind].total) if kind else None
    return _page(text=text, groups=groups if text else None, kind=kind, pagination=pagination,
                 personnummer_typed=request.args.get("notice") == "personnummer")


@bp.route("/personnummer", methods=["POST"])
@requires(Permission.REVEAL_PERSONAL_DATA)
def personnummer() -> Any:
    """Exact lookup of a person by personnummer (posted; the number is not shown again); audited."""
    form = PersonnummerSearchForm()
    found, searched = None, False
    if form.validate_on_submit():
        try:
            found = domain.find_by_personnummer(get_db(), current_user.actor, form.personnummer.data)
            searched = True
        except InvalidInput:
            # The domain's message quotes the input; this one does not.
            form.personnummer.errors = [_("That is not a valid personnummer or samordningsnummer.")]
    form.personnummer.data = ""
    form.personnummer.raw_data = []
    return _page(text="", groups=None, kind=None, pagination=None, pnr_form=form, pnr_found=found,
                 pnr_searched=searched), 400 if form.errors else 200


def _page(*, text: str, groups: dict[str, domain.Group] | None, kind: str | None, pagination: Pagination | None,
          pnr_form: PersonnummerSearchForm | None = None, **extra: Any) -> Any:
    if pnr_form is None and user_can(Permission.REVEAL_PERSONAL_DATA):
        pnr_form = PersonnummerSearchForm(formdata=None)
    return render_template("search/index.html", q=text, groups=groups, kind=kind, pagination=pagination,
                           pnr_form=pnr_form, **extra)
