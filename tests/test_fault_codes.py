"""Every way a check says a register's answer is unreadable carries a fault code the app can put into Swedish.

A ``raise SourceChanged(...)`` without ``code=`` reaches a Swedish page as the check's English note (issue #19), so
this reads the checks' source: each such raise names a code of ``FAULTS``, gives every parameter the code's words
name, and every code has a Swedish wording of its own.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from flask_babel import force_locale

from vetting.vocabulary.findings import FAULTS, fault

CHECKS = Path(__file__).resolve().parent.parent / "checks"


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


def test_the_checks_raise_source_changed_somewhere():
    # Without this the tests below would pass on a parser that found nothing.
    assert len(_raises("SourceChanged")) > 40


def test_every_source_changed_names_a_known_fault_code():
    missing = [where for where, call in _raises("SourceChanged") if _code(call) not in FAULTS]
    assert missing == []


def test_every_source_changed_gives_the_parameters_its_words_name(app):
    with app.test_request_context(), force_locale("en"):
        named = {code: set(re.findall(r"%\((\w+)\)s", str(words))) for code, words in FAULTS.items()}
    short = []
    for where, call in _raises("SourceChanged"):
        given = {k.arg for k in call.keywords}
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
