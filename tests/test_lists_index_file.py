"""The screening name index kept between starts: used on the next start, never trusted when stale or damaged."""
from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from checks import Subject
from vetting.domain import lists
from vetting.domain.audit import SYSTEM
from vetting.matching import Thresholds

FIXTURES = Path(__file__).parent / "fixtures" / "lists"
OFAC = ("ofac_sdn.csv", "ofac_alt.csv", "ofac_add.csv")


@pytest.fixture
def loaded(db):
    lists.import_list(db, SYSTEM, "ofac-sdn", [FIXTURES / f for f in OFAC])
    return db


@pytest.fixture
def folder(app) -> Path:
    return Path(app.config["LIST_INDEX_FOLDER"])


@pytest.fixture
def builds(monkeypatch) -> list[int]:
    """How many times the index was built from the database (rather than loaded) since the test began."""
    counted: list[int] = []
    original = lists._build
    monkeypatch.setattr(lists, "_build", lambda *a, **k: counted.append(1) or original(*a, **k))
    return counted


def _restart() -> None:
    lists._cache.clear()  # what a new process starts with


def _listed_names(db, name: str, kind: str = "organisation") -> list[str]:
    return [m.listed_name for m in lists.list_index(db, Thresholds()).screen(Subject(kind, 1, name))]


def _kept(folder: Path) -> Path:
    files = list(folder.glob("*.index"))
    assert len(files) == 1, files
    return files[0]


def test_a_start_loads_the_index_kept_at_import_instead_of_building_it(loaded, folder, builds):
    _kept(folder)
    _restart()
    assert _listed_names(loaded, "Test Bank PJSC") == ["TEST BANK PJSC"]
    assert _listed_names(loaded, "Abu Testar", "person") == ["TESTAR, Abu"]
    assert builds == []


def test_after_a_list_update_the_new_version_is_screened_not_the_kept_index(loaded, folder, tmp_path, builds):
    first = _kept(folder)
    _restart()
    changed = tmp_path / "sdn.csv"
    changed.write_bytes((FIXTURES / "ofac_sdn.csv").read_bytes().replace(b"TEST BANK PJSC", b"NORDVIK HANDELSBANK PJSC"))
    lists.import_list(loaded, SYSTEM, "ofac-sdn", [changed, FIXTURES / "ofac_alt.csv", FIXTURES / "ofac_add.csv"])
    _restart()
    assert _listed_names(loaded, "Nordvik Handelsbank PJSC") == ["NORDVIK HANDELSBANK PJSC"]
    assert _listed_names(loaded, "Test Bank PJSC") == []
    assert _kept(folder) != first  # the earlier version's file is gone


@pytest.mark.parametrize("damage", ["truncated", "byte changed", "garbage", "empty", "a folder in its place"])
def test_a_damaged_index_file_is_rebuilt_and_screening_goes_on(loaded, folder, builds, damage):
    kept = _kept(folder)
    raw = kept.read_bytes()
    if damage == "truncated":
        kept.write_bytes(raw[: len(raw) // 2])
    elif damage == "byte changed":
        middle = len(raw) // 2
        kept.write_bytes(raw[:middle] + bytes([raw[middle] ^ 0x01]) + raw[middle + 1:])
    elif damage == "garbage":
        kept.write_bytes(os.urandom(4096))
    elif damage == "empty":
        kept.write_bytes(b"")
    else:
        kept.unlink()
        kept.mkdir()
    _restart()
    assert _listed_names(loaded, "Test Bank PJSC") == ["TEST BANK PJSC"]
    assert builds == [1]
    if damage != "a folder in its place":  # kept again, so the start after it loads
        _restart()
        assert _listed_names(loaded, "Test Bank PJSC") == ["TEST BANK PJSC"]
        assert builds == [1]


def test_an_index_file_changed_by_someone_without_the_secret_key_is_not_trusted(loaded, folder, builds):
    kept = _kept(folder)
    kept.write_bytes(kept.read_bytes().replace(b"TEST BANK PJSC", b"HARMLESS NAME"))  # still valid JSON
    _restart()
    assert _listed_names(loaded, "Test Bank PJSC") == ["TEST BANK PJSC"]
    assert builds == [1]


class _Planted:
    """A pickle that, if ever loaded, leaves a file behind (as an attacker's code would run)."""

    marker = ""

    def __reduce__(self):
        return (Path.touch, (Path(self.marker),))


def test_a_pickle_planted_where_the_index_is_kept_never_runs(loaded, folder, tmp_path):
    marker = tmp_path / "code-ran"
    planted = _Planted()
    planted.marker = str(marker)
    blob = pickle.dumps(planted)
    key = lists._versions_key(lists.store.active_versions(loaded))
    loaded.execute("INSERT OR REPLACE INTO list_index_cache (key, created_at, data) VALUES (?, '', ?)", [key, blob])
    loaded.conn.commit()
    folder.mkdir(parents=True, exist_ok=True)
    for kept in (folder / f"{key}.index", folder / f"{key}.pickle"):
        kept.write_bytes(blob)
    _restart()
    assert _listed_names(loaded, "Test Bank PJSC") == ["TEST BANK PJSC"]
    assert not marker.exists()
