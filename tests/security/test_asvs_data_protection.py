"""ASVS V14 / V16: personnummer stay out of URLs, logs, the audit log and pages (except an explicit reveal);
pages are not cached; errors show no internals; security events are logged."""
from __future__ import annotations

import io
import logging
import re

import pytest

from conftest import PASSWORD
from vetting.domain import organisations, procurements, users
from vetting.domain.audit import SYSTEM

from .helpers import inspect_html, sign_in

PNR = "197003121238"
PNR_FORMS = [PNR, PNR[2:], f"{PNR[:8]}-{PNR[8:]}", f"{PNR[2:8]}-{PNR[8:]}", f"{PNR[2:8]}+{PNR[8:]}"]
ALL_ROLES = ["procurement_officer", "security_officer", "reviewer", "auditor", "admin"]


def _full_numbers_in(text: str) -> list[str]:
    return [form for form in PNR_FORMS if form in text]


@pytest.fixture
def records(db, accounts):
    """An organisation in a procurement with a key person who has a personnummer; a user holding every role."""
    users.create_user(db, SYSTEM, username="alla", password=PASSWORD, roles=ALL_ROLES, hash_method="pbkdf2:sha256:1000")
    org = organisations.create(db, SYSTEM, {"name": "Norrlands Bygg AB", "country": "SE", "identifier_type": "se_orgnr",
                                            "identifier": "5566778899"})
    pid = procurements.create(db, SYSTEM, {"reference": "UH-2026-0001", "title": "Städ"})
    procurements.add_participant(db, SYSTEM, pid, org, "bidder")
    organisations.add_key_person(db, SYSTEM, org, {"name": "Lars Öberg", "role": "ceo", "personnummer": PNR})
    person = db.execute("SELECT id FROM persons").fetchone()[0]
    return {"org": org, "procurement": pid, "person": person}


def _pages(r) -> list[str]:
    return ["/", f"/organisations/{r['org']}", f"/persons/{r['person']}", f"/procurements/{r['procurement']}",
            f"/screening/person/{r['person']}", f"/screening/organisation/{r['org']}", "/organisations/",
            "/procurements/", "/audit/", f"/checkpoints/procurement/{r['procurement']}/timeline"]


# --- 14.2.1 / 14.3.x: the number is masked everywhere unless explicitly revealed -----------------------------

@pytest.mark.parametrize("page_index", range(10))
def test_no_full_personnummer_on_pages(client, records, page_index):
    sign_in(client, "alla")  # even a security officer sees it masked until they reveal it
    response = client.get(_pages(records)[page_index])
    assert response.status_code == 200 and _full_numbers_in(response.get_data(as_text=True)) == []


@pytest.mark.parametrize("page_index", range(10))
def test_no_personnummer_in_any_link_or_form_address(client, records, page_index):
    sign_in(client, "alla")
    urls = inspect_html(client.get(_pages(records)[page_index]).get_data(as_text=True)).urls
    assert [u for u in urls if _full_numbers_in(u) or re.search(r"\d{6}[-+]?\d{4}", u)] == []


def test_reveal_shows_the_number_in_the_body_only(client, records):
    sign_in(client, "security_officer")
    response = client.post(f"/persons/{records['person']}/reveal", data={"reason": "Säkerhetsprövning"})
    # Post/redirect/get (issue 16): the address it leads to has no number; the page after it shows it in the body.
    assert response.status_code == 303 and "1238" not in response.headers["Location"]
    shown = client.get(response.headers["Location"])
    assert "19700312-1238" in shown.get_data(as_text=True) and shown.headers["Cache-Control"] == "no-store"


def test_reveal_response_is_not_cached(client, records):
    sign_in(client, "security_officer")
    response = client.post(f"/persons/{records['person']}/reveal", data={"reason": "Säkerhetsprövning"})
    assert response.headers["Cache-Control"] == "no-store"


def test_procurement_officer_cannot_reveal(client, records):
    sign_in(client, "procurement_officer")
    response = client.post(f"/persons/{records['person']}/reveal", data={"reason": "nyfiken"})
    assert response.status_code == 403 and _full_numbers_in(response.get_data(as_text=True)) == []


def test_adding_a_key_person_redirects_without_the_number(client, records):
    sign_in(client, "procurement_officer")
    response = client.post(f"/organisations/{records['org']}/key-persons",
                           data={"name": "Eva Ek", "role": "board_member", "personnummer": "198112189876"})
    assert response.status_code == 302 and "198112189876" not in response.location and "8112" not in response.location


# --- 16.2.5 / 16.4.1: not in the audit log, not in the logs ---------------------------------------------------

PERSONS_CSV = f"organisationsnummer;namn;roll;personnummer\n556677-8899;Karin Berg;VD;{PNR[:8]}-{PNR[8:]}\n" \
              f"556677-8899;Fel Nummer;VD;19700312-1239\n"


def _everything_with_personnummer(client, records) -> None:
    """Add, import (valid and invalid numbers), reveal and remove: every path a personnummer travels."""
    sign_in(client, "alla")
    client.post(f"/organisations/{records['org']}/key-persons",
                data={"name": "Eva Ek", "role": "board_member", "personnummer": PNR})
    client.post("/import/", data={"kind": "persons", "file": (io.BytesIO(PERSONS_CSV.encode()), "p.csv")},
                content_type="multipart/form-data")
    client.post(f"/persons/{records['person']}/reveal", data={"reason": "Säkerhetsprövning"})
    client.post("/organisations/key-persons/1/remove", data={"reason": "avgått"})


def test_audit_log_holds_no_full_personnummer(client, db, records):
    _everything_with_personnummer(client, records)
    rows = [" ".join(str(v) for v in row) for row in db.execute("SELECT * FROM audit_log")]
    assert len(rows) > 5 and [r for r in rows if _full_numbers_in(r)] == []


def test_logs_hold_no_personnummer(client, records, caplog):
    with caplog.at_level(logging.DEBUG):
        _everything_with_personnummer(client, records)
    logged = "\n".join(f"{r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    assert _full_numbers_in(logged) == []


def test_import_preview_does_not_show_the_numbers(client, records):
    sign_in(client, "procurement_officer")
    response = client.post("/import/", data={"kind": "persons", "file": (io.BytesIO(PERSONS_CSV.encode()), "p.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 200 and _full_numbers_in(response.get_data(as_text=True)) == []


def test_typed_password_is_not_logged_or_audited(client, db, records, caplog):
    with caplog.at_level(logging.DEBUG):
        sign_in(client, "reviewer", "Hemligt-Lösenord-123")
    audit = " ".join(str(v) for row in db.execute("SELECT * FROM audit_log") for v in row)
    assert "Hemligt-Lösenord-123" not in audit + "".join(r.getMessage() for r in caplog.records)


# --- 16.3.1-16.3.3 / 16.2.1-16.2.2: security events are recorded with who, where and when (UTC) -------------

def test_failed_sign_in_is_audited_with_who_where_and_when(client, db, accounts):
    sign_in(client, "reviewer", "fel", environ_base={"REMOTE_ADDR": "192.0.2.7"})
    row = db.execute("SELECT at, after_json FROM audit_log WHERE action = 'auth.login_failed'").fetchone()
    assert row[0].endswith("+00:00") and "reviewer" in row[1] and "192.0.2.7" in row[1]


def test_refused_access_is_logged(client, accounts, caplog):
    sign_in(client, "reviewer")
    with caplog.at_level(logging.INFO):
        assert client.get("/admin/users").status_code == 403
    assert any("/admin/users" in r.getMessage() and "reviewer" in r.getMessage() for r in caplog.records)


# --- 14.3.2: no caching of signed-in pages ----------------------------------------------------------------------

@pytest.mark.parametrize("page_index", range(10))
def test_signed_in_pages_are_not_cached(client, records, page_index):
    sign_in(client, "alla")
    assert client.get(_pages(records)[page_index]).headers["Cache-Control"] == "no-store"


# --- 3.4.x: security headers on every kind of response --------------------------------------------------------

HEADERS = {"Content-Security-Policy": "frame-ancestors 'none'", "X-Content-Type-Options": "nosniff",
           "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin"}


def _boom(*args, **kwargs):
    raise RuntimeError("internal detail: /srv/vetting/secret.py line 42")


@pytest.fixture(params=["sign-in page", "signed-in page", "404", "403", "405", "500", "redirect"])
def any_response(request, client, accounts, monkeypatch):
    if request.param == "sign-in page":
        return client.get("/login")
    if request.param == "redirect":
        return client.get("/organisations/")
    sign_in(client, "reviewer")
    if request.param == "500":
        from vetting.store import organisations as org_store

        monkeypatch.setattr(org_store, "search", _boom)
        return client.get("/organisations/")
    return client.get({"signed-in page": "/", "404": "/procurements/999", "403": "/admin/users",
                       "405": "/logout"}[request.param])


@pytest.mark.parametrize("header", HEADERS)
def test_security_header_on_every_response(any_response, header):
    assert HEADERS[header] in any_response.headers.get(header, "")


def test_hsts_over_https(client):
    assert "max-age=31536000" in client.get("/login", base_url="https://localhost").headers["Strict-Transport-Security"]


# --- 16.5.1 / 13.4.2: errors show nothing internal -------------------------------------------------------------

def test_server_error_page_shows_no_internals(client, accounts, monkeypatch):
    from vetting.store import organisations as org_store

    monkeypatch.setattr(org_store, "search", _boom)
    sign_in(client, "reviewer")
    response = client.get("/organisations/")
    html = response.get_data(as_text=True)
    assert response.status_code == 500 and "Traceback" not in html and "internal detail" not in html


def test_server_error_is_logged_with_its_traceback(client, accounts, monkeypatch, caplog):
    from vetting.store import organisations as org_store

    monkeypatch.setattr(org_store, "search", _boom)
    sign_in(client, "reviewer")
    client.get("/organisations/")
    assert any(r.exc_info and "internal detail" in str(r.exc_info[1]) for r in caplog.records)


def test_debug_is_off_without_explicit_configuration(tmp_path):
    from vetting import create_app

    app = create_app({"SECRET_KEY": "a-long-enough-production-like-key", "DATABASE": str(tmp_path / "x.sqlite3")})
    assert not app.debug and not app.testing


def test_outside_debug_a_missing_secret_key_refuses_to_start(tmp_path):
    from vetting import create_app
    from vetting.config import ConfigurationError

    with pytest.raises(ConfigurationError):
        create_app({"SECRET_KEY": "dev", "DATABASE": str(tmp_path / "x.sqlite3")})

