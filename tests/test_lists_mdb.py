"""EBRD and IDB debarment lists: fixtures in the publishers' formats, and the real files when present."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from vetting.lists import importers
from vetting.lists.model import ListFormatError

FIXTURES = Path(__file__).parent / "fixtures" / "lists"
EBRD = FIXTURES / "ebrd_ineligible_entities.csv"
IDB = FIXTURES / "idb_sanctioned_firms_and_individuals.xlsx"
REAL = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "worldbank-debarred" / "other-mdb"


def by_name(version):
    return {e.name: e for e in version.entries}


def test_ebrd_fixture_reads_every_row_with_its_period() -> None:
    version = importers.parse("ebrd", [EBRD])
    entries = by_name(version)
    assert version.source == "ebrd" and version.count == 4
    nordbygg = entries["Nordbygg Konstruktion Ltd."]
    assert (nordbygg.listed_on, nordbygg.valid_until, nordbygg.countries) == ("2024-07-01", "2025-05-31", ("NO",))
    assert nordbygg.expired("2026-01-01") and not nordbygg.expired("2025-05-31")
    # Unescaped quotes inside a quoted field (as in EBRD's own export) are read, the quotes dropped.
    assert entries["Supper Testa LLC"].valid_until is None  # "Ongoing"
    assert entries["Testa Öresund Bygg AB"].valid_until is None  # "Indefinite"
    assert entries["Ivan Testovich PETROV"].programmes == ("Corrupt Practice",)
    # The file carries no date: the version is dated by the download and says so.
    assert version.published is not None and version.published_basis == "download"


def test_idb_fixture_reads_firms_and_individuals() -> None:
    version = importers.parse("idb", [IDB])
    entries = by_name(version)
    assert version.source == "idb" and version.count == 4
    person = entries["Adán Testa Sánchez"]
    assert person.kind == "person" and person.valid_until is None and person.listed_on == "2007-03-23"
    branch = entries["1st Testing Branch of Weihai Test Group Co. Ltd."]
    assert branch.kind == "organisation" and branch.aliases == ("威海测试集团股份有限公司",)
    assert branch.valid_until == "2024-10-18" and branch.expired("2025-01-01")
    assert entries["Testa Inşaat LLC ( Testa )"].countries == ("AZ",)
    assert entries["Konstruktor Testowy Sp. z o.o."].valid_until is None  # a short row: no end given


def test_wrong_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ListFormatError):
        importers.parse("ebrd", [IDB])
    with pytest.raises(ListFormatError):
        importers.parse("idb", [EBRD])
    cut = tmp_path / "ebrd.csv"
    cut.write_bytes(EBRD.read_bytes()[:-60])
    with pytest.raises(ListFormatError, match="columns"):
        importers.parse("ebrd", [cut])


@pytest.mark.shared_data
def test_real_ebrd_file_imports() -> None:
    path = REAL / "ebrd_ineligible_entities.csv"
    if not path.is_file():
        pytest.skip("the real EBRD file is not present")
    version = importers.parse("ebrd", [path])
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))[1:]  # oracle: the standard library's lenient reader
    assert version.count == len(rows) == 1322
    ongoing = sum(1 for r in rows if not r[4].strip()[:1].isdigit())  # Ongoing, Indefinite, Permanent, blank
    assert sum(1 for e in version.entries if e.valid_until is None) == ongoing
    assert not any('"' in e.name for e in version.entries)


@pytest.mark.shared_data
def test_real_idb_file_imports() -> None:
    path = REAL / "iadb_sanctioned_firms_and_individuals.xlsx"
    if not path.is_file():
        pytest.skip("the real IDB file is not present")
    version = importers.parse("idb", [path])
    # 1,083 rows under the header: 1,082 parties and one note on the export's filter.
    assert version.count == 1082
    kinds = {k: sum(1 for e in version.entries if e.kind == k) for k in ("person", "organisation")}
    assert kinds == {"person": 233, "organisation": 848}
    assert sum(1 for e in version.entries if e.valid_until is None) >= 447  # "Ongoing"
