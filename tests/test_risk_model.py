"""The risk model as data: the default model's content, released versions unchanged, and every kind of error refused naming the line and the indicator."""
from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

import pytest

from checks import discover
from vetting.risk import GRAPH_FACTS, PROCUREMENT_FACTS, Model, ModelError, load_default_model, load_model
from vetting.risk.model import DEFAULT_MODEL

PACKAGE = Path(__file__).resolve().parents[1] / "vetting" / "risk"
MINIMAL = Path(__file__).resolve().parent / "fixtures" / "risk" / "minimal.toml"
V1 = DEFAULT_MODEL.read_text(encoding="utf-8")
KNOWN = frozenset(code for check in discover(include_entry_points=False).values() for code in check.FINDINGS)
# Indicators the catalogue (research section 7) marks as manual input: they must ask the officer.
MANUAL = {"EX-01", "EX-09", "EX-10", "RP-05", "BD-05", "CO-10"}


def line_of(text: str, indicator_id: str, occurrence: int = 0) -> int:
    lines = [n + 1 for n, line in enumerate(text.splitlines()) if line.strip() == f'id = "{indicator_id}"']
    return lines[occurrence]


def refused(text: str, known: frozenset[str] | None = KNOWN) -> list[str]:
    with pytest.raises(ModelError) as caught:
        load_model(text, known)
    return list(caught.value.errors)


def swap(old: str, new: str, text: str = V1) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def swap_in(indicator_id: str, old: str, new: str, text: str = V1) -> str:
    """Replace ``old`` once within one indicator's block."""
    start = text.index(f'id = "{indicator_id}"')
    end = text.find("[[indicators]]", start)
    end = len(text) if end < 0 else end
    assert text.count(old, start, end) == 1, (indicator_id, old)
    return text[:start] + text[start:end].replace(old, new) + text[end:]


@pytest.fixture(scope="module")
def model() -> Model:
    return load_default_model(KNOWN)


def test_the_default_model_is_complete(model: Model) -> None:
    assert (model.version, model.published) == ("2", "2026-12-02")
    assert (model.thresholds.deepened, model.thresholds.joint_review) == (6, 9)
    assert model.severity_weights == {"exclusion": 0, "high": 3, "medium": 2, "low": 1}
    assert model.risk_industry.multiplier == 1.5 and model.risk_industry.indicator == "BD-06"
    assert {"45", "9091", "9090", "9831", "5011", "60", "5531", "5530", "85", "77", "905", "7971", "7954", "7961",
            "55"} <= set(model.risk_industry.cpv_prefixes)
    assert {"41", "42", "43", "49", "56", "87", "88", "81.3", "38", "80", "74.3", "55"} <= set(
        model.risk_industry.sni_prefixes)
    assert Counter(i.id[:2] for i in model.indicators) == {"EX": 12, "TX": 6, "CO": 10, "RP": 5, "BD": 7}
    for indicator in model.indicators:
        assert re.fullmatch(r"(EX|TX|CO|RP|BD)-\d\d", indicator.id)
        assert indicator.name.sv and indicator.name.en and indicator.legal_basis
        assert len(indicator.description.sv) > 60 and len(indicator.description.en) > 60, indicator.id
        assert indicator.line == line_of(V1, indicator.id)
        if indicator.id in MANUAL:
            assert indicator.question and indicator.answer_fact == f"answer.{indicator.id}", indicator.id
    assert model.indicator("BD-06").weight == 0
    assert all(i.weight == 0 for i in model.indicators if i.severity == "exclusion")


def test_model_reads_only_facts_someone_provides(model: Model) -> None:
    read = {fact for i in model.indicators for fact in i.facts}
    provided = KNOWN | set(PROCUREMENT_FACTS) | set(GRAPH_FACTS) | {f"answer.{i.id}" for i in model.indicators}
    assert read <= provided


def test_load_from_path_text_or_default() -> None:
    by_text, by_path = load_model(V1, KNOWN), load_model(DEFAULT_MODEL, KNOWN)
    assert by_text.sha256 == by_path.sha256 == load_default_model().sha256
    assert load_model(str(MINIMAL)).version == "test-1"


def test_the_package_is_pure_domain_logic() -> None:
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert not {m for m in imported if m.split(".")[0] in ("flask", "sqlite3", "sqlite_utils", "checks")}, path
        assert len(path.read_text(encoding="utf-8").splitlines()) < 400, path


@pytest.mark.parametrize(("indicator_id", "old", "new", "reason"), [
    ("CO-01", 'fact = "company.age_days", value = 730', 'fact = "company.age_days", value = "730"',
     'rule less_than: parameter "value" must be a number'),
    ("CO-01", 'fact = "company.age_days", value = 730', 'fact = "company.age_days"',
     'rule less_than: missing parameter "value"'),
    ("CO-01", 'fact = "company.age_days", value = 730', 'fact = "company.age_days", value = 730, days = 1',
     'rule less_than: unknown parameter "days"'),
    ("CO-01", 'name = "less_than"', 'name = "lower_than"', 'unknown rule "lower_than"'),
    ("TX-02", '{ name = "is_false", fact = "vat.valid" }', '{ name = "is_false" }',
     'rule is_false: missing parameter "fact"'),
    ("CO-07", 'severity = "medium"', 'severity = "critical"', "unknown severity 'critical'"),
    ("TX-01", 'subject = "organisation"', 'subject = "company"', "unknown subject 'company'"),
    ("CO-04", '"organisation.employees", "procurement.required_staff"]',
     '"organisation.employes", "procurement.required_staff"]', 'unknown fact "organisation.employes"'),
    ("CO-01", 'facts = ["company.age_days"]', 'facts = ["company.age_days", "company.name"]',
     'fact "company.name" is listed but the rule does not read it'),
    ("RP-02", 'facts = ["graph.key_person_failed_companies"]', 'facts = ["graph.key_person_failures"]',
     'unknown fact "graph.key_person_failures"'),
    ("EX-09", 'facts = ["answer.EX-09"]\nrule = { name = "answer_yes", fact = "answer.EX-09" }',
     'facts = ["answer.EX-08"]\nrule = { name = "answer_yes", fact = "answer.EX-08" }',
     'answer fact "answer.EX-08" belongs to another indicator'),
    ("BD-06", "weight = 0  #", 'weight = "none"  #', "weight must be a number"),
    ("EX-05", 'subject = "person"', 'subject = "person"\nwith_key_persons = true',
     "with_key_persons must be true or false, and only for subject"),
    ("CO-10", 'question.sv = "Saknar företaget verksamhetslokal', 'question.fi = "Saknar företaget verksamhetslokal',
     "question must have non-empty sv and en texts"),
    ("EX-07", 'severity = "exclusion"', 'severity = "exclusion"\nweight = 4', "an exclusion indicator is not weighted"),
    ("CO-01", 'severity = "medium"', 'severety = "medium"', 'unknown key "severety"'),
])
def test_indicator_errors_name_line_and_indicator(indicator_id: str, old: str, new: str, reason: str) -> None:
    text = swap_in(indicator_id, old, new)
    errors = refused(text)
    expected = f"line {line_of(text, indicator_id)}, indicator {indicator_id}: {reason}"
    assert any(e.startswith(expected) for e in errors), errors


def test_the_briefs_example_message() -> None:
    text = swap('{ name = "less_than", fact = "company.age_days"', '{ name = "less_than", fact = "company.agee_days"')
    text = swap('facts = ["company.age_days"]', 'facts = ["company.agee_days"]', text)
    line = line_of(text, "CO-01")
    assert str(refused(text)[0]) == f'line {line}, indicator CO-01: unknown fact "company.agee_days"'


def test_duplicate_id_names_both_lines() -> None:
    text = swap('id = "CO-04"', 'id = "CO-03"')
    first, second = line_of(text, "CO-03"), line_of(text, "CO-03", 1)
    assert f"line {second}, indicator CO-03: duplicate id (first defined on line {first})" in refused(text)


def test_rule_reading_an_unlisted_fact() -> None:
    text = swap('facts = ["tax.vat_registered", "vat.valid"]', 'facts = ["tax.vat_registered"]')
    assert f'line {line_of(text, "TX-02")}, indicator TX-02: the rule reads "vat.valid", which is not listed in facts' \
        in refused(text)


def test_nested_rule_errors_name_the_indicator() -> None:
    text = swap('{ name = "greater_than", fact = "subcontractor.share_percent", value = 10 }',
                '{ name = "greater_than", fact = "subcontractor.share_percent", value = [10] }')
    assert refused(text)[0].startswith(f"line {line_of(text, 'EX-06')}, indicator EX-06: rule greater_than: "
                                       f'parameter "value" must be a number')


def test_question_and_answer_go_together() -> None:
    text = swap('question.sv = "Saknar företaget verksamhetslokal', 'x.sv = "Saknar företaget verksamhetslokal')
    text = swap('question.en = "Does the company lack business premises', 'x.en = "Does the company lack business '
                'premises', text)
    errors = refused(text)
    assert f'line {line_of(text, "CO-10")}, indicator CO-10: reads "answer.CO-10" but has no question' in errors


def test_without_known_facts_only_the_apps_namespaces_are_checked() -> None:
    load_model(swap('fact = "company.age_days", value = 730', 'fact = "company.agee_days", value = 730',
                    swap('facts = ["company.age_days"]', 'facts = ["company.agee_days"]')), None)
    text = swap('facts = ["organisation.employees"', 'facts = ["organisation.staff"')
    text = swap('fact = "organisation.employees"', 'fact = "organisation.staff"', text)
    assert any('unknown fact "organisation.staff"' in e for e in refused(text, None))


@pytest.mark.parametrize(("old", "new", "expected", "on_line"), [
    ("deepened = 6 ", "deepened = 0 ", "[thresholds]: deepened must be a positive number, not 0", "deepened = 0"),
    ("joint_review = 9 ", "joint_review = -9 ", "[thresholds]: joint_review must be a positive number, not -9",
     "joint_review = -9"),
    ("deepened = 6 ", "deepened = 9 ", "[thresholds]: deepened (9) must be below joint_review (9)", "deepened = 9"),
    ("max_insufficient_share = 0.5", "max_insufficient_share = 1.5", "[thresholds]: max_insufficient_share must be",
     "max_insufficient_share = 1.5"),
    ("multiplier = 1.5", "multiplier = 0.9", "[risk_industry]: multiplier must be a number of at least 1, not 0.9",
     "multiplier = 0.9"),
    ("high = 3", "high = 3\nexclusion = 10", '[severity_weights]: "exclusion" cannot be weighted', "exclusion = 10"),
    ('indicator = "BD-06"', 'indicator = "BD-99"', '[risk_industry]: no indicator "BD-99"', 'indicator = "BD-99"'),
    ('"9091",  # cleaning services', '"cleaning",', "[risk_industry]: cpv_prefixes must be", "cpv_prefixes = ["),
])
def test_model_level_errors_name_the_line(old: str, new: str, expected: str, on_line: str) -> None:
    text = swap(old, new)
    errors = refused(text)
    match = [e for e in errors if expected in e]
    assert match, errors
    line = int(match[0].split(",")[0].removeprefix("line "))
    assert on_line in text.splitlines()[line - 1]


def test_every_error_is_reported_at_once() -> None:
    text = swap('name = "less_than"', 'name = "lower_than"', swap("multiplier = 1.5", "multiplier = 0.5"))
    assert len(refused(text)) == 2


def test_toml_syntax_errors_are_model_errors() -> None:
    errors = refused(V1.replace('version = "2"', 'version = "2'))
    assert errors[0].startswith("not valid TOML") and "line" in errors[0]


# SHA-256 of each released model file: an assessment names the version and hash it used, so a released file's
# meaning never changes; a change is a new version (as 2 is of 1: TX-03 and CO-08 also read the annual report).
RELEASED_MODELS = {"model-v1.toml": "2efbdc4443a6e5ff155bdf9ff38bc97ea9de8fa81e4aac12abeaeff49f7e1f04"}


def test_released_model_files_never_change() -> None:
    import hashlib

    for name, digest in RELEASED_MODELS.items():
        assert hashlib.sha256((PACKAGE / "models" / name).read_bytes()).hexdigest() == digest, name
    assert load_model(PACKAGE / "models" / "model-v1.toml", KNOWN).version == "1"
