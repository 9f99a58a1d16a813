"""Every register check × every fault mode, through the real "Screen now" with a real HTTP server on 127.0.0.1.

A doubtful answer (about another subject, without its status fields, JSON of another kind, an HTML error page,
a cut-off body, a slow drip past the total deadline, a hang) must end in an error outcome that keeps what was
received and blocks the gate; the sanctions check still runs. The control row ("good") shows the same set-up gives
a proper answer, so the table cannot pass by failing everything.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from register_server import Answer, RegisterServer, screen_organisation
from vetting.domain.criteria import no_unresolved_errors
from vetting.store import outcomes as outcome_store

pytestmark = pytest.mark.registers  # the app asks the local register server (conftest: server)

FIXTURES = Path(__file__).parent / "fixtures"
JSON = "application/json"
HTML_PAGE = b"<!DOCTYPE html><html><head><title>Error</title></head><body><h1>Not Found</h1><p>nginx</p></body></html>"


def _fixture(path: str) -> bytes:
    return (FIXTURES / path).read_bytes()


def _without(*keys: str) -> Callable[[bytes], bytes]:
    """The JSON body with ``keys`` (dotted paths) removed."""
    def strip(body: bytes) -> bytes:
        data = json.loads(body)
        for key in keys:
            *parents, last = key.split(".")
            node = data
            for part in parents:
                node = node[int(part)] if isinstance(node, list) else node[part]
            node.pop(last, None)
        return json.dumps(data).encode()
    return strip


def _only_identity(body: bytes) -> bytes:
    """Bolagsverket's answer cut down to organisationsidentitet (the shape of the trimmed Ericsson sample)."""
    data = json.loads(body)
    data["organisationer"] = [{"organisationsidentitet": r["organisationsidentitet"]} for r in data["organisationer"]]
    return json.dumps(data).encode()


@dataclass(frozen=True)
class Register:
    """One register as the fault table drives it."""

    check_id: str
    country: str
    identifier: tuple[str, str]
    main: tuple[str, str]  # (method, path on the server) of the answer that the faults replace
    routes: dict[tuple[str, str], tuple[str, str]]  # (method, path) -> (fixture, content type)
    other_subject: tuple[bytes, bytes] | None  # replace → answer about another subject; None: not meaningful
    missing_status: Callable[[bytes], bytes]
    good: str  # the status of the proper answer (the fixtures' facts decide clear or observation)
    settings: dict[str, str] = field(default_factory=dict)


REGISTERS = {
    "no.brreg": Register(
        "no.brreg", "NO", ("no_orgnr", "912345602"), ("GET", "/no.brreg/enheter/912345602"),
        {("GET", "/no.brreg/enheter/912345602"): ("no.brreg/enhet_active.json", JSON),
         ("GET", "/no.brreg/enheter/912345602/roller"): ("no.brreg/roller.json", JSON)},
        (b'"912345602"', b'"923609016"'), _without("konkurs", "underAvvikling"), "clear"),
    "gleif": Register(
        "gleif", "NO", ("lei", "549300FJORDBYGG0NO12"), ("GET", "/gleif/lei-records/549300FJORDBYGG0NO12"),
        {("GET", "/gleif/lei-records/549300FJORDBYGG0NO12"): ("gleif/lei_issued_with_parent.json", JSON),
         ("GET", "/gleif/lei-records/549300FJORDBYGG0NO12/direct-parent"): ("gleif/lei_parent.json", JSON)},
        (b'"lei": "549300FJORDBYGG0NO12"', b'"lei": "213800SKOGSAKTIEBO60"'),
        _without("data.attributes.registration.status", "data.attributes.entity.status"), "clear"),
    "eu.vies": Register(
        "eu.vies", "SE", ("vat", "SE556677889901"), ("POST", "/eu.vies/check-vat-number"),
        {("POST", "/eu.vies/check-vat-number"): ("eu.vies/rest_valid_se.json", JSON)},
        (b'"556677889901"', b'"556016068001"'), _without("valid"), "clear"),
    "gb.companies_house": Register(
        "gb.companies_house", "GB", ("gb_company", "09876543"), ("GET", "/gb.companies_house/company/09876543"),
        {("GET", "/gb.companies_house/company/09876543"): ("gb.companies_house/company_active.json", JSON),
         ("GET", "/gb.companies_house/company/09876543/officers"): ("gb.companies_house/officers.json", JSON),
         ("GET", "/gb.companies_house/search/disqualified-officers"):
             ("gb.companies_house/search_disqualified_empty.json", JSON)},
        (b'"09876543"', b'"00445790"'), _without("company_status"), "clear", {"api_key": "test-key"}),
    "se.bolagsverket": Register(
        "se.bolagsverket", "SE", ("se_orgnr", "5566778899"), ("POST", "/se.bolagsverket/organisationer"),
        {("POST", "/se.bolagsverket.token"): ("se.bolagsverket/token.json", JSON),
         ("POST", "/se.bolagsverket/organisationer"): ("se.bolagsverket/organisation_active.json", JSON)},
        (b'"5566778899"', b'"5560160680"'), _only_identity, "clear",
        {"client_id": "id", "client_secret": "secret"}),
    "se.arbetsmiljoverket": Register(
        "se.arbetsmiljoverket", "SE", ("se_orgnr", "5591234561"), ("GET", "/se.arbetsmiljoverket/"),
        {("GET", "/se.arbetsmiljoverket/"): ("se.arbetsmiljoverket/search_result.html", "text/html; charset=utf-8")},
        # The diary is a free-text search whose rows name their own organisation; rows about others are simply not
        # counted (tests/test_check_arbetsmiljoverket.py), so "another subject" is no fault there.
        None, lambda body: body.replace(b'id="dd-pagination-result-total"', b'id="something-else"'),
        "observation"),  # the fixture has injunctions and a sanction fee: never green
}

# The fault modes, one table: name -> how the main answer is replaced (given the register and its proper answer).
MODES: dict[str, Callable[[Register, Answer], Answer]] = {
    "other_subject": lambda r, a: Answer(a.status, a.content_type, a.body.replace(*r.other_subject)),
    "missing_status": lambda r, a: Answer(a.status, a.content_type, r.missing_status(a.body)),
    "wrong_kind_json": lambda r, a: Answer(200, JSON, b'[{"unexpected": true}]'),
    "html_404": lambda r, a: Answer(404, "text/html", HTML_PAGE),
    "html_400": lambda r, a: Answer(400, "text/html", HTML_PAGE.replace(b"Not Found", b"Bad Request")),
    "html_410": lambda r, a: Answer(410, "text/html", HTML_PAGE.replace(b"Not Found", b"Gone")),
    "truncated": lambda r, a: Answer(a.status, a.content_type, a.body[: len(a.body) * 2 // 3]),
    "slow_drip": lambda r, a: Answer(a.status, a.content_type, a.body, mode="drip"),
    "hang": lambda r, a: Answer(a.status, a.content_type, a.body, mode="hang"),
}
CASES = [(reg, mode) for reg in REGISTERS for mode in MODES
         if not (mode == "other_subject" and REGISTERS[reg].other_subject is None)]




def _named(register: Register) -> str:
    """The check's Swedish name, as the gate names a check in error."""
    from vetting.domain.screening import all_checks

    return all_checks()[register.check_id].name["sv"]


def _screen(app: Any, login_as: Callable[[str], Any], server: RegisterServer, register: Register,
            main: Answer | None) -> tuple[Any, int, int]:
    routes = {key: Answer(200, content_type, _fixture(name)) for key, (name, content_type) in register.routes.items()}
    if main is not None:
        routes[register.main] = main
    return screen_organisation(app, login_as, server, routes, country=register.country, identifier=register.identifier,
                               check_id=register.check_id, settings=register.settings)


@pytest.mark.parametrize("register_id, mode", CASES)
def test_a_doubtful_answer_is_an_error_that_keeps_evidence_and_blocks_the_gate(app, login_as, server, accounts,
                                                                                register_id, mode):
    register = REGISTERS[register_id]
    method, path = register.main
    name, content_type = register.routes[register.main]
    proper = Answer(200, content_type, _fixture(name))
    db, org, procurement = _screen(app, login_as, server, register, MODES[mode](register, proper))
    latest = {o["check_id"]: o for o in outcome_store.latest(db, "organisation", org)}
    outcome = latest[register.check_id]
    assert outcome["status"] == "error", (outcome["status"], outcome["reason"], outcome["findings"])
    assert "sanctions" in latest  # one register's failure does not stop the other checks
    gate = no_unresolved_errors(db, procurement)
    assert not gate.held and f"({_named(register)})" in gate.detail
    evidence = outcome_store.evidence_of(db, outcome["id"])
    if mode == "hang":
        assert "time limit" in outcome["reason"] or "timed out" in outcome["reason"]
    elif mode == "slow_drip":
        assert "time limit" in outcome["reason"]
        assert evidence and 0 < evidence[-1]["size"] < len(proper.body)  # the part received is kept
    else:
        sent = server.routes[register.main]
        kept = next(e for e in evidence if e["url"].split("?")[0].endswith(path.rstrip("/")) or path.endswith("/"))
        body = outcome_store.evidence_body(db, kept["id"])["body"]
        assert kept["http_status"] == sent.status and bytes(body) == sent.body
        assert kept["sha256"] and json.loads(kept["headers"])["Content-Type"] == sent.content_type


@pytest.mark.parametrize("register_id", REGISTERS)
def test_the_proper_answer_through_the_same_server_is_not_an_error(app, login_as, server, accounts, register_id):
    register = REGISTERS[register_id]
    db, org, procurement = _screen(app, login_as, server, register, None)
    outcome = {o["check_id"]: o for o in outcome_store.latest(db, "organisation", org)}[register.check_id]
    assert outcome["status"] == register.good, outcome["reason"]
    assert f"({_named(register)})" not in no_unresolved_errors(db, procurement).detail
