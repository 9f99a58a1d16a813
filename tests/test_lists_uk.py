"""UK Sanctions List (FCDO XML) importer."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from vetting.lists import uk
from vetting.lists.model import ListFormatError

FIXTURES = Path(__file__).parent / "fixtures" / "lists"
UK_XML = FIXTURES / "uk_sanctions.xml"


def test_version() -> None:
    version = uk.parse([UK_XML])
    assert version.source == "uk"
    assert version.published == date(2026, 8, 14)
    assert version.count == 3


def test_individual() -> None:
    person = uk.parse([UK_XML]).entries[0]
    assert person.source_id == "AFG9011"
    assert person.kind == "person"
    assert person.name == "ABDUL TESTIF MANTEST"
    # Case-insensitive duplicates of the name are dropped; NonLatinNames become aliases.
    assert person.aliases == ("Abdul Testif MANTESTI", "عبد التستيف منتست")
    assert person.birth_dates == ("1968", "1967-11-12", "1958-09")  # dd/mm/1968 -> 1968
    assert person.countries == ("AF", "PK")
    assert person.identifiers == (("passport", "D0009720"), ("national id", "0075258"), ("UN reference", "TAi.907"))
    assert person.programmes == ("The Afghanistan (Sanctions) (EU Exit) Regulations 2020",)
    assert person.listed_on == "2001-01-31"
    assert person.remarks == "Fictitious record for tests."


def test_entity_and_ship() -> None:
    _, entity, ship = uk.parse([UK_XML]).entries
    assert entity.kind == "organisation"
    assert entity.aliases == ("TEC", "АО Тест Экспорт")
    assert entity.identifiers == (("registration number", "1027700000000"),)
    assert entity.remarks is None
    assert ship.kind == "vessel"
    assert ship.identifiers == (("IMO", "9562233"),)
    assert ship.countries == ("KM",)  # flag state


def test_refusals(tmp_path: Path) -> None:
    with pytest.raises(ListFormatError, match="not the UK Sanctions List"):
        uk.parse([FIXTURES / "eu_fsf.xml"])
    with pytest.raises(ListFormatError, match="not an XML file"):
        uk.parse([FIXTURES / "worldbank_debarred_scraped.csv"])
    cut = tmp_path / "cut.xml"
    cut.write_bytes(UK_XML.read_bytes()[:1500])
    with pytest.raises(ListFormatError, match="cut off"):
        uk.parse([cut])
