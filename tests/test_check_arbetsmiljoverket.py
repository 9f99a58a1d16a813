"""The Arbetsmiljöverket diary check on search pages in the diary's real structure, faked at the transport."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import responses

from checks import CheckContext, Outcome, Status, Subject
from checks.arbetsmiljoverket import ArbetsmiljoverketCheck, is_injunction, parse_page, years_before
from checks.errors import SourceChanged
from checks.http import HostPolicy, HttpClient
from vetting.domain.runner import SOURCE_CHANGED, run_one

BASE = "https://www.av.se/om-oss/diarium-och-allmanna-handlingar/bestall-handlingar"
FIXTURES = Path(__file__).parent / "fixtures" / "se.arbetsmiljoverket"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def subject(orgnr: str = "5591234561") -> Subject:
    return Subject("organisation", 1, "Städproffsen i Mälardalen AB", "SE", {"se_orgnr": orgnr})


def context(**settings: str) -> CheckContext:
    http = HttpClient({"se.arbetsmiljoverket": HostPolicy(BASE, retries=0)}, sleep=lambda s: None)
    return CheckContext(settings=settings, http=http, now=lambda: datetime(2026, 10, 1, 9, 0))


def serve(name: str, status: int = 200) -> None:
    responses.get(f"{BASE}/", body=fixture(name), status=status, content_type="text/html; charset=utf-8")


def findings(outcome: Outcome) -> dict[str, Any]:
    return {f.code: f.value for f in outcome.findings}


@responses.activate
def test_counts_inspections_injunctions_and_sanction_fees_of_the_organisation() -> None:
    serve("search_result.html")
    outcome = run_one(ArbetsmiljoverketCheck(), subject(), context())
    assert outcome.status is Status.OBSERVATION  # injunctions and a sanction fee are never green
    found = findings(outcome)
    # Two inspection cases (2026/041122 with three documents, 2025/012345); the row without an organisation is not ours.
    assert found["workplace.inspections"] == 2
    assert found["workplace.injunctions"] == 1 and found["workplace.sanction_fees"] == 1
    assert found["workplace.documents"] == 5 and found["workplace.truncated"] is False
    assert [d["number"] for d in found["workplace.decisions"]] == ["2026/041122-3", "2026/038870-1"]
    assert found["workplace.period_from"] == "2023-10-01"
    query = parse_qs(urlsplit(responses.calls[0].request.url).query)
    assert query["SearchText"] == ["559123-4561"] and query["FromDate"] == ["2023-10-01"] and query["p"] == ["1"]
    assert len(outcome.evidence) == 1 and outcome.evidence[0].media_type == "text/html"


@responses.activate
def test_zero_results_in_the_known_layout_is_clear_with_zero_counts() -> None:
    serve("search_result_empty.html")
    outcome = run_one(ArbetsmiljoverketCheck(), subject(), context())
    assert outcome.status is Status.CLEAR
    found = findings(outcome)
    counted = (found["workplace.inspections"], found["workplace.injunctions"], found["workplace.sanction_fees"])
    assert counted == (0, 0, 0)


@responses.activate
def test_missing_result_list_is_page_layout_changed_never_an_empty_clear() -> None:
    serve("search_result_layout_changed.html")
    with pytest.raises(SourceChanged, match="page layout changed"):
        ArbetsmiljoverketCheck().run(subject(), context())
    outcome = run_one(ArbetsmiljoverketCheck(), subject(), context())
    assert outcome.status is Status.ERROR and outcome.reason.startswith(SOURCE_CHANGED)


@responses.activate
def test_a_row_without_its_document_number_is_layout_changed() -> None:
    page = fixture("search_result.html").replace(b"<dt class=\"fw-semibold\">Handlingsnummer</dt>", b"", 1)
    responses.get(f"{BASE}/", body=page, content_type="text/html")
    assert run_one(ArbetsmiljoverketCheck(), subject(), context()).status is Status.ERROR


@responses.activate
def test_follows_the_pages_until_the_announced_total() -> None:
    responses.get(f"{BASE}/", body=fixture("search_result_page1.html"), content_type="text/html")
    responses.get(f"{BASE}/", body=fixture("search_result_page2.html"), content_type="text/html")
    outcome = ArbetsmiljoverketCheck().run(subject(), context())
    assert outcome.status is Status.CLEAR and len(outcome.evidence) == 2
    assert findings(outcome)["workplace.inspections"] == 12
    assert [parse_qs(urlsplit(c.request.url).query)["p"] for c in responses.calls] == [["1"], ["2"]]


@responses.activate
def test_more_documents_than_the_page_limit_needs_manual_input() -> None:
    serve("search_result_page1.html")
    outcome = run_one(ArbetsmiljoverketCheck(), subject(), context(max_pages="1"))
    assert outcome.status is Status.NEEDS_MANUAL_INPUT
    assert findings(outcome)["workplace.truncated"] is True and "12" in outcome.reason


@responses.activate
def test_server_error_is_an_error_outcome() -> None:
    serve("search_result.html", status=503)
    assert run_one(ArbetsmiljoverketCheck(), subject(), context()).status is Status.ERROR


def test_a_sole_traders_personnummer_never_goes_into_a_url() -> None:
    outcome = run_one(ArbetsmiljoverketCheck(), subject("8507125555"), context())
    assert outcome.status is Status.NEEDS_MANUAL_INPUT and not outcome.evidence


def test_document_types_that_are_injunctions() -> None:
    assert is_injunction("Beslut om föreläggande med vite") and is_injunction("Beslut om förbud utan vite")
    assert is_injunction("Beslut om slutligt omedelbart förbud")
    assert not is_injunction("Avgiftsföreläggande") and not is_injunction("Beslut om upphävande av förbud")
    assert not is_injunction("Underrättelse om föreläggande/förbud") and not is_injunction("Inspektionsmeddelande")


def test_parser_reads_the_rows() -> None:
    rows, total = parse_page(fixture("search_result.html"))
    assert total == 6 and len(rows) == 6
    assert rows[0].number == "2026/041122-3" and rows[0].case == "2026/041122" and rows[0].day == "2026-08-14"
    assert rows[0].orgnr == "5591234561" and rows[0].area == "Bedriva inspektion"
    assert rows[2].kind == "Avgiftsföreläggande" and rows[2].area == "Hantera avgiftsutdömande"
    assert rows[5].orgnr is None


def test_period_start() -> None:
    assert years_before(date(2028, 2, 29), 3) == date(2025, 2, 28)


def test_applies_only_with_a_swedish_orgnr() -> None:
    assert ArbetsmiljoverketCheck().applies(subject())
    assert not ArbetsmiljoverketCheck().applies(Subject("organisation", 1, "X AS", "NO", {"no_orgnr": "912345602"}))


@responses.activate
def test_a_page_with_fewer_rows_than_the_diary_announces_is_an_error_not_clear() -> None:
    page = fixture("search_result.html").replace(b'class="fw-bold">6</span>', b'class="fw-bold">9</span>')
    responses.get(f"{BASE}/", body=page, content_type="text/html; charset=utf-8")
    outcome = run_one(ArbetsmiljoverketCheck(), subject(), context())
    assert outcome.status is Status.ERROR and "avkortad" in outcome.reason
