"""Meta-tests that keep the house in order (STYLE.md): SQL in one place, small modules, docstrings."""
from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted([*ROOT.joinpath("vetting").rglob("*.py"), *ROOT.joinpath("checks").rglob("*.py")])
# The schema's history is one file by design: migrations are never edited, only appended.
SIZE_EXCEPTIONS = {"vetting/migrations.py"}
SQL = re.compile(r"\b(SELECT\s.+\sFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+TABLE)\b", re.I | re.S)


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_sql_lives_only_in_the_store_migrations_and_db_modules():
    allowed = ("vetting/store/", "vetting/migrations.py", "vetting/db.py")
    offenders = []
    for path in SOURCES:
        if _relative(path).startswith(allowed):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.search(node.value):
                offenders.append(f"{_relative(path)}:{node.lineno}")
    assert offenders == []


def test_no_module_over_400_lines():
    long = [_relative(p) for p in SOURCES if _relative(p) not in SIZE_EXCEPTIONS
            and len(p.read_text().splitlines()) > 400]
    assert long == []


def test_every_module_has_a_docstring():
    missing = [_relative(p) for p in SOURCES if p.read_text().strip() and ast.get_docstring(ast.parse(p.read_text())) is None]
    assert missing == []


def test_checks_never_import_the_app():
    for path in ROOT.joinpath("checks").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "vetting":
                raise AssertionError(f"{_relative(path)} imports vetting")


def test_every_package_ships_in_the_wheel():
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {_relative(p.parent).replace("/", ".") for p in [*ROOT.joinpath("vetting").rglob("__init__.py"),
                                                              *ROOT.joinpath("checks").rglob("__init__.py")]}
    assert found - listed == set()
