"""Where and how one register may be fetched: the allowlisted base URL, timeouts, retries, limits; and URL hygiene."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import SplitResult, unquote, unquote_plus, urlsplit, urlunsplit

SECRET_PARAMS = frozenset({"api_key", "apikey", "key", "token", "access_token", "client_secret"})
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
CONTROL = re.compile(r"[\x00-\x20\x7f]")


@dataclass(frozen=True)
class HostPolicy:
    """How one register may be fetched; only URLs under ``base_url`` are ever requested."""

    base_url: str
    per_minute: int = 60
    connect_timeout: float = 3.05
    read_timeout: float = 20.0
    retries: int = 3
    backoff: float = 0.5
    max_backoff: float = 30.0
    max_retry_after: float = 60.0
    breaker_failures: int = 5
    breaker_reset: float = 60.0
    cache_ttl: float = 0.0

    def __post_init__(self) -> None:
        parts = urlsplit(self.base_url)
        host = (parts.hostname or "").lower()
        # Plain http would let anyone on the path alter the evidence; it is allowed only for a local test server.
        if not host or not (parts.scheme == "https" or (parts.scheme == "http" and host in LOCAL_HOSTS)):
            raise ValueError(f"base_url must be https://host[/prefix] (http only for localhost): {self.base_url!r}")
        if parts.query or parts.fragment or parts.username or parts.password or CONTROL.search(self.base_url):
            raise ValueError(f"base_url must not carry a query, fragment, credentials or spaces: {self.base_url!r}")
        if min(self.per_minute, self.breaker_failures) <= 0 or min(self.connect_timeout, self.read_timeout) <= 0:
            raise ValueError("per_minute, breaker_failures and timeouts must be positive")
        if min(self.retries, self.backoff, self.max_backoff, self.max_retry_after, self.breaker_reset,
               self.cache_ttl) < 0:
            raise ValueError("retries, backoff, max_backoff, max_retry_after, breaker_reset, cache_ttl must be >= 0")

    def contains(self, url: str) -> bool:
        """Whether ``url`` lies under ``base_url`` (same scheme, host and port; path inside the prefix, no dot segments)."""
        base, target = urlsplit(self.base_url), urlsplit(url)
        if target.scheme.lower() != base.scheme.lower() or target.username or target.password:
            return False
        try:
            if (target.hostname, _port(target)) != (base.hostname, _port(base)):
                return False
        except ValueError:  # a port that is not a number
            return False
        # urllib3 collapses "/api/../admin" to "/admin", so dot segments (also %2e-encoded) could escape the prefix.
        decoded = unquote(target.path)
        if "\\" in decoded or any(seg in (".", "..") for seg in decoded.split("/")):
            return False
        prefix = base.path.rstrip("/")
        return target.path == prefix or target.path.startswith(prefix + "/") or (not prefix and not target.path)


def _port(parts: SplitResult) -> int:
    return parts.port or (443 if parts.scheme.lower() == "https" else 80)


def strip_secrets(url: str, secret_params: Iterable[str] = ()) -> str:
    """``url`` without credentials and without query parameters that carry secrets (names compared case-insensitively)."""
    secret = SECRET_PARAMS | {name.lower() for name in secret_params}
    parts = urlsplit(url)
    # Split by hand rather than re-encode, so the kept parameters appear exactly as they were sent.
    kept = [pair for pair in parts.query.split("&")
            if pair and unquote_plus(pair.partition("=")[0]).lower() not in secret]
    netloc = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, netloc, parts.path, "&".join(kept), ""))
