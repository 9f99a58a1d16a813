"""The Bolagsverket check: OAuth2 token, organisationer answers in their real shape, token renewal, not configured."""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
import responses

from checks import CheckContext, Outcome, Status, Subject
from checks.bolagsverket import BolagsverketCheck
from checks.errors import CheckAbort, NotConfigured
from checks.http import HostPolicy, HttpClient
from vetting.domain.runner import run_one

API = "https://gw.api.bolagsverket.se/vardefulla-datamangder/v1"
TOKEN = "https://portal.api.bolagsverket.se/oauth2/token"
FIXTURES = Path(__file__).parent / "fixtures" / "se.bolagsverket"
CREDENTIALS = {"client_id": "vetting-test-client", "client_secret": "s3cret"}


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def subject(orgnr: str = "5566778899") -> Subject:
    return Subject("organisation", 1, "Skogs Aktiebolag i Norrland", "SE", {"se_orgnr": orgnr})


def context(settings: dict | None = None) -> CheckContext:
    hosts = {"se.bolagsverket": HostPolicy(API, retries=0), "se.bolagsverket.token": HostPolicy(TOKEN, retries=0)}
    http = HttpClient(hosts, sleep=lambda s: None)
    return CheckContext(settings=CREDENTIALS if settings is None else settings, http=http,
                        now=lambda: datetime(2026, 10, 1, 9, 0))


def token(name: str = "token.json", status: int = 200) -> None:
    responses.post(TOKEN, body=fixture(name), status=status, content_type="application/json")


def organisation(name: str, status: int = 200) -> None:
    responses.post(f"{API}/organisationer", body=fixture(name), status=status, content_type="application/json")


def findings(outcome: Outcome) -> dict[str, Any]:
    return {f.code: f.value for f in outcome.findings}


@responses.activate
def test_token_then_data_for_an_active_company() -> None:
    token()
    organisation("organisation_active.json")
    outcome = run_one(BolagsverketCheck(), subject(), context())
    assert outcome.status is Status.CLEAR
    grant, data = responses.calls
    assert parse_qs(grant.request.body) == {"grant_type": ["client_credentials"],
                                            "scope": ["vardefulla-datamangder:read"]}
    assert grant.request.headers["Authorization"].startswith("Basic ")
    assert data.request.headers["Authorization"] == "Bearer test-access-token-1"
    assert json.loads(data.request.body) == {"identitetsbeteckning": "5566778899"}  # in the body, never the URL
    found = findings(outcome)
    assert found["company.name"] == "Skogs Aktiebolag i Norrland" and found["company.legal_form"] == "AB"
    assert found["company.status"] == "active" and found["company.deleted"] is False
    assert found["company.bankrupt"] is False and found["company.proceedings"] == []
    assert found["company.operating"] is True and found["company.registration_date"] == "2009-03-16"
    assert found["company.industry_codes"] == ["02200", "49410"]
    assert found["company.address_box"] is True and found["company.address_co"] is False
    # Only the data answer is evidence: the token answer holds a credential.
    assert [e.source for e in outcome.evidence] == ["se.bolagsverket"]
    assert b"access_token" not in outcome.evidence[0].body


@responses.activate
def test_a_cached_token_is_reused_and_an_expired_one_renewed_once() -> None:
    check = BolagsverketCheck()
    token()
    organisation("organisation_active.json")
    assert check.run(subject(), context()).status is Status.CLEAR
    responses.replace(responses.POST, TOKEN, body=fixture("token_renewed.json"), content_type="application/json")
    responses.replace(responses.POST, f"{API}/organisationer", body=fixture("problem_401.json"), status=401,
                      content_type="application/json")
    responses.add(responses.POST, f"{API}/organisationer", body=fixture("organisation_active.json"),
                  content_type="application/json")
    outcome = check.run(subject(), context())
    assert outcome.status is Status.CLEAR
    bearer = [c.request.headers.get("Authorization") for c in responses.calls if "organisationer" in c.request.url]
    assert bearer == ["Bearer test-access-token-1", "Bearer test-access-token-1", "Bearer test-access-token-2"]
    assert sum(1 for c in responses.calls if c.request.url == TOKEN) == 2


@responses.activate
def test_a_token_rejected_twice_gives_up_with_check_abort() -> None:
    token()
    organisation("problem_401.json", status=401)
    with pytest.raises(CheckAbort):
        BolagsverketCheck().run(subject(), context())
    assert sum(1 for c in responses.calls if "organisationer" in c.request.url) == 2
    assert run_one(BolagsverketCheck(), subject(), context()).status is Status.ERROR


@responses.activate
def test_rejected_client_credentials_name_the_settings() -> None:
    token("problem_401.json", status=401)
    with pytest.raises(CheckAbort, match="client_id and client_secret"):
        BolagsverketCheck().run(subject(), context())


@responses.activate
def test_bankruptcy_and_liquidation_in_progress() -> None:
    token()
    organisation("organisation_konkurs.json")
    found = findings(BolagsverketCheck().run(subject("5591234561"), context()))
    assert found["company.bankrupt"] is True and found["company.liquidation"] is True
    assert found["company.reconstruction"] is False and found["company.status"] == "bankrupt"
    assert [p["code"] for p in found["company.proceedings"]] == ["KK", "LI"]
    assert found["company.address_co"] is True and found["company.industry_codes"] == ["81210"]


@responses.activate
def test_deregistered_organisation() -> None:
    token()
    organisation("organisation_avregistrerad.json")
    found = findings(BolagsverketCheck().run(subject("5560123456"), context()))
    assert found["company.deleted"] is True and found["company.status"] == "deregistered"
    assert found["company.deregistration_reason"] == {"code": "KKAV", "text": "Konkurs"}
    assert found["company.operating"] is False


@responses.activate
def test_field_errors_are_unknown_facts_not_fine_ones() -> None:
    token()
    organisation("organisation_field_errors.json")
    found = findings(BolagsverketCheck().run(subject(), context()))
    assert "company.bankrupt" not in found and "company.industry_codes" not in found
    assert "company.operating" not in found and "company.status" not in found
    assert {e["field"] for e in found["company.field_errors"]} == {
        "verksamOrganisation", "naringsgrenOrganisation", "pagaendeAvvecklingsEllerOmstruktureringsforfarande"}


@responses.activate
def test_unknown_organisation_needs_manual_input() -> None:
    token()
    organisation("organisation_finns_ej.json")
    outcome = run_one(BolagsverketCheck(), subject(), context())
    assert outcome.status is Status.NEEDS_MANUAL_INPUT and findings(outcome) == {"company.not_found": True}
    assert "ORGANISATION_FINNS_EJ" in outcome.findings[0].detail


@responses.activate
def test_a_rejected_number_needs_manual_input() -> None:
    token()
    organisation("problem_400.json", status=400)
    outcome = run_one(BolagsverketCheck(), subject(), context())
    assert outcome.status is Status.NEEDS_MANUAL_INPUT
    assert "ogiltig kontrollsiffra" in outcome.findings[0].detail


def test_not_configured_without_credentials_names_the_missing_setting() -> None:
    with pytest.raises(NotConfigured, match="client_secret"):
        BolagsverketCheck().run(subject(), context({"client_id": "x"}))
    outcome = run_one(BolagsverketCheck(), subject(), context({}))
    assert outcome.status is Status.NOT_APPLICABLE and "client_id, client_secret" in outcome.reason


def test_applies_only_with_a_swedish_orgnr() -> None:
    assert BolagsverketCheck().applies(subject())
    assert not BolagsverketCheck().applies(Subject("organisation", 1, "X AS", "NO", {"no_orgnr": "912345602"}))
    assert BolagsverketCheck.requires_settings == ("client_id", "client_secret")
