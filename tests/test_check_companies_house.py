"""The Companies House check on profile, officers, insolvency and disqualification answers in their real shapes."""
from __future__ import annotations

import base64
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import responses

from checks import CheckContext, Outcome, Status, Subject
from checks.companies_house import CompaniesHouseCheck
from checks.errors import CheckAbort, NotConfigured
from checks.http import HostPolicy, HttpClient
from vetting.domain.runner import SOURCE_CHANGED, run_one

BASE = "https://api.company-information.service.gov.uk"
FIXTURES = Path(__file__).parent / "fixtures" / "gb.companies_house"
DISQUALIFIED = "disqualified-officers/natural/kP3sQ9wLm2XrT7vB1yHn5cZ8dFa"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def subject(number: str = "09876543") -> Subject:
    return Subject("organisation", 1, "Thames Security Services Ltd", "GB", {"gb_company": number})


def context(settings: dict | None = None) -> CheckContext:
    http = HttpClient({"gb.companies_house": HostPolicy(BASE, retries=0)}, sleep=lambda s: None)
    return CheckContext(settings={"api_key": "test-key"} if settings is None else settings, http=http,
                        now=lambda: datetime(2026, 10, 1, 9, 0))


def serve(path: str, name: str, status: int = 200) -> None:
    responses.get(f"{BASE}/{path}", body=fixture(name), status=status, content_type="application/json")


def findings(outcome: Outcome) -> dict[str, Any]:
    return {f.code: f.value for f in outcome.findings}


@responses.activate
def test_active_company_with_a_disqualified_director() -> None:
    serve("company/09876543", "company_active.json")
    serve("company/09876543/officers", "officers.json")
    serve("search/disqualified-officers", "search_disqualified_whitfield.json")
    serve(DISQUALIFIED, "disqualified_natural.json")
    outcome = run_one(CompaniesHouseCheck(), subject(), context())
    assert outcome.status is Status.OBSERVATION  # a disqualification in force is never green
    found = findings(outcome)
    assert found["company.status"] == "active" and found["company.deleted"] is False
    assert found["company.registration_date"] == "2024-01-10"
    assert found["company.age_days"] == (datetime(2026, 10, 1) - datetime(2024, 1, 10)).days
    assert found["company.industry_codes"] == ["80100", "81210"]
    assert found["company.address_co"] is True and found["company.address_box"] is False
    assert found["company.insolvency_cases"] == 0 and found["company.filings_overdue"] is False
    assert found["company.officers"] == [
        {"name": "WHITFIELD, James Edward", "role": "director", "birth_date": "1975-04", "appointed_on": "2024-01-10",
         "source": "gb.companies_house"},
        {"name": "CITY SECRETARIES LIMITED", "role": "secretary", "birth_date": None, "appointed_on": "2024-01-10",
         "source": "gb.companies_house"}]
    [hit] = found["company.officer_disqualified"]  # the 1958 namesake is not a match
    assert hit["officer"] == "WHITFIELD, James Edward" and hit["current"] is True
    assert (hit["disqualified_from"], hit["disqualified_until"], hit["section"]) == ("2022-03-01", "2029-02-28", "7")
    # Only the one current natural person was searched; the secretary is a company and the director resigned.
    searches = [c for c in responses.calls if "/search/" in c.request.url]
    assert len(searches) == 1 and parse_qs(urlsplit(searches[0].request.url).query)["q"] == ["James Edward WHITFIELD"]
    finding = next(f for f in outcome.findings if f.code == "company.officer_disqualified")
    assert outcome.evidence[finding.evidence].url == f"{BASE}/{DISQUALIFIED}"
    assert len(outcome.evidence) == 4


@responses.activate
def test_the_api_key_is_sent_as_basic_auth_user() -> None:
    serve("company/09876543", "company_active.json")
    serve("company/09876543/officers", "officers.json")
    serve("search/disqualified-officers", "search_disqualified_empty.json")
    outcome = CompaniesHouseCheck().run(subject(), context())
    sent = responses.calls[0].request.headers["Authorization"]
    assert sent == "Basic " + base64.b64encode(b"test-key:").decode()
    assert findings(outcome)["company.officer_disqualified"] == []
    assert all("test-key" not in (e.url or "") for e in outcome.evidence)


@responses.activate
def test_company_in_liquidation_with_an_insolvency_case() -> None:
    serve("company/07654321", "company_liquidation.json")
    responses.get(f"{BASE}/company/07654321/officers", json={"items": [], "total_results": 0, "active_count": 0, "start_index": 0,
                                                                         "items_per_page": 35, "kind": "officer-list"})
    serve("company/07654321/insolvency", "insolvency.json")
    outcome = CompaniesHouseCheck().run(subject("07654321"), context())
    found = findings(outcome)
    assert outcome.status is Status.CLEAR
    assert found["company.status"] == "liquidation" and found["company.liquidation"] is True
    assert found["company.insolvency_history"] is True and found["company.insolvency_cases"] == 1
    assert found["company.address_co"] is True and found["company.address_box"] is True
    assert found["company.filings_overdue"] is True
    case = next(f for f in outcome.findings if f.code == "company.insolvency_cases")
    assert "creditors-voluntary-liquidation" in case.detail
    assert outcome.evidence[case.evidence].url.endswith("/insolvency")


@responses.activate
def test_unknown_company_needs_manual_input() -> None:
    serve("company/09876543", "not_found.json", status=404)
    outcome = run_one(CompaniesHouseCheck(), subject(), context())
    assert outcome.status is Status.NEEDS_MANUAL_INPUT and findings(outcome) == {"company.not_found": True}


def test_not_configured_without_an_api_key() -> None:
    with pytest.raises(NotConfigured, match="api_key"):
        CompaniesHouseCheck().run(subject(), context({}))
    outcome = run_one(CompaniesHouseCheck(), subject(), context({}))
    assert outcome.status is Status.NOT_APPLICABLE and "api_key" in outcome.reason


@responses.activate
def test_a_rejected_key_aborts_the_source() -> None:
    responses.get(f"{BASE}/company/09876543", status=401, json={"error": "Invalid Authorization"})
    with pytest.raises(CheckAbort):
        CompaniesHouseCheck().run(subject(), context())


@responses.activate
def test_an_html_page_instead_of_the_profile_is_an_error() -> None:
    responses.get(f"{BASE}/company/09876543", body="<html><h1>Service unavailable</h1></html>",
                  content_type="text/html")
    outcome = run_one(CompaniesHouseCheck(), subject(), context())
    assert outcome.status is Status.ERROR and outcome.reason.startswith(SOURCE_CHANGED)


def test_applies_only_with_a_uk_company_number() -> None:
    assert CompaniesHouseCheck().applies(subject())
    assert not CompaniesHouseCheck().applies(Subject("organisation", 1, "X AB", "SE", {"se_orgnr": "5566778899"}))
    assert CompaniesHouseCheck.requires_settings == ("api_key",)


@responses.activate
@pytest.mark.parametrize("search", ['{}', '[]', '{"items": [], "kind": "search#companies"}'])
def test_an_empty_or_other_kind_of_disqualification_search_is_not_none_found(search: str) -> None:
    serve("company/09876543", "company_active.json")
    serve("company/09876543/officers", "officers.json")
    responses.get(f"{BASE}/search/disqualified-officers", body=search, content_type="application/json")
    outcome = run_one(CompaniesHouseCheck(), subject(), context())
    assert outcome.status is Status.ERROR and outcome.reason.startswith(SOURCE_CHANGED)


@responses.activate
def test_an_officers_404_is_not_no_officers() -> None:
    serve("company/09876543", "company_active.json")
    serve("company/09876543/officers", "not_found.json", status=404)
    assert run_one(CompaniesHouseCheck(), subject(), context()).status is Status.ERROR
