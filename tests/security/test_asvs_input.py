"""ASVS V1 / V2 / 4.x: bad ids, oversized bodies, Unicode, query metacharacters — a clear answer, never a 500."""
from __future__ import annotations

import io

import pytest
from werkzeug.routing import IntegerConverter

from conftest import PASSWORD, make_app
from vetting.config import Defaults
from vetting.db import connect
from vetting.domain import users
from vetting.domain.audit import SYSTEM

from .helpers import sign_in

TOO_BIG = [10**30, 2**63]  # beyond SQLite's 64-bit integers


def _rules_with_int_ids(app):
    for rule in app.url_map.iter_rules():
        if any(isinstance(conv, IntegerConverter) for conv in rule._converters.values()):
            yield rule


def _url(rule, value: int) -> str:
    values = {"kind": "organisation", "check_id": "espd"}
    values.update({name: value for name in rule.arguments if name not in values})
    return rule.build(values, append_unknown=False)[1]


@pytest.mark.parametrize("value", TOO_BIG)
def test_ids_beyond_64_bits_are_not_found(app, client, accounts, value):
    sign_in(client, "admin")
    answers = {}
    for rule in _rules_with_int_ids(app):
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            answers[f"{method} {rule.rule}"] = client.open(_url(rule, value), method=method).status_code
    assert answers and set(answers.values()) == {404}


def test_unknown_ids_are_not_found_on_every_page(app, client, db):
    users.create_user(db, SYSTEM, username="alla", password=PASSWORD, hash_method="pbkdf2:sha256:1000",
                      roles=["procurement_officer", "security_officer", "reviewer", "auditor", "admin"])
    sign_in(client, "alla")
    answers = {rule.rule: client.get(_url(rule, 987654)).status_code
               for rule in _rules_with_int_ids(app) if "GET" in rule.methods}
    assert answers and {url: code for url, code in answers.items() if code != 404} == {}


@pytest.mark.parametrize("url", ["/procurements/abc", "/organisations/-1", "/persons/1.5", "/checkpoints/0x10",
                                 "/screening/spaceship/1"])
def test_ids_that_are_not_numbers_are_not_found(client, accounts, url):
    sign_in(client, "admin")
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("page_number", ["99999999999999999999999", "9223372036854775807", "-5", "abc"])
@pytest.mark.parametrize("url", ["/procurements/", "/organisations/", "/audit/"])
def test_any_page_number_gives_a_page(client, accounts, url, page_number):
    sign_in(client, "admin")
    assert client.get(url, query_string={"page": page_number}).status_code == 200


# --- 5.2.1 / 4.x: body size -------------------------------------------------------------------------------

def test_default_upload_limit_is_set():
    assert 0 < Defaults.MAX_CONTENT_LENGTH <= 16 * 1024 * 1024


@pytest.fixture
def small_limit_client(tmp_path):
    app = make_app(tmp_path, MAX_CONTENT_LENGTH=4096)
    users.create_user(connect(app.config["DATABASE"]), SYSTEM, username="anna", password=PASSWORD,
                      roles=["procurement_officer"], hash_method="pbkdf2:sha256:1000")
    client = app.test_client()
    sign_in(client, "anna")
    return client


def test_body_over_the_limit_gets_a_413_page(small_limit_client):
    response = small_limit_client.post("/import/", data={"kind": "organisations",
                                                          "file": (io.BytesIO(b"a;b\n" * 4000), "big.csv")},
                                       content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 413 and "<h1>" in html and "Traceback" not in html


def test_form_over_the_limit_gets_a_413_page(small_limit_client):
    response = small_limit_client.post("/organisations/new", data={"name": "x" * 10_000, "country": "SE"})
    assert response.status_code == 413


def test_oversized_field_within_the_body_limit_is_refused_with_a_message(client, db, accounts):
    sign_in(client, "procurement_officer")
    response = client.post("/procurements/new", data={"reference": "UH-1", "title": "x" * 100_000, "currency": "SEK",
                                                      "protection_level": "none"})
    assert response.status_code == 400 and db.execute("SELECT count(*) FROM procurements").fetchone()[0] == 0


# --- Unicode and control characters -------------------------------------------------------------------------

UNICODE_NAMES = ["Ωmega Ölfabrik 株式会社 🚀", "\u202egnimmarG AB", "Zero\u200bWidth AB", "Ae\u0301ro AB (NFD)",
                 "شركة الاختبار", "Тестовая компания"]


@pytest.mark.parametrize("name", UNICODE_NAMES)
def test_unicode_names_are_kept_exactly(client, db, accounts, name):
    sign_in(client, "procurement_officer")
    response = client.post("/organisations/new", data={"name": name, "country": "SE"})
    assert response.status_code == 302
    assert db.execute("SELECT name FROM organisations").fetchone()[0] == name


def test_nul_and_control_characters_in_a_form_do_not_break_the_page(client, accounts):
    sign_in(client, "procurement_officer")
    response = client.post("/organisations/new", data={"name": "Null\x00Byte\x1b[31m AB", "country": "SE"})
    assert response.status_code in (302, 400)


@pytest.mark.parametrize("query", ["q=%ff%fe%fd", "q=%00", "q=" + "A" * 20_000, "q=%C0%AF"])
def test_malformed_query_strings_give_a_page(client, accounts, query):
    sign_in(client, "procurement_officer")
    assert client.get("/organisations/", query_string=query).status_code == 200


def test_malformed_utf8_in_a_form_is_refused_or_replaced(client, accounts):
    sign_in(client, "procurement_officer")
    response = client.post("/organisations/new", data=b"name=%ff%fe+AB&country=SE",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code in (302, 400)


# --- 1.2.4: queries are parameterised; LIKE wildcards are literal ----------------------------------------

@pytest.fixture
def two_organisations(create_org):
    create_org(name="Alfa Bygg AB")
    create_org(name="Beta Städ AB")


@pytest.mark.parametrize("term", ["' OR 1=1--", "\" OR \"\"=\"", "%", "_", "%' UNION SELECT password_hash FROM users--"])
def test_search_metacharacters_match_nothing_here(client, accounts, two_organisations, term):
    sign_in(client, "reviewer")
    html = client.get("/organisations/", query_string={"q": term}).get_data(as_text=True)
    assert "Alfa Bygg AB" not in html and "Beta Städ AB" not in html


def test_search_still_finds_by_part_of_the_name(client, accounts, two_organisations):
    sign_in(client, "reviewer")
    html = client.get("/organisations/", query_string={"q": "fa byg"}).get_data(as_text=True)
    assert "Alfa Bygg AB" in html and "Beta Städ AB" not in html
