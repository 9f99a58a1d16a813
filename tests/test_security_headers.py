"""Strict headers, CSRF on forms, no inline script or style anywhere."""
from __future__ import annotations

import re
from pathlib import Path

from conftest import make_app

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def test_csp_forbids_inline_script(client):
    csp = client.get("/login").headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp


def test_basic_security_headers(client):
    headers = client.get("/login").headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"


def test_pages_of_signed_in_users_are_not_cached(login_as):
    assert login_as("reviewer").get("/organisations/").headers["Cache-Control"] == "no-store"


def test_templates_have_no_inline_script_style_or_handlers():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\sstyle=", text) \
                or re.search(r"\son[a-z]+=", text) or "<style" in text:
            offenders.append(path.name)
    assert offenders == []


def test_no_asset_is_loaded_from_another_host():
    for path in TEMPLATES.rglob("*.html"):
        assert not re.search(r"(src|href)=\"(https?:)?//", path.read_text()), path


def test_form_without_csrf_token_is_rejected(tmp_path):
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    response = app.test_client().post("/login", data={"username": "x", "password": "y"})
    assert response.status_code == 400
