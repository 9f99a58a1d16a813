"""Every importer on the real published files in ../shared/data (skipped when absent, required in CI)."""
from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from vetting.lists import importers
from vetting.lists.model import ListVersion

from conftest import SHARED_DATA as DATA
from conftest import shared_data_file

pytestmark = pytest.mark.shared_data
OFAC = DATA / "ofac-sdn"
WORLD_BANK = DATA / "worldbank-debarred"


def _parse(source: str, *paths: Path) -> ListVersion:
    for path in paths:
        shared_data_file(path)
    version = importers.parse(source, list(paths))
    importers.check_acceptable(version, previous_count=version.count)
    return version


def _kinds(version: ListVersion) -> Counter[str]:
    return Counter(e.kind for e in version.entries)


def test_un_consolidated() -> None:
    version = _parse("un", DATA / "un-sc" / "consolidated.xml")
    assert version.count == 1003
    assert _kinds(version) == {"person": 730, "organisation": 273}
    assert version.published == date(2026, 2, 27)
    saddam = next(e for e in version.entries if e.source_id == "IQi.001")
    assert saddam.birth_dates == ("1937-04-28",) and saddam.countries == ("IQ",)
    assert "صدام حسين التكريتي" in saddam.aliases
    assert sum(1 for e in version.entries if e.countries) > 800


def test_ofac_sdn_csv_trio() -> None:
    version = _parse("ofac-sdn", *(OFAC / n for n in ("sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv")))
    assert version.count == 14965
    assert _kinds(version) == {"organisation": 6884, "person": 6854, "vessel": 851, "aircraft": 376}
    assert version.published_basis == "download" and version.declared_count is None  # no date in sdn.csv
    entries = {e.source_id: e for e in version.entries}
    assert entries["306"].name == "BANCO NACIONAL DE CUBA" and "NATIONAL BANK OF CUBA" in entries["306"].aliases
    assert entries["2674"].birth_dates == ("1948-12-10",)
    assert ("IMO", "9257010") in entries["47193"].identifiers
    assert sum(1 for e in version.entries if e.kind == "person" and e.birth_dates) > 6500


def test_ofac_classic_xml() -> None:
    version = _parse("ofac-xml", OFAC / "cons_consolidated.xml")
    assert version.count == 443 == version.declared_count
    assert _kinds(version) == {"organisation": 363, "person": 80}
    assert version.published == date(2025, 3, 28)


@pytest.mark.parametrize("name", ["CONS_ENHANCED.XML", "CONS_ENHANCED.ZIP"])
def test_ofac_enhanced(name: str) -> None:
    version = _parse("ofac-xml", OFAC / name)
    assert version.count == 443
    assert _kinds(version) == {"organisation": 363, "person": 80}
    assert version.published == date(2025, 1, 10)
    vtb = next(e for e in version.entries if e.source_id == "17013")
    assert "БАНК ВТБ ПАО" in vtb.aliases and ("SWIFT/BIC", "VTBRRUMM") in vtb.identifiers


def test_classic_and_enhanced_agree_on_ids() -> None:
    classic = _parse("ofac-xml", OFAC / "cons_consolidated.xml")
    enhanced = _parse("ofac-xml", OFAC / "CONS_ENHANCED.XML")
    assert {e.source_id for e in classic.entries} == {e.source_id for e in enhanced.entries}


def test_eu_subset() -> None:
    version = _parse("eu", DATA / "eu-fsf" / "xmlFullSanctionsList_1_1_subset_2026-08-05.xml")
    assert [e.source_id for e in version.entries] == ["13", "191", "980", "330"]
    assert version.published == date(2026, 8, 5)
    assert sum(1 + len(e.aliases) for e in version.entries) == 23  # all nameAlias, none lost
    assert version.entries[1].name == "Khalid Sheikh MOHAMMED"


def test_uk_subset() -> None:
    version = _parse("uk", DATA / "uk-sanctions" / "UK-Sanctions-List_subset_2026-08-14.xml")
    assert [e.source_id for e in version.entries] == ["AFG0011", "AQD0128", "AQD0377", "DPR0075"]
    assert [e.kind for e in version.entries] == ["person", "person", "organisation", "vessel"]
    assert version.published == date(2026, 8, 14)
    assert version.entries[0].birth_dates == ("1968", "1967-11-12")
    assert version.entries[3].identifiers == (("IMO", "9562233"),)


def test_opensanctions() -> None:
    ftm = _parse("opensanctions", DATA / "opensanctions" / "yente_t1_entities.ftm.json")
    assert ftm.count == 6  # 7 entities, one of them an Address
    assert _kinds(ftm) == {"person": 4, "organisation": 2}
    assert ftm.published == date(2024, 6, 1)
    simple = _parse("opensanctions", DATA / "opensanctions" / "targets.simple_eu_cor_members_2022-07-25.csv")
    assert simple.count == 639
    assert simple.published == date(2022, 7, 25)


def test_world_bank() -> None:
    xlsx = _parse("worldbank", WORLD_BANK / "world_bank_listing_of_ineligible_firms_and_individuals.xlsx")
    assert xlsx.count == 1285
    assert xlsx.published == date(2025, 1, 7)
    assert sum(1 for e in xlsx.entries if "indefinitely" in (e.remarks or "")) == 649
    assert len({e.source_id for e in xlsx.entries}) == 1285
    assert all(e.countries for e in xlsx.entries)
    scraped = _parse("worldbank", WORLD_BANK / "debarred_firms_scraped_2024-10.csv")
    assert scraped.count == 1363
    assert scraped.published is None
