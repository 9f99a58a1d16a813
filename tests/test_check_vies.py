"""The VIES check: REST answers, the SOAP fallback and SOAP faults, in their real shapes, faked at the transport."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import responses

from checks import CheckContext, Outcome, Status, Subject
from checks.errors import SourceChanged, SourceUnavailable
from checks.http import HostPolicy, HttpClient
from checks.vies import ViesCheck, parse_soap, vat_of
from vetting.domain.runner import run_one

REST = "https://ec.europa.eu/taxation_customs/vies/rest-api"
SOAP = "https://ec.europa.eu/taxation_customs/vies/services/checkVatService"
FIXTURES = Path(__file__).parent / "fixtures" / "eu.vies"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def swedish() -> Subject:
    return Subject("organisation", 1, "Skogs Aktiebolag i Norrland", "SE", {"se_orgnr": "5566778899"})


@pytest.fixture
def ctx() -> CheckContext:
    http = HttpClient({"eu.vies": HostPolicy(REST, retries=0), "eu.vies.soap": HostPolicy(SOAP, retries=0)},
                      sleep=lambda s: None)
    return CheckContext(http=http)


def findings(outcome: Outcome) -> dict[str, Any]:
    return {f.code: f.value for f in outcome.findings}


@responses.activate
def test_rest_valid_swedish_number_derived_from_the_orgnr(ctx: CheckContext) -> None:
    responses.post(f"{REST}/check-vat-number", body=fixture("rest_valid_se.json"), content_type="application/json")
    outcome = run_one(ViesCheck(), swedish(), ctx)
    assert outcome.status is Status.CLEAR
    assert json.loads(responses.calls[0].request.body) == {"countryCode": "SE", "vatNumber": "556677889901"}
    found = findings(outcome)
    assert found["vat.valid"] is True and found["vat.number"] == "SE556677889901"
    assert found["vat.name"] == "Skogs Aktiebolag i Norrland" and found["vat.address"] == "BOX 123, 901 03 UMEÅ"
    assert found["vat.request_date"] == "2026-09-22"
    assert len(outcome.evidence) == 1 and outcome.evidence[0].source == "eu.vies"


@responses.activate
def test_rest_masked_name_and_address_are_left_out(ctx: CheckContext) -> None:
    responses.post(f"{REST}/check-vat-number", body=fixture("rest_valid_masked_es.json"),
                   content_type="application/json")
    outcome = ViesCheck().run(Subject("organisation", 1, "Construcciones SL", "ES", {"vat": "ESB12345674"}), ctx)
    found = findings(outcome)
    assert found["vat.valid"] is True and "vat.name" not in found and "vat.address" not in found


@responses.activate
def test_rest_invalid_number_is_an_observation_with_valid_false(ctx: CheckContext) -> None:
    responses.post(f"{REST}/check-vat-number", body=fixture("rest_invalid.json"), content_type="application/json")
    outcome = run_one(ViesCheck(), Subject("organisation", 1, "Dansk ApS", "DK", {"vat": "DK12345674"}), ctx)
    assert outcome.status is Status.OBSERVATION and findings(outcome)["vat.valid"] is False


@responses.activate
def test_rest_invalid_input_needs_manual_input(ctx: CheckContext) -> None:
    responses.post(f"{REST}/check-vat-number", body=fixture("rest_error_invalid_input.json"), status=400,
                   content_type="application/json")
    outcome = run_one(ViesCheck(), swedish(), ctx)
    assert outcome.status is Status.NEEDS_MANUAL_INPUT and findings(outcome)["vat.invalid_input"] is True


@responses.activate
def test_member_state_unavailable_over_rest_is_an_error(ctx: CheckContext) -> None:
    responses.post(f"{REST}/check-vat-number", body=fixture("rest_error_ms_unavailable.json"),
                   content_type="application/json")
    with pytest.raises(SourceUnavailable, match="MS_UNAVAILABLE"):
        ViesCheck().run(swedish(), ctx)


@responses.activate
def test_rest_503_falls_back_to_soap(ctx: CheckContext) -> None:
    responses.post(f"{REST}/check-vat-number", status=503)
    responses.post(SOAP, body=fixture("soap_valid_se.xml"), content_type="text/xml; charset=utf-8")
    outcome = run_one(ViesCheck(), swedish(), ctx)
    assert outcome.status is Status.CLEAR
    found = findings(outcome)
    assert found["vat.valid"] is True and found["vat.name"] == "Skogs Aktiebolag i Norrland"
    envelope = responses.calls[1].request.body
    assert b"<urn:countryCode>SE</urn:countryCode>" in envelope and b"556677889901" in envelope
    assert outcome.evidence[0].source == "eu.vies.soap"
    assert outcome.explanation[0]["answered_by"] == "soap" and "503" in outcome.explanation[0]["rest"]


@responses.activate
def test_soap_invalid_number(ctx: CheckContext) -> None:
    responses.post(f"{REST}/check-vat-number", status=502)
    responses.post(SOAP, body=fixture("soap_invalid.xml"), content_type="text/xml")
    outcome = ViesCheck().run(Subject("organisation", 1, "Dansk ApS", "DK", {"vat": "DK12345674"}), ctx)
    assert findings(outcome)["vat.valid"] is False and "vat.name" not in findings(outcome)


@responses.activate
def test_soap_fault_invalid_input_needs_manual_input(ctx: CheckContext) -> None:
    responses.post(f"{REST}/check-vat-number", status=503)
    responses.post(SOAP, body=fixture("soap_fault_invalid_input.xml"), content_type="text/xml")
    outcome = run_one(ViesCheck(), swedish(), ctx)
    assert outcome.status is Status.NEEDS_MANUAL_INPUT
    assert outcome.reason == "VIES rejected the VAT number as invalid input; verify it"
    assert findings(outcome)["vat.invalid_input"] is True


@responses.activate
def test_soap_fault_sent_with_http_500_is_read_as_the_answer(ctx: CheckContext) -> None:
    # SOAP 1.1 sends faults with HTTP 500: the client returns a fault document instead of calling it an outage.
    responses.post(f"{REST}/check-vat-number", status=503)
    responses.post(SOAP, body=fixture("soap_fault_invalid_input.xml"), status=500, content_type="text/xml")
    outcome = run_one(ViesCheck(), swedish(), ctx)
    assert outcome.status is Status.NEEDS_MANUAL_INPUT and outcome.findings[0].code == "vat.invalid_input"


@responses.activate
def test_soap_500_without_a_fault_is_an_outage(ctx: CheckContext) -> None:
    responses.post(f"{REST}/check-vat-number", status=503)
    responses.post(SOAP, body=b"<html>Internal error</html>", status=500, content_type="text/html")
    assert run_one(ViesCheck(), swedish(), ctx).status is Status.ERROR


def test_soap_fault_ms_unavailable_is_source_unavailable() -> None:
    with pytest.raises(SourceUnavailable, match="MS_UNAVAILABLE"):
        parse_soap(fixture("soap_fault_ms_unavailable.xml"), 200)


def test_soap_parser_refuses_entities_and_foreign_xml() -> None:
    bomb = b'<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'
    with pytest.raises(SourceChanged):
        parse_soap(bomb, 200)
    with pytest.raises(SourceChanged):
        parse_soap(b"<html><body>Service down</body></html>", 200)


@responses.activate
def test_both_services_down_is_an_error(ctx: CheckContext) -> None:
    responses.post(f"{REST}/check-vat-number", status=503)
    responses.post(SOAP, status=503)
    outcome = run_one(ViesCheck(), swedish(), ctx)
    assert outcome.status is Status.ERROR and "eu.vies.soap" in outcome.reason


def test_which_number_is_asked() -> None:
    assert vat_of(swedish()) == ("SE", "556677889901")
    assert vat_of(Subject("organisation", 1, "X", "GR", {"vat": "GR094259216"})) == ("EL", "094259216")
    assert vat_of(Subject("organisation", 1, "X", "NO", {"vat": "NO912345602MVA"})) is None
    assert not ViesCheck().applies(Subject("organisation", 1, "X", "NO", {"no_orgnr": "912345602"}))
    assert ViesCheck().applies(swedish())


def test_soap_answer_must_echo_the_number_asked() -> None:
    body = fixture("soap_valid_se.xml")
    assert parse_soap(body, 200, ("SE", "556677889901"))["valid"] is True
    with pytest.raises(SourceChanged, match="'SE556016068001'"):
        parse_soap(body, 200, ("SE", "556016068001"))  # an answer about another number is no answer
    bare = (b'<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Body>'
            b'<checkVatResponse><valid>true</valid></checkVatResponse></env:Body></env:Envelope>')
    with pytest.raises(SourceChanged, match="countryCode/vatNumber"):
        parse_soap(bare, 200, ("SE", "556677889901"))


@responses.activate
def test_rest_answer_about_another_number_is_an_error(ctx: CheckContext) -> None:
    other = json.loads(fixture("rest_valid_se.json"))
    other.update(countryCode="LU", vatNumber="26375245")
    responses.post(f"{REST}/check-vat-number", json=other)
    outcome = run_one(ViesCheck(), swedish(), ctx)
    assert outcome.status is Status.ERROR and "LU26375245" in outcome.reason
