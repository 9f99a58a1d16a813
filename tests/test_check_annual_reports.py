"""The annual-report check against a real local HTTP server: listing, ZIPs kept as evidence, figures, signers,
lateness, the auditor rule, and each fault as a clear status (never silently "no facts")."""
from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

import pytest

from checks import CheckContext, Outcome, Status, Subject
from checks.annual_reports import AnnualReportsCheck, add_months, audit_required
from annual_report_server import FIXTURES, FakeBolagsverket, fixture_zip, package, run_check
from vetting.domain.runner import run_one

NEWEST, OLDER = "4eaa2201-7ad0-4de4-9b2d-1f5f952b74d9_paket", "02f54e4f-b17a-4cfd-a1cc-d8ab4eaa7f49_paket"
K2 = "k2-2017_wolters-kluwer.xhtml"


def run(fake: FakeBolagsverket, orgnr: str = "5566778899", today: date = date(2020, 10, 1)) -> Outcome:
    return run_check(fake, orgnr, today)


def found(outcome: Outcome) -> dict[str, Any]:
    return {f.code: f.value for f in outcome.findings}


ZIP = fixture_zip(K2)


def two_reports() -> FakeBolagsverket:
    fake = FakeBolagsverket()
    fake.document(NEWEST, ZIP)
    fake.document(OLDER, ZIP)
    return fake


def test_newest_reports_are_fetched_kept_as_evidence_and_read() -> None:
    fake = two_reports()
    outcome = run(fake)
    # Revenue but no employees is an adverse fact: the answer is an observation, not green.
    assert outcome.status is Status.OBSERVATION, outcome.reason
    assert [f.code for f in AnnualReportsCheck().adverse(outcome.findings)] == ["company.revenue_without_employees"]
    listing, *zips = outcome.evidence
    assert json.loads(listing.body)["dokument"][0]["dokumentId"] == NEWEST
    assert [(z.body, z.sha256) for z in zips] == [(ZIP, hashlib.sha256(ZIP).hexdigest())] * 2
    assert len(zips) == 2 and all(z.url.endswith("_paket") for z in zips)
    facts = found(outcome)
    assert facts["annual_report.key_figures"][0]["net_revenue"] == 2919157
    assert facts["annual_report.key_figures"][0]["end"] == "2019-12-31"
    assert [(o["name"], o["role"]) for o in facts["company.officers"]] == [
        ("Simon Testström", "Verkställande direktör"), ("Marcus Provlund", "Vice verkställande direktör"),
        ("Greta Fixtursson", "")]
    assert facts["annual_report.late"] is False and facts["annual_report.missing"] is False
    assert facts["company.filings_overdue"] is False and facts["annual_report.auditor"] is None
    # The organisation number travels in the body, never in the URL (a sole trader's is a personnummer).
    posted = [r for r in fake.requests if r[1] == "/api/dokumentlista"]
    assert json.loads(posted[0][3]) == {"identitetsbeteckning": "5566778899"}


def test_a_report_registered_after_seven_months_is_late_and_a_year_not_filed_is_missing() -> None:
    fake = two_reports()
    fake.listing = (200, json.dumps({"dokument": [{"dokumentId": NEWEST, "filformat": "application/zip",
                                                   "rapporteringsperiodTom": "2019-12-31",
                                                   "registreringstidpunkt": "2020-08-03"}]}).encode())
    facts = found(run(fake, today=date(2021, 8, 2)))
    assert facts["annual_report.late"] is True and facts["annual_report.missing"] is True
    assert facts["company.filings_overdue"] is True


def test_no_listed_report_needs_the_officer_and_says_missing() -> None:
    fake = FakeBolagsverket()
    fake.listing = (200, b'{"dokument": []}')
    outcome = run(fake)
    assert outcome.status is Status.NEEDS_MANUAL_INPUT and found(outcome)["annual_report.missing"] is True


def test_a_zip_that_is_not_a_zip_is_an_error_that_keeps_the_body() -> None:
    fake = two_reports()
    fake.document(NEWEST, b"<html>Service temporarily unavailable</html>", media="text/html")
    outcome = run(fake)
    assert outcome.status is Status.ERROR and "not a ZIP" in outcome.reason
    assert outcome.evidence[-1].body.startswith(b"<html>") and found(outcome)["source.fault"] == "report_not_zip"


def test_an_xhtml_without_the_expected_facts_is_an_error() -> None:
    fake = two_reports()
    empty = (b'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:ix="http://www.xbrl.org/2013/inlineXBRL">'
             b'<body><p>Arsredovisning</p></body></html>')
    fake.document(NEWEST, package(("4eaa2201.xhtml", empty)))
    outcome = run(fake)
    assert outcome.status is Status.ERROR and "no key figures" in outcome.reason


def test_an_xhtml_that_is_not_xml_is_an_error() -> None:
    fake = two_reports()
    fake.document(NEWEST, package(("4eaa2201.xhtml", b"<html><p>unclosed")))
    outcome = run(fake)
    assert outcome.status is Status.ERROR and "not well-formed" in outcome.reason


def test_the_annual_report_of_another_organisation_is_an_error() -> None:
    outcome = run(two_reports(), orgnr="5599887766")
    assert outcome.status is Status.ERROR and "another organisation" in outcome.reason and "5566778899" in outcome.reason


def test_a_listed_companys_esef_package_says_so_and_reads_what_it_can() -> None:
    fake = FakeBolagsverket()
    fake.listing = (200, json.dumps({"dokument": [{"dokumentId": NEWEST, "rapporteringsperiodTom": "2022-12-31",
                                                   "registreringstidpunkt": "2023-05-20"}]}).encode())
    esef = package(("reports/noterat.xhtml", (FIXTURES / "esef_report.xhtml").read_bytes()))
    fake.document(NEWEST, package(("74a0001f.xhtml", (FIXTURES / "esef_faststallelseintyg.xhtml").read_bytes()),
                                  ("noterat-2022-12-31-sv.zip", esef)))
    outcome = run(fake, orgnr="5561234567", today=date(2023, 6, 1))
    assert outcome.status is Status.CLEAR and "ESEF" in outcome.reason
    facts = found(outcome)
    assert facts["annual_report.esef"] is True
    assert facts["annual_report.key_figures"][0]["net_revenue"] == 1234500000


def test_a_k3_filing_with_a_separate_audit_report_names_the_auditor() -> None:
    fake = FakeBolagsverket()
    fake.listing = (200, json.dumps({"dokument": [{"dokumentId": NEWEST, "rapporteringsperiodTom": "2021-12-31",
                                                   "registreringstidpunkt": "2022-03-20"}]}).encode())
    fake.document(NEWEST, fixture_zip("k3-2020_e-revisor.xhtml", "k3-2020_revisionsberattelse.xhtml"))
    facts = found(run(fake, orgnr="5561234567", today=date(2022, 4, 1)))
    assert facts["annual_report.auditor"]["firm"] == "Revisorerna Prov KB"


def test_a_listed_document_the_register_cannot_deliver_is_an_error() -> None:
    fake = FakeBolagsverket()
    fake.document(OLDER, fixture_zip(K2))
    outcome = run(fake)
    assert outcome.status is Status.ERROR and "404" in outcome.reason


def test_a_listing_of_another_shape_is_an_error() -> None:
    fake = FakeBolagsverket()
    fake.listing = (200, b'{"dokumenter": []}')
    assert run(fake).status is Status.ERROR


def test_not_configured_without_credentials() -> None:
    outcome = run_one(AnnualReportsCheck(), Subject("organisation", 1, "X AB", "SE", {"se_orgnr": "5566778899"}),
                      CheckContext(settings={}))
    assert outcome.status is Status.NOT_APPLICABLE


def test_filing_deadline_arithmetic() -> None:
    assert add_months(date(2019, 12, 31), 7) == date(2020, 7, 31)
    assert add_months(date(2020, 10, 31), 7) == date(2021, 5, 31)
    assert add_months(date(2020, 4, 30), 7) == date(2020, 11, 30)


@pytest.mark.parametrize(("years", "required"), [
    ([{"employees": 4, "balance_total": 2e6, "net_revenue": 1e6}] * 2, True),
    ([{"employees": 4, "balance_total": 1e6, "net_revenue": 1e6}] * 2, False),
    ([{"employees": 4, "balance_total": 2e6, "net_revenue": 1e6},
      {"employees": 1, "balance_total": 2e6, "net_revenue": 1e6}], False),
    ([{"balance_total": 2e6, "net_revenue": 4e6}] * 2, None),
])
def test_auditor_required_by_size(years: list[dict[str, float]], required: bool | None) -> None:
    assert audit_required(years) is required


def test_a_zip_without_any_xhtml_is_an_error() -> None:
    fake = two_reports()
    fake.document(NEWEST, package(("readme.txt", b"no report here")))
    outcome = run(fake)
    assert outcome.status is Status.ERROR and "no XHTML" in outcome.reason


def test_a_filing_that_names_no_organisation_number_is_an_error() -> None:
    text = (FIXTURES / K2).read_text(encoding="utf-8")
    anonymous = text.replace("556677-8899", "")
    fake = two_reports()
    fake.document(NEWEST, package(("r.xhtml", anonymous.encode())))
    outcome = run(fake)
    assert outcome.status is Status.ERROR and "names no organisation number" in outcome.reason


def test_a_zip_nested_deeper_than_the_esef_package_is_not_followed() -> None:
    inner = package(("deep.zip", package(("r.xhtml", (FIXTURES / K2).read_bytes()))))
    fake = two_reports()
    fake.document(NEWEST, package(("outer.zip", inner)))
    outcome = run(fake)
    assert outcome.status is Status.ERROR and "no XHTML" in outcome.reason
