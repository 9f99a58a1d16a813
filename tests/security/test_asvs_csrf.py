"""ASVS 3.5.1 / 3.5.3: every state-changing request needs a CSRF token tied to the session."""
from __future__ import annotations

import logging

import pytest

from conftest import PASSWORD, make_app
from vetting.db import connect
from vetting.domain import users
from vetting.domain.audit import SYSTEM

from .helpers import csrf_token

ALL_ROLES = ["procurement_officer", "security_officer", "reviewer", "auditor", "admin"]


@pytest.fixture
def csrf_app(tmp_path):
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    db = connect(app.config["DATABASE"])
    for name in ("alla", "bertil"):
        users.create_user(db, SYSTEM, username=name, password=PASSWORD, roles=ALL_ROLES, hash_method="pbkdf2:sha256:1000")
    db.conn.close()
    return app


@pytest.fixture
def csrf_db(csrf_app):
    db = connect(csrf_app.config["DATABASE"])
    yield db
    db.conn.close()


def _signed_in(app, username: str = "alla"):
    """A client signed in through the real form (with its token); returns (client, a token of its session)."""
    client = app.test_client()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    return client, csrf_token(client.get("/organisations/new").get_data(as_text=True))


def _post_routes(app):
    params = {"kind": "organisation", "check_id": "espd"}
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods:
            values = {**{name: 1 for name in rule.arguments}, **{k: v for k, v in params.items() if k in rule.arguments}}
            yield rule.build(values)[1]


def test_every_post_without_a_token_is_refused(csrf_app):
    client, _token = _signed_in(csrf_app)
    answers = {url: client.post(url, data={"reason": "x", "name": "X AB", "country": "SE"}).status_code
               for url in _post_routes(csrf_app) if url != "/logout"}
    assert answers and set(answers.values()) == {400}


def test_sign_in_without_a_token_is_refused(csrf_app):
    response = csrf_app.test_client().post("/login", data={"username": "alla", "password": PASSWORD})
    assert response.status_code == 400


def test_sign_out_without_a_token_is_refused(csrf_app):
    client, _token = _signed_in(csrf_app)
    client.post("/logout")
    assert client.get("/").status_code == 200


def test_a_refused_post_writes_nothing(csrf_app, csrf_db):
    client, _token = _signed_in(csrf_app)
    client.post("/organisations/new", data={"name": "Smygbolaget AB", "country": "SE"})
    assert csrf_db.execute("SELECT count(*) FROM organisations").fetchone()[0] == 0


def test_the_same_post_with_the_sessions_token_is_accepted(csrf_app):
    client, token = _signed_in(csrf_app)
    response = client.post("/organisations/new", data={"name": "Rätt AB", "country": "SE", "csrf_token": token})
    assert response.status_code == 302


def test_a_token_from_another_users_session_is_refused(csrf_app):
    victim, _ = _signed_in(csrf_app, "alla")
    _attacker, attackers_token = _signed_in(csrf_app, "bertil")
    response = victim.post("/organisations/new", data={"name": "Smyg AB", "country": "SE", "csrf_token": attackers_token})
    assert response.status_code == 400


def test_csrf_failures_are_logged(csrf_app, caplog):
    client, _token = _signed_in(csrf_app)
    with caplog.at_level(logging.INFO):
        client.post("/organisations/new", data={"name": "X AB", "country": "SE"})
    assert any("CSRF" in record.getMessage() for record in caplog.records)
