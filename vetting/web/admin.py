"""Administrator area: users and roles."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..db import get_db
from ..domain import users as domain
from ..domain.errors import DomainError, NotFound
from ..forms.admin import UserForm
from ..forms.common import show_error
from ..store import users as store
from .access import Permission, requires

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/users")
@requires(Permission.MANAGE_USERS)
def users() -> Any:
    """Every user with roles and status."""
    return render_template("admin/users.html", users=store.all_users(get_db()))


@bp.route("/users/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_USERS)
def new_user() -> Any:
    """Create a user."""
    form = UserForm()
    if form.validate_on_submit():
        cfg = current_app.config
        try:
            domain.create_user(get_db(), current_user.actor, username=form.username.data, password=form.password.data or "",
                               roles=form.roles.data, display_name=form.display_name.data, email=form.email.data or None,
                               hash_method=cfg["PASSWORD_HASH_METHOD"], min_length=cfg["PASSWORD_MIN_LENGTH"])
        except DomainError as exc:
            show_error(form, exc) or flash(str(exc.message), "error")
        else:
            flash(_("User %(name)s created.", name=form.username.data), "success")
            return redirect(url_for(".users"))
    return render_template("admin/user_form.html", form=form, user=None), 400 if form.errors else 200


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@requires(Permission.MANAGE_USERS)
def edit_user(user_id: int) -> Any:
    """Change a user's roles, status or password; disabling ends their sessions."""
    db = get_db()
    user = store.get(db, user_id)
    if user is None:
        raise NotFound(_("No such user."))
    form = UserForm(data={**user, "active": bool(user["active"])})
    form.username.render_kw = {"readonly": True}
    if form.validate_on_submit():
        cfg = current_app.config
        try:
            domain.update_user(db, current_user.actor, user_id, display_name=form.display_name.data,
                               email=form.email.data or None, roles=form.roles.data, active=form.active.data)
            if form.password.data:
                domain.set_password(db, current_user.actor, user_id, form.password.data,
                                    cfg["PASSWORD_HASH_METHOD"], cfg["PASSWORD_MIN_LENGTH"])
        except DomainError as exc:
            show_error(form, exc) or flash(str(exc.message), "error")
        else:
            flash(_("Changes saved."), "success")
            return redirect(url_for(".users"))
    return render_template("admin/user_form.html", form=form, user=user), 400 if form.errors else 200


@bp.route("/registers", methods=["GET", "POST"])
@requires(Permission.MANAGE_USERS)
def registers() -> Any:
    """Register credentials and settings: write-only secrets; what is missing for each check."""
    from ..domain import register_settings
    from ..forms.registers import RegisterSettingForm

    db = get_db()
    form = RegisterSettingForm()
    if form.validate_on_submit():
        try:
            register_settings.put(db, current_user.actor, form.check_id.data, form.key.data, form.value.data)
        except DomainError as exc:
            flash(str(exc.message), "error")
        else:
            flash(_("Setting saved."), "success")
            return redirect(url_for(".registers"))
    tests = register_settings.test_progress(db, float(current_app.config.get("REGISTER_CHECK_DEADLINE") or 30))
    return render_template("admin/registers.html", checks=register_settings.configurable_checks(),
                           settings=register_settings.overview(db), form=form, tests=tests,
                           testing=any(t["state"] != "done" for t in tests.values()))


@bp.route("/registers/<check_id>/test", methods=["POST"])
@requires(Permission.MANAGE_USERS)
def test_register(check_id: str) -> Any:
    """Test the connection and credentials of a register with a well-known subject."""
    from ..domain import register_settings
    from ..forms.screening import RunForm

    if RunForm().validate_on_submit():
        try:
            register_settings.start_connection_test(get_db(), current_user.actor, check_id)
        except DomainError as exc:
            flash(str(exc.message), "error")
        else:
            flash(_("The connection is tested in the background; the result appears under the register."), "success")
    return redirect(url_for(".registers", _anchor=f"test-{check_id}"))
