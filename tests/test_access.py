"""Every route declares who may use it, and each role gets exactly what the matrix grants."""
from __future__ import annotations

import pytest

from vetting.web.access import PERMISSIONS, PUBLIC, Permission, allowed

ROLES = ("procurement_officer", "security_officer", "reviewer", "auditor", "admin")
# Values for URL parameters: ids of records the fixtures below create.
PARAMS = {"procurement_id": 1, "organisation_id": 1, "person_id": 1, "participant_id": 1, "key_role_id": 1,
          "user_id": 1, "filename": "css/app.css", "kind": "organisation", "subject_id": 1, "outcome_id": 1,
          "evidence_id": 1, "check_id": "espd", "checkpoint_id": 1, "document_id": 1,
          "batch_id": 1, "alert_id": 1, "fmt": "csv", "assessment_id": 1, "case_id": 1, "merge_id": 1}


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


@pytest.mark.parametrize("role", [None, *ROLES])
def test_each_role_gets_what_the_matrix_grants(app, client, records, role):
    if role:
        assert client.post("/login", data={"username": role, "password": "correct horse battery staple"}).status_code == 302
    for rule, method in _routes(app):
        if rule.endpoint in ("auth.logout", "auth.login"):
            continue  # sign-out would end the session mid-walk; sign-in redirects signed-in users
        declared = _declaration(app, rule.endpoint)
        response = _request(client, rule, method)
        where = f"{method} {rule.rule} as {role or 'anonymous'}"
        if declared == PUBLIC:
            assert response.status_code < 500, where
        elif role is None:
            assert response.status_code == 302 and "/login" in response.location, where
        elif allowed({role}, declared):
            assert response.status_code not in (401, 403) and response.status_code < 500, where
        else:
            assert response.status_code == 403, where


def test_personal_data_reveal_is_for_security_officers_only():
    assert {r.value for r in PERMISSIONS[Permission.REVEAL_PERSONAL_DATA]} == {"security_officer"}


def test_auditor_cannot_change_records():
    assert not allowed({"auditor"}, Permission.EDIT_RECORDS)
    assert allowed({"auditor"}, Permission.VIEW_AUDIT)
