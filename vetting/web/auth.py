"""Sign-in and sign-out; Flask-Login glue over server-side sessions."""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import UserMixin, current_user, login_user, logout_user

from ..db import get_db
from ..domain import users
from ..domain.errors import InvalidInput, RateLimited
from ..extensions import login_manager
from ..forms.auth import LoginForm, PasswordChangeForm
from ..forms.common import show_error
from .access import Permission, public, requires

bp = Blueprint("auth", __name__)


class SignedInUser(UserMixin):
    """The user of the current request; ``get_id`` is the session token, not the user id."""

    def __init__(self, row: dict[str, Any], token: str) -> None:
        self.row = row
        self.id = row["id"]
        self.username = row["username"]
        self.display_name = row["display_name"]
        self.roles = frozenset(row["roles"])
        self.token = token

    def get_id(self) -> str:
        return self.token

    @property
    def actor(self) -> users.Actor:
        return users.actor_of(self.row)


@login_manager.user_loader
def load_user(token: str) -> SignedInUser | None:
    """Accept the cookie only while its server-side session is live (logout and disabling end it)."""
    cfg = current_app.config
    row = users.user_for_session(get_db(), token, cfg["SESSION_IDLE_TIMEOUT"], cfg["SESSION_ABSOLUTE_TIMEOUT"])
    return SignedInUser(row, token) if row else None


def safe_next(target: str | None, fallback: str | None = None) -> str:
    """Only same-site relative paths are followed after sign-in or a form (no open redirect).

    ``urlsplit`` drops tabs and newlines as browsers do, so ``/<tab>/evil.example`` is seen as off-site.
    """
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return fallback or url_for("main.home")


@bp.route("/login", methods=["GET", "POST"])
@public
def login() -> Any:
    """Sign-in form."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        db = get_db()
        try:
            row = users.authenticate(db, form.username.data, form.password.data, request.remote_addr,
                                     current_app.config)
        except RateLimited as exc:
            flash(str(exc.message), "error")
            status = 429
        except InvalidInput as exc:
            flash(str(exc.message), "error")
            status = 401
        else:
            # A fresh session on sign-in, so nothing from before sign-in carries over (fixation).
            lang = session.get("lang")
            session.clear()
            if lang:
                session["lang"] = lang  # the language chosen before signing in is not a privilege; keep it
            token = users.start_session(db, row["id"], request.remote_addr, request.user_agent.string)
            login_user(SignedInUser(row, token))
            flash(_("Signed in as %(name)s.", name=row["display_name"]), "success")
            return redirect(safe_next(request.args.get("next")))
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@requires(Permission.SIGNED_IN)
def logout() -> Any:
    """End the server-side session and clear the cookie."""
    users.end_session(get_db(), current_user.token, current_user.actor)
    logout_user()
    session.clear()
    flash(_("You are signed out."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@requires(Permission.SIGNED_IN)
def change_password() -> Any:
    """Change one's own password: the current one required, the policy applied, other sessions ended."""
    form = PasswordChangeForm()
    form.new_password.description = _("At least %(n)s characters, not a common password, not your name. A few "
                                      "unrelated words are easy to remember and hard to guess.",
                                      n=current_app.config["PASSWORD_MIN_LENGTH"])
    if form.validate_on_submit():
        try:
            ended = users.change_own_password(get_db(), current_user.actor, form.current_password.data,
                                              form.new_password.data, current_user.token, request.remote_addr,
                                              current_app.config)
        except RateLimited as exc:
            flash(str(exc.message), "error")
            return render_template("auth/password.html", form=form), 429
        except InvalidInput as exc:
            show_error(form, exc) or flash(str(exc.message), "error")
        else:
            flash(_("Your password is changed. Other sessions signed in as you were ended: %(n)s.", n=ended),
                  "success")
            return redirect(url_for("main.home"))
    return render_template("auth/password.html", form=form), 400 if form.errors else 200


def init_app(app: Any) -> None:
    """Configure Flask-Login."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = "basic"
