"""Register credentials and settings, administered in the app; secret values never leave the database."""
from __future__ import annotations

from typing import Any

import sqlite_utils
from flask_babel import lazy_gettext as _l

from ..store import register_settings as store
from ..store import write_transaction
from .audit import Actor, record
from .errors import InvalidInput, NotFound
from .screening import all_checks

# Settings that are secret whatever the check calls them.
SECRET_WORDS = ("secret", "key", "token", "password")


def is_secret(key: str) -> bool:
    """Whether a setting's value must never be shown back or logged."""
    return any(word in key for word in SECRET_WORDS)


def configurable_checks() -> list[dict[str, Any]]:
    """Checks that need settings, with the settings they need."""
    return [{"id": c.id, "name": c.name, "requires": c.requires_settings}
            for c in all_checks().values() if c.requires_settings]


def overview(db: sqlite_utils.Database) -> dict[str, dict[str, dict[str, Any]]]:
    """Per check, per setting: whether it is set, its value unless secret, who set it when."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for row in store.overview(db):
        out.setdefault(row["check_id"], {})[row["key"]] = row
    return out


def put(db: sqlite_utils.Database, actor: Actor, check_id: str, key: str, value: str) -> None:
    """Set a setting; the audit entry names the setting but never holds a secret value."""
    check = all_checks().get(check_id)
    if check is None:
        raise NotFound(_l("No such check."))
    if key not in check.requires_settings:
        raise InvalidInput(_l("This check has no setting %(key)s.", key=key), "key")
    value = (value or "").strip()
    if not value or len(value) > 2000:
        raise InvalidInput(_l("Enter a value."), "value")
    secret = is_secret(key)
    with write_transaction(db):
        store.put(db, check_id, key, value, secret, actor.username)
        record(db, actor, "register.setting", "check", check_id,
               after={"key": key, "value": "(secret)" if secret else value})


def missing(db: sqlite_utils.Database, check_id: str) -> list[str]:
    """Required settings of a check that are not set."""
    check = all_checks()[check_id]
    present = store.for_check(db, check_id)
    return [k for k in check.requires_settings if k not in present]
