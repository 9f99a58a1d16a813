"""Language choice: Swedish by default, English on request; kept in the session."""
from __future__ import annotations

from typing import Any

import flask_babel
from flask import Flask, Blueprint, current_app, has_request_context, redirect, request, session, url_for

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


def install_template_gettext(app: Flask) -> None:
    """Templates translate through the catalogue of the current locale, looked up once per locale.

    Flask-Babel's own template callables find the domain, the locale and its catalogue again for every
    string (a procurement page has about 160): 40 % of that page's time. The catalogue depends on the
    locale only (one domain; Flask-Babel never reloads it), so it is kept by locale here; ``force_locale``
    still works, as the locale is read for every string.
    """
    by_locale: dict[Any, Any] = {}

    def catalogue() -> Any:
        locale = flask_babel.get_locale()
        found = by_locale.get(locale)
        if found is None:
            found = by_locale[locale] = flask_babel.get_translations()
        return found

    app.jinja_env.install_gettext_callables(
        gettext=lambda s: catalogue().ugettext(s), ngettext=lambda s, p, n: catalogue().ungettext(s, p, n),
        newstyle=True, pgettext=lambda c, s: catalogue().upgettext(c, s),
        npgettext=lambda c, s, p, n: catalogue().unpgettext(c, s, p, n))


@bp.route("/language", methods=["POST"])
@public
def set_language() -> Any:
    """Switch the UI language and return to the page the user was on."""
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
    return redirect(safe_next(request.form.get("next") or url_for("main.home")))
