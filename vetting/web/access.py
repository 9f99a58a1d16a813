"""Roles, permissions and the one matrix between them; every view declares what it needs."""
from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user

F = TypeVar("F", bound=Callable[..., Any])


class Role(StrEnum):
    PROCUREMENT_OFFICER = "procurement_officer"
    SECURITY_OFFICER = "security_officer"
    REVIEWER = "reviewer"
    AUDITOR = "auditor"
    ADMIN = "admin"


class Permission(StrEnum):
    VIEW_RECORDS = "view_records"
    EDIT_RECORDS = "edit_records"
    IMPORT_RECORDS = "import_records"
    REVEAL_PERSONAL_DATA = "reveal_personal_data"
    RUN_CHECKS = "run_checks"
    REVIEW_MATCHES = "review_matches"
    MANAGE_LISTS = "manage_lists"
    WORK_CHECKPOINTS = "work_checkpoints"
    ADVANCE_PHASE = "advance_phase"
    OVERRIDE_ERRORS = "override_errors"
    EXPORT_DATA = "export_data"
    DOWNLOAD_EVIDENCE = "download_evidence"
    EXPORT_PERSONAL_DATA = "export_personal_data"
    MANAGE_PERSONAL_DATA = "manage_personal_data"
    VIEW_ACCESS_LOG = "view_access_log"
    ASSESS_RISK = "assess_risk"
    OVERRIDE_RISK = "override_risk"
    SET_PROTECTION = "set_protection"
    CONFIRM_FOUR_EYES = "confirm_four_eyes"
    VIEW_RISK_WEIGHTS = "view_risk_weights"
    MANAGE_RISK_MODEL = "manage_risk_model"
    VIEW_AUDIT = "view_audit"
    MANAGE_USERS = "manage_users"
    SIGNED_IN = "signed_in"


R = Role
PERMISSIONS: dict[Permission, frozenset[Role]] = {
    Permission.SIGNED_IN: frozenset(Role),
    Permission.VIEW_RECORDS: frozenset(Role),
    Permission.EDIT_RECORDS: frozenset({R.PROCUREMENT_OFFICER, R.ADMIN}),
    Permission.IMPORT_RECORDS: frozenset({R.PROCUREMENT_OFFICER, R.ADMIN}),
    # Personal data is for those whose task needs it (DOMAIN 7): the security department.
    Permission.REVEAL_PERSONAL_DATA: frozenset({R.SECURITY_OFFICER}),
    Permission.RUN_CHECKS: frozenset({R.PROCUREMENT_OFFICER, R.SECURITY_OFFICER, R.REVIEWER}),
    Permission.REVIEW_MATCHES: frozenset({R.PROCUREMENT_OFFICER, R.SECURITY_OFFICER}),
    Permission.MANAGE_LISTS: frozenset({R.ADMIN, R.SECURITY_OFFICER}),
    # Who may prepare or sign a given checkpoint is decided by its template (owner/signer role).
    Permission.WORK_CHECKPOINTS: frozenset({R.PROCUREMENT_OFFICER, R.SECURITY_OFFICER, R.REVIEWER}),
    Permission.ADVANCE_PHASE: frozenset({R.PROCUREMENT_OFFICER}),
    Permission.OVERRIDE_ERRORS: frozenset({R.SECURITY_OFFICER}),
    # Stored register answers and uploaded documents may name persons: the roles working the case
    # (a person's or sole trader's evidence needs REVEAL_PERSONAL_DATA as well, see domain/downloads.py).
    Permission.DOWNLOAD_EVIDENCE: frozenset({R.PROCUREMENT_OFFICER, R.SECURITY_OFFICER, R.REVIEWER}),
    Permission.EXPORT_DATA: frozenset({R.PROCUREMENT_OFFICER, R.SECURITY_OFFICER, R.REVIEWER, R.AUDITOR, R.ADMIN}),
    # Key persons' data leaves the system only with the roles that may see it.
    Permission.EXPORT_PERSONAL_DATA: frozenset({R.SECURITY_OFFICER}),
    # Retention purges and data-subject extracts: the administrator.
    Permission.MANAGE_PERSONAL_DATA: frozenset({R.ADMIN}),
    # Who saw or exported a person's data: the administrator and the security department.
    Permission.VIEW_ACCESS_LOG: frozenset({R.ADMIN, R.SECURITY_OFFICER}),
    Permission.ASSESS_RISK: frozenset({R.PROCUREMENT_OFFICER, R.SECURITY_OFFICER}),
    Permission.OVERRIDE_RISK: frozenset({R.SECURITY_OFFICER}),
    # The protection level and risk-industry flag decide the security checkpoints: security's call (issue 13).
    Permission.SET_PROTECTION: frozenset({R.SECURITY_OFFICER}),
    # Who may confirm which kind is decided per kind in domain/foureyes.py; these roles see the list.
    Permission.CONFIRM_FOUR_EYES: frozenset({R.PROCUREMENT_OFFICER, R.SECURITY_OFFICER, R.ADMIN}),
    # Method secrecy (metodsekretess): weights and thresholds only for security and administration.
    Permission.VIEW_RISK_WEIGHTS: frozenset({R.SECURITY_OFFICER, R.ADMIN}),
    Permission.MANAGE_RISK_MODEL: frozenset({R.ADMIN}),
    Permission.VIEW_AUDIT: frozenset({R.AUDITOR, R.ADMIN}),
    Permission.MANAGE_USERS: frozenset({R.ADMIN}),
}

PUBLIC = "public"


def allowed(roles: frozenset[str] | set[str] | list[str], permission: Permission) -> bool:
    """True when any of the roles grants the permission."""
    return not PERMISSIONS[permission].isdisjoint(roles)  # Role is a StrEnum: "admin" is Role.ADMIN


def user_can(permission: Permission) -> bool:
    """For templates and views: may the signed-in user do this?"""
    user = current_user._get_current_object()  # type: ignore[attr-defined]  # one lookup, not two (templates ask ~20 times)
    return bool(user.is_authenticated and allowed(user.roles, permission))


def requires(permission: Permission) -> Callable[[F], F]:
    """Declare the permission a view needs: anonymous users go to sign-in, others get 403."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                from flask import current_app

                return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
            if not allowed(current_user.roles, permission):
                _log_refusal(permission)
                abort(403)
            return view(*args, **kwargs)

        wrapper.access = permission  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


def _log_refusal(permission: Permission) -> None:
    """Failed authorisation is a security event (ASVS 16.3.2): who, what, where; the time is the record's."""
    from flask import current_app, request

    current_app.logger.warning("Access refused: user %s (roles %s) lacks %s for %s %s from %s", current_user.username,
                               ",".join(sorted(current_user.roles)), permission.value, request.method, request.path,
                               request.remote_addr)


def public(view: F) -> F:
    """Declare a view open to anyone, signed in or not."""
    view.access = PUBLIC  # type: ignore[attr-defined]
    return view
