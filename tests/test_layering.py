"""Meta-tests for the layering rules of issue 14: the domain knows nothing of Flask.

Each test reads the source (AST), so a rule broken in any module fails here with the module named.
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOMAIN = sorted(ROOT.joinpath("vetting", "domain").rglob("*.py"))
FLASK_MODULES = ("flask", "flask_babel", "flask_login", "flask_wtf")  # werkzeug.security hashing is a library


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import in the file, at any depth (function-local ones too)."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.append((node.lineno, node.module))
    return out


def _names(path: Path) -> set[str]:
    return {node.id for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if isinstance(node, ast.Name)}


def test_the_domain_imports_nothing_of_flask():
    offenders = [f"{path.relative_to(ROOT)}:{line} imports {module}"
                 for path in DOMAIN for line, module in _imports(path)
                 if module.split(".")[0] in FLASK_MODULES]
    assert not offenders, "the domain must not import Flask (use domain.message._l, domain.settings):\n" + \
        "\n".join(offenders)


def test_the_domain_never_reads_the_flask_application():
    offenders = [str(path.relative_to(ROOT)) for path in DOMAIN
                 if _names(path) & {"current_app", "has_app_context", "has_request_context"}]
    assert not offenders, f"the domain reads Flask's globals: {offenders}"


def test_the_rule_sees_a_flask_import(tmp_path):
    """The test above cannot pass by reading nothing: it finds an import written in any form."""
    sample = tmp_path / "sample.py"
    sample.write_text("import flask\ndef f():\n    from flask_babel import get_locale\n", encoding="utf-8")
    assert [m for _l, m in _imports(sample)] == ["flask", "flask_babel"]
    assert len(DOMAIN) > 40
