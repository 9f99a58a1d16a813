"""Meta-test: no function-local import hides an import cycle, except the documented few below.

The graph holds every import between ``vetting`` modules, top-level and function-local alike (a local
import is still a dependency; it only moves the failure to run time). The app factory's and the
blueprint registry's imports are left out: assembling the app imports everything by design.
``TYPE_CHECKING`` imports are left out too. Cutting the edges in ``ALLOWED`` must leave no cycle,
and each of them must still exist, so the list only shrinks. The domain's consequence web (a list
import re-screens, a stored outcome raises alerts, a level opens checkpoints ...) runs through named
events (``vetting/domain/events.py``, subscribed in ``consequences.py``), not through imports.
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ASSEMBLY = {"vetting/__init__.py", "vetting/web/__init__.py"}

# Each edge: (importer, imported) - function-local on purpose, why.
ALLOWED = {
    # A released migration (0017) is never edited: its call-time import of db.register_functions stays.
    ("vetting.migrations", "vetting.db"),
}


def _modules() -> dict[str, tuple[Path, list[str]]]:
    out = {}
    for path in sorted(ROOT.joinpath("vetting").rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        package = parts[:-1]
        if parts[-1] == "__init__":
            parts = package = parts[:-1]
        out[".".join(parts)] = (path, package)
    return out


def _targets(node: ast.AST, package: list[str], modules: dict) -> list[str]:
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name in modules]
    assert isinstance(node, ast.ImportFrom)
    base = ".".join(package[:len(package) - node.level + 1] + ([node.module] if node.module else [])) \
        if node.level else (node.module or "")
    return [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names
            if f"{base}.{a.name}" in modules or base in modules]


def import_graph() -> tuple[dict[str, set[str]], set[tuple[str, str]]]:
    """(every edge per module, the function-local edges)."""
    modules = _modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    local: set[tuple[str, str]] = set()
    for name, (path, package) in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        in_function, type_only = set(), set()
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                in_function.update(id(n) for n in ast.walk(node) if n is not node)
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                type_only.update(id(n) for n in ast.walk(node))
        assembly = str(path.relative_to(ROOT)) in ASSEMBLY
        for node in ast.walk(tree):
            if not isinstance(node, (ast.Import, ast.ImportFrom)) or id(node) in type_only:
                continue
            if assembly and id(node) in in_function:
                continue
            for target in _targets(node, package, modules):
                if target != name:
                    graph[name].add(target)
                    if id(node) in in_function:
                        local.add((name, target))
    return graph, local


def cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of the graph, or None."""
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if not state.get(nxt) and (found := visit(nxt)):
                return found
        state[node] = 2
        path.pop()
        return None

    for start in sorted(graph):
        if not state.get(start) and (found := visit(start)):
            return found
    return None


def test_no_import_cycle_beyond_the_documented_consequence_edges():
    graph, _local = import_graph()
    cut = {name: {t for t in targets if (name, t) not in ALLOWED} for name, targets in graph.items()}
    found = cycle(cut)
    assert found is None, ("an import cycle (break it: move the shared piece down, or pass a function in): "
                           + " -> ".join(found or []))


def test_every_allowed_edge_still_exists_as_a_local_import():
    _graph, local = import_graph()
    gone = sorted(ALLOWED - local)
    assert not gone, f"these cycles are broken now: remove them from ALLOWED: {gone}"


def test_the_cycle_finder_finds_a_cycle():
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b"}, "b": set()}) is None
