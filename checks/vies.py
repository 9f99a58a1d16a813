"""EU VIES: whether a VAT number is valid for intra-EU trade (REST service, SOAP service as fallback)."""
from __future__ import annotations

import re
from typing import Any, ClassVar
from xml.etree.ElementTree import Element, ParseError
from xml.sax.saxutils import escape

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from . import schema
from .contract import Check, CheckContext, Evidence, Finding, Outcome, Status, Subject
from .errors import CheckAbort, NotConfigured, SourceChanged, SourceUnavailable, SubjectRejected

SOURCE = "eu.vies"
SOAP_SOURCE = "eu.vies.soap"
# Country prefixes VIES answers for: the EU member states (Greece as EL) and Northern Ireland (XI).
VIES_COUNTRIES = frozenset({"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "HU", "IE",
                            "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "XI"})
# VIES error codes (REST errorWrappers[].error, SOAP faultstring) grouped by what they mean for the check.
REJECTED = frozenset({"INVALID_INPUT", "INVALID_REQUESTER_INFO", "VAT_BLOCKED"})
UNAVAILABLE = frozenset({"MS_UNAVAILABLE", "TIMEOUT", "SERVICE_UNAVAILABLE", "SERVER_BUSY", "MS_MAX_CONCURRENT_REQ",
                         "MS_MAX_CONCURRENT_REQ_TIME", "GLOBAL_MAX_CONCURRENT_REQ", "GLOBAL_MAX_CONCURRENT_REQ_TIME"})
_NUMBER = re.compile(r"^[A-Z0-9+*]{2,14}$")
_ENVELOPE = ('<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
             'xmlns:urn="urn:ec.europa.eu:taxud:vies:services:checkVat:types"><soapenv:Header/><soapenv:Body>'
             '<urn:checkVat><urn:countryCode>{cc}</urn:countryCode><urn:vatNumber>{number}</urn:vatNumber>'
             '</urn:checkVat></soapenv:Body></soapenv:Envelope>')


def vat_of(subject: Subject) -> tuple[str, str] | None:
    """(country code, number) to ask VIES: the subject's VAT number, else one derived from a Swedish orgnr."""
    raw = re.sub(r"[\s.\-]", "", subject.identifiers.get("vat") or "").upper()
    country = "EL" if raw[:2] == "GR" else raw[:2]
    if country in VIES_COUNTRIES and len(raw) > 2:
        return country, raw[2:]
    digits = re.sub(r"\D", "", subject.identifiers.get("se_orgnr") or "")
    if len(digits) in (10, 12):
        # A Swedish VAT number is SE + the 10-digit organisation number + "01".
        return "SE", digits[-10:] + "01"
    return None


class ViesCheck(Check):
    """Asks VIES whether the VAT number is valid; name and address as the member state reports them."""

    id = "eu.vies"
    version = "1"
    name = {"sv": "VIES (momsregistreringsnummer)", "en": "VIES (EU VAT number validation)"}
    applies_to = frozenset({"organisation"})
    sources: ClassVar[dict[str, str]] = {
        SOURCE: "https://ec.europa.eu/taxation_customs/vies/rest-api",
        SOAP_SOURCE: "https://ec.europa.eu/taxation_customs/vies/services/checkVatService"}
    sample_subject = Subject("organisation", 0, "Telefonaktiebolaget L M Ericsson", "SE", {"vat": "SE556016068001"})
    STATUSES = frozenset({Status.CLEAR, Status.NEEDS_MANUAL_INPUT})
    ADVERSE = {"vat.valid": lambda valid: valid is False}
    FINDINGS = {
        "vat.valid": "VIES says the VAT number is valid (true) or not valid for intra-EU trade (false).",
        "vat.number": "The VAT number asked (for a Swedish orgnr: SE + orgnr + 01).",
        "vat.name": "Name the member state reports for the number (absent when it masks it as ---).",
        "vat.address": "Address the member state reports for the number (absent when masked).",
        "vat.request_date": "The date VIES gives for the answer.",
        "vat.invalid_input": "VIES refused the number as invalid input (INVALID_INPUT / VAT_BLOCKED).",
    }

    def applies(self, subject: Subject) -> bool:
        """Organisations with an EU VAT number or a Swedish organisation number."""
        return subject.kind == "organisation" and vat_of(subject) is not None

    def run(self, subject: Subject, ctx: CheckContext) -> Outcome:
        """POST check-vat-number; if REST is unavailable, POST a checkVat envelope to the SOAP service."""
        if ctx.http is None:
            raise NotConfigured("no HTTP client is configured for register checks", code="no_http_client")
        vat = vat_of(subject)
        if vat is None:
            raise SubjectRejected("the subject has no EU VAT number", code="no_vat", source=SOURCE)
        country, number = vat
        if not _NUMBER.match(number):
            raise SubjectRejected(f"{country}{number!r} is not a VAT number VIES can be asked about", code="not_vat",
                                  source=SOURCE, identifier=f"{country}{number}")
        derived = not subject.identifiers.get("vat")
        try:
            fetched = ctx.http.post(SOURCE, "check-vat-number", json={"countryCode": country, "vatNumber": number},
                                    idempotent=True)
        except SourceUnavailable as exc:
            # The SOAP service is a separate front end to the same member-state systems; it often answers when REST
            # does not, so one try there before giving up.
            envelope = _ENVELOPE.format(cc=escape(country), number=escape(number)).encode()
            soap = ctx.http.post(SOAP_SOURCE, "", data=envelope, expect="xml", idempotent=True, fault_status=500,
                                 headers={"Content-Type": "text/xml; charset=utf-8", "SOAPAction": ""})
            answer = parse_soap(soap.body, soap.status, (country, number))
            return _outcome(answer, soap.evidence, country, number, derived,
                            ({"rest": str(exc), "answered_by": "soap"},))
        return _outcome(parse_rest(fetched.json() if fetched.body.strip() else None, fetched.status, (country, number)),
                        fetched.evidence, country, number, derived, ({"answered_by": "rest"},))


def _outcome(answer: dict[str, Any], evidence: Evidence, country: str, number: str, derived: bool,
             explanation: tuple[dict[str, Any], ...]) -> Outcome:
    asked = f"{country}{number}"
    if answer.get("error"):
        return Outcome(Status.NEEDS_MANUAL_INPUT,
                       (Finding("vat.invalid_input", True, f"VIES refused {asked}: {answer['error']}", 0),
                        Finding("vat.number", asked, f"Asked VIES about {asked}", 0)),
                       (evidence,), "VIES rejected the VAT number as invalid input; verify it", explanation)
    valid = answer["valid"]
    how = " (derived from the Swedish organisation number)" if derived else ""
    findings = [Finding("vat.valid", valid, f"{asked}{how} is {'valid' if valid else 'not valid'} in VIES", 0),
                Finding("vat.number", asked, f"Asked VIES about {asked}{how}", 0)]
    for key in ("name", "address"):
        if answer.get(key):
            findings.append(Finding(f"vat.{key}", answer[key], f"VIES {key}: {answer[key]}", 0))
    if answer.get("request_date"):
        findings.append(Finding("vat.request_date", answer["request_date"], f"Answered {answer['request_date']}", 0))
    return Outcome(Status.CLEAR, tuple(findings), (evidence,), None, explanation)


def _clean(value: Any) -> str | None:
    """Name/address as one line; None when absent or masked ("---")."""
    if not isinstance(value, str):
        return None
    text = ", ".join(line.strip() for line in value.splitlines() if line.strip())
    return None if text in ("", "---") else text


def _error(code: str) -> dict[str, Any]:
    if code in REJECTED:
        return {"error": code}
    if code in UNAVAILABLE:
        raise SourceUnavailable(f"VIES: {code} (the member state's register did not answer)",
                                code="member_state_unavailable", got=code)
    if code == "IP_BLOCKED":
        raise CheckAbort("VIES: IP_BLOCKED (this server may not query VIES for now)", code="ip_blocked", got=code)
    raise SourceChanged(f"VIES: unknown error code {code!r}", code="unknown_error_code", got=code)


def parse_rest(data: Any, status: int, asked: tuple[str, str] | None = None) -> dict[str, Any]:
    """{valid, name, address, request_date} or {error} from a check-vat-number answer; raises on anything else.

    With ``asked`` (country, number) the answer must echo both: an answer about another number is no answer.
    """
    if isinstance(data, dict) and data.get("errorWrappers"):
        wrappers = data["errorWrappers"]
        code = wrappers[0].get("error") if isinstance(wrappers, list) and isinstance(wrappers[0], dict) else None
        return _error(str(code))
    if status != 200 or not isinstance(data, dict) or not isinstance(data.get("valid"), bool):
        raise SourceChanged(f"{SOURCE}: oväntat svar (HTTP {status}) utan ett sant/falskt 'valid'", code="no_verdict",
                            source=SOURCE, status=status, field="valid")
    if asked is not None:
        _echo(SOURCE, schema.field(data, "countryCode", str, SOURCE), schema.field(data, "vatNumber", str, SOURCE),
              asked)
    date = data.get("requestDate")
    return {"valid": data["valid"], "name": _clean(data.get("name")), "address": _clean(data.get("address")),
            "request_date": date[:10] if isinstance(date, str) and date else None}


def _local(element: Element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _echo(source: str, country: str, number: str, asked: tuple[str, str]) -> None:
    """VIES repeats the number it answered about; it must be the one asked (spaces and the prefix aside)."""
    got = (country.strip().upper(), re.sub(r"[\s.\-]", "", number).upper().removeprefix(country.strip().upper()))
    schema.echoed(source, f"{got[0]}{got[1]}", f"{asked[0]}{asked[1]}")


_SOAP_ANSWERS = ("checkVatResponse", "checkVatApproxResponse")


def parse_soap(body: bytes, status: int, asked: tuple[str, str] | None = None) -> dict[str, Any]:
    """{valid, name, address, request_date} or {error} from a checkVat SOAP answer or fault (parsed with defusedxml)."""
    try:
        root = fromstring(body)
    except (ParseError, DefusedXmlException) as exc:
        raise SourceChanged(f"{SOAP_SOURCE}: the answer is not the SOAP XML expected ({exc})", code="not_xml",
                            source=SOAP_SOURCE) from exc
    if _local(root) != "Envelope":
        raise SourceChanged(f"{SOAP_SOURCE}: the answer is not a SOAP envelope", code="not_expected_document",
                            source=SOAP_SOURCE, what="soap:Envelope")
    fault = next((e for e in root.iter() if _local(e) == "Fault"), None)
    if fault is not None:
        text = next((e.text for e in fault.iter() if _local(e) == "faultstring"), None)
        return _error((text or "").strip())
    # checkVatApprox (the operation that also returns a consultation number) answers with the same verdict under
    # another element name and trader* fields; both are answers of this service, read the same way.
    response = next((e for e in root.iter() if _local(e) in _SOAP_ANSWERS), None)
    if response is None or status != 200:
        raise SourceChanged(f"{SOAP_SOURCE}: no checkVatResponse in the answer (HTTP {status})", code="part_missing",
                            source=SOAP_SOURCE, status=status, what="checkVatResponse")
    fields = {_local(e): (e.text or "") for e in response}
    if fields.get("valid") not in ("true", "false"):
        raise SourceChanged(f"{SOAP_SOURCE}: checkVatResponse utan ett sant/falskt 'valid'", code="no_verdict",
                            source=SOAP_SOURCE, status=status, field="valid")
    if asked is not None:
        if "countryCode" not in fields or "vatNumber" not in fields:
            raise SourceChanged(f"{SOAP_SOURCE}: checkVatResponse saknar countryCode/vatNumber, så det går inte att "
                                f"se vilket nummer svaret gäller", code="field_missing", source=SOAP_SOURCE,
                                field="countryCode/vatNumber")
        _echo(SOAP_SOURCE, fields["countryCode"], fields["vatNumber"], asked)
    return {"valid": fields["valid"] == "true", "name": _clean(fields.get("name", fields.get("traderName"))),
            "address": _clean(fields.get("address", fields.get("traderAddress"))),
            "request_date": (fields.get("requestDate") or "")[:10] or None}
