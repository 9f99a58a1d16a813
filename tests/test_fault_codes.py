"""Every way a check says a register's answer is unreadable, or that the register did not answer or refused access,
carries a fault code the app can put into Swedish.

A ``raise SourceChanged(...)`` (or ``SourceUnavailable``, ``CheckAbort``, ``NotConfigured``, ``SubjectRejected``)
without ``code=`` reaches a Swedish page as the check's English note (issue #19), so this reads the checks' source:
each such raise names a code of its own kind in ``FAULTS``, gives every parameter the code's words name, and every
code has a Swedish wording of its own.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from flask_babel import force_locale

from vetting.vocabulary.faults import FAILURES, FAULT_HEADINGS, FAULT_RAISES, FAULTS, KIND_OF, fault

CHECKS = Path(__file__).resolve().parent.parent / "checks"
# The exceptions whose raises must carry a code (named here, not taken from the code under test).
RAISES = ("SourceChanged", "SourceUnavailable", "CheckAbort", "NotConfigured", "SubjectRejected", "AnnualReportFault")
OWN_KINDS = {"AnnualReportFault": "changed"}  # a check's own SourceChanged (checks/annual_reports.py)


def _raises(name: str) -> list[tuple[str, ast.Call]]:
    found = []
    for path in sorted(CHECKS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                func = node.exc.func
                if (func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)) == name:
                    found.append((f"{path.name}:{node.lineno}", node.exc))
    return found


def _code(call: ast.Call) -> str | None:
    given = [k.value for k in call.keywords if k.arg == "code"]
    return given[0].value if given and isinstance(given[0], ast.Constant) else None


def test_the_checks_raise_each_kind_somewhere():
    # Without this the tests below would pass on a parser that found nothing.
    assert len(_raises("SourceChanged")) > 40
    assert len(_raises("SourceUnavailable")) >= 10 and len(_raises("CheckAbort")) >= 4
    assert len(_raises("NotConfigured")) >= 8 and len(_raises("SubjectRejected")) >= 8


@pytest.mark.parametrize("raised", RAISES)
def test_every_raise_names_a_known_fault_code_of_its_kind(raised):
    # A code of another kind would put the fault under the wrong heading ("not in the shape" for an outage).
    kind = FAULT_RAISES.get(raised) or OWN_KINDS[raised]
    wrong = [(where, _code(call)) for where, call in _raises(raised) if KIND_OF.get(_code(call)) != kind]
    assert wrong == []


@pytest.mark.parametrize("raised", RAISES)
def test_every_raise_gives_the_parameters_its_words_name(app, raised):
    with app.test_request_context(), force_locale("en"):
        named = {code: set(re.findall(r"%\((\w+)\)s", str(words))) for code, words in FAULTS.items()}
    short = []
    for where, call in _raises(raised):
        given = {k.arg for k in call.keywords}
        if None in given:  # **failure: the HTTP layer's failure parameters (checked by test_http's reasons)
            given |= {"failure"}
        if _code(call) in named and not named[_code(call)] <= given:
            short.append((where, sorted(named[_code(call)] - given)))
    assert short == []


def test_every_fault_code_has_its_own_swedish_words(app):
    with app.test_request_context():
        with force_locale("en"):
            english = {code: str(words) for code, words in FAULTS.items()}
        with force_locale("sv"):
            swedish = {code: str(words) for code, words in FAULTS.items()}
    assert [code for code in FAULTS if swedish[code] == english[code]] == []


@pytest.mark.parametrize("table", [FAILURES, FAULT_HEADINGS], ids=["failures", "headings"])
def test_every_failure_and_heading_has_its_own_swedish_words(app, table):
    with app.test_request_context():
        with force_locale("en"):
            english = {key: str(words) for key, words in table.items()}
        with force_locale("sv"):
            swedish = {key: str(words) for key, words in table.items()}
    assert [key for key in table if swedish[key] == english[key]] == []
    assert len(set(swedish.values())) == len(table)  # each kind under a heading of its own


def test_every_failure_the_http_layer_names_has_words():
    from checks.http import FAILURES as NAMED

    assert set(NAMED.values()) | {"connect_timeout", "read_timeout", "http_status"} <= set(FAILURES)


@pytest.mark.parametrize("code, params, words", [
    ("part_missing", {"source": "eu.vies", "what": "checkVatResponse", "status": 200},
     ("svaret saknar", "checkVatResponse")),
    ("list_incomplete", {"source": "gb.companies_house", "what": "officers", "seen": 35, "total": 40},
     ("lästes inte till slutet", "35 av 40")),
    ("too_many_redirects", {"source": "no.brreg", "limit": 5}, ("fler än 5 gånger",)),
    ("not_a_date", {"source": "no.brreg", "field": "registreringsdatoEnhetsregisteret", "got": "igår"},
     ("är inget datum", "registreringsdatoEnhetsregisteret", "igår")),
])
def test_a_new_fault_code_reads_in_swedish_with_its_parameters(app, code, params, words):
    with app.test_request_context(), force_locale("sv"):
        shown = str(fault(code, params, None))
    assert shown.startswith("Registrets svar har inte den form som kontrollen känner till")
    for word in words:
        assert word in shown, (word, shown)
    assert "?" not in shown and 'lang="en"' not in shown


def test_a_fault_from_a_part_of_a_check_is_named_by_the_check(app):
    with app.test_request_context(), force_locale("sv"):
        shown = str(fault("part_missing", {"source": "eu.vies.soap", "what": "checkVatResponse", "status": 200},
                          "eu.vies"))
    assert "VIES (momsregistreringsnummer)" in shown and "eu.vies.soap" not in shown


@pytest.mark.parametrize("code, params, heading, words", [
    ("circuit_open", {"source": "no.brreg", "failures": 5, "until": "2026-03-02T09:15:00+00:00"},
     "Registret svarade inte eller kunde inte frågas", ("Enhetsregisteret (Norge)", "5 gånger i rad", "2026-03-02")),
    ("gave_up", {"source": "no.brreg", "failure": "read_timeout", "seconds": 2.5, "attempts": 4},
     "Registret svarade inte eller kunde inte frågas", ("inget svar kom inom 2,5 s efter 4 försök",)),
    ("no_time_for_retry", {"source": "no.brreg", "failure": "http_status", "status": 503, "limit": 30.0},
     "Registret svarade inte eller kunde inte frågas", ("det svarade HTTP 503, och ingen tid finns kvar", "30 s")),
    ("credentials_rejected", {"source": "gb.companies_house", "status": 401},
     "Registret nekade åtkomst, så kontrollen hoppas över för resten av körningen", ("HTTP 401", "inloggningsuppgifterna avvisades")),
    ("token_refused", {"source": "se.bolagsverket.token", "status": 401},
     "Registret nekade åtkomst, så kontrollen hoppas över för resten av körningen", ("Bolagsverket (värdefulla datamängder)", "klient-id")),
])
def test_an_unavailable_or_refused_register_reads_in_swedish_under_its_heading(app, code, params, heading, words):
    with app.test_request_context(), force_locale("sv"):
        shown = str(fault(code, params, params["source"].removesuffix(".token")))
    assert shown.startswith(heading + ":"), shown
    assert "inte den form som kontrollen känner till" not in shown
    for word in words:
        assert word in shown, (word, shown)
    assert "?" not in shown and 'lang="en"' not in shown
