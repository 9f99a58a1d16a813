"""Blueprints, one per role-area; ``register_blueprints`` mounts them all."""
from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter

from ..contract import is_under_contract

# SQLite integers are signed 64-bit: a longer id in a URL would overflow in the query (a 500).
MAX_RECORD_ID = 2**63 - 1


class RecordIdConverter(IntegerConverter):
    """``<int:...>`` in every route: ids beyond what SQLite can hold are simply not found (404)."""

    def __init__(self, map: Any, fixed_digits: int = 0, min: int | None = None, max: int | None = None,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits, min, MAX_RECORD_ID if max is None else max, signed)


def register_blueprints(app: Flask) -> None:
    """Mount every blueprint and expose labels and permission checks to templates."""
    app.url_map.converters["int"] = RecordIdConverter  # before any rule is added
    from .. import labels
    from . import (admin, approvals, audit, auth, bids, checkpoints, dashboard, espd, exclusion, followup, gates, i18n,
                   imports, main, organisations, persons, privacy, procurements, reports, risk, screening, search, timeline)
    from .access import Permission, user_can

    for module in (auth, i18n, main, procurements, organisations, persons, imports, screening, checkpoints, followup,
                   dashboard, search, reports, privacy, risk, exclusion, audit, admin, timeline, approvals, gates, espd,
                   bids):
        app.register_blueprint(module.bp)
    app.jinja_env.globals.update(labels.ALL)
    app.jinja_env.globals.update(user_can=user_can, Permission=Permission, under_contract=is_under_contract)
    from .charts import month_name

    app.add_template_filter(lambda month: month_name(month, "LLLL yyyy"), "month_name")

    @app.before_request
    def personnummer_stays_out_of_addresses() -> Any:
        """A personnummer (or a sole trader's VAT number, which holds one) in the address of any request is
        not acted on and leaves the address at once, before the page repeats it in links, exports or logs:
        the exact lookup is a posted form (the search page says so). Every value of every key counts (a
        repeated ``q`` too), and every method: a HEAD runs the GET view, a POST's address is logged like a GET's."""
        from flask import redirect, request, url_for

        from ..domain.search import looks_like_personnummer

        if any(looks_like_personnummer(key) or any(looks_like_personnummer(v) for v in values)
               for key, values in request.args.lists()):
            return redirect(url_for("search.index", notice="personnummer"), 303)
        return None

    @app.context_processor
    def notification_count() -> dict[str, int]:
        from flask_login import current_user

        from ..db import get_db
        from ..store.checkpoints import unread_count

        if not current_user.is_authenticated:
            return {"unread_notifications": 0}
        return {"unread_notifications": unread_count(get_db(), current_user.id)}
