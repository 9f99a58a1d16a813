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


SOURCES = sorted([*ROOT.joinpath("vetting").rglob("*.py"), *ROOT.joinpath("checks").rglob("*.py")])
SIDE_EFFECTS = {"environ", "getenv", "mkdir", "makedirs", "touch", "write_text", "write_bytes", "open", "connect"}


def _import_time_calls(path: Path) -> list[str]:
    """Names of side-effect calls and environment reads that run when the module is imported."""
    found: list[str] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            return  # runs when called, not when imported
        if isinstance(node, ast.Attribute) and node.attr in SIDE_EFFECTS:
            found.append(f"{node.attr} (line {node.lineno})")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in SIDE_EFFECTS:
            found.append(f"{node.func.id}() (line {node.lineno})")
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return found


def test_no_module_reads_the_environment_or_touches_files_when_imported():
    offenders = {str(p.relative_to(ROOT)): calls for p in SOURCES if (calls := _import_time_calls(p))}
    assert not offenders, f"import-time side effects (move them into a function the app calls): {offenders}"


def test_the_side_effect_rule_sees_module_level_code(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import os\nX = os.environ.get('A')\nclass C:\n    Y = os.getenv('B')\n"
                      "def f():\n    os.environ.get('fine: at call time')\n", encoding="utf-8")
    assert [c.split(" ")[0] for c in _import_time_calls(sample)] == ["environ", "getenv"]


def test_importing_the_queue_creates_no_file_and_reads_no_environment(tmp_path):
    """Before issue 14 the queue module made its folder and chose its file from the environment on import."""
    import subprocess
    import sys

    target = tmp_path / "nowhere" / "queue.sqlite3"
    env = {"PATH": "/usr/bin:/bin", "VETTING_QUEUE_FILE": str(target), "VETTING_QUEUE": "redis",
           "VETTING_DATABASE": str(tmp_path / "db" / "v.sqlite3")}
    code = ("import vetting.queue, vetting.extensions, vetting.tasks\n"
            "from huey.storage import BaseStorage\n"
            "assert type(vetting.queue.huey.storage).__name__ == 'UnboundStorage', vetting.queue.huey.storage\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_app_binds_the_queue_from_its_configuration(tmp_path):
    from conftest import make_app
    from vetting.queue import huey, queue_file

    app = make_app(tmp_path, QUEUE_FILE=str(tmp_path / "q" / "queue.sqlite3"))
    assert type(huey.storage).__name__ in ("SqliteStorage", "MemoryStorage")  # memory only in immediate mode
    assert huey.storage_kwargs == {"filename": str(tmp_path / "q" / "queue.sqlite3")}
    assert queue_file({"QUEUE_FILE": ""}, tmp_path / "v.sqlite3") == tmp_path / "vetting-queue.sqlite3"
    assert app.config["QUEUE"] == "sqlite"


def test_a_domain_message_is_read_in_the_readers_language_only_when_shown(app):
    """The domain's own lazy message: the msgid until rendered, Swedish in a Swedish request, params escaped."""
    import pickle

    from flask import render_template_string

    from vetting.domain.message import Message, _l

    message = _l("The user name %(name)s is taken.", name="<b>x</b>")
    assert isinstance(message, Message) and message.msgid == "The user name %(name)s is taken."
    with app.test_request_context("/"):
        assert str(message) == "Användarnamnet <b>x</b> är upptaget."
        assert render_template_string("{{ m }}", m=message) == "Användarnamnet &lt;b&gt;x&lt;/b&gt; är upptaget."
        assert str(pickle.loads(pickle.dumps(message))) == str(message)
        assert _l("No such user.") == "Användaren finns inte."
