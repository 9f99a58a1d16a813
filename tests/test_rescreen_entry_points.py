"""A list import re-screens the stored subjects against its delta, whichever way the list arrives.

Each entry point (the lists page, ``flask lists import``, ``flask lists update``, the scheduled
update) imports the same new UN version: it adds JAN JANSSON born 1970, whom a stored
organisation has as CEO (a new match), and drops the entity TEST RELIEF FOUNDATION, which a
stored organisation matched (that match is retired). Nobody else is screened again. A meta-test
pins that no caller re-screens on its own: the import is the one home of that consequence.
"""
from __future__ import annotations

import ast
import io
import re
from pathlib import Path
from typing import Any

import pytest
import responses

from vetting.domain import lists, organisations, screening
from vetting.domain.audit import SYSTEM
from vetting.store import followup as followup_store

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "lists"
URL = "https://lists.example.org/un/consolidated.xml"
NEW_ENTRY = ("<INDIVIDUAL><DATAID>9999999</DATAID><VERSIONNUM>1</VERSIONNUM><FIRST_NAME>JAN</FIRST_NAME>"
             "<SECOND_NAME>JANSSON</SECOND_NAME><UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE>"
             "<REFERENCE_NUMBER>QDi.999</REFERENCE_NUMBER><LISTED_ON>2026-11-01</LISTED_ON>"
             "<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><YEAR>1970</YEAR>"
             "</INDIVIDUAL_DATE_OF_BIRTH></INDIVIDUAL>")


def new_version() -> bytes:
    """The UN fixture with JAN JANSSON added and the entity QDe.901 (TEST RELIEF FOUNDATION) removed."""
    text = (FIXTURES / "un_consolidated.xml").read_text(encoding="utf-8")
    text, removed = re.subn(r"<ENTITY>.*?QDe\.901.*?</ENTITY>", "", text, count=1, flags=re.S)
    assert removed == 1 and text.count("<INDIVIDUALS>") == 1
    return text.replace("<INDIVIDUALS>", "<INDIVIDUALS>" + NEW_ENTRY, 1).encode()


def newest_sanctions(db: Any, kind: str, subject_id: int) -> dict[str, Any] | None:
    rows = list(db.query("SELECT id, status, explanation FROM outcomes WHERE check_id = 'sanctions'"
                         " AND subject_kind = ? AND subject_id = ? ORDER BY id DESC LIMIT 1", [kind, subject_id]))
    return rows[0] if rows else None


@pytest.fixture
def stored(app: Any, db: Any, create_org: Any) -> dict[str, Any]:
    """The UN list loaded and three stored organisations (none under contract), each screened once."""
    lists.import_list(db, SYSTEM, "un", [FIXTURES / "un_consolidated.xml"])
    foundation = create_org(name="Test Relief Foundation")
    employer = create_org(name="Vakt & Trygghet AB")
    ceo = organisations.add_key_person(db, SYSTEM, employer, {"name": "Jan Jansson", "role": "ceo",
                                                              "birth_date": "1970"})
    bystander = create_org(name="Helt Annat Bygg AB")
    with app.app_context():
        for kind, subject_id in (("organisation", foundation), ("organisation", employer), ("person", ceo),
                                 ("organisation", bystander)):
            screening.screen_subject(db, SYSTEM, kind, subject_id, app.config, ("sanctions",))
    assert "QDe.901" in newest_sanctions(db, "organisation", foundation)["explanation"]
    assert newest_sanctions(db, "person", ceo)["status"] == "clear"
    last = {key: newest_sanctions(db, *key)["id"] for key in
            (("organisation", foundation), ("organisation", employer), ("person", ceo), ("organisation", bystander))}
    return {"foundation": foundation, "employer": employer, "ceo": ceo, "bystander": bystander, "last": last}


def assert_rescreened_against_the_delta(db: Any, stored: dict[str, Any]) -> None:
    """The new entry matched the CEO, the removed entry's match is retired, and no one else was screened."""
    ceo = newest_sanctions(db, "person", stored["ceo"])
    assert ceo["id"] != stored["last"][("person", stored["ceo"])]
    assert ceo["status"] in ("hit", "possible_match") and "QDi.999" in ceo["explanation"]
    foundation = newest_sanctions(db, "organisation", stored["foundation"])
    assert foundation["id"] != stored["last"][("organisation", stored["foundation"])]
    assert "QDe.901" not in foundation["explanation"] and foundation["status"] == "clear"
    for key in (("organisation", stored["employer"]), ("organisation", stored["bystander"])):
        assert newest_sanctions(db, *key)["id"] == stored["last"][key]  # the delta does not concern them
    batch = list(db.query("SELECT * FROM batches WHERE kind = 'list_update' ORDER BY id DESC LIMIT 1"))[0]
    assert batch["total"] == 2 and followup_store.batch(db, batch["id"])["state"] == "done"


def test_the_lists_page(db: Any, stored: dict[str, Any], login_as: Any) -> None:
    response = login_as("security_officer").post("/screening/lists/upload", data={
        "source": "un", "files": [(io.BytesIO(new_version()), "consolidated.xml")]}, content_type="multipart/form-data")
    assert response.status_code == 302 and "/followup/batches/" in response.headers["Location"]
    assert_rescreened_against_the_delta(db, stored)


def test_flask_lists_import(db: Any, stored: dict[str, Any], runner: Any, tmp_path: Path) -> None:
    path = tmp_path / "consolidated.xml"
    path.write_bytes(new_version())
    result = runner.invoke(args=["lists", "import", "un", str(path)])
    assert result.exit_code == 0, result.output
    assert "1 entries added, 0 changed, 1 removed: 2 stored subjects are being re-screened" in result.output
    assert_rescreened_against_the_delta(db, stored)


@responses.activate
def test_flask_lists_update(app: Any, db: Any, stored: dict[str, Any], runner: Any) -> None:
    app.config["LIST_URLS"] = (f"un={URL}",)
    responses.add(responses.GET, URL, body=new_version(), status=200, content_type="application/xml")
    result = runner.invoke(args=["lists", "update"])
    assert result.exit_code == 0, result.output
    assert_rescreened_against_the_delta(db, stored)


@responses.activate
def test_the_scheduled_update(app: Any, db: Any, stored: dict[str, Any]) -> None:
    from vetting.tasks import scheduled_list_update

    app.config["LIST_URLS"] = (f"un={URL}",)
    responses.add(responses.GET, URL, body=new_version(), status=200, content_type="application/xml")
    with app.app_context():
        assert scheduled_list_update.call_local() == 0  # not configured: nothing fetched
    assert len(responses.calls) == 0
    app.config["LIST_UPDATE_SCHEDULED"] = True
    with app.app_context():
        assert scheduled_list_update.call_local() == 1
    assert_rescreened_against_the_delta(db, stored)


def _calls(name: str) -> set[str]:
    """Files under vetting/ that call ``name(`` (its definition excluded)."""
    pattern = re.compile(rf"(?<!def )\b{re.escape(name)}\(")
    return {str(p.relative_to(ROOT)) for p in (ROOT / "vetting").rglob("*.py") if pattern.search(p.read_text())}


RESCREENING = {"start_batch", "enqueue_batch", "enqueue", "run_batch_inline", "screen_subject", "screen_procurement",
               "screen_organisation_and_people", "process_items", "start_nightly_rescreen", "delta_rescreen"}


def _called(node: ast.AST) -> set[str]:
    return {getattr(n.func, "attr", getattr(n.func, "id", "")) for n in ast.walk(node) if isinstance(n, ast.Call)}


def test_no_caller_rescreens_on_its_own() -> None:
    # The delta re-screen has one caller: the import operation itself, through its event (subscribed in one place).
    assert _calls("events.ListVersionImported") == {"vetting/domain/lists.py"}
    assert _calls("delta_rescreen") == {"vetting/domain/consequences.py"}
    # The full re-screen is the nightly task's, never an import's.
    assert _calls("start_nightly_rescreen") == {"vetting/tasks.py"}
    # Whoever imports a list leaves the consequence to the import: no function that calls import_list starts a
    # batch, queues or screens of its own. (The demo loader screens the demo procurements it has just created.)
    importers = _calls("import_list") - {"vetting/domain/lists.py", "vetting/demo.py"}
    assert importers >= {"vetting/web/screening.py", "vetting/lists/cli.py", "vetting/lists/update.py"}
    for path in importers:
        for func in ast.walk(ast.parse((ROOT / path).read_text())):
            if isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)) and "import_list" in _called(func):
                assert not _called(func) & RESCREENING, f"{path}:{func.name} re-screens on its own after an import"
