"""Sign-in, rate limiting, server-side sessions that end at sign-out, disabling and timeouts."""
from __future__ import annotations

from datetime import timedelta

from conftest import PASSWORD, make_app

from vetting.domain import users
from vetting.domain.audit import SYSTEM


def test_valid_credentials_sign_in(client, accounts):
    response = client.post("/login", data={"username": "reviewer", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_wrong_password_is_refused_with_a_message(client, accounts):
    response = client.post("/login", data={"username": "reviewer", "password": "wrong"})
    assert response.status_code == 401
    assert "Fel användarnamn eller lösenord" in response.get_data(as_text=True) or "Wrong user name" in response.get_data(as_text=True)


def test_sixth_failed_attempt_for_a_user_is_rate_limited(client, accounts):
    for _ in range(5):
        client.post("/login", data={"username": "reviewer", "password": "wrong"})
    response = client.post("/login", data={"username": "reviewer", "password": PASSWORD})
    assert response.status_code == 429


def test_signed_out_session_cookie_is_dead(client, accounts):
    client.post("/login", data={"username": "reviewer", "password": PASSWORD})
    stolen = client.get_cookie("vetting_session").value
    client.post("/logout")
    client.set_cookie("vetting_session", stolen)
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.location


def test_disabling_a_user_ends_their_session(client, accounts, db):
    client.post("/login", data={"username": "reviewer", "password": PASSWORD})
    users.update_user(db, SYSTEM, accounts["reviewer"], display_name="R", email=None, roles=["reviewer"], active=False)
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.location


def test_disabled_user_cannot_sign_in(client, accounts, db):
    users.update_user(db, SYSTEM, accounts["reviewer"], display_name="R", email=None, roles=["reviewer"], active=False)
    assert client.post("/login", data={"username": "reviewer", "password": PASSWORD}).status_code == 401


def test_idle_session_expires(tmp_path):
    app = make_app(tmp_path, SESSION_IDLE_TIMEOUT=timedelta(seconds=-1))
    from vetting.db import connect

    db = connect(app.config["DATABASE"])
    users.create_user(db, SYSTEM, username="anna", password=PASSWORD, roles=["reviewer"], hash_method="pbkdf2:sha256:1000")
    client = app.test_client()
    client.post("/login", data={"username": "anna", "password": PASSWORD})
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.location


def test_session_cookie_flags_outside_debug(tmp_path):
    app = make_app(tmp_path, SESSION_COOKIE_SECURE=True)
    from vetting.db import connect

    users.create_user(connect(app.config["DATABASE"]), SYSTEM, username="anna", password=PASSWORD, roles=["reviewer"],
                      hash_method="pbkdf2:sha256:1000")
    response = app.test_client().post("/login", data={"username": "anna", "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie


def test_passwords_are_hashed_with_scrypt_at_owasp_floor_by_default():
    from vetting.config import Defaults

    assert Defaults.PASSWORD_HASH_METHOD == "scrypt:131072:8:1"


def test_login_does_not_redirect_off_site(client, accounts):
    response = client.post("/login?next=//evil.example/x", data={"username": "reviewer", "password": PASSWORD})
    assert response.location == "/"


def test_login_is_audited(client, accounts, db):
    client.post("/login", data={"username": "reviewer", "password": "wrong"})
    actions = [r["action"] for r in db.query("SELECT action FROM audit_log")]
    assert "auth.login_failed" in actions
