"""Every route declares who may use it, and each role gets exactly what the domain grants (expected_access)."""
from __future__ import annotations

import re

import pytest
import responses

import expected_access
from vetting.web.access import PERMISSIONS, PUBLIC, Permission, Role, allowed

ROLES = ("procurement_officer", "security_officer", "reviewer", "auditor", "admin")
# Values for URL parameters: ids of records the fixtures below create.
PARAMS = {"procurement_id": 1, "organisation_id": 1, "person_id": 1, "participant_id": 1, "key_role_id": 1,
          "user_id": 1, "filename": "css/app.css", "kind": "organisation", "subject_id": 1, "outcome_id": 1,
          "evidence_id": 1, "check_id": "espd", "checkpoint_id": 1, "document_id": 1,
          "batch_id": 1, "alert_id": 1, "fmt": "csv", "assessment_id": 1, "case_id": 1, "appeal_id": 1, "condition_id": 1,
          "proposal_id": 1, "task_id": 1, "report_id": 1, "merge_id": 1, "espd_id": 1, "declaration_id": 1,
          "ground_id": 1, "communication_id": 1, "explanation_id": 1}


def _routes(app):
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def _declaration(app, endpoint):
    if endpoint == "static":
        return PUBLIC  # Flask's own route for vendored assets
    return getattr(app.view_functions[endpoint], "access", None)


def test_every_route_declares_access(app):
    undeclared = [rule.endpoint for rule, _m in _routes(app) if _declaration(app, rule.endpoint) is None]
    assert undeclared == []


@pytest.fixture
def records(db, accounts, create_org, create_procurement):
    from vetting.domain import organisations, procurements
    from vetting.domain.audit import SYSTEM

    org = create_org(identifier_type="se_orgnr", identifier="5566778899")
    proc = create_procurement()
    procurements.add_participant(db, SYSTEM, proc, org, "bidder")
    organisations.add_key_person(db, SYSTEM, org, {"name": "Lars Öberg", "role": "ceo", "personnummer": "197003121238"})


def _request(client, rule, method):
    url = rule.build({k: v for k, v in PARAMS.items() if k in rule.arguments})[1]
    response = client.open(url, method=method, data={})
    response.close()  # static files stream from an open file
    return response


def walk(app, client, role):
    """Request every route as ``role``; the disagreements with the independent table.

    Running checks is one of the routes: every register answers 404 (not found, not retried),
    so the walk neither reaches the network nor waits in back-off.
    """
    with responses.RequestsMock(assert_all_requests_are_fired=False) as registers:
        for verb in (responses.GET, responses.POST):
            registers.add(verb, re.compile(r"https?://(?!127\.0\.0\.1|localhost).*"), status=404)
        return _walk(app, client, role)


def _walk(app, client, role):
    wrong = []
    for rule, method in _routes(app):
        if rule.endpoint in ("auth.logout", "auth.login"):
            continue  # sign-out would end the session mid-walk; sign-in redirects signed-in users
        ability = expected_access.ROUTES[(rule.endpoint, method)]
        response = _request(client, rule, method)
        code, to_login = response.status_code, response.status_code == 302 and "/login" in (response.location or "")
        if code >= 500:
            wrong.append(f"{method} {rule.rule}: {code}")
        elif expected_access.may(role, ability):
            if code in (401, 403) or (ability != expected_access.ANYONE and to_login):
                wrong.append(f"{method} {rule.rule}: {code}, but {role} may {ability}")
        elif role is None and not to_login:
            wrong.append(f"{method} {rule.rule}: {code} for anonymous, not the sign-in page")
        elif role is not None and code != 403:
            wrong.append(f"{method} {rule.rule}: {code}, but {role} may not {ability}")
    return wrong


def sign_in(client, role):
    if role:
        assert client.post("/login", data={"username": role, "password": "correct horse battery staple"}).status_code == 302


def test_every_route_has_an_independent_expectation(app):
    routes = {(rule.endpoint, method) for rule, method in _routes(app)}
    assert sorted(routes - expected_access.ROUTES.keys()) == [], "add the new routes to tests/expected_access.py"
    assert sorted(expected_access.ROUTES.keys() - routes - {("main.health", "GET")}) == [], "stale lines"


@pytest.mark.parametrize("role", [None, *ROLES])
def test_each_role_gets_what_the_domain_grants(app, client, records, role):
    sign_in(client, role)
    assert walk(app, client, role) == []


def test_the_walk_catches_a_permission_opened_in_access_py(app, client, records, monkeypatch):
    """The mutation the review made: user creation opened to procurement officers."""
    opened = PERMISSIONS[Permission.MANAGE_USERS] | {Role.PROCUREMENT_OFFICER}
    monkeypatch.setitem(PERMISSIONS, Permission.MANAGE_USERS, opened)
    sign_in(client, "procurement_officer")
    wrong = walk(app, client, "procurement_officer")
    assert any(line.startswith("GET /admin/users/new: 200, but procurement_officer may not") for line in wrong), wrong


def test_the_walk_catches_a_permission_closed_in_access_py(app, client, records, monkeypatch):
    monkeypatch.setitem(PERMISSIONS, Permission.REVIEW_MATCHES, frozenset({Role.PROCUREMENT_OFFICER}))
    sign_in(client, "security_officer")
    assert any(line.startswith("POST /screening/outcomes/<int:outcome_id>/decide: 403, but security_officer may")
               for line in walk(app, client, "security_officer"))


def test_the_table_names_every_ability_of_the_domain_brief():
    # The auditor only reads (DOMAIN.md 2); personal data is for the security department.
    assert expected_access.MAY["auditor"] == {expected_access.SIGNED_IN, expected_access.SEE,
                                               expected_access.EXPORT, expected_access.AUDIT}
    assert [role for role in ROLES if expected_access.may(role, expected_access.REVEAL)] == ["security_officer"]


def test_personal_data_reveal_is_for_security_officers_only():
    assert {r.value for r in PERMISSIONS[Permission.REVEAL_PERSONAL_DATA]} == {"security_officer"}


def test_auditor_cannot_change_records():
    assert not allowed({"auditor"}, Permission.EDIT_RECORDS)
    assert allowed({"auditor"}, Permission.VIEW_AUDIT)
