"""The one HTTP layer for register checks: allowlisted hosts, timeouts, retries, breaker, rate limit, cache, evidence."""
from __future__ import annotations

import codecs
import json as jsonlib
import logging
import random
import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from http.client import responses as REASONS
from types import MappingProxyType
from typing import Any
from urllib.parse import urljoin

import requests

from . import _budget
from ._breaker import CircuitBreaker
from ._ratelimit import TokenBucket
from ._transport import check_budget as _check_budget
from ._transport import read_body as _read
from .contract import Evidence
from .errors import CheckAbort, NotConfigured, SourceChanged, SourceUnavailable
from .policy import CONTROL, SECRET_PARAMS, HostPolicy, strip_secrets

__all__ = ["DEFAULT_USER_AGENT", "SECRET_PARAMS", "Fetched", "HostPolicy", "HttpClient", "strip_secrets"]

log = logging.getLogger(__name__)

DEFAULT_USER_AGENT = "vetting/0.1 (supplier vetting; contact: set VETTING_CONTACT)"
EXPECT = {"json": "application/json", "html": "text/html, application/xhtml+xml", "xml": "application/xml, text/xml",
          "any": "*/*"}
MAX_REDIRECTS = 3
CACHE_MAX_ENTRIES = 1024  # bounds memory; the cache holds personal data, so it is never written to disk
_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://|^[/\\]{2}")
# Headers kept with the evidence: they tell what answered (a proxy, a CDN error page) and when.
KEPT_HEADERS = ("Content-Type", "Content-Length", "Content-Encoding", "Date", "Server", "Retry-After", "Location",
                "WWW-Authenticate", "X-Request-Id", "Via")


@dataclass(frozen=True)
class Fetched:
    """One answer from a register, with the evidence record that proves what it said."""

    source: str
    url: str
    status: int
    headers: Mapping[str, str]
    body: bytes
    evidence: Evidence
    from_cache: bool = False

    def json(self) -> Any:
        """The body parsed as JSON; SourceChanged if it is not JSON (an HTML error page, malformed or truncated)."""
        try:
            return jsonlib.loads(self.body, parse_constant=_reject_constant)
        except (ValueError, RecursionError) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
            raise SourceChanged(f"{self.source}: answer is not JSON ({self._describe(exc)})", code="not_json",
                                source=self.source) from exc

    def text(self) -> str:
        """The body decoded with the charset named in Content-Type (UTF-8 otherwise); undecodable bytes are replaced."""
        return self.body.decode(_charset(self.headers.get("Content-Type", "")), errors="replace")

    def _describe(self, exc: BaseException) -> str:
        media = self.evidence.media_type or "no content type"
        head = self.body.lstrip()[:60]
        if not head:
            return f"{media}, empty body"
        if head.startswith(b"<"):
            what = "an HTML/XML page"
        elif isinstance(exc, jsonlib.JSONDecodeError) and (exc.pos >= len(exc.doc.rstrip())
                                                           or exc.msg.startswith("Unterminated string")):
            what = "truncated JSON"
        else:
            what = f"malformed: {exc}"
        return f"{what}; {media}, {len(self.body)} bytes, starts {head!r}"


def _reject_constant(name: str) -> Any:
    # Python accepts NaN/Infinity, which are not JSON; no register sends them, so they mean something else answered.
    raise ValueError(f"{name} is not valid JSON")


def _charset(content_type: str) -> str:
    for param in content_type.split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            try:
                return codecs.lookup(value.strip().strip("\"'")).name
            except LookupError:
                break
    return "utf-8"


@dataclass(frozen=True)
class _Raw:
    status: int
    reason: str
    headers: Mapping[str, str]
    body: bytes
    url: str


def _evidence(source: str, status: int | None, headers: Mapping[str, str], body: bytes, url: str,
              now: datetime, secret_params: Iterable[str] = ()) -> Evidence:
    """The evidence record of one answer (also a failed one): what was received, from where, with its digest."""
    media = headers.get("Content-Type", "").partition(";")[0].strip().lower() or None
    kept = {name: headers[name] for name in KEPT_HEADERS if headers.get(name)}
    return Evidence(source=source, fetched_at=now.astimezone(timezone.utc), sha256=Evidence.digest(body), body=body,
                    url=strip_secrets(url, secret_params), http_status=status, media_type=media, headers=kept,
                    received=len(body))


@dataclass
class _Source:
    policy: HostPolicy
    bucket: TokenBucket
    breaker: CircuitBreaker
    cache: dict[Any, tuple[float, Fetched]] = field(default_factory=dict)


class HttpClient:
    """Fetches from configured registers only; every failure surfaces as a CheckError the runner understands."""

    def __init__(self, hosts: Mapping[str, HostPolicy], *, user_agent: str = DEFAULT_USER_AGENT,
                 session: requests.Session | None = None, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep,
                 now: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
                 broken: Mapping[str, str] | None = None) -> None:
        """``hosts`` maps a source id (e.g. ``"no.brreg"``) to its policy; clock, sleep and now are injectable for tests.

        ``broken`` names sources whose configuration is unusable: their calls fail (an error, never "not configured").
        """
        self._broken = dict(broken or {})
        self._sources = {name: _Source(policy, TokenBucket(policy.per_minute, clock),
                                       CircuitBreaker(policy.breaker_failures, policy.breaker_reset, clock))
                         for name, policy in hosts.items()}
        self._user_agent = user_agent
        self._session = session if session is not None else requests.Session()
        self._clock, self._sleep, self._now = clock, sleep, now
        self._cache_lock = threading.Lock()

    def get(self, source: str, path_or_url: str, *, params: Mapping[str, Any] | None = None,
            headers: Mapping[str, str] | None = None, auth: Any = None, expect: str = "json",
            secret_params: Iterable[str] = ()) -> Fetched:
        """GET a path under the source's base URL (retried, cached for ``cache_ttl``); 4xx other than 401/403 is returned."""
        state, url = self._prepare(source, path_or_url, expect)
        key = (url, tuple(sorted((str(k), repr(v)) for k, v in (params or {}).items())),
               tuple(sorted((k.lower(), v) for k, v in (headers or {}).items())), repr(auth))
        if state.policy.cache_ttl > 0 and (hit := self._cached(state, key)) is not None:
            fetched = replace(hit, from_cache=True)
            _budget.record(fetched.evidence)
            return self._check_expect(fetched, expect)
        fetched = self._call(source, state, "GET", url, dict(params=params, headers=headers, auth=auth),
                             expect, retry=True, secret_params=secret_params)
        if state.policy.cache_ttl > 0 and 200 <= fetched.status < 300:
            with self._cache_lock:
                if len(state.cache) >= CACHE_MAX_ENTRIES:
                    state.cache.pop(next(iter(state.cache)))  # dicts keep insertion order: drop the oldest
                state.cache[key] = (self._clock() + state.policy.cache_ttl, fetched)
        return fetched

    def post(self, source: str, path_or_url: str, *, data: Any = None, json: Any = None,
             headers: Mapping[str, str] | None = None, auth: Any = None, expect: str = "json",
             idempotent: bool = False, fault_status: int | None = None) -> Fetched:
        """POST under the source's base URL; retried if ``idempotent``; ``fault_status`` (SOAP 1.1: 500) + a Fault body is an answer."""
        state, url = self._prepare(source, path_or_url, expect)
        return self._call(source, state, "POST", url, dict(data=data, json=json, headers=headers, auth=auth),
                          expect, retry=idempotent, secret_params=(), fault_status=fault_status)

    # -- internals ---------------------------------------------------------------------------------------------

    def _prepare(self, source: str, path_or_url: str, expect: str) -> tuple[_Source, str]:
        state = self._sources.get(source)
        if source in self._broken:
            raise SourceUnavailable(f"{source}: the configured address cannot be used ({self._broken[source]})",
                                    code="address_unusable", source=source)
        if state is None:
            raise NotConfigured(f"{source}: no address is configured for this register", code="no_address",
                                source=source)
        if expect not in EXPECT:
            raise ValueError(f"expect must be one of {', '.join(EXPECT)}")
        path = path_or_url.strip()
        if CONTROL.search(path):
            raise ValueError(f"{source}: URL contains spaces or control characters")
        # Plain concatenation, not urljoin: "/x" must stay under the prefix rather than jump to the host root.
        url = path if _ABSOLUTE.match(path) else state.policy.base_url.rstrip("/") + ("/" + path.lstrip("/") if path else "")
        if not state.policy.contains(url):
            raise ValueError(f"{source}: {strip_secrets(url)} is not under {state.policy.base_url}")
        return state, url

    def _cached(self, state: _Source, key: Any) -> Fetched | None:
        with self._cache_lock:
            entry = state.cache.get(key)
            if entry is not None and entry[0] > self._clock():
                return entry[1]
            state.cache.pop(key, None)  # expired entries go at once: the cache holds personal data
            return None

    def _call(self, source: str, state: _Source, method: str, url: str, kwargs: dict[str, Any], expect: str, *,
              retry: bool, secret_params: Iterable[str], fault_status: int | None = None) -> Fetched:
        admission = state.breaker.admit()
        if not admission.allowed:
            until = (self._now() + timedelta(seconds=admission.retry_in)).astimezone(timezone.utc)
            raise SourceUnavailable(f"{source}: circuit breaker open; the register has failed {admission.failures} "
                                    f"times in a row, retry after {until.strftime('%H:%M:%S UTC')}",
                                    code="circuit_open", source=source, failures=admission.failures,
                                    until=until.isoformat(timespec="seconds"))
        try:
            # The half-open trial is a single request: a register that is still down should not get a retry burst.
            raw = self._with_retries(source, state, method, url, kwargs, expect,
                                     state.policy.retries if retry and not admission.trial else 0, fault_status)
        except SourceUnavailable:
            state.breaker.failed()
            raise
        except (CheckAbort, SourceChanged):
            state.breaker.succeeded()  # the register answered; what it said is a different problem
            raise
        except BaseException:
            state.breaker.released()
            raise
        state.breaker.succeeded()
        evidence = _evidence(source, raw.status, raw.headers, raw.body, raw.url, self._now(), secret_params)
        _budget.record(evidence)  # kept for the outcome whatever the check makes of it, failures included
        if raw.status in (401, 403):
            raise CheckAbort(f"{source}: {raw.status} {raw.reason}: credentials rejected or expired",
                             code="credentials_rejected", source=source, status=raw.status)
        fetched = Fetched(source=source, url=evidence.url or raw.url, status=raw.status, headers=raw.headers,
                          body=raw.body, evidence=evidence)
        return self._check_expect(fetched, expect)

    @staticmethod
    def _check_expect(fetched: Fetched, expect: str) -> Fetched:
        # Only successful answers are checked: a 404 with an HTML body is still "not found", which the check decides.
        if expect == "json" and 200 <= fetched.status < 300 and fetched.status != 204:
            fetched.json()
        return fetched

    def _with_retries(self, source: str, state: _Source, method: str, url: str, kwargs: dict[str, Any],
                      expect: str, retries: int, fault_status: int | None = None) -> _Raw:
        policy = state.policy
        attempts = retries + 1
        for attempt in range(1, attempts + 1):
            retry_after: float | None = None
            _check_budget(source)
            try:
                raw = self._exchange(source, state, method, url, kwargs, expect)
            except requests.exceptions.SSLError as exc:
                # A certificate problem does not fix itself within seconds; retrying only delays the message.
                # Not str(exc): requests puts the full URL, secrets included, into its messages.
                raise SourceUnavailable(f"{source}: TLS error (certificate not trusted or handshake failed)",
                                        code="tls_failed", source=source) from exc
            except (requests.exceptions.ConnectionError, requests.exceptions.Timeout,
                    requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError) as exc:
                if isinstance(exc, requests.exceptions.Timeout):
                    # The wait was cut to what was left of the run's budget (_exchange): when that ran out, the
                    # register's own timeout did not, so the reason is the total limit, not "within 5 s".
                    _check_budget(source)
                reason, failure = _reason(exc, policy)
                if attempt == attempts:
                    raise SourceUnavailable(f"{source}: {reason} after {_plural(attempt)}", code="gave_up",
                                            source=source, attempts=attempt, **failure) from exc
            else:
                if raw.status != 429 and raw.status < 500:
                    return raw
                if raw.status == fault_status and b"Fault" in raw.body[:4096]:
                    return raw  # the service answered with a fault document: an answer, not an outage
                reason = f"{raw.status} {raw.reason}".strip()
                failure = {"failure": "http_status", "status": raw.status}
                if attempt == attempts:  # the last answer is the evidence of the failure
                    _budget.record(_evidence(source, raw.status, raw.headers, raw.body, raw.url, self._now()))
                if raw.status in (429, 503):
                    retry_after = self._retry_after(raw.headers.get("Retry-After"))
                if attempt == attempts:
                    raise SourceUnavailable(f"{source}: {reason} after {_plural(attempt)}", code="gave_up",
                                            source=source, attempts=attempt, **failure)
                if retry_after is not None and retry_after > policy.max_retry_after:
                    raise SourceUnavailable(f"{source}: {reason}; the register asks to retry in {retry_after:.0f} s, "
                                            f"longer than the {policy.max_retry_after:.0f} s allowed here",
                                            code="retry_after_too_long", source=source, status=raw.status,
                                            wait=round(retry_after), limit=round(policy.max_retry_after))
            if retry_after is None:
                delay = min(policy.backoff * 2 ** (attempt - 1), policy.max_backoff)
                delay += random.uniform(0, delay / 10)  # jitter, so parallel workers do not retry in lockstep
            else:
                delay = retry_after  # the server said when; no jitter so we neither come early nor wait longer
            left = _budget.remaining()
            if left is not None and delay >= left:
                raise SourceUnavailable(f"{source}: {reason}; no time left for another attempt within the total "
                                        f"limit of {_budget.total():g} s", code="no_time_for_retry", source=source,
                                        limit=_budget.total(), **failure)
            log.info("%s: %s (attempt %d of %d), retrying in %.2f s", source, reason, attempt, attempts, delay)
            self._sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    def _exchange(self, source: str, state: _Source, method: str, url: str, kwargs: dict[str, Any],
                  expect: str) -> _Raw:
        """One request plus the redirects it may take (each re-checked against the allowlist)."""
        sent_headers = {"Accept": EXPECT[expect], **(kwargs.get("headers") or {}), "User-Agent": self._user_agent}
        request_kwargs = {**kwargs, "headers": sent_headers}
        for _hop in range(MAX_REDIRECTS + 1):
            wait = state.bucket.reserve()
            if wait > 0:
                self._sleep(wait)
            left = _check_budget(source)
            connect, read = state.policy.connect_timeout, state.policy.read_timeout
            if left is not None:  # no single wait may outlast the run's total budget
                connect, read = min(connect, left), min(read, left)
            response = self._session.request(method, url, allow_redirects=False, stream=True, verify=True,
                                             timeout=(connect, read), **request_kwargs)
            with response:
                body = _read(source, response, lambda partial: _budget.record(_evidence(
                    source, response.status_code, response.headers, partial, response.url or url, self._now())))
            if not (300 <= response.status_code < 400 and response.status_code != 304):
                reason = response.reason or REASONS.get(response.status_code, "")
                return _Raw(response.status_code, reason, MappingProxyType(response.headers), body,
                            response.url or url)
            location = response.headers.get("Location")
            target = urljoin(url, location) if location else ""
            if not target or not state.policy.contains(target):
                raise SourceChanged(f"{source}: redirected outside the register "
                                    f"({response.status_code} to {strip_secrets(target) or 'nowhere'})",
                                    code="redirect_outside", source=source, status=response.status_code,
                                    got=strip_secrets(target) or "-")
            url = target
            # Parameters are already in the Location; 303 (and 301/302 after a POST) turn the request into a GET.
            request_kwargs = {**request_kwargs, "params": None}
            if response.status_code == 303 or (method == "POST" and response.status_code in (301, 302)):
                method = "GET"
                request_kwargs.update(data=None, json=None)
        raise SourceChanged(f"{source}: more than {MAX_REDIRECTS} redirects", code="too_many_redirects", source=source,
                            limit=MAX_REDIRECTS)

    def _retry_after(self, value: str | None) -> float | None:
        """Seconds from a Retry-After header (delta-seconds or HTTP date); None if absent or unreadable."""
        if not value:
            return None
        value = value.strip()
        if value.isdigit():
            return float(value)
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)  # HTTP dates are always GMT
        return max(0.0, (when - self._now()).total_seconds())


# Why a connection gave no answer: the note's words (also in outcomes stored before fault codes) -> the failure code
# the app puts into words (vetting/vocabulary/findings.py FAILURES).
FAILURES = {"connection refused": "refused", "timed out": "timed_out", "host name not found": "host_not_found",
            "connection reset": "reset", "connection closed by the register": "closed",
            "answer cut off mid-transfer": "cut_off", "connection failed": "failed"}


def _reason(exc: BaseException, policy: HostPolicy) -> tuple[str, dict[str, Any]]:
    """A reason an officer can read, instead of urllib3's nested exception repr, and its ``failure`` parameters."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return f"connection timed out ({policy.connect_timeout:g} s)", {"failure": "connect_timeout",
                                                                          "seconds": policy.connect_timeout}
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return f"timed out waiting for an answer ({policy.read_timeout:g} s)", {"failure": "read_timeout",
                                                                                 "seconds": policy.read_timeout}
    reason = "connection failed"
    if isinstance(exc, (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError)):
        reason = "answer cut off mid-transfer"
    else:
        text = f"{exc!r} {exc.__cause__!r} {exc.__context__!r}".lower()  # only searched, never shown: it holds the URL
        for needle, found in (("refused", "connection refused"), ("timed out", "timed out"),
                              ("name or service not known", "host name not found"), ("nodename", "host name not found"),
                              ("name resolution", "host name not found"), ("getaddrinfo", "host name not found"),
                              ("reset", "connection reset"), ("remotedisconnected", "connection closed by the register")):
            if needle in text:
                reason = found
                break
    return reason, {"failure": FAILURES[reason]}


def _plural(attempts: int) -> str:
    return f"{attempts} attempt" + ("" if attempts == 1 else "s")
