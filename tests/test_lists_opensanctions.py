"""OpenSanctions importer: FollowTheMoney JSON lines and targets.simple.csv."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from vetting.lists import opensanctions
from vetting.lists.model import ListFormatError

FIXTURES = Path(__file__).parent / "fixtures" / "lists"
FTM = FIXTURES / "opensanctions_entities.ftm.json"
SIMPLE = FIXTURES / "opensanctions_targets.simple.csv"


def test_ftm_entities() -> None:
    version = opensanctions.parse([FTM])
    assert version.source == "opensanctions"
    assert version.published == date(2024, 6, 1)  # latest last_seen
    # Address and Sanction are not parties; the non-target related person is not listed.
    assert [e.source_id for e in version.entries] == ["NK-test-person-1", "NK-test-org-1", "NK-test-vessel-1"]
    person, org, vessel = version.entries
    assert person.kind == "person"
    assert person.aliases == ("Виталий Тестович ТЕСТЕНКО", "Vitalij Testenko", "Vitya")
    assert person.birth_dates == ("1971-01-22", "1971")
    assert person.countries == ("RU", "BY")
    assert person.identifiers == (("passport", "7512345"), ("tax id", "366510784303"))
    assert person.programmes == ("eu_fsf",)
    assert person.listed_on == "2024-02-23"
    assert person.remarks == "Fictitious person for tests"
    assert org.kind == "organisation"
    assert org.countries == ("BY", "LT")  # own country plus the linked Address entity
    assert org.identifiers == (("registration number", "808000714"), ("LEI", "2534001D752JPNM0H170"))
    assert org.programmes == ("EU-BLR", "BELARUS")  # from the linked Sanction entity
    assert org.listed_on == "2022-06-02"
    assert vessel.kind == "vessel" and vessel.identifiers == (("IMO", "9257010"),)


def test_targets_simple_csv() -> None:
    version = opensanctions.parse([SIMPLE])
    assert version.published == date(2022, 7, 25)
    assert version.count == 3
    person, greek, company = version.entries
    assert person.name == "GAMTEST ALLER, Jesús"
    assert person.aliases == ("Jesús Gamtest",)
    assert person.birth_dates == ("1961-03-13", "1962")
    assert person.countries == ("ES", "PT")
    assert person.identifiers == (("id", "X1234567"), ("id", "99887766"))
    assert person.programmes == ("EU sanctions - Test regime",)
    assert greek.name == "ΚΟΥΡΑΚΗΣ, Ιωάννης" and greek.countries == ("GR",)
    assert company.kind == "organisation"


def test_refusals(tmp_path: Path) -> None:
    cut = tmp_path / "cut.ftm.json"
    cut.write_bytes(FTM.read_bytes()[:700])
    with pytest.raises(ListFormatError, match="line 2 is not valid JSON"):
        opensanctions.parse([cut])
    not_ftm = tmp_path / "other.json"
    not_ftm.write_text('{"hello": "world"}\n')
    with pytest.raises(ListFormatError, match="not a FollowTheMoney entity"):
        opensanctions.parse([not_ftm])
    with pytest.raises(ListFormatError, match="lacks the columns"):
        opensanctions.parse([FIXTURES / "worldbank_debarred_scraped.csv"])
    with pytest.raises(ListFormatError, match="lacks the columns"):
        opensanctions.parse([FIXTURES / "uk_sanctions.xml"])
    with pytest.raises(ListFormatError, match="ZIP archive"):
        opensanctions.parse([FIXTURES / "worldbank_debarred.xlsx"])
    cut_csv = tmp_path / "cut.csv"
    cut_csv.write_bytes(SIMPLE.read_bytes()[:-150])
    with pytest.raises(ListFormatError, match="cut off"):
        opensanctions.parse([cut_csv])
