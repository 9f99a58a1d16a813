"""Read an ESPD-EDM response (2.1.1 basic and extended, 3.3.0, 4.1.0) with defusedxml: no DTD, no entities.

The versions differ in little that matters here: how the version is stated (2.1.1 in ``cbc:VersionID`` or
the code lists' version, 3.x/4.x in ``cbc:ProfileExecutionID``), the criterion type codes (long in 2.1.1,
short in 3.x/4.x; the criterion UUIDs are the same) and property ids (UUIDs in 2.1.1, paths later). The
structure read is shared: ``cac:TenderingCriterion`` holds nested ``cac:TenderingCriterionProperty``
questions; each ``cac:TenderingCriterionResponse`` answers one question by ``ValidatedCriterionPropertyID``.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from .criteria import criterion_of
from .model import Answer, Detail, EconomicOperator, EspdError, EspdResponse

MAX_BYTES = 5 * 1024 * 1024  # the official examples are 0.7-1.3 MB; a real response is smaller
SUPPORTED_VERSIONS = ("2.1.1", "3.3.0", "4.1.0")
_UBL = "urn:oasis:names:specification:ubl:schema:xsd:"
RESPONSE = f"{{{_UBL}QualificationApplicationResponse-2}}QualificationApplicationResponse"
REQUEST = f"{{{_UBL}QualificationApplicationRequest-2}}QualificationApplicationRequest"
CAC = f"{{{_UBL}CommonAggregateComponents-2}}"
CBC = f"{{{_UBL}CommonBasicComponents-2}}"
_PROFILE = re.compile(r"ESPD-EDMv(\d+\.\d+\.\d+)")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
# cbc:* inside cac:ResponseValue -> the kind of answer it carries.
_VALUE_KINDS = {"ResponseIndicator": "indicator", "ResponseDate": "date", "Description": "description",
                "ResponseAmount": "amount", "ResponseQuantity": "quantity", "ResponseNumeric": "quantity",
                "ResponseCode": "code", "ResponseURI": "url", "ResponseID": "identifier"}


def _words(text: str | None) -> str:
    return " ".join((text or "").split())


def _code(text: str | None) -> str:
    return "".join((text or "").split())  # 3.3.0 breaks a code over two lines


def _child(el: Element, path: str) -> str:
    found = el.find(path)
    return _words(found.text) if found is not None else ""


def _xml(data: bytes) -> Element:
    if len(data) > MAX_BYTES:
        raise EspdError("too_large", limit_mb=MAX_BYTES // (1024 * 1024))
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf"):
        raise EspdError("empty")
    try:
        return SafeET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise EspdError("forbidden") from None
    except (LookupError, UnicodeError, ValueError):
        raise EspdError("encoding") from None  # an encoding expat does not know, or bytes that are not in it
    except ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else 0
        # expat's "no element found" (3) and "unclosed token" (5) on the last line: the input ended mid-document.
        truncated = getattr(exc, "code", None) in (3, 5) and line >= data.rstrip().count(b"\n") + 1
        raise EspdError("truncated" if truncated else "malformed", line=line) from None


def _version(root: Element) -> tuple[str, str | None]:
    """The ESPD-EDM version and (2.1.1) the profile; EspdError("unknown_version") for anything else."""
    profile = root.find(f"{CBC}ProfileExecutionID")
    if profile is not None:
        m = _PROFILE.search(_words(profile.text)) or _PROFILE.search("ESPD-EDMv" + profile.get("schemeVersionID", ""))
        version = m.group(1) if m else _words(profile.text)
        if version in SUPPORTED_VERSIONS and version != "2.1.1":
            return version, None
        raise EspdError("unknown_version", version=version[:20] or "?")
    kind = root.find(f"{CBC}QualificationApplicationTypeCode")
    stated = {_words(root.findtext(f"{CBC}VersionID")), kind.get("listVersionID", "") if kind is not None else ""}
    if _child(root, f"{CBC}UBLVersionID") == "2.2" and "2.1.1" in stated:
        return "2.1.1", _words(kind.text) if kind is not None else None
    raise EspdError("unknown_version", version=(_child(root, f"{CBC}VersionID") or "?")[:20])


def _operator(root: Element) -> EconomicOperator:
    party = root.find(f"{CAC}EconomicOperatorParty/{CAC}Party")
    if party is None:
        raise EspdError("no_operator")
    ids = [_code(e.text) for path in (f"{CAC}PartyIdentification/{CBC}ID", f"{CAC}PartyLegalEntity/{CBC}CompanyID",
                                      f"{CAC}PartyTaxScheme/{CBC}CompanyID") for e in party.findall(path)]
    name = _child(party, f"{CAC}PartyName/{CBC}Name")
    country = _code(party.findtext(f"{CAC}PostalAddress/{CAC}Country/{CBC}IdentificationCode")) or None
    return EconomicOperator(name, tuple(dict.fromkeys(i for i in ids if i)), country)


def _values(response: Element) -> Iterator[tuple[str, Any]]:
    """(kind, value) of every value in one TenderingCriterionResponse."""
    for rv in response.findall(f"{CAC}ResponseValue"):
        for el in rv:
            kind = _VALUE_KINDS.get(el.tag.removeprefix(CBC)) if el.tag.startswith(CBC) else None
            text = _words(el.text)
            if kind is None or not text:
                continue
            if kind == "indicator":
                yield kind, {"true": True, "false": False}.get(text.lower())
            elif kind == "date":
                yield kind, text[:10] if _DATE.match(text) else text
            elif kind == "amount":
                yield kind, {"amount": text, "currency": el.get("currencyID", "")}
            else:
                yield kind, text
    for period in response.findall(f"{CAC}ApplicablePeriod"):
        start, end = _child(period, f"{CBC}StartDate")[:10], _child(period, f"{CBC}EndDate")[:10]
        if start or end:
            yield "period", {"start": start or None, "end": end or None}
    for evidence in response.findall(f"{CAC}EvidenceSupplied/{CBC}ID"):
        if _words(evidence.text):
            yield "identifier", _words(evidence.text)


def _answer(criterion: Element, responses: dict[str, list[Element]]) -> Answer | None:
    uuid = _code(criterion.findtext(f"{CBC}ID"))
    code = _code(criterion.findtext(f"{CBC}CriterionTypeCode"))
    known = criterion_of(uuid, code)
    if known is None:
        return None
    declared: bool | None = None
    main: str | None = None
    details: list[Detail] = []
    for prop in criterion.iter(f"{CAC}TenderingCriterionProperty"):
        if _code(prop.findtext(f"{CBC}TypeCode")) != "QUESTION":
            continue
        question = _child(prop, f"{CBC}Description")
        values = [v for r in responses.get(_code(prop.findtext(f"{CBC}ID")), ()) for v in _values(r)]
        indicator = _code(prop.findtext(f"{CBC}ValueDataTypeCode")) == "INDICATOR"
        if indicator and (main is None or question.casefold() == main):
            # The first yes/no question is "Your answer" in every version (3.3.0 repeats it per lot);
            # the questions after it are the details the supplier gives when it answers yes.
            main = question.casefold() if main is None else main
            if declared is None:
                declared = next((v for k, v in values if k == "indicator"), None)
            continue
        details.extend(Detail(question, kind, value) for kind, value in values if value is not None)
    return Answer(uuid, code, _child(criterion, f"{CBC}Name"), known.ground, known.indicator, declared,
                  tuple(details))


def parse(data: bytes) -> EspdResponse:
    """The ESPD response in ``data``, or EspdError saying why it cannot be read (nothing is half-read)."""
    root = _xml(data)
    if root.tag == REQUEST:
        raise EspdError("request")
    if root.tag != RESPONSE:
        raise EspdError("not_espd")
    version, profile = _version(root)
    operator = _operator(root)
    criteria = root.findall(f"{CAC}TenderingCriterion")
    if not criteria:
        raise EspdError("no_criteria")
    responses: dict[str, list[Element]] = {}
    for r in root.findall(f"{CAC}TenderingCriterionResponse"):
        responses.setdefault(_code(r.findtext(f"{CBC}ValidatedCriterionPropertyID")), []).append(r)
    answers = tuple(a for a in (_answer(c, responses) for c in criteria) if a is not None)
    if not answers:
        raise EspdError("no_criteria")
    issued = _child(root, f"{CBC}IssueDate")[:10] or None
    return EspdResponse(version, profile, _child(root, f"{CBC}ID") or None,
                        _child(root, f"{CBC}ContractFolderID") or None,
                        issued if issued and _DATE.match(issued) else None, operator, answers)
