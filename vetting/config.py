"""Every setting in one place, each with a comment; ``VETTING_*`` environment variables override."""
from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

# Values that may never be used as a real secret key outside debug/testing.
INSECURE_SECRET_KEYS = frozenset({"", "dev", "change-me", "secret", "development"})


class Defaults:
    """Defaults; ``VETTING_<NAME>`` in the environment or ``instance/config.py`` override them."""

    # Signs session cookies and CSRF tokens. Required outside debug/testing.
    SECRET_KEY = ""
    # Path of the SQLite database; relative paths are taken from the instance folder.
    DATABASE = "vetting.sqlite3"
    # Seconds a connection waits for a write lock before giving up.
    DATABASE_BUSY_TIMEOUT = 5.0
    # Further tries (with back-off) to take the write lock before the request is answered 503 "try again".
    DATABASE_WRITE_RETRIES = 3
    # Keep each thread's connection open between requests (see vetting.db._Pool); 0 opens one per request.
    DATABASE_KEEP_CONNECTIONS = True
    # Default UI language (Swedish); users switch in the header.
    BABEL_DEFAULT_LOCALE = "sv"
    # Languages offered in the switch.
    LANGUAGES = ("sv", "en")
    # Time zone for showing dates.
    BABEL_DEFAULT_TIMEZONE = "Europe/Stockholm"
    # Session ends after this long without a request (ASVS idle timeout).
    SESSION_IDLE_TIMEOUT = timedelta(minutes=30)
    # Session ends this long after sign-in whatever the activity (absolute timeout).
    SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=10)
    # Cookie flags: HttpOnly always, SameSite=Lax; Secure unless in debug (or set to 0 for plain-HTTP demos on loopback).
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_NAME = "vetting_session"
    # Failed sign-ins allowed per user name and per client address in LOGIN_WINDOW before refusal.
    LOGIN_MAX_FAILURES_PER_USER = 5
    LOGIN_MAX_FAILURES_PER_ADDRESS = 20
    LOGIN_WINDOW = timedelta(minutes=15)
    # Password checks hashing at once per process (scrypt N=2^17 takes 128 MiB each), and seconds a
    # sign-in waits for a slot before it is told to try again.
    LOGIN_MAX_CONCURRENT_HASHES = 2
    LOGIN_HASH_WAIT = 10.0
    # Password hash method: werkzeug's scrypt at OWASP's floor (N=2^17, r=8, p=1).
    PASSWORD_HASH_METHOD = "scrypt:131072:8:1"
    # Shortest password accepted when creating users.
    PASSWORD_MIN_LENGTH = 12
    # Audit chain key (64 hex digits) kept outside the database; empty: the key file below (made on first start).
    AUDIT_KEY = ""
    # Key file; empty means audit.key in the instance folder. Mode 0600; back it up apart from the database.
    AUDIT_KEY_FILE = ""
    # Append-only file for the chain's head; empty means audit-anchor.jsonl beside the database.
    # Put it where the database's writer cannot rewrite it (chattr +a, another owner, a log host).
    AUDIT_ANCHOR_FILE = ""
    # Seconds between head anchors written after requests (per process); -1 turns them off (cron only).
    AUDIT_ANCHOR_INTERVAL = 60.0
    # Also send every anchor to the system log (the vetting.audit.anchor logger).
    AUDIT_ANCHOR_SYSLOG = False
    # Folder for the name index of the loaded list versions, kept between starts (a signed JSON file,
    # rebuilt when a list changes or the file fails its check); empty means list-index in the instance folder.
    LIST_INDEX_FOLDER = ""
    # Largest upload (CSV/XLSX imports).
    MAX_CONTENT_LENGTH = 10 * 1024 * 1024
    # Rows per page in lists.
    PAGE_SIZE = 25
    # Seconds a CSRF token stays valid.
    WTF_CSRF_TIME_LIMIT = 3600
    # Retention per record type (`flask retention purge`). Key persons: years after the last
    # procurement they are linked to ended (phase "ended"), or, linked to none, after their last
    # role ended or was created; a person linked to a procurement still running is never due.
    RETENTION_PERSONAL_DATA_YEARS = 3
    # Days an unconfirmed import preview (it holds the uploaded personnummer) is kept.
    RETENTION_PENDING_IMPORTS_DAYS = 2
    # Screening score from which a listed party is a possible match (review needed), and a hit.
    SCREENING_POSSIBLE_THRESHOLD = 0.80
    SCREENING_HIT_THRESHOLD = 0.93
    # Who a confirmed sanctions hit is reported onwards to (the agency decides, e.g. its contact at the
    # competent authority); empty means not configured, and the report cannot be recorded until it is.
    SANCTIONS_REPORT_RECIPIENT = ""
    # Official download addresses for `flask lists update` (used only when the machine is online).
    LIST_URLS = (
        "un=https://scsanctions.un.org/resources/xml/en/consolidated.xml",
        "ofac-xml=https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/CONS_ENHANCED.ZIP",
        "eu=https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content",
        "uk=https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.xml",
    )
    # Download and import LIST_URLS every night (03:30, by the background consumer) on an online machine.
    LIST_UPDATE_SCHEDULED = False
    # Screen every party of a signed contract against every list every night (02:30), beside the delta
    # re-screen each list import starts: the safety net.
    NIGHTLY_RESCREEN = True
    # Register base addresses overriding the checks' defaults, as "source=https-url" pairs.
    REGISTER_URLS: tuple[str, ...] = ()
    # Requests per minute per register, as "source=N" pairs (default 60 each).
    REGISTER_RATE_LIMITS = ("se.bolagsverket=60",)
    # Deadlines for register calls: seconds to connect, seconds between bytes, retries after a timeout/5xx/429,
    # the total wall-clock seconds one check may spend on all its calls (slow drips and back-off included), and
    # the total for all checks of one subject together.
    REGISTER_CONNECT_TIMEOUT = 3.05
    REGISTER_READ_TIMEOUT = 10.0
    REGISTER_RETRIES = 2
    REGISTER_CHECK_DEADLINE = 30.0
    REGISTER_BATCH_DEADLINE = 90.0
    # Seconds a register answer is reused (keep within the retention rules: answers hold personal data).
    REGISTER_CACHE_TTL = 3600
    # User-Agent sent to registers (name the agency and a contact address in production).
    REGISTER_USER_AGENT = "vetting/0.1 (supplier vetting for public procurement)"
    # The background queue: "sqlite" (a file beside the database; one machine) or "redis" (several worker machines).
    QUEUE = "sqlite"
    # The SQLite queue file; empty means vetting-queue.sqlite3 next to the database.
    QUEUE_FILE = ""
    # The Redis server when QUEUE = "redis".
    REDIS_URL = "redis://127.0.0.1:6379/0"
    # Months between follow-ups of a signed contract, per risk level.
    FOLLOWUP_INTERVAL_MONTHS = ("high=3", "medium=6", "low=12")
    # Seconds to pause between subjects in a background batch (spares the registers).
    FOLLOWUP_ITEM_PAUSE = 0.0
    # Subjects per background task (two worker threads share a batch this way).
    FOLLOWUP_CHUNK_SIZE = 50
    # Outgoing e-mail for notifications (empty MAIL_SERVER: in-app notifications only).
    MAIL_SERVER = ""
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USERNAME = ""
    MAIL_PASSWORD = ""
    MAIL_FROM = "vetting@localhost"
    # Address of the app as users reach it, for links in e-mails.
    PUBLIC_URL = "http://127.0.0.1:5000"
    # Logs: "text" for a terminal, "json" (one object per line, for journald/a collector) in production.
    LOG_FORMAT = "text"
    LOG_LEVEL = "INFO"
    # Number of proxies in front of the app that set X-Forwarded-For (0 = none; never trust it then).
    TRUSTED_PROXIES = 0
    # The agency's name printed in the header of every PDF report (vetting reports are official records).
    AGENCY_NAME = "Myndigheten"
    # The agency's logo on the report's first page: a path under static/ (e.g. "img/logo.png"); empty for none.
    AGENCY_LOGO = ""


def _coerce(current: Any, raw: str) -> Any:
    """Turn an environment string into the type of the default it overrides."""
    if isinstance(current, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(current, int):
        return int(raw)
    if isinstance(current, float):
        return float(raw)
    if isinstance(current, timedelta):
        return timedelta(seconds=int(raw))
    if isinstance(current, tuple):
        return tuple(part.strip() for part in raw.split(",") if part.strip())
    return raw


def from_environment(environ: os._Environ[str] | dict[str, str] | None = None) -> dict[str, Any]:
    """Collect ``VETTING_<SETTING>`` overrides for every setting defined in :class:`Defaults`."""
    environ = os.environ if environ is None else environ
    overrides: dict[str, Any] = {}
    for name in dir(Defaults):
        if not name.isupper():
            continue
        raw = environ.get(f"VETTING_{name}")
        if raw is not None:
            overrides[name] = _coerce(getattr(Defaults, name), raw)
    return overrides


class ConfigurationError(RuntimeError):
    """The app must not start with this configuration."""


def check_secret_key(config: dict[str, Any]) -> None:
    """Refuse to run outside debug/testing with a missing or well-known secret key."""
    if config.get("TESTING") or config.get("DEBUG"):
        return
    key = config.get("SECRET_KEY") or ""
    if key in INSECURE_SECRET_KEYS or len(key) < 16:
        raise ConfigurationError(
            "VETTING_SECRET_KEY is missing or insecure. Generate one with "
            "`python -c 'import secrets; print(secrets.token_hex())'` and set it in the "
            "environment or in instance/config.py."
        )
