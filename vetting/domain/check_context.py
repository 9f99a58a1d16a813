"""Building the context a check runs with: the one place that makes a ``CheckContext``.

A check sees its own stored settings (credentials; a check may share another's through
``settings_from``, as the annual-report check uses Bolagsverket's client), the one HTTP layer with
the administrators' rate limits, the clock in UTC and what this run brings (``inputs``: an officer's
answer, earlier dismissals). Screening, the connection test and manual answers all come here.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlite_utils

from checks import Check, CheckContext
from checks.contract import utc_now

from ..registers import fresh as without_cache
from ..registers import http_client
from ..store import register_settings as settings_store


def http_for(db: sqlite_utils.Database, checks: Any, settings: Mapping[str, Any], fresh: bool = False) -> Any:
    """The register HTTP client for a run (shared by its checks, so rate limits hold across them)."""
    http = http_client(checks, settings, settings_store.rate_limits(db))
    return without_cache(http) if fresh else http


def check_settings(db: sqlite_utils.Database, check: Check) -> dict[str, str]:
    """The stored settings ``check`` runs with (its own, or those of the check it shares them with)."""
    return settings_store.for_check(db, getattr(check, "settings_from", None) or check.id)


def check_context(db: sqlite_utils.Database, check: Check, *, http: Any = None, lists: Any = None,
                  inputs: Mapping[str, Any] | None = None, own: Mapping[str, str] | None = None) -> CheckContext:
    """The context ``check`` runs with (see the module docstring); ``own``: its settings when the caller read them
    already (``check_settings``, once for a chunk of subjects)."""
    if own is None:
        own = check_settings(db, check)
    return CheckContext(settings=dict(own or {}), lists=lists, http=http, now=utc_now, inputs=dict(inputs or {}))
