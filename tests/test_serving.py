"""Production serving: the health endpoint for monitoring and structured (JSON) logs."""
from __future__ import annotations

import json
import logging

from conftest import make_app
from vetting.logs import JsonFormatter


def test_health_reports_each_part_and_needs_no_sign_in(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "checks": {"database": "ok", "schema": "ok", "queue": "ok"}}


def test_health_is_503_and_says_why_when_migrations_are_pending(app, db):
    db.execute("DELETE FROM _sqlite_migrations WHERE name = '0011_one_truth'")
    response = app.test_client().get("/health")
    assert response.status_code == 503
    assert response.json["status"] == "failing" and "1 migrations pending" in response.json["checks"]["schema"]


def test_logs_are_one_json_object_per_line_with_the_request(tmp_path, monkeypatch):
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", list(root.handlers))  # the app replaces them; pytest's come back after
    monkeypatch.setattr(root, "level", root.level)
    app = make_app(tmp_path, LOG_FORMAT="json")
    formatter = JsonFormatter()
    with app.test_request_context("/procurements/7", method="POST"):
        record = logging.LogRecord("vetting", logging.WARNING, __file__, 1, "Access refused for %s", ("anna",), None)
        line = formatter.format(record)
    entry = json.loads(line)
    assert "\n" not in line
    assert entry["level"] == "WARNING" and entry["message"] == "Access refused for anna"
    assert entry["method"] == "POST" and entry["path"] == "/procurements/7" and entry["time"].endswith("+00:00")
    assert isinstance(logging.getLogger().handlers[0].formatter, JsonFormatter)
