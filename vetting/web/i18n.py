"""Language choice: Swedish by default, English on request; kept in the session."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, has_request_context, redirect, request, session, url_for

from .access import public
from .auth import safe_next

bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    """The language the user chose, else Swedish."""
    if not has_request_context():
        return "en"  # command line, logs and background work speak English
    chosen = session.get("lang")
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


@bp.route("/language", methods=["POST"])
@public
def set_language() -> Any:
    """Switch the UI language and return to the page the user was on."""
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
    return redirect(safe_next(request.form.get("next") or url_for("main.home")))
