"""Structured logs: one JSON object per line on stderr when ``LOG_FORMAT = "json"`` (production).

Each line has time (UTC, ISO 8601), level, logger, message and, inside a request, method, path
and the signed-in user's id, so a log collector (journald, Loki, ELK) can filter without parsing text.
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
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def init_app(app: Flask) -> None:
    """Send the app's and the worker's logs as JSON lines to stderr when configured so."""
    if app.config.get("LOG_FORMAT") != "json":
        return
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(app.config.get("LOG_LEVEL", "INFO"))
    app.logger.handlers[:] = []  # propagate to the root's JSON handler instead of Flask's text one
