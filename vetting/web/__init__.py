"""Blueprints, one per role-area; ``register_blueprints`` mounts them all."""
from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    """Mount every blueprint and expose labels and permission checks to templates."""
    from .. import labels
    from . import (admin, audit, auth, checkpoints, dashboard, followup, i18n, imports, main, organisations, persons, privacy,
                   procurements, reports, screening, search)
    from .access import Permission, user_can

    for module in (auth, i18n, main, procurements, organisations, persons, imports, screening, checkpoints, followup,
                   dashboard, search, reports, privacy, audit, admin):
        app.register_blueprint(module.bp)
    app.jinja_env.globals.update(labels.ALL)
    app.jinja_env.globals.update(user_can=user_can, Permission=Permission)

    @app.context_processor
    def notification_count() -> dict[str, int]:
        from flask_login import current_user

        from ..db import get_db
        from ..store.checkpoints import unread_count

        if not current_user.is_authenticated:
            return {"unread_notifications": 0}
        return {"unread_notifications": unread_count(get_db(), current_user.id)}
