"""ASVS V7 / 3.3: server-side sessions — a new token at sign-in, revocation, idle and absolute timeouts, cookie flags."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from conftest import PASSWORD, make_app
from vetting.config import Defaults
from vetting.db import connect
from vetting.domain import users
from vetting.domain.audit import SYSTEM

from .helpers import cookie_session, sign_in


def _signed_in(client) -> bool:
    return client.get("/").status_code == 200


def _age_sessions(db, *, created: timedelta = timedelta(0), idle: timedelta = timedelta(0)) -> None:
    now = datetime.now(timezone.utc)
    db.execute("UPDATE sessions SET created_at = ?, last_seen = ?",
               [(now - created).isoformat(timespec="microseconds"), (now - idle).isoformat(timespec="microseconds")])


# --- 7.2.4: a new session token at sign-in (fixation) -----------------------------------------------------

def test_each_sign_in_gets_a_new_session_token(app, client, accounts):
    sign_in(client, "reviewer")
    first = cookie_session(app, client)["_user_id"]
    client.post("/logout")
    sign_in(client, "reviewer")
    assert cookie_session(app, client)["_user_id"] != first


def test_cookie_planted_before_sign_in_is_not_signed_in_afterwards(app, client, accounts):
    client.post("/language", data={"lang": "en", "next": "/login"})  # any pre-sign-in session cookie
    planted = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    sign_in(client, "reviewer")
    attacker = app.test_client()
    attacker.set_cookie(app.config["SESSION_COOKIE_NAME"], planted)
    assert not _signed_in(attacker)


def test_session_token_is_kept_only_as_a_hash(app, client, db, accounts):
    sign_in(client, "reviewer")
    token = cookie_session(app, client)["_user_id"]
    stored = [row[0] for row in db.execute("SELECT token_hash FROM sessions")]
    assert token not in stored and users.hash_token(token) in stored


def test_no_remember_me_cookie_is_issued(app, client, accounts):
    response = sign_in(client, "reviewer")
    assert all("remember_token" not in header for header in response.headers.getlist("Set-Cookie"))


# --- 7.4.1 / 7.4.2 / 7.4.5: revocation at the backend ------------------------------------------------------

def test_cookie_replayed_after_sign_out_is_refused(app, client, accounts):
    sign_in(client, "reviewer")
    stolen = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    client.post("/logout")
    replay = app.test_client()
    replay.set_cookie(app.config["SESSION_COOKIE_NAME"], stolen)
    assert not _signed_in(replay)


def test_disabling_a_user_on_the_admin_page_ends_all_their_sessions(app, accounts):
    laptop, phone, admin = app.test_client(), app.test_client(), app.test_client()
    sign_in(laptop, "reviewer")
    sign_in(phone, "reviewer")
    sign_in(admin, "admin")
    admin.post(f"/admin/users/{accounts['reviewer']}", data={"username": "reviewer", "display_name": "R",
                                                              "roles": ["reviewer"]})  # "active" unticked
    assert not _signed_in(laptop) and not _signed_in(phone)


def test_new_password_set_by_the_admin_ends_the_users_sessions(app, accounts):
    user, admin = app.test_client(), app.test_client()
    sign_in(user, "reviewer")
    sign_in(admin, "admin")
    admin.post(f"/admin/users/{accounts['reviewer']}", data={"username": "reviewer", "display_name": "R",
                                                              "roles": ["reviewer"], "active": "y",
                                                              "password": "ett helt nytt lösenord"})
    assert not _signed_in(user)


def test_revoked_session_is_not_revived_by_signing_in_again(app, client, db, accounts):
    sign_in(client, "reviewer")
    old = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    client.post("/logout")
    sign_in(app.test_client(), "reviewer")
    replay = app.test_client()
    replay.set_cookie(app.config["SESSION_COOKIE_NAME"], old)
    assert not _signed_in(replay)


# --- 7.3.1 / 7.3.2: idle and absolute timeouts --------------------------------------------------------------

def test_session_idle_past_the_timeout_ends(client, db, accounts):
    sign_in(client, "reviewer")
    _age_sessions(db, created=timedelta(hours=1), idle=Defaults.SESSION_IDLE_TIMEOUT + timedelta(minutes=1))
    assert not _signed_in(client)


def test_session_idle_just_under_the_timeout_lives(client, db, accounts):
    sign_in(client, "reviewer")
    _age_sessions(db, created=timedelta(hours=1), idle=Defaults.SESSION_IDLE_TIMEOUT - timedelta(minutes=1))
    assert _signed_in(client)


def test_busy_session_ends_at_the_absolute_timeout(client, db, accounts):
    sign_in(client, "reviewer")
    _age_sessions(db, created=Defaults.SESSION_ABSOLUTE_TIMEOUT + timedelta(minutes=1))
    assert not _signed_in(client)


def test_use_extends_the_idle_timeout(client, db, accounts):
    sign_in(client, "reviewer")
    _age_sessions(db, created=timedelta(hours=1), idle=Defaults.SESSION_IDLE_TIMEOUT - timedelta(minutes=1))
    client.get("/")  # activity moves last_seen forward
    last_seen = datetime.fromisoformat(db.execute("SELECT last_seen FROM sessions").fetchone()[0])
    assert datetime.now(timezone.utc) - last_seen < timedelta(minutes=1)


def test_timeouts_are_within_asvs_level_2_bounds():
    assert Defaults.SESSION_IDLE_TIMEOUT <= timedelta(minutes=30)
    assert Defaults.SESSION_ABSOLUTE_TIMEOUT <= timedelta(hours=12)


# --- 3.3.1 / 3.3.2 / 3.3.4: cookie flags with the production defaults ---------------------------------------

@pytest.fixture
def production_cookie(tmp_path) -> str:
    app = make_app(tmp_path, SESSION_COOKIE_SECURE=Defaults.SESSION_COOKIE_SECURE)
    users.create_user(connect(app.config["DATABASE"]), SYSTEM, username="anna", password=PASSWORD, roles=["reviewer"],
                      hash_method="pbkdf2:sha256:1000")
    response = app.test_client().post("/login", data={"username": "anna", "password": PASSWORD},
                                      base_url="https://localhost")
    return next(h for h in response.headers.getlist("Set-Cookie") if h.startswith(app.config["SESSION_COOKIE_NAME"]))


@pytest.mark.parametrize("flag", ["HttpOnly", "Secure", "SameSite=Lax", "Path=/"])
def test_session_cookie_flag(production_cookie, flag):
    assert flag in [part.strip() for part in production_cookie.split(";")]


def test_session_cookie_is_not_scoped_to_a_domain(production_cookie):
    assert "domain=" not in production_cookie.lower()
