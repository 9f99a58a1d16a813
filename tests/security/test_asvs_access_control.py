"""ASVS V8: data-level access (IDOR), the four-eyes rule through the web, mass assignment, safe redirects.

Function-level access (every route's declared permission for every role) is walked in tests/test_access.py.
"""
from __future__ import annotations

import io
from urllib.parse import urlsplit

import pytest

from conftest import PASSWORD
from vetting.domain import notify, organisations, procurements, users
from vetting.domain.audit import SYSTEM
from vetting.store import checkpoints as checkpoint_store

from .helpers import sign_in

CP0 = {"security_sensitive": "no", "access_needed": "no", "control_level": "basic"}


def _cp0(db, procurement_id: int) -> int:
    return next(c["id"] for c in checkpoint_store.for_procurement(db, procurement_id) if c["template_id"] == "CP0")


def _organisations(db) -> int:
    return db.execute("SELECT count(*) FROM organisations").fetchone()[0]


# --- 8.2.2: a user cannot act on another user's pending import --------------------------------------------

@pytest.fixture
def pending_import(app, db, accounts):
    """A second procurement officer previews an import; returns (token, that officer's client)."""
    users.create_user(db, SYSTEM, username="olle", password=PASSWORD, roles=["procurement_officer"],
                      hash_method="pbkdf2:sha256:1000")
    owner = app.test_client()
    sign_in(owner, "olle")
    owner.post("/import/", data={"kind": "organisations", "file": (io.BytesIO(b"namn;land\nNya Bolaget AB;SE\n"), "a.csv")},
               content_type="multipart/form-data")
    return db.execute("SELECT token FROM pending_imports").fetchone()[0], owner


def test_another_user_cannot_confirm_my_import(client, db, pending_import):
    token, _owner = pending_import
    sign_in(client, "procurement_officer")
    client.post("/import/confirm", data={"token": token})
    assert _organisations(db) == 0


def test_a_refused_confirmation_leaves_my_import_to_me(client, db, pending_import):
    token, owner = pending_import
    sign_in(client, "procurement_officer")
    client.post("/import/confirm", data={"token": token})
    owner.post("/import/confirm", data={"token": token})
    assert _organisations(db) == 1


def test_import_tokens_are_unguessable(pending_import):
    token, _owner = pending_import
    assert len(token) >= 22  # 128 bits from secrets.token_urlsafe


# --- four eyes and owner/signer roles, enforced on the server -----------------------------------------------

@pytest.fixture
def dual(db):
    """A user who holds both the preparing and the signing role of CP0."""
    return users.create_user(db, SYSTEM, username="dubbel", password=PASSWORD,
                             roles=["procurement_officer", "security_officer"], hash_method="pbkdf2:sha256:1000")


def test_preparer_cannot_sign_the_checkpoint_they_prepared(client, db, dual, create_procurement):
    cp = _cp0(db, create_procurement())
    sign_in(client, "dubbel")
    assert client.post(f"/checkpoints/{cp}/prepare", data=CP0).status_code == 302
    response = client.post(f"/checkpoints/{cp}/sign", data={"decision": "approved", "reason": "ser bra ut"})
    assert response.status_code == 400 and checkpoint_store.decisions(db, cp) == []


def test_signer_role_cannot_prepare(client, db, accounts, create_procurement):
    cp = _cp0(db, create_procurement())
    sign_in(client, "security_officer")
    client.post(f"/checkpoints/{cp}/prepare", data=CP0)
    assert checkpoint_store.get(db, cp)["state"] == "open"


def test_owner_role_cannot_sign(client, db, accounts, create_procurement):
    from vetting.domain import checkpoints
    from vetting.domain.audit import Actor

    cp = _cp0(db, create_procurement())
    checkpoints.prepare(db, Actor(accounts["procurement_officer"], "procurement_officer",
                                  frozenset({"procurement_officer"})), cp, CP0)
    users.create_user(db, SYSTEM, username="po2", password=PASSWORD, roles=["procurement_officer"],
                      hash_method="pbkdf2:sha256:1000")
    sign_in(client, "po2")
    client.post(f"/checkpoints/{cp}/sign", data={"decision": "approved", "reason": "ok"})
    assert checkpoint_store.decisions(db, cp) == []


# --- notifications belong to their user ---------------------------------------------------------------------

def test_notifications_of_another_user_are_not_shown(client, db, accounts):
    notify.tell_user(db, accounts["security_officer"], "Hemlig notis till säkerhetsskyddschefen", None)
    sign_in(client, "reviewer")
    assert "Hemlig notis" not in client.get("/checkpoints/notifications").get_data(as_text=True)


def test_reading_my_notifications_leaves_others_unread(client, db, accounts):
    notify.tell_user(db, accounts["security_officer"], "Att läsa", None)
    sign_in(client, "reviewer")
    client.get("/checkpoints/notifications")
    assert checkpoint_store.unread_count(db, accounts["security_officer"]) == 1


# --- 15.3.3: mass assignment: only the form's own fields are taken ----------------------------------------

def test_extra_posted_fields_cannot_move_a_procurement_to_another_phase(client, db, accounts, create_procurement):
    pid = create_procurement()
    sign_in(client, "procurement_officer")
    client.post(f"/procurements/{pid}/edit", data={"reference": "UH-2026-0000", "title": "Städ", "currency": "SEK",
                                                  "protection_level": "none", "responsible_user_id": "0",
                                                  "phase": "signed"})
    assert procurements.get(db, pid)["phase"] == "need"


def test_extra_posted_fields_cannot_set_an_organisations_id(client, db, accounts, create_org):
    org = create_org()
    sign_in(client, "procurement_officer")
    client.post(f"/organisations/{org}/edit", data={"name": "Nytt namn AB", "country": "SE", "id": "999"})
    assert organisations.get(db, org)["name"] == "Nytt namn AB"
    assert db.execute("SELECT count(*) FROM organisations WHERE id = 999").fetchone()[0] == 0


# --- 3.5.3: state-changing routes answer only POST ---------------------------------------------------------

def test_post_only_routes_refuse_get(app, client, accounts):
    sign_in(client, "admin")
    post_only = [rule for rule in app.url_map.iter_rules() if rule.methods - {"HEAD", "OPTIONS"} == {"POST"}]
    assert post_only
    params = {name: 1 for rule in post_only for name in rule.arguments}
    params.update(kind="organisation", check_id="espd")
    answers = {rule.rule: client.get(rule.build({k: v for k, v in params.items() if k in rule.arguments})[1]).status_code
               for rule in post_only}
    assert set(answers.values()) == {405}


# --- 5.1.5 / 15.3.x: redirects stay on this site -----------------------------------------------------------

OFF_SITE = ["//evil.example/x", "/\\evil.example/x", "/\t/evil.example/x", "https://evil.example/x",
            "javascript:alert(1)"]


def _stays_here(location: str | None) -> bool:
    parts = urlsplit(location or "")
    return parts.scheme in ("", "http", "https") and parts.netloc in ("", "localhost") and not \
        (location or "").startswith(("//", "/\\"))


@pytest.mark.parametrize("target", OFF_SITE)
def test_sign_in_does_not_redirect_off_site(client, accounts, target):
    response = client.post("/login", query_string={"next": target}, data={"username": "reviewer", "password": PASSWORD})
    assert response.status_code == 302 and _stays_here(response.location)


@pytest.mark.parametrize("target", OFF_SITE)
def test_language_switch_does_not_redirect_off_site(client, target):
    response = client.post("/language", data={"lang": "en", "next": target})
    assert _stays_here(response.location)


@pytest.mark.parametrize("target", OFF_SITE)
def test_screening_return_address_does_not_redirect_off_site(client, accounts, create_org, target):
    org = create_org()
    sign_in(client, "procurement_officer")
    response = client.post(f"/screening/organisation/{org}/run", data={"back": target})
    assert _stays_here(response.location)


@pytest.mark.parametrize("target", OFF_SITE)
def test_override_return_address_does_not_redirect_off_site(client, accounts, target):
    sign_in(client, "security_officer")
    response = client.post("/checkpoints/outcomes/1/override", data={"reason": "x", "back": target})
    assert _stays_here(response.location)
