"""Structured logs: one JSON object per line on stderr when ``LOG_FORMAT = "json"`` (production).

Each line has time (UTC, ISO 8601), level, logger, message and, inside a request, method, path
and the signed-in user's id, so a log collector (journald, Loki, ELK) can filter without parsing text.

No log line holds a full personnummer, whatever its format: every record made in the process (the
app's, the checks' HTTP layer with a register's address for a sole trader, a library's) has its
message and traceback masked when it is created (``mask_records``). The access log of gunicorn
writes the path without the query string (deploy/gunicorn.conf.py).
"""
from __future__ import annotations

import json
import logging
from datetime import datetime, timezone
from typing import Any

from flask import Flask, g, has_request_context, request

_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """A log record as one line of JSON (extra= fields kept)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname, "logger": record.name, "message": record.getMessage()}
        if has_request_context():
            entry.update(method=request.method, path=request.path, user_id=g.get("log_user_id"))
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")})
        if record.exc_info:
            entry["exception"] = record.exc_text or self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


_MASKING: dict[str, Any] = {}


def mask_records() -> None:
    """Make every log record with its message and traceback already masked (idempotent, once per process)."""
    if _MASKING:
        return
    from .domain.identifiers import mask_personnummer_in_text

    previous = logging.getLogRecordFactory()

    def masked(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string is logging's to report, as before
            return record
        record.msg, record.args = mask_personnummer_in_text(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = mask_personnummer_in_text(logging.Formatter().formatException(record.exc_info))
        return record

    _MASKING["factory"] = masked
    logging.setLogRecordFactory(masked)


def init_app(app: Flask) -> None:
    """Mask personnummer in every record; send the app's and the worker's logs as JSON lines to stderr when
    configured so."""
    mask_records()
    if app.config.get("LOG_FORMAT") != "json":
        return
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(app.config.get("LOG_LEVEL", "INFO"))
    app.logger.handlers[:] = []  # propagate to the root's JSON handler instead of Flask's text one
