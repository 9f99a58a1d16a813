"""The Brønnøysund check on Enhetsregisteret answers in their real shapes, faked at the transport."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import responses

from checks import CheckContext, Outcome, Status, Subject
from checks.brreg import BrregCheck
from checks.errors import SourceChanged, SourceUnavailable
from checks.http import HostPolicy, HttpClient
from vetting.domain.runner import SOURCE_CHANGED, run_one

BASE = "https://data.brreg.no/enhetsregisteret/api"
FIXTURES = Path(__file__).parent / "fixtures" / "no.brreg"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def subject(orgnr: str = "912345602") -> Subject:
    return Subject("organisation", 1, "Fjordbygg Entreprenør AS", "NO", {"no_orgnr": orgnr})


@pytest.fixture
def ctx() -> CheckContext:
    http = HttpClient({"no.brreg": HostPolicy(BASE, retries=0)}, sleep=lambda s: None)
    return CheckContext(http=http, now=lambda: datetime(2026, 10, 1, 12, 0))


def findings(outcome: Outcome) -> dict[str, Any]:
    return {f.code: f.value for f in outcome.findings}


@responses.activate
def test_active_company_is_clear_with_its_facts_and_officers(ctx: CheckContext) -> None:
    responses.get(f"{BASE}/enheter/912345602", body=fixture("enhet_active.json"), content_type="application/json")
    responses.get(f"{BASE}/enheter/912345602/roller", body=fixture("roller.json"), content_type="application/json")
    outcome = BrregCheck().run(subject(), ctx)
    assert outcome.status is Status.CLEAR
    found = findings(outcome)
    assert found["company.status"] == "active" and found["company.bankrupt"] is False
    assert found["company.registration_date"] == "2019-03-14"
    assert found["company.age_days"] == (datetime(2026, 10, 1) - datetime(2019, 3, 14)).days
    assert found["company.industry_codes"] == ["41.200", "43.110"]
    assert found["company.address_co"] is True and found["company.address_box"] is False
    assert len(outcome.evidence) == 2 and outcome.evidence[0].url == f"{BASE}/enheter/912345602"
    officers = found["company.officers"]
    assert {"name": "Kari Nordmann", "role": "Daglig leder", "role_code": "DAGL", "source": "no.brreg",
            "birth_date": "1978-05"} in officers
    assert any(o["name"] == "Ola Johan Nordmann" and o["birth_date"] == "1965-11" for o in officers)
    assert not any(o["name"] == "Per Hansen" for o in officers)  # avregistrert roles are not current
    auditor = next(o for o in officers if o["role_code"] == "REVI")
    assert auditor["organisation_number"] == "976389387" and auditor["birth_date"] is None
    officer_finding = next(f for f in outcome.findings if f.code == "company.officers")
    assert outcome.evidence[officer_finding.evidence].url.endswith("/roller")


@responses.activate
def test_bankrupt_company_is_clear_with_the_bankruptcy_as_a_finding(ctx: CheckContext) -> None:
    responses.get(f"{BASE}/enheter/921456700", body=fixture("enhet_konkurs.json"), content_type="application/json")
    responses.get(f"{BASE}/enheter/921456700/roller", json={"rollegrupper": []})
    outcome = BrregCheck().run(subject("921456700"), ctx)
    found = findings(outcome)
    assert outcome.status is Status.CLEAR
    assert found["company.bankrupt"] is True and found["company.status"] == "bankrupt"
    assert "2026-08-26" in next(f.detail for f in outcome.findings if f.code == "company.bankrupt")
    assert found["company.officers"] == []


@responses.activate
def test_forcibly_dissolved_company(ctx: CheckContext) -> None:
    responses.get(f"{BASE}/enheter/930567809", body=fixture("enhet_tvangsopplost.json"),
                  content_type="application/json")
    responses.get(f"{BASE}/enheter/930567809/roller", status=404, body=fixture("roller_not_found_404.json"),
                  content_type="application/json")
    found = findings(BrregCheck().run(subject("930567809"), ctx))
    assert found["company.forcibly_dissolved"] is True and found["company.status"] == "forced_dissolution"
    assert found["company.industry_codes"] == ["00.000"]


@responses.activate
def test_deleted_shape_is_a_deleted_finding_and_roles_are_not_asked(ctx: CheckContext) -> None:
    responses.get(f"{BASE}/enheter/987654309", body=fixture("enhet_slettet.json"), content_type="application/json")
    outcome = BrregCheck().run(subject("987654309"), ctx)
    found = findings(outcome)
    assert outcome.status is Status.CLEAR
    assert found["company.deleted"] is True and found["company.status"] == "deregistered"
    assert "2026-09-15" in next(f.detail for f in outcome.findings if f.code == "company.deleted")
    assert len(responses.calls) == 1 and len(outcome.evidence) == 1


@responses.activate
def test_410_gone_is_deleted(ctx: CheckContext) -> None:
    responses.get(f"{BASE}/enheter/987654309", body=fixture("enhet_slettet.json"), status=410,
                  content_type="application/json")
    found = findings(BrregCheck().run(subject("987654309"), ctx))
    assert found["company.deleted"] is True


@responses.activate
def test_unknown_number_needs_manual_input_never_clear(ctx: CheckContext) -> None:
    responses.get(f"{BASE}/enheter/912345602", status=404, body=fixture("not_found_404.json"),
                  content_type="application/json")
    outcome = run_one(BrregCheck(), subject(), ctx)
    assert outcome.status is Status.NEEDS_MANUAL_INPUT
    assert outcome.reason == "the register does not know this number; verify it"
    assert findings(outcome) == {"company.not_found": True} and len(outcome.evidence) == 1


@responses.activate
def test_html_error_page_is_source_changed(ctx: CheckContext) -> None:
    responses.get(f"{BASE}/enheter/912345602", body=fixture("error_page.html"), content_type="text/html")
    with pytest.raises(SourceChanged, match="not JSON"):
        BrregCheck().run(subject(), ctx)
    outcome = run_one(BrregCheck(), subject(), ctx)
    assert outcome.status is Status.ERROR and outcome.reason.startswith(SOURCE_CHANGED)


@responses.activate
def test_json_in_an_unknown_shape_is_source_changed(ctx: CheckContext) -> None:
    responses.get(f"{BASE}/enheter/912345602", json={"organisasjonsnummer": "912345602", "status": "OK"})
    with pytest.raises(SourceChanged):
        BrregCheck().run(subject(), ctx)


@responses.activate
def test_server_error_is_source_unavailable_and_an_error_outcome(ctx: CheckContext) -> None:
    responses.get(f"{BASE}/enheter/912345602", status=503)
    with pytest.raises(SourceUnavailable):
        BrregCheck().run(subject(), ctx)
    assert run_one(BrregCheck(), subject(), ctx).status is Status.ERROR


def test_not_applicable_without_a_norwegian_number() -> None:
    check = BrregCheck()
    assert not check.applies(Subject("organisation", 1, "X AB", "SE", {"se_orgnr": "5566778899"}))
    assert not check.applies(Subject("person", 1, "Kari Nordmann", "NO", {"no_orgnr": "912345602"}))
    outcome = run_one(check, Subject("organisation", 1, "X AB", "SE", {}), CheckContext())
    assert outcome.status is Status.NOT_APPLICABLE


def test_not_configured_without_a_client_or_a_host() -> None:
    assert run_one(BrregCheck(), subject(), CheckContext()).status is Status.NOT_APPLICABLE
    outcome = run_one(BrregCheck(), subject(), CheckContext(http=HttpClient({})))
    assert outcome.status is Status.NOT_APPLICABLE and "no.brreg" in outcome.reason


def test_every_finding_code_is_declared() -> None:
    assert all(code.startswith("company.") for code in BrregCheck.FINDINGS)
