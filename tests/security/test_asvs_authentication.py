"""ASVS V6 / 11.4: password storage and policy, generic sign-in errors, rate limits, no user enumeration."""
from __future__ import annotations

import re
import time

import pytest
from werkzeug.security import generate_password_hash

from conftest import PASSWORD, make_app
from vetting.config import Defaults
from vetting.db import connect
from vetting.domain import users
from vetting.domain.audit import SYSTEM
from vetting.domain.errors import InvalidInput

from .helpers import sign_in

FAST = "pbkdf2:sha256:1000"


@pytest.fixture(autouse=True)
def cheap_dummy_hash(request, monkeypatch):
    """Unknown names are checked against a dummy scrypt hash (0.5 s each); tests that try many use a cheap one.

    The timing test below keeps the real dummy hash: it is the one that checks the cost is equal.
    """
    if request.node.get_closest_marker("real_dummy_hash") is None:
        cheap = generate_password_hash("not-a-real-password", method=FAST)
        monkeypatch.setattr(users, "_dummy_hash", lambda: cheap)


def _flash(html: str) -> list[str]:
    return re.findall(r'<p class="flash flash-error">(.*?)</p>', html)


def _new_user_form(client, username: str, password: str):
    return client.post("/admin/users/new", data={"username": username, "display_name": username, "password": password,
                                                 "roles": ["reviewer"]})


# --- 11.4.2: storage -------------------------------------------------------------------------------------

def test_default_hash_method_is_scrypt_at_the_owasp_floor():
    assert Defaults.PASSWORD_HASH_METHOD == "scrypt:131072:8:1"


def test_users_created_by_the_admin_page_are_stored_with_the_configured_method(tmp_path):
    app = make_app(tmp_path, PASSWORD_HASH_METHOD=Defaults.PASSWORD_HASH_METHOD)
    db = connect(app.config["DATABASE"])
    users.create_user(db, SYSTEM, username="admin", password=PASSWORD, roles=["admin"], hash_method=FAST)
    client = app.test_client()
    sign_in(client, "admin")
    assert _new_user_form(client, "nisse", "ett långt lösenord").status_code == 302
    stored = db.execute("SELECT password_hash FROM users WHERE username = 'nisse'").fetchone()[0]
    assert stored.startswith("scrypt:131072:8:1$")


def test_the_password_itself_is_never_stored(client, db, accounts):
    stored = [row[0] for row in db.execute("SELECT password_hash FROM users")]
    assert all(PASSWORD not in value for value in stored)


# --- 6.2.1 / 6.2.9 / 6.2.5 / 6.2.8: length, no composition rules, exact comparison ----------------------

def test_password_shorter_than_the_minimum_is_refused(db):
    with pytest.raises(InvalidInput):
        users.create_user(db, SYSTEM, username="kort", password="x" * (Defaults.PASSWORD_MIN_LENGTH - 1),
                          roles=["reviewer"], hash_method=FAST, min_length=Defaults.PASSWORD_MIN_LENGTH)


def test_admin_page_refuses_a_short_password(client, accounts):
    sign_in(client, "admin")
    assert _new_user_form(client, "kort", "elva tecken").status_code == 400


def test_minimum_is_at_least_eight_characters():
    assert Defaults.PASSWORD_MIN_LENGTH >= 8


def test_long_unicode_password_without_composition_rules_signs_in(client, db):
    password = "å" * 40 + " 🔑 " + "lösenordsfras utan siffror"  # 64+ characters, no digits or capitals
    assert len(password) >= 64
    users.create_user(db, SYSTEM, username="lång", password=password, roles=["reviewer"], hash_method=FAST)
    assert sign_in(client, "lång", password).status_code == 302


def test_password_is_compared_exactly_as_typed(client, db):
    users.create_user(db, SYSTEM, username="exakt", password="Lösenord med mellanslag ", roles=["reviewer"],
                      hash_method=FAST)
    assert sign_in(client, "exakt", "Lösenord med mellanslag").status_code == 401
    assert sign_in(client, "exakt", "lösenord med mellanslag ").status_code == 401


# --- 6.3.1 / 6.3.8: generic errors, no enumeration -------------------------------------------------------

def test_unknown_user_and_wrong_password_get_the_same_answer(client, accounts):
    unknown = sign_in(client, "finns_inte", "fel lösenord")
    wrong = sign_in(client, "reviewer", "fel lösenord")
    assert (unknown.status_code, _flash(unknown.get_data(as_text=True))) == \
        (wrong.status_code, _flash(wrong.get_data(as_text=True)))


def test_disabled_account_gets_the_same_answer_as_a_wrong_password(client, db, accounts):
    users.update_user(db, SYSTEM, accounts["auditor"], display_name="A", email=None, roles=["auditor"], active=False)
    disabled = sign_in(client, "auditor", PASSWORD)
    wrong = sign_in(client, "reviewer", "fel lösenord")
    assert (disabled.status_code, _flash(disabled.get_data(as_text=True))) == \
        (wrong.status_code, _flash(wrong.get_data(as_text=True)))


@pytest.mark.real_dummy_hash
def test_unknown_user_costs_as_long_as_a_wrong_password(tmp_path):
    """Timing must not tell whether an account exists: an unknown name is checked against a dummy hash."""
    app = make_app(tmp_path, PASSWORD_HASH_METHOD=Defaults.PASSWORD_HASH_METHOD,
                   LOGIN_MAX_FAILURES_PER_USER=100, LOGIN_MAX_FAILURES_PER_ADDRESS=100)
    users.create_user(connect(app.config["DATABASE"]), SYSTEM, username="anna", password=PASSWORD, roles=["reviewer"],
                      hash_method=Defaults.PASSWORD_HASH_METHOD)
    client = app.test_client()

    def fastest(username: str) -> float:
        timings = []
        for _ in range(3):
            start = time.perf_counter()
            sign_in(client, username, "fel lösenord")
            timings.append(time.perf_counter() - start)
        return min(timings)

    known, unknown = fastest("anna"), fastest("okand")
    assert 0.5 < unknown / known < 2.0


def test_rate_limit_also_applies_to_user_names_that_do_not_exist(client, accounts):
    """Otherwise a 429 for some names and not others would list the accounts."""
    for _ in range(Defaults.LOGIN_MAX_FAILURES_PER_USER):
        sign_in(client, "finns_inte", "fel")
    assert sign_in(client, "finns_inte", "fel").status_code == 429


# --- 6.3.1: brute force per user name AND per client address ---------------------------------------------

def test_guessing_one_account_from_many_addresses_is_stopped(client, accounts):
    for n in range(Defaults.LOGIN_MAX_FAILURES_PER_USER):
        sign_in(client, "reviewer", "fel", environ_base={"REMOTE_ADDR": f"10.0.0.{n + 1}"})
    response = sign_in(client, "reviewer", PASSWORD, environ_base={"REMOTE_ADDR": "10.0.1.1"})
    assert response.status_code == 429


def test_spraying_many_accounts_from_one_address_is_stopped(client, accounts):
    for n in range(Defaults.LOGIN_MAX_FAILURES_PER_ADDRESS):
        sign_in(client, f"gissning{n}", "fel", environ_base={"REMOTE_ADDR": "10.9.9.9"})
    response = sign_in(client, "reviewer", PASSWORD, environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert response.status_code == 429


def test_spraying_from_one_address_does_not_lock_out_other_addresses(client, accounts):
    for n in range(Defaults.LOGIN_MAX_FAILURES_PER_ADDRESS):
        sign_in(client, f"gissning{n}", "fel", environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert sign_in(client, "reviewer", PASSWORD, environ_base={"REMOTE_ADDR": "10.1.1.1"}).status_code == 302


def test_rate_limited_attempt_with_the_right_password_does_not_sign_in(client, accounts):
    for _ in range(Defaults.LOGIN_MAX_FAILURES_PER_USER):
        sign_in(client, "reviewer", "fel")
    sign_in(client, "reviewer", PASSWORD)
    assert client.get("/").status_code == 302


def test_failures_older_than_the_window_no_longer_count(client, db, accounts):
    for _ in range(Defaults.LOGIN_MAX_FAILURES_PER_USER):
        sign_in(client, "reviewer", "fel")
    db.execute("UPDATE login_attempts SET at = '2000-01-01T00:00:00.000000+00:00'")
    assert sign_in(client, "reviewer", PASSWORD).status_code == 302


# --- 6.3.2: no default accounts --------------------------------------------------------------------------

def test_a_new_database_has_no_accounts(db):
    assert db.execute("SELECT count(*) FROM users").fetchone()[0] == 0
