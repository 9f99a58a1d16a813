"""Finding 10 (low): the password policy was length only, and nobody could change their own password.

The oracle for "common" is a handful of passwords every breach list has (not the shipped file itself),
and for "changed" a fresh sign-in with the old and the new password.
"""
from __future__ import annotations

import pytest

from conftest import PASSWORD
from vetting.domain import users
from vetting.domain.audit import SYSTEM
from vetting.domain.errors import InvalidInput

NEW = "tre kaniner i en blå hink"


@pytest.mark.parametrize("password", ["password1234", "Password1234!", "qwertyuiop12", "123456789012", "aaaaaaaaaaaa",
                                      "abcdefghijklmn", "Sommar2026!!", "iloveyou2026", "Lösenord12345"])
def test_common_and_trivial_passwords_are_refused(db, password):
    with pytest.raises(InvalidInput) as refused:
        users.create_user(db, SYSTEM, username="ny.person", password=password, roles=["reviewer"],
                          hash_method="pbkdf2:sha256:1000")
    assert refused.value.field == "password"
    assert db.execute("SELECT count(*) FROM users").fetchone()[0] == 0


def test_a_password_built_on_the_user_name_is_refused(db):
    with pytest.raises(InvalidInput):
        users.create_user(db, SYSTEM, username="karin.holm", password="karin.holm-2026!", roles=["reviewer"],
                          hash_method="pbkdf2:sha256:1000")


def test_a_long_uncommon_password_is_accepted(db):
    assert users.create_user(db, SYSTEM, username="ny.person", password=NEW, roles=["reviewer"],
                             hash_method="pbkdf2:sha256:1000")


def test_the_administrators_reset_applies_the_policy(db, accounts):
    with pytest.raises(InvalidInput):
        users.set_password(db, SYSTEM, accounts["reviewer"], "password1234", "pbkdf2:sha256:1000")


def test_the_shipped_list_is_the_10000_most_common(db):
    from vetting.domain.passwords import common_passwords

    listed = common_passwords()
    assert len(listed) >= 10_000 and {"123456", "password", "qwerty", "dragon", "letmein"} <= listed


def _sign_in(app, password):
    client = app.test_client()
    return client, client.post("/login", data={"username": "reviewer", "password": password})


def test_a_user_changes_their_own_password_and_other_sessions_end(app, db, accounts):
    elsewhere, signed_in = _sign_in(app, PASSWORD)
    assert signed_in.status_code == 302
    here, _ = _sign_in(app, PASSWORD)
    page = here.get("/account/password")
    assert page.status_code == 200 and "Nuvarande lösenord" in page.get_data(as_text=True)
    done = here.post("/account/password", data={"current_password": PASSWORD, "new_password": NEW,
                                                "repeat_password": NEW})
    assert done.status_code == 302
    assert here.get("/").status_code == 200  # this session stays
    assert elsewhere.get("/").status_code == 302  # the other one is signed out
    assert _sign_in(app, PASSWORD)[1].status_code == 401
    assert _sign_in(app, NEW)[1].status_code == 302
    entry = db.execute("SELECT after_json FROM audit_log WHERE action = 'user.change_own_password'").fetchone()
    assert entry and '"other_sessions_ended": 1' in entry[0] and NEW not in entry[0]


def test_the_current_password_is_required(app, db, accounts):
    client, _ = _sign_in(app, PASSWORD)
    page = client.post("/account/password", data={"current_password": "gissning utan grund", "new_password": NEW,
                                                  "repeat_password": NEW})
    assert page.status_code == 400 and "Det nuvarande lösenordet är fel" in page.get_data(as_text=True)
    assert _sign_in(app, PASSWORD)[1].status_code == 302  # unchanged
    failed = db.execute("SELECT count(*) FROM login_attempts WHERE username = 'reviewer' AND succeeded = 0")
    assert failed.fetchone()[0] == 1  # counts toward the sign-in limit: no way round it


def test_wrong_current_passwords_hit_the_sign_in_limit(app, accounts):
    client, _ = _sign_in(app, PASSWORD)
    codes = [client.post("/account/password", data={"current_password": f"fel gissning {i}", "new_password": NEW,
                                                    "repeat_password": NEW}).status_code for i in range(7)]
    assert codes[:5] == [400] * 5 and codes[-1] == 429


def test_the_policy_applies_to_the_new_password_and_nothing_typed_is_lost_to_the_log(app, db, accounts):
    client, _ = _sign_in(app, PASSWORD)
    page = client.post("/account/password", data={"current_password": PASSWORD, "new_password": "password1234",
                                                  "repeat_password": "password1234"})
    assert page.status_code == 400 and "vanligaste lösenorden" in page.get_data(as_text=True)
    mismatch = client.post("/account/password", data={"current_password": PASSWORD, "new_password": NEW,
                                                      "repeat_password": NEW + "x"})
    assert mismatch.status_code == 400 and "inte lika" in mismatch.get_data(as_text=True)
    assert _sign_in(app, PASSWORD)[1].status_code == 302
    dump = "".join(str(tuple(r)) for r in db.execute("SELECT * FROM audit_log"))
    assert "password1234" not in dump and PASSWORD not in dump
