"""The GLEIF check on lei-records answers in their real shape, faked at the transport."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import responses

from checks import CheckContext, Outcome, Status, Subject
from checks.errors import SourceChanged
from checks.gleif import GleifCheck
from checks.http import HostPolicy, HttpClient
from vetting.domain.runner import SOURCE_CHANGED, run_one

BASE = "https://api.gleif.org/api/v1"
FIXTURES = Path(__file__).parent / "fixtures" / "gleif"
ISSUED, LAPSED = "549300FJORDBYGG0NO12", "213800SKOGSAKTIEBO60"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def subject(lei: str = ISSUED) -> Subject:
    return Subject("organisation", 1, "Fjordbygg Entreprenør AS", "NO", {"lei": lei})


@pytest.fixture
def ctx() -> CheckContext:
    return CheckContext(http=HttpClient({"gleif": HostPolicy(BASE, retries=0)}, sleep=lambda s: None))


def json_get(path: str, name: str, status: int = 200) -> None:
    responses.get(f"{BASE}/{path}", body=fixture(name), status=status, content_type="application/vnd.api+json")


def findings(outcome: Outcome) -> dict[str, Any]:
    return {f.code: f.value for f in outcome.findings}


@responses.activate
def test_issued_lei_with_a_direct_parent(ctx: CheckContext) -> None:
    json_get(f"lei-records/{ISSUED}", "lei_issued_with_parent.json")
    json_get(f"lei-records/{ISSUED}/direct-parent", "lei_parent.json")
    outcome = run_one(GleifCheck(), subject(), ctx)
    assert outcome.status is Status.CLEAR
    found = findings(outcome)
    assert found["lei.status"] == "ISSUED" and found["lei.lapsed"] is False
    assert found["lei.legal_name"] == "FJORDBYGG ENTREPRENØR AS" and found["lei.registered_as"] == "912345602"
    assert found["lei.parent"] == [
        {"kind": "direct-parent", "lei": "5493000PARENTHOLD022", "name": "VESTLAND HOLDING AS"},
        {"kind": "ultimate-parent", "lei": None, "name": None, "reporting_exception": True}]
    parent = next(f for f in outcome.findings if f.code == "lei.parent")
    assert outcome.evidence[parent.evidence].url.endswith("/direct-parent")
    assert len(outcome.evidence) == 2


@responses.activate
def test_lapsed_lei_is_clear_with_the_lapse_as_a_finding(ctx: CheckContext) -> None:
    json_get(f"lei-records/{LAPSED}", "lei_lapsed.json")
    outcome = GleifCheck().run(subject(LAPSED), ctx)
    found = findings(outcome)
    assert outcome.status is Status.CLEAR
    assert found["lei.status"] == "LAPSED" and found["lei.lapsed"] is True
    assert found["lei.next_renewal_date"] == "2014-11-01"
    assert [p["reporting_exception"] for p in found["lei.parent"]] == [True, True]
    assert len(responses.calls) == 1


@responses.activate
def test_unknown_lei_needs_manual_input(ctx: CheckContext) -> None:
    json_get(f"lei-records/{ISSUED}", "not_found.json", status=404)
    outcome = run_one(GleifCheck(), subject(), ctx)
    assert outcome.status is Status.NEEDS_MANUAL_INPUT and findings(outcome) == {"lei.not_found": True}


@responses.activate
def test_a_record_about_another_lei_is_source_changed(ctx: CheckContext) -> None:
    responses.get(f"{BASE}/lei-records/{ISSUED}", body=fixture("lei_lapsed.json"), content_type="application/json")
    with pytest.raises(SourceChanged, match="inte '549300FJORDBYGG0NO12'"):
        GleifCheck().run(subject(), ctx)


@responses.activate
def test_html_instead_of_json_is_an_error_outcome(ctx: CheckContext) -> None:
    responses.get(f"{BASE}/lei-records/{ISSUED}", body="<html><body>Maintenance</body></html>",
                  content_type="text/html")
    outcome = run_one(GleifCheck(), subject(), ctx)
    assert outcome.status is Status.ERROR and outcome.reason.startswith(SOURCE_CHANGED)


def test_applies_only_with_an_lei() -> None:
    assert GleifCheck().applies(subject())
    assert not GleifCheck().applies(Subject("organisation", 1, "X", "SE", {"se_orgnr": "5566778899"}))
