"""The check contract's meta-test: every check has fixtures and a fixture-based case here for every status it can
return (its declared STATUSES, error always, observation when it declares adverse findings).

A new check, or a new status of an old one, fails ``test_every_check_has_a_case_per_status`` until its cases exist.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
import responses

from checks import CheckContext, Outcome, Status, Subject, discover
from checks.http import HttpClient
from checks.listmatch import ListMatch
from checks.policy import HostPolicy
from vetting.domain.runner import run_one

FIXTURES = Path(__file__).parent / "fixtures"
CHECKS = discover(include_entry_points=False)
JSON = "application/json"
NOW = datetime(2026, 10, 1, 9, 0, tzinfo=timezone.utc)
HTML = "<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>"


def _body(path: str) -> bytes:
    return (FIXTURES / path).read_bytes()


def _ctx(check_id: str, settings: dict[str, Any] | None = None, **inputs: Any) -> CheckContext:
    hosts = {source: HostPolicy(url, retries=0) for source, url in CHECKS[check_id].sources.items()}
    return CheckContext(settings=settings or {}, inputs=inputs, http=HttpClient(hosts, sleep=lambda s: None),
                        now=lambda: NOW)


def _serve(check_id: str, answers: list[tuple[str, str, str, int, str]]) -> None:
    """(method, source, path, status, fixture path or literal body) served at the check's default addresses."""
    for method, source, path, status, body in answers:
        url = CHECKS[check_id].sources[source].rstrip("/") + ("/" + path.lstrip("/") if path else "")
        data = _body(body) if (FIXTURES / body).is_file() else body.encode()
        kind = "text/html; charset=utf-8" if data.lstrip()[:1] == b"<" else JSON
        responses.add(method, url, body=data, status=status, content_type=kind)


BR, GL, CH, BV, AV = "no.brreg", "gleif", "gb.companies_house", "se.bolagsverket", "se.arbetsmiljoverket"
AR = "se.bolagsverket.arsredovisning"
NO = Subject("organisation", 1, "Fjordbygg AS", "NO", {"no_orgnr": "912345602"})
LEI = Subject("organisation", 1, "Fjordbygg AS", "NO", {"lei": "549300FJORDBYGG0NO12"})
GB = Subject("organisation", 1, "Thames Ltd", "GB", {"gb_company": "09876543"})
SE = Subject("organisation", 1, "Skogs Aktiebolag i Norrland", "SE", {"se_orgnr": "5566778899"})
SE_AV = Subject("organisation", 1, "Städproffsen i Mälardalen AB", "SE", {"se_orgnr": "5591234561"})
CH_KEY = {"api_key": "k"}
BV_KEYS = {"client_id": "id", "client_secret": "secret"}
TOKEN = ("POST", "se.bolagsverket.token", "", 200, "se.bolagsverket/token.json")
OFFICERS_NONE = '{"items": [], "items_per_page": 35, "start_index": 0, "total_results": 0, "kind": "officer-list"}'

# (check, status) -> (subject, settings, inputs, answers served)
Case = tuple[Subject, dict[str, Any], dict[str, Any], list[tuple[str, str, str, int, str]]]
CASES: dict[tuple[str, Status], Case] = {
    (BR, Status.CLEAR): (NO, {}, {}, [("GET", BR, "enheter/912345602", 200, "no.brreg/enhet_active.json"),
                                      ("GET", BR, "enheter/912345602/roller", 200, "no.brreg/roller.json")]),
    (BR, Status.OBSERVATION): (Subject("organisation", 1, "Renhold", "NO", {"no_orgnr": "921456700"}), {}, {},
                               [("GET", BR, "enheter/921456700", 200, "no.brreg/enhet_konkurs.json"),
                                ("GET", BR, "enheter/921456700/roller", 404, "no.brreg/roller_not_found_404.json")]),
    (BR, Status.NEEDS_MANUAL_INPUT): (NO, {}, {}, [("GET", BR, "enheter/912345602", 404,
                                                    "no.brreg/not_found_404.json")]),
    (BR, Status.ERROR): (NO, {}, {}, [("GET", BR, "enheter/912345602", 404, HTML)]),
    (GL, Status.CLEAR): (LEI, {}, {}, [
        ("GET", GL, "lei-records/549300FJORDBYGG0NO12", 200, "gleif/lei_issued_with_parent.json"),
        ("GET", GL, "lei-records/549300FJORDBYGG0NO12/direct-parent", 200, "gleif/lei_parent.json")]),
    (GL, Status.OBSERVATION): (Subject("organisation", 1, "Skogs AB", "SE", {"lei": "213800SKOGSAKTIEBO60"}), {}, {},
                               [("GET", GL, "lei-records/213800SKOGSAKTIEBO60", 200, "adverse/edited/gleif_retired.json")]),
    (GL, Status.NEEDS_MANUAL_INPUT): (LEI, {}, {}, [("GET", GL, "lei-records/549300FJORDBYGG0NO12", 404,
                                                     "gleif/not_found.json")]),
    (GL, Status.ERROR): (LEI, {}, {}, [("GET", GL, "lei-records/549300FJORDBYGG0NO12", 400, HTML)]),
    ("eu.vies", Status.CLEAR): (SE, {}, {}, [("POST", "eu.vies", "check-vat-number", 200, "eu.vies/rest_valid_se.json")]),
    ("eu.vies", Status.OBSERVATION): (Subject("organisation", 1, "Dansk ApS", "DK", {"vat": "DK12345674"}), {}, {},
                                      [("POST", "eu.vies", "check-vat-number", 200, "eu.vies/rest_invalid.json")]),
    ("eu.vies", Status.NEEDS_MANUAL_INPUT): (SE, {}, {}, [("POST", "eu.vies", "check-vat-number", 400,
                                                           "eu.vies/rest_error_invalid_input.json")]),
    ("eu.vies", Status.ERROR): (SE, {}, {}, [("POST", "eu.vies", "check-vat-number", 200, "[]")]),
    (CH, Status.CLEAR): (GB, CH_KEY, {}, [
        ("GET", CH, "company/09876543", 200, "gb.companies_house/company_active.json"),
        ("GET", CH, "company/09876543/officers", 200, "gb.companies_house/officers.json"),
        ("GET", CH, "search/disqualified-officers", 200, "gb.companies_house/search_disqualified_empty.json")]),
    (CH, Status.OBSERVATION): (Subject("organisation", 1, "Carillion", "GB", {"gb_company": "03782379"}), CH_KEY, {}, [
        ("GET", CH, "company/03782379", 200, "adverse/real/ch_profile_03782379_carillion.json"),
        ("GET", CH, "company/03782379/officers", 200, OFFICERS_NONE),
        ("GET", CH, "company/03782379/insolvency", 200, "adverse/real/ch_insolvency_03782379_carillion.json")]),
    (CH, Status.NEEDS_MANUAL_INPUT): (GB, CH_KEY, {}, [("GET", CH, "company/09876543", 404,
                                                        "gb.companies_house/not_found.json")]),
    (CH, Status.ERROR): (GB, CH_KEY, {}, [("GET", CH, "company/09876543", 404, HTML)]),
    (BV, Status.CLEAR): (SE, BV_KEYS, {}, [TOKEN, ("POST", BV, "organisationer", 200,
                                                   "se.bolagsverket/organisation_active.json")]),
    (BV, Status.OBSERVATION): (SE_AV, BV_KEYS, {}, [TOKEN, ("POST", BV, "organisationer", 200,
                                                         "se.bolagsverket/organisation_konkurs.json")]),
    (BV, Status.NEEDS_MANUAL_INPUT): (SE, BV_KEYS, {}, [TOKEN, ("POST", BV, "organisationer", 200,
                                                                "se.bolagsverket/organisation_finns_ej.json")]),
    (BV, Status.ERROR): (SE, BV_KEYS, {}, [TOKEN, ("POST", BV, "organisationer", 404, HTML)]),
    (AV, Status.CLEAR): (SE_AV, {}, {}, [("GET", AV, "/", 200, "se.arbetsmiljoverket/search_result_empty.html")]),
    (AV, Status.OBSERVATION): (SE_AV, {}, {}, [("GET", AV, "/", 200, "se.arbetsmiljoverket/search_result.html")]),
    # A sole trader's orgnr is a personnummer: never sent in a URL, so the officer searches by hand.
    (AV, Status.NEEDS_MANUAL_INPUT): (Subject("organisation", 1, "Anna Städ", "SE", {"se_orgnr": "7001011234"}),
                                      {}, {}, []),
    (AV, Status.ERROR): (SE_AV, {}, {}, [("GET", AV, "/", 200,
                                          "se.arbetsmiljoverket/search_result_layout_changed.html")]),
    # Annual reports: a recent K3 filing with its audit report is clear; a 2019 report read in 2026 (the next ones
    # missing) by a company with revenue and no employees is an observation; no report listed needs the officer;
    # a document that is not a ZIP is an error.
    (AR, Status.CLEAR): (Subject("organisation", 1, "Provmodul AB", "SE", {"se_orgnr": "5561234567"}), BV_KEYS, {}, [
        TOKEN, ("POST", BV, "dokumentlista", 200, f"{AR}/dokumentlista_recent.json"),
        ("GET", BV, "dokument/7ebc341f-bd7c-4d8a-9895-cfa3938feff0_paket", 200, f"{AR}/k3-2020_e-revisor.zip")]),
    (AR, Status.OBSERVATION): (SE, BV_KEYS, {}, [
        TOKEN, ("POST", BV, "dokumentlista", 200, f"{AR}/dokumentlista.json"),
        ("GET", BV, "dokument/4eaa2201-7ad0-4de4-9b2d-1f5f952b74d9_paket", 200, f"{AR}/k2-2017_wolters-kluwer.zip"),
        ("GET", BV, "dokument/02f54e4f-b17a-4cfd-a1cc-d8ab4eaa7f49_paket", 200, f"{AR}/k2-2017_wolters-kluwer.zip")]),
    (AR, Status.NEEDS_MANUAL_INPUT): (SE, BV_KEYS, {}, [TOKEN, ("POST", BV, "dokumentlista", 200,
                                                               f"{AR}/dokumentlista_empty.json")]),
    (AR, Status.ERROR): (SE, BV_KEYS, {}, [
        TOKEN, ("POST", BV, "dokumentlista", 200, f"{AR}/dokumentlista.json"),
        ("GET", BV, "dokument/4eaa2201-7ad0-4de4-9b2d-1f5f952b74d9_paket", 200, HTML)]),
}


class _Lists:
    """A loaded list index with one candidate of the given level (the real candidate shape)."""

    def __init__(self, level: str | None) -> None:
        self.level = level

    def versions(self) -> list[dict[str, Any]]:
        return [{"source": "un", "published": "2026-09-01", "sha256": "0" * 64, "record_count": 1}]

    def screen(self, subject: Subject) -> list[Any]:
        if self.level is None:
            return []
        return [ListMatch(list="un", listed_id="QDi.1", listed_name="Listed Person", listed_kind="person",
                          matched_name=subject.name, query_name=subject.name, list_version="2026-09-01",
                          entry_hash="h", level=self.level, score=0.97 if self.level == "hit" else 0.85,
                          explanation="", corroborated=self.level == "hit")]


PERSON = Subject("person", 1, "Listed Person")
ORG_SE = Subject("organisation", 1, "Bygg AB", "SE", {"se_orgnr": "5566778899"})
# Checks without a register: the list index or the officer's recorded answer is their input.
OFFLINE: dict[tuple[str, Status], Callable[[], Outcome]] = {
    ("sanctions", Status.CLEAR): lambda: run_one(CHECKS["sanctions"], PERSON, CheckContext(lists=_Lists(None))),
    ("sanctions", Status.POSSIBLE_MATCH): lambda: run_one(CHECKS["sanctions"], PERSON,
                                                          CheckContext(lists=_Lists("possible_match"))),
    ("sanctions", Status.HIT): lambda: run_one(CHECKS["sanctions"], PERSON, CheckContext(lists=_Lists("hit"))),
    ("sanctions", Status.ERROR): lambda: run_one(CHECKS["sanctions"], PERSON, CheckContext()),
}
HARMLESS = {"se.skatteverket": {"f_skatt": True, "vat_registered": True, "employer_registered": True},
            "se.kronofogden": {"has_debts": False}, "se.poit": {"notice": "none"},
            "se.naringsforbud": {"prohibited": False},
            "espd": {"exclusion_declared": False, "truth_declaration_signed": True},
            "company.facts_document": {"fiscal_end": "2025-12-31", "equity": 300_000, "currency": "SEK",
                                       "source": "annual_report"}}
ADVERSE = {"se.skatteverket": {"f_skatt": False, "vat_registered": True, "employer_registered": True},
           "se.kronofogden": {"has_debts": True, "public_claims": 40000}, "se.poit": {"notice": "bankruptcy"},
           "se.naringsforbud": {"prohibited": True},
           "espd": {"exclusion_declared": True, "truth_declaration_signed": True},
           "company.facts_document": {"fiscal_end": "2025-12-31", "equity": -40_000, "currency": "SEK",
                                      "source": "annual_report"}}


def _manual(check_id: str, answer: dict[str, Any] | None) -> Callable[[], Outcome]:
    subject = PERSON if "person" in CHECKS[check_id].applies_to and "organisation" not in CHECKS[check_id].applies_to \
        else ORG_SE
    return lambda: run_one(CHECKS[check_id], subject, CheckContext(
        inputs={"answer": {**answer, "reply_date": "2026-09-30"}} if answer else {}, now=lambda: NOW))


for _id in HARMLESS:
    OFFLINE[(_id, Status.CLEAR)] = _manual(_id, HARMLESS[_id])
    OFFLINE[(_id, Status.OBSERVATION)] = _manual(_id, ADVERSE[_id])
    OFFLINE[(_id, Status.NEEDS_MANUAL_INPUT)] = _manual(_id, None)


def _required(check: Any) -> set[Status]:
    statuses = set(check.STATUSES)
    if check.ADVERSE:
        statuses.add(Status.OBSERVATION)
    if check.sources:
        statuses.add(Status.ERROR)  # every register can fail; that case must be shown never to read as clear
    return statuses


def test_every_check_has_a_case_per_status():
    missing = [(c.id, s.value) for c in CHECKS.values() for s in sorted(_required(c))
               if (c.id, s) not in CASES and (c.id, s) not in OFFLINE]
    assert missing == []


def test_every_register_check_has_fixtures_and_a_sample_subject():
    for check in CHECKS.values():
        if check.sources:
            assert (FIXTURES / check.id).is_dir() and any((FIXTURES / check.id).iterdir()), check.id
            assert check.sample_subject is not None and check.applies(check.sample_subject), check.id


@pytest.mark.parametrize("key", list(CASES), ids=[f"{c}-{s.value}" for c, s in CASES])
@responses.activate
def test_register_check_returns_the_status_from_its_fixture(key):
    check_id, status = key
    subject, settings, inputs, answers = CASES[key]
    _serve(check_id, answers)
    outcome = run_one(CHECKS[check_id], subject, _ctx(check_id, settings, **inputs))
    assert outcome.status is status, (outcome.reason, [f.code for f in outcome.findings])
    if status is Status.OBSERVATION:
        assert CHECKS[check_id].adverse(outcome.findings)  # and it is an adverse finding that made it so


@pytest.mark.parametrize("key", list(OFFLINE), ids=[f"{c}-{s.value}" for c, s in OFFLINE])
def test_offline_check_returns_the_status_from_its_input(key):
    outcome = OFFLINE[key]()
    assert outcome.status is key[1], outcome.reason
