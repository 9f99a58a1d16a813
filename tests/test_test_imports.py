"""Test modules import their helpers by plain name (``from conftest import ...``), never through the ``tests``
package: ``tests.conftest`` is a second copy of conftest (its network guard sealed the socket again with its own
record of attempts), and ``tests.x`` only resolves under ``python -m pytest``, not under the ``pytest`` command."""
from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).parent


def _package_imports(path: Path) -> list[str]:
    found, where = [], path.relative_to(TESTS) if path.is_relative_to(TESTS) else path.name
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "tests":
            found.append(f"{where}:{node.lineno} from {node.module}")
        elif isinstance(node, ast.Import):
            found += [f"{where}:{node.lineno} import {a.name}" for a in node.names
                      if a.name.split(".")[0] == "tests"]
    return found


def test_no_test_module_imports_through_the_tests_package() -> None:
    files = sorted(TESTS.rglob("*.py"))
    assert len(files) > 100  # the walk found the suite
    offenders = [hit for path in files for hit in _package_imports(path)]
    assert offenders == []


def test_the_rule_sees_both_spellings(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("from tests.conftest import make_app\nimport tests.factories\nfrom conftest import PASSWORD\n",
                      encoding="utf-8")
    assert len(_package_imports(sample)) == 2
