"""Fuzzing of everything that reads outside input: only a named, explained error may come out, never a bare one.

Import files (CSV/XLSX) may raise only DomainError (ImportFileError / InvalidInput); identifier, date, amount
and manual-answer validators only InvalidInput; a register check's ``run``, fed any bytes or a damaged copy
of a real answer through the real HttpClient (a fake session underneath), only CheckError. The list importers
are fuzzed in tests/test_lists_importers.py.
"""
from __future__ import annotations

import copy
import io
import json
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checks import CheckContext, Outcome, Subject
from checks.arbetsmiljoverket import ArbetsmiljoverketCheck
from checks.bolagsverket import BolagsverketCheck
from checks.brreg import BrregCheck
from checks.companies_house import CompaniesHouseCheck
from checks.errors import CheckError
from checks.gleif import GleifCheck
from checks.http import HostPolicy, HttpClient
from checks.vies import ViesCheck
from vetting.domain import identifiers, imports, manual
from vetting.domain.errors import DomainError, InvalidInput
from vetting.domain.procurements import parse_amount
from vetting.domain.screening import all_checks

FIXTURES = Path(__file__).parent / "fixtures"
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                        HealthCheck.too_slow])
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4), max_leaves=12)


# --- import files ----------------------------------------------------------------------------------------------

HEADERS = {"organisations": ["namn", "land", "organisationsnummer", "adress", "sni"],
           "persons": ["organisationsnummer", "namn", "roll", "personnummer", "födelsedatum", "nationalitet"]}
CELL = st.one_of(TEXT, st.sampled_from(["SE", "NO", "GB", "556677-8899", "5566778899", "19700312-1238", "VD",
                                        "styrelseledamot", "1970-03-12", "", ";", '"', "\r\n", "=cmd|' /C calc'!A0"]))


def _csv(header: list[str], rows: list[list[str]], delimiter: str) -> bytes:
    import csv

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _parse_only_domain_errors(db: Any, kind: str, data: bytes, filename: str) -> None:
    try:
        preview = imports.parse(db, kind, data, filename)
    except DomainError:
        return
    assert all(isinstance(r["reason"], str) for r in preview.rejected)


@FUZZ
@given(kind=st.sampled_from(imports.KINDS), data=st.binary(max_size=2000))
def test_import_of_random_bytes_raises_only_domain_errors(db, kind, data):
    _parse_only_domain_errors(db, kind, data, "fil.csv")


@FUZZ
@given(kind=st.sampled_from(imports.KINDS), data=st.binary(max_size=600))
def test_import_of_zip_like_bytes_raises_only_domain_errors(db, kind, data):
    _parse_only_domain_errors(db, kind, b"PK\x03\x04" + data, "fil.xlsx")


@FUZZ
@given(kind=st.sampled_from(imports.KINDS), delimiter=st.sampled_from([";", ",", "\t", "|"]),
       rows=st.lists(st.lists(CELL, max_size=7), max_size=6), encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
def test_import_of_csv_shaped_files_raises_only_domain_errors(db, kind, delimiter, rows, encoding):
    data = _csv(HEADERS[kind], rows, delimiter).decode("utf-8").encode(encoding, errors="replace")
    _parse_only_domain_errors(db, kind, data, "fil.csv")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(kind=st.sampled_from(imports.KINDS), rows=st.lists(st.lists(st.one_of(CELL, st.integers(), st.floats(),
                                                                               st.booleans(), st.none()),
                                                                     max_size=7), max_size=5))
def test_import_of_xlsx_files_with_any_cells_raises_only_domain_errors(db, kind, rows):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS[kind])
    for row in rows:
        sheet.append([v if not isinstance(v, str) else "".join(c for c in v if c.isprintable()) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    _parse_only_domain_errors(db, kind, buffer.getvalue(), "fil.xlsx")


# --- validators of typed-in values -----------------------------------------------------------------------------

def _only_invalid_input(call: Callable[[], Any]) -> None:
    try:
        call()
    except InvalidInput:
        pass


@FUZZ
@given(kind=st.sampled_from([*identifiers.IDENTIFIER_TYPES, "unknown"]), raw=TEXT)
def test_identifier_validation_raises_only_invalid_input(kind, raw):
    _only_invalid_input(lambda: identifiers.validate_identifier(kind, raw))


@FUZZ
@given(raw=st.one_of(TEXT, st.from_regex(r"\A(19|20)?\d{6}[-+]?\d{4}\Z")))
def test_personnummer_validation_raises_only_invalid_input(raw):
    _only_invalid_input(lambda: identifiers.validate_personnummer(raw))


@FUZZ
@given(raw=st.one_of(TEXT, st.from_regex(r"\A\d{4}(-\d{2}(-\d{2})?)?\Z")))
def test_birth_date_validation_raises_only_invalid_input(raw):
    _only_invalid_input(lambda: identifiers.validate_birth_date(raw))


@FUZZ
@given(raw=TEXT)
def test_country_validation_raises_only_invalid_input(raw):
    _only_invalid_input(lambda: identifiers.validate_country(raw))


@FUZZ
@given(raw=st.one_of(TEXT, st.integers(), st.floats(), st.decimals(), st.none()))
def test_amount_parsing_raises_only_invalid_input(raw):
    _only_invalid_input(lambda: parse_amount(raw))


@FUZZ
@given(check_id=st.sampled_from(["se.skatteverket", "se.kronofogden", "se.poit", "se.naringsforbud", "espd"]),
       data=st.data())
def test_manual_answers_raise_only_invalid_input(check_id, data):
    check = all_checks()[check_id]
    raw = {f.name: data.draw(st.one_of(TEXT, st.sampled_from(["yes", "no", "2026-01-01", "12 500", *[c for c, _l in
                                                                                                    f.choices]])))
           for f in check.FIELDS}
    _only_invalid_input(lambda: manual.clean_answer(check, raw))


@FUZZ
@given(name=TEXT, data=st.binary(max_size=300))
def test_manual_documents_raise_only_invalid_input(name, data):
    _only_invalid_input(lambda: manual.clean_document(name, data))


# --- register checks: any answer, through the real HttpClient ----------------------------------------------------

class FakeSession:
    """Stands where requests.Session stands: every request gets the next drawn answer (status, type, body)."""

    def __init__(self, answer: Callable[[str, str], tuple[int, str, bytes]]) -> None:
        self.answer = answer
        self.calls = 0

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        self.calls += 1
        if self.calls > 50:
            raise AssertionError("the check keeps asking (a loop on odd answers?)")
        status, content_type, body = self.answer(method, url)
        response = requests.Response()
        response.status_code, response.url, response.reason = status, url, "Fuzzed"
        response.headers["Content-Type"] = content_type
        response._content, response._content_consumed = body, True
        return response


BASES = {"se.bolagsverket": "https://gw.api.bolagsverket.se/vardefulla-datamangder/v1",
         "se.bolagsverket.token": "https://portal.api.bolagsverket.se/oauth2/token",
         "no.brreg": "https://data.brreg.no/enhetsregisteret/api",
         "gleif": "https://api.gleif.org/api/v1",
         "eu.vies": "https://ec.europa.eu/taxation_customs/vies/rest-api",
         "eu.vies.soap": "https://ec.europa.eu/taxation_customs/vies/services/checkVatService",
         "gb.companies_house": "https://api.company-information.service.gov.uk",
         "se.arbetsmiljoverket": "https://www.av.se/om-oss/diarium-och-allmanna-handlingar/bestall-handlingar"}
SE = Subject("organisation", 1, "Skogs Aktiebolag i Norrland", "SE", {"se_orgnr": "5566778899"})
CHECKS: dict[str, tuple[type, Subject, dict[str, Any]]] = {
    "se.bolagsverket": (BolagsverketCheck, SE, {"client_id": "id", "client_secret": "secret"}),
    "no.brreg": (BrregCheck, Subject("organisation", 1, "Fjordbygg AS", "NO", {"no_orgnr": "912345602"}), {}),
    "gleif": (GleifCheck, Subject("organisation", 1, "Fjordbygg AS", "NO", {"lei": "549300FJORDBYGG0NO12"}), {}),
    "eu.vies": (ViesCheck, SE, {}),
    "gb.companies_house": (CompaniesHouseCheck, Subject("organisation", 1, "Thames Ltd", "GB",
                                                         {"gb_company": "09876543"}), {"api_key": "k"}),
    "se.arbetsmiljoverket": (ArbetsmiljoverketCheck, SE, {}),
}
# The answer a healthy register gives for a request, by a piece of its URL (first match wins).
HAPPY = {
    "se.bolagsverket": [("oauth2/token", "token.json"), ("", "organisation_active.json")],
    "no.brreg": [("/roller", "roller.json"), ("", "enhet_konkurs.json")],
    "gleif": [("-parent", "lei_parent.json"), ("", "lei_issued_with_parent.json")],
    "eu.vies": [("checkVatService", "soap_valid_se.xml"), ("", "rest_valid_se.json")],
    "gb.companies_house": [("/officers", "officers.json"), ("/insolvency", "insolvency.json"),
                           ("search/disqualified", "search_disqualified_whitfield.json"),
                           ("disqualified-officers", "disqualified_natural.json"), ("", "company_liquidation.json")],
    "se.arbetsmiljoverket": [("", "search_result_page1.html")],
}


def _run(check_id: str, answer: Callable[[str, str], tuple[int, str, bytes]]) -> None:
    check_class, subject, check_settings = CHECKS[check_id]
    check = check_class()  # a fresh instance: no token cached from an earlier example
    hosts = {name: HostPolicy(base, retries=0) for name, base in BASES.items()}
    http = HttpClient(hosts, session=FakeSession(answer), sleep=lambda s: None)  # type: ignore[arg-type]
    ctx = CheckContext(settings=check_settings, http=http, now=lambda: datetime(2026, 10, 1, 9, 0, tzinfo=timezone.utc))
    try:
        outcome = check.run(subject, ctx)
    except CheckError:
        return
    assert isinstance(outcome, Outcome)


ANSWER = st.tuples(st.sampled_from([200, 200, 200, 204, 400, 404, 410, 422]),
                   st.sampled_from(["application/json", "text/html; charset=utf-8", "text/xml", "",
                                    "application/json; charset=latin-1"]),
                   st.one_of(st.binary(max_size=300), JSON.map(lambda v: json.dumps(v).encode())))


@pytest.mark.parametrize("check_id", CHECKS)
@FUZZ
@given(answers=st.lists(ANSWER, min_size=1, max_size=4))
def test_check_given_any_answer_raises_only_check_errors(check_id, answers):
    queue = iter(answers * 20)
    _run(check_id, lambda method, url: next(queue))


def _mutate_json(doc: Any, data: st.DataObject) -> Any:
    """Replace or delete one value somewhere in the document (a field renamed, retyped or gone)."""
    if not isinstance(doc, (dict, list)) or not doc or data.draw(st.integers(0, 3)) == 0:
        return data.draw(JSON)
    doc = copy.copy(doc)
    key = data.draw(st.sampled_from(sorted(doc) if isinstance(doc, dict) else range(len(doc))))
    action = data.draw(st.sampled_from(["recurse", "recurse", "replace", "delete"]))
    if action == "delete":
        del doc[key]
    elif action == "replace":
        doc[key] = data.draw(JSON)
    else:
        doc[key] = _mutate_json(doc[key], data)
    return doc


def _mutate_text(body: bytes, data: st.DataObject) -> bytes:
    """Cut the page short, drop a slice or splice in random bytes (a layout change or a truncated transfer)."""
    start = data.draw(st.integers(0, len(body)))
    end = data.draw(st.integers(start, len(body)))
    how = data.draw(st.sampled_from(["truncate", "drop", "splice"]))
    if how == "truncate":
        return body[:start]
    if how == "drop":
        return body[:start] + body[end:]
    return body[:start] + data.draw(st.binary(max_size=40)) + body[end:]


@pytest.mark.parametrize("check_id", CHECKS)
@FUZZ
@given(data=st.data())
def test_check_given_damaged_real_answers_raises_only_check_errors(check_id, data):
    answers = {}
    for _piece, name in HAPPY[check_id]:  # drawn before the run, so every run draws the same way
        body = (FIXTURES / check_id / name).read_bytes()
        if name.endswith(".json"):
            answers[name] = (200, "application/json", json.dumps(_mutate_json(json.loads(body), data)).encode())
        else:
            answers[name] = (200, "text/xml" if name.endswith(".xml") else "text/html; charset=utf-8",
                             _mutate_text(body, data))
    _run(check_id, lambda method, url: answers[next(name for piece, name in HAPPY[check_id] if piece in url)])


def test_fixtures_for_the_happy_paths_exist():
    """Guard for the table above: a renamed fixture would otherwise fuzz nothing."""
    missing = [f"{check_id}/{name}" for check_id, pairs in HAPPY.items() for _piece, name in pairs
               if not (FIXTURES / check_id / name).is_file()]
    assert missing == []
