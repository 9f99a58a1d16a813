"""The check contract: discovery through built-ins and entry points, ids unique, bad plugins named."""
from __future__ import annotations

import ast
from pathlib import Path
from types import SimpleNamespace

import pytest

from checks import Check, Outcome, Status, discover
from checks import registry
from checks.registry import InvalidCheck

ROOT = Path(__file__).resolve().parents[1]


class PluginCheck(Check):
    id = "example.plugin"
    name = {"sv": "Exempel", "en": "Example"}
    applies_to = frozenset({"organisation"})

    def run(self, subject, ctx):
        return Outcome(Status.NOT_APPLICABLE, reason="example")


def test_builtins_are_discovered():
    assert "sanctions" in discover(include_entry_points=False)


def test_an_installed_package_adds_a_check_through_the_entry_point_group(monkeypatch):
    fake = SimpleNamespace(name="example", value="example:PluginCheck", load=lambda: PluginCheck)
    monkeypatch.setattr(registry, "entry_points", lambda group: [fake] if group == "vetting.checks" else [])
    assert isinstance(discover()["example.plugin"], PluginCheck)


def test_a_bad_entry_point_is_named(monkeypatch):
    fake = SimpleNamespace(name="broken", value="x:y", load=lambda: object)
    monkeypatch.setattr(registry, "entry_points", lambda group: [fake])
    with pytest.raises(InvalidCheck, match="broken"):
        discover()


def test_duplicate_ids_are_refused():
    class Twin(PluginCheck):
        id = "sanctions"

    with pytest.raises(InvalidCheck, match="already used"):
        discover(include_entry_points=False, extra=(Twin,))


def test_checks_package_never_imports_the_app_flask_or_sql():
    for path in (ROOT / "checks").glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            assert not any(n.split(".")[0] in ("vetting", "flask", "sqlite_utils", "sqlite3") for n in names), path


def test_every_builtin_check_declares_names_in_both_languages():
    for check in discover(include_entry_points=False).values():
        assert set(check.name) == {"sv", "en"} and check.applies_to and check.FINDINGS is not None
