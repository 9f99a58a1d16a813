"""Meta-tests of the domain's named events: every event has its consequence, every entry point subscribes them,
and a process that did not is refused loudly instead of silently leaving a consequence out."""
from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest

from conftest import make_app
from vetting.domain import consequences, events, procurements
from vetting.domain.audit import SYSTEM
from vetting.store import procurements as procurement_store

ROOT = Path(__file__).resolve().parents[1]
WIRING = {ROOT / "vetting" / "domain" / "events.py", ROOT / "vetting" / "domain" / "consequences.py"}


def _published() -> dict[str, set[str]]:
    """Event class name -> the modules that build one (``events.Name(...)``), outside the wiring itself."""
    found: dict[str, set[str]] = {}
    for path in ROOT.joinpath("vetting").rglob("*.py"):
        if path in WIRING:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "events"):
                found.setdefault(node.func.attr, set()).add(str(path.relative_to(ROOT)))
    return found


def test_every_event_type_has_a_subscriber_after_assembly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(events, "_subscribers", {})
    consequences.assemble()
    kinds = events.event_types()
    assert len(kinds) >= 11
    assert [k.__name__ for k in kinds if not events.subscribers(k)] == []


def test_every_event_type_is_published_by_an_operation() -> None:
    published = _published()
    assert [k.__name__ for k in events.event_types() if k.__name__ not in published] == []


def test_the_app_factory_subscribes_every_consequence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The web, every `flask` command and the queue consumer build their app with create_app.
    monkeypatch.setattr(events, "_subscribers", {})
    make_app(tmp_path)
    assert [k.__name__ for k in events.event_types() if not events.subscribers(k)] == []


def test_an_operation_in_a_process_without_the_subscriptions_fails_and_stores_nothing(
        db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(events, "_subscribers", {})
    with pytest.raises(events.Unsubscribed, match="ProcurementSaved"):
        procurements.create(db, SYSTEM, {"reference": "UH-2026-0999", "title": "Städtjänster", "phase": "need"})
    # The event is published inside the operation's transaction: the refused consequence takes the write with it.
    assert procurement_store.get_by_reference(db, "UH-2026-0999") is None


def test_the_consequences_run_in_subscription_order_and_answer() -> None:
    answers = []

    class Probe(events.Event):
        pass

    try:
        events.install({Probe: (lambda _db, e: answers.append("first") or 1, lambda _db, e: 2)})
        assert events.publish(None, Probe()) == [1, 2] and answers == ["first"]
    finally:
        consequences.assemble()
