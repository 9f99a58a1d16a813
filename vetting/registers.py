"""The one HTTP client of the process, built from the checks' default register addresses and configuration.

It lives as long as the process so that rate limits, circuit breakers and caches hold across requests.
"""
from __future__ import annotations

import copy
import threading
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from checks.http import HostPolicy, HttpClient

_clients: dict[tuple[Any, ...], HttpClient] = {}
_lock = threading.Lock()


def _pairs(items: Iterable[str]) -> dict[str, str]:
    """``source=value`` strings from configuration as a dict."""
    out = {}
    for item in items:
        key, sep, value = str(item).partition("=")
        if sep and key.strip() and value.strip():
            out[key.strip()] = value.strip()
    return out


def policies(checks: Iterable[Any], settings: Mapping[str, Any],
             admin_limits: Mapping[str, int] | None = None) -> dict[str, HostPolicy]:
    """A policy per register source: the check's default address unless configuration names another.

    Rate limits: an administrator's setting on the Registers page wins over configuration.
    """
    urls: dict[str, str] = {}
    for check in checks:
        urls.update(getattr(check, "sources", {}) or {})
    urls.update(_pairs(settings.get("REGISTER_URLS", ())))
    limits = {k: int(v) for k, v in _pairs(settings.get("REGISTER_RATE_LIMITS", ())).items()}
    limits.update(admin_limits or {})
    ttl = float(settings.get("REGISTER_CACHE_TTL", 0) or 0)
    return {source: HostPolicy(url, per_minute=limits.get(source, 60), cache_ttl=ttl) for source, url in urls.items()}


def http_client(checks: Iterable[Any], settings: Mapping[str, Any],
                admin_limits: Mapping[str, int] | None = None) -> HttpClient:
    """The process's client for this configuration (a new one only when the configuration changes)."""
    hosts = policies(checks, settings, admin_limits)
    key = (tuple(sorted(hosts.items())), settings.get("REGISTER_USER_AGENT"))
    with _lock:
        if key not in _clients:
            _clients.clear()
            _clients[key] = HttpClient(hosts, user_agent=settings.get("REGISTER_USER_AGENT") or
                                       "vetting/0.1 (supplier vetting for public procurement)")
        return _clients[key]


def fresh(client: HttpClient) -> HttpClient:
    """The same client without its cache: a user's "check again now" must see today's register.

    It shares the rate limits and circuit breakers of ``client`` (so registers are spared just the
    same), but neither reads nor fills the cache, which is for automatic batches.
    """
    view = copy.copy(client)
    view._sources = {name: replace(source, policy=replace(source.policy, cache_ttl=0.0))  # noqa: SLF001
                     for name, source in client._sources.items()}  # noqa: SLF001
    return view
