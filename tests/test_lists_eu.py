"""EU Financial Sanctions Files (consolidated list XML v1.1) importer."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from vetting.lists import eu
from vetting.lists.model import ListFormatError

FIXTURES = Path(__file__).parent / "fixtures" / "lists"
EU_XML = FIXTURES / "eu_fsf.xml"


def test_version() -> None:
    version = eu.parse([EU_XML])
    assert version.source == "eu"
    assert version.published == date(2026, 8, 5)
    assert version.count == 3
    assert version.declared_count is None


def test_person() -> None:
    person = eu.parse([EU_XML]).entries[0]
    assert person.source_id == "9901"
    assert person.kind == "person"
    assert person.name == "Ivan Testovich TESTOV"
    assert person.aliases == ("Иван Тестович ТЕСТОВ", "Ivan TESTOV")  # nameAlias in another language
    # Full date, year+month (circa), and a yearRangeFrom/To range.
    assert person.birth_dates == ("1968-03-15", "1969-07", "1970", "1971")
    assert person.countries == ("RU", "UA")  # "00" (unknown) is dropped
    assert person.identifiers == (("passport", "753123456"), ("tax id", "771234567890"),
                                  ("EU reference", "EU.9901.01"), ("UN reference", "QDi.901"))
    assert person.programmes == ("UKR", "RUS")
    assert person.listed_on == "2022-02-23"  # earliest act naming the entity
    assert person.remarks == "Fictitious person for tests."


def test_enterprises() -> None:
    _, trust, foundation = eu.parse([EU_XML]).entries
    assert trust.kind == "organisation"
    assert trust.name == "Test Relief Trust"
    assert trust.aliases == ("Фондация за тестова помощ", "Fondation d'aide Test")
    assert trust.listed_on == "2001-10-06"  # designationDate wins over later amendments
    assert ("registration number", "REG-42") in trust.identifiers
    assert trust.countries == ("PK",)
    assert trust.remarks == "Founded for tests."
    assert foundation.countries == ("US",)
    assert foundation.programmes == ("TAQA",)


def test_refuses_wrong_namespace_and_other_formats(tmp_path: Path) -> None:
    other_ns = tmp_path / "other.xml"
    other_ns.write_text(EU_XML.read_text(encoding="utf-8").replace("http://eu.europa.ec/fpi/fsd/export",
                                                                   "http://example.org/other"), encoding="utf-8")
    with pytest.raises(ListFormatError, match="another namespace"):
        eu.parse([other_ns])
    with pytest.raises(ListFormatError, match="not the EU consolidated"):
        eu.parse([FIXTURES / "un_consolidated.xml"])
    with pytest.raises(ListFormatError, match="not an XML file"):
        eu.parse([FIXTURES / "opensanctions_entities.ftm.json"])
    cut = tmp_path / "cut.xml"
    cut.write_bytes(EU_XML.read_bytes()[:-20])
    with pytest.raises(ListFormatError, match="cut off"):
        eu.parse([cut])
