"""UN Security Council consolidated list importer."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from vetting.lists import un
from vetting.lists.model import ListFormatError

FIXTURES = Path(__file__).parent / "fixtures" / "lists"
UN_XML = FIXTURES / "un_consolidated.xml"


def test_parses_version_metadata() -> None:
    version = un.parse([UN_XML])
    assert version.source == "un"
    assert version.published == date(2026, 1, 15)
    assert version.count == 3
    assert version.declared_count is None
    assert version.files == ("un_consolidated.xml",)
    assert len(version.sha256) == 64


def test_individual_is_filled_completely() -> None:
    person = un.parse([UN_XML]).entries[0]
    assert person.source_id == "QDi.901"
    assert person.kind == "person"
    assert person.name == "KARIM ABDUL AL-TESTI"
    assert person.aliases == ("Abu Karim", "كريم عبد التستي")  # NAME_ORIGINAL_SCRIPT last
    assert person.weak_aliases == ("Karim al-Testi",)  # QUALITY Low: the UN's weak alias
    assert person.birth_dates == ("1960-04-28", "1959", "1961-02-03")  # DATE, YEAR, alias DOB
    assert person.countries == ("IQ", "SY")  # two nationalities, address in IQ again
    assert person.identifiers == (("passport", "A1234567"), ("national id", "00112233"))
    assert person.programmes == ("Al-Qaida",)
    assert person.listed_on == "2003-06-27"
    assert person.remarks == "Fictitious record written for tests. Second line of the comment."


def test_partial_and_ranged_birth_dates() -> None:
    person = un.parse([UN_XML]).entries[1]
    # FROM_YEAR/TO_YEAR 1973-1975 gives each year; NOTE "Nov. 1972" a month; Hijri dates are skipped.
    assert person.birth_dates == ("1973", "1974", "1975", "1972-11")
    assert person.aliases == ("장테스트",)  # the alias equal to the name is dropped
    assert person.identifiers == (("passport", "654321098"),)  # French document label
    assert person.listed_on == "2017-06-02"  # the time-zone suffix is dropped
    assert person.countries == ("KP",)


def test_entity() -> None:
    entity = un.parse([UN_XML]).entries[2]
    assert entity.kind == "organisation"
    assert entity.name == "TEST RELIEF FOUNDATION"
    assert entity.aliases == ("Fondation de Secours Tést", "TRF")
    assert entity.countries == ("PK", "AF")
    assert entity.birth_dates == ()


@pytest.mark.parametrize("fixture", ["eu_fsf.xml", "ofac_sdn_list.xml", "uk_sanctions.xml"])
def test_refuses_other_lists(fixture: str) -> None:
    with pytest.raises(ListFormatError, match="not the UN Security Council consolidated list"):
        un.parse([FIXTURES / fixture])


def test_refuses_csv_zip_empty_and_truncated(tmp_path: Path) -> None:
    with pytest.raises(ListFormatError, match="not an XML file"):
        un.parse([FIXTURES / "ofac_sdn.csv"])
    with pytest.raises(ListFormatError, match="ZIP archive"):
        un.parse([FIXTURES / "worldbank_debarred.xlsx"])
    empty = tmp_path / "empty.xml"
    empty.write_bytes(b"\n")
    with pytest.raises(ListFormatError, match="empty"):
        un.parse([empty])
    cut = tmp_path / "cut.xml"
    cut.write_bytes(UN_XML.read_bytes()[:3000])
    with pytest.raises(ListFormatError, match="cut off"):
        un.parse([cut])
    no_records = tmp_path / "none.xml"
    no_records.write_text('<CONSOLIDATED_LIST dateGenerated="2026-01-01"><INDIVIDUALS/></CONSOLIDATED_LIST>')
    with pytest.raises(ListFormatError, match="no entries"):
        un.parse([no_records])
    with pytest.raises(ListFormatError, match="could not be read"):
        un.parse([tmp_path / "missing.xml"])


def test_refuses_entity_expansion(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xml"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><CONSOLIDATED_LIST>&a;</CONSOLIDATED_LIST>')
    with pytest.raises(ListFormatError):
        un.parse([bomb])
