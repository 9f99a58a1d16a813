"""The one HTTP client of the process, built from the checks' default register addresses and configuration.

It lives as long as the process so that rate limits, circuit breakers and caches hold across requests.
Configuration is validated when the app starts (``validate``); should a bad value still reach ``policies``, only
that register is unusable (its checks end in error) and every other check runs.
"""
from __future__ import annotations

import copy
import logging
import threading
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from checks.http import HostPolicy, HttpClient

log = logging.getLogger(__name__)

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


def _known_sources(checks: Iterable[Any]) -> dict[str, str]:
    urls: dict[str, str] = {}
    for check in checks:
        urls.update(getattr(check, "sources", {}) or {})
    return urls


def _timeouts(settings: Mapping[str, Any]) -> dict[str, Any]:
    return {"connect_timeout": float(settings.get("REGISTER_CONNECT_TIMEOUT", 3.05)),
            "read_timeout": float(settings.get("REGISTER_READ_TIMEOUT", 10.0)),
            "retries": int(settings.get("REGISTER_RETRIES", 2))}


def validate(checks: Iterable[Any], settings: Mapping[str, Any]) -> list[str]:
    """Problems with the register configuration, each naming the setting and the entry (empty when all is well)."""
    known = _known_sources(checks)
    problems = []
    for item in settings.get("REGISTER_URLS", ()) or ():
        source, sep, url = str(item).partition("=")
        source, url = source.strip(), url.strip()
        if not sep or not source or not url:
            problems.append(f"VETTING_REGISTER_URLS: {item!r} is not source=https-url")
        elif source not in known:
            problems.append(f"VETTING_REGISTER_URLS: {item!r} names the unknown source {source!r} "
                            f"(known: {', '.join(sorted(known))})")
        else:
            try:
                HostPolicy(url, **_timeouts(settings))
            except ValueError as exc:
                problems.append(f"VETTING_REGISTER_URLS: {item!r}: {exc}")
    for item in settings.get("REGISTER_RATE_LIMITS", ()) or ():
        source, sep, value = str(item).partition("=")
        if not sep or source.strip() not in known or not value.strip().isdigit() or int(value) <= 0:
            problems.append(f"VETTING_REGISTER_RATE_LIMITS: {item!r} is not known-source=positive-number")
    for name in ("REGISTER_CONNECT_TIMEOUT", "REGISTER_READ_TIMEOUT", "REGISTER_CHECK_DEADLINE",
                 "REGISTER_BATCH_DEADLINE", "REGISTER_RETRIES"):
        try:
            if float(settings.get(name, 1)) < 0:
                raise ValueError
        except (TypeError, ValueError):
            problems.append(f"VETTING_{name}: {settings.get(name)!r} is not a number of seconds (or tries) >= 0")
    return problems


def policies(checks: Iterable[Any], settings: Mapping[str, Any],
             admin_limits: Mapping[str, int] | None = None) -> tuple[dict[str, HostPolicy], dict[str, str]]:
    """A policy per register source (the check's default address unless configuration names another), and the
    sources whose configuration is unusable, with why.

    Rate limits: an administrator's setting on the Registers page wins over configuration.
    """
    urls = _known_sources(checks)
    urls.update(_pairs(settings.get("REGISTER_URLS", ())))
    limits: dict[str, int] = {}
    broken: dict[str, str] = {}
    for source, value in _pairs(settings.get("REGISTER_RATE_LIMITS", ())).items():
        try:
            limits[source] = int(value)
        except ValueError:
            broken[source] = f"the rate limit {value!r} is not a whole number"
    limits.update(admin_limits or {})
    ttl = float(settings.get("REGISTER_CACHE_TTL", 0) or 0)
    hosts = {}
    for source, url in urls.items():
        if source in broken:
            continue
        try:
            hosts[source] = HostPolicy(url, per_minute=limits.get(source, 60), cache_ttl=ttl, **_timeouts(settings))
        except ValueError as exc:
            broken[source] = str(exc)
    for source, why in broken.items():
        log.error("Register %s is not usable: %s", source, why)
    return hosts, broken


def http_client(checks: Iterable[Any], settings: Mapping[str, Any],
                admin_limits: Mapping[str, int] | None = None) -> HttpClient:
    """The process's client for this configuration (a new one only when the configuration changes)."""
    hosts, broken = policies(checks, settings, admin_limits)
    key = (tuple(sorted(hosts.items())), tuple(sorted(broken.items())), settings.get("REGISTER_USER_AGENT"))
    with _lock:
        if key not in _clients:
            _clients.clear()
            _clients[key] = HttpClient(hosts, broken=broken, user_agent=settings.get("REGISTER_USER_AGENT") or
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
