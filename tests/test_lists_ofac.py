"""OFAC importers: SDN CSV trio, classic sdnList XML, ENHANCED XML and its ZIP."""
from __future__ import annotations

import zipfile
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from vetting.lists import ofac
from vetting.lists.model import ListEntry, ListFormatError, ListVersion

FIXTURES = Path(__file__).parent / "fixtures" / "lists"
SDN, ALT, ADD, COMMENTS = (FIXTURES / f"ofac_{n}.csv" for n in ("sdn", "alt", "add", "sdn_comments"))
SDN_XML = FIXTURES / "ofac_sdn_list.xml"
ENHANCED = FIXTURES / "ofac_enhanced.xml"


def _by_id(version: ListVersion) -> dict[str, ListEntry]:
    return {e.source_id: e for e in version.entries}


def test_fixture_is_latin1_with_dos_eof() -> None:
    raw = SDN.read_bytes()
    assert raw.endswith(b"\r\n\x1a") and b"JOS\xc9" in raw  # the shape of the real file


def test_sdn_csv_trio() -> None:
    version = ofac.parse_sdn_csv([SDN, ALT, ADD, COMMENTS])
    assert version.source == "ofac-sdn"
    # sdn.csv carries no date: the download's date (the files' modification time) stands in, and says so.
    newest = max(p.stat().st_mtime for p in (SDN, ALT, ADD, COMMENTS))
    assert version.published == datetime.fromtimestamp(newest, tz=timezone.utc).date()
    assert version.published_basis == "download"
    assert version.declared_count is None
    assert version.count == 6
    assert version.files == ("ofac_sdn.csv", "ofac_alt.csv", "ofac_add.csv", "ofac_sdn_comments.csv")
    entries = _by_id(version)
    person = entries["2674"]
    assert person.kind == "person"
    assert person.name == "TESTAR, Abu"  # as published
    assert person.aliases == ("Abu TESTAR", "TESTARI, Abu Muhammad", "Abu Muhammad TESTARI")
    assert person.weak_aliases == ("ABU TEST",)  # OFAC keeps its weak a.k.a.s in the remarks
    assert person.birth_dates == ("1948-12-10", "1950")
    assert person.countries == ("EG", "JO", "PS")  # nationality, alt. nationality, add.csv "Region: Gaza"
    assert person.identifiers == (("passport", "A1234567"), ("national id", "29912345678901"))
    assert person.programmes == ("SDGT",)
    latin1 = entries["7001"]
    assert latin1.name == "JOSÉ GARCÍA, María"
    assert latin1.aliases == ("María JOSÉ GARCÍA",)
    assert latin1.birth_dates == ("1961", "1962", "1963")
    vessel = entries["8001"]
    assert vessel.kind == "vessel"
    assert vessel.programmes == ("SDGT", "IFSR")  # "SDGT] [IFSR" in one field
    assert vessel.countries == ("PA",)
    assert ("IMO", "9257010") in vessel.identifiers and ("MMSI", "352001505") in vessel.identifiers
    bank = entries["8002"]
    assert bank.kind == "organisation"
    assert bank.aliases == ("BANK FOR TEST TRADE",)
    assert bank.countries == ("RU", "CN")
    assert ("LEI", "253400V1H6ART1UQ0N98") in bank.identifiers
    assert ("tax id", "7702070139") in bank.identifiers
    assert ("passport", "987654") in bank.identifiers  # from sdn_comments.csv
    assert not any("http" in value for _, value in bank.identifiers)
    assert entries["8003"].kind == "aircraft"
    assert entries["36"].remarks is None  # "-0-" is empty


def test_sdn_csv_alone_and_in_any_order() -> None:
    alone = ofac.parse_sdn_csv([SDN])
    assert alone.count == 6 and _by_id(alone)["36"].aliases == ()
    shuffled = ofac.parse_sdn_csv([ADD, SDN, ALT])
    assert _by_id(shuffled)["36"].aliases == ("AERO-TEST",)


def test_sdn_csv_refusals(tmp_path: Path) -> None:
    with pytest.raises(ListFormatError, match="needs sdn.csv"):
        ofac.parse_sdn_csv([ALT, ADD])
    with pytest.raises(ListFormatError, match="both sdn files"):
        ofac.parse_sdn_csv([SDN, SDN])
    with pytest.raises(ListFormatError, match="ZIP archive"):
        ofac.parse_sdn_csv([FIXTURES / "worldbank_debarred.xlsx"])
    with pytest.raises(ListFormatError, match="first row has"):
        ofac.parse_sdn_csv([FIXTURES / "opensanctions_targets.simple.csv"])
    with pytest.raises(ListFormatError, match="first row has"):
        ofac.parse_sdn_csv([SDN_XML])
    cut = tmp_path / "sdn.csv"
    cut.write_bytes(SDN.read_bytes()[:700])  # inside a quoted field
    with pytest.raises(ListFormatError, match="cut off"):
        ofac.parse_sdn_csv([cut])
    rows = SDN.read_bytes().split(b"\r\n")
    cut.write_bytes(b"\r\n".join(rows[:3]) + b"\r\n8001,\"TEST STAR\",vessel")  # cut between fields
    with pytest.raises(ListFormatError, match="cut off"):
        ofac.parse_sdn_csv([cut])
    cut.write_bytes(b"\x1a")
    with pytest.raises(ListFormatError, match="empty"):
        ofac.parse_sdn_csv([cut])
    with pytest.raises(ListFormatError, match="No files"):
        ofac.parse_sdn_csv([])


def test_classic_xml() -> None:
    version = ofac.parse_xml([SDN_XML])
    assert version.source == "ofac-xml"
    assert version.published == date(2025, 3, 28)  # MM/DD/YYYY
    assert version.declared_count == 3
    entries = _by_id(version)
    person = entries["9647"]
    assert person.name == "ZAHTEST, Mahmoud Testi"
    assert person.aliases[:2] == ("Mahmoud Testi ZAHTEST", "AL ZAHTEST, Mahmoud Testi")
    assert person.birth_dates == ("1945", "1946-02-08")
    assert person.countries == ("PS", "EG")
    assert person.identifiers == (("passport", "P9876543"),)  # sanctions notes and gender are not ids
    assert person.programmes == ("NS-PLC", "SDGT")
    bank = entries["17013"]
    assert bank.kind == "organisation"
    assert bank.identifiers == (("LEI", "253400V1H6ART1UQ0N98"), ("registration number", "1027739609391"))
    assert bank.countries == ("RU",)
    vessel = entries["17500"]
    assert vessel.kind == "vessel"
    assert vessel.identifiers == (("IMO", "8203933"), ("call sign", "HOTEST"))
    assert vessel.countries == ("KP",)


def test_enhanced_xml_and_zip(tmp_path: Path) -> None:
    archive = tmp_path / "CONS_ENHANCED.ZIP"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(ENHANCED, "CONS_ENHANCED.XML")
    for path in (ENHANCED, archive):
        version = ofac.parse_xml([path])
        assert version.published == date(2025, 1, 10)
        assert version.count == 2
        assert version.files == (path.name,)
        person, bank = version.entries
        assert person.kind == "person" and person.name == "HANTEST, Ismail Testi"
        assert person.aliases == ("Ismail Testi HANTEST", "HANTESTI, Ismail", "Ismail HANTESTI")
        assert person.birth_dates == ("1962",)
        assert person.countries == ("JO", "PS")
        assert person.listed_on == "2006-04-12"
        assert bank.aliases == ("ТЕСТ БАНК",)  # Cyrillic translation of the primary name
        assert bank.identifiers == (("registration number", "1027739609391"), ("LEI", "253400V1H6ART1UQ0N98"),
                                    ("SWIFT/BIC", "TESTRUMM"))
        assert bank.programmes == ("UKRAINE-EO13662", "RUSSIA-EO14024")


def test_xml_refusals(tmp_path: Path) -> None:
    with pytest.raises(ListFormatError, match="not an OFAC sanctions list XML"):
        ofac.parse_xml([FIXTURES / "un_consolidated.xml"])
    with pytest.raises(ListFormatError, match="not an XML file"):
        ofac.parse_xml([SDN])
    cut = tmp_path / "cut.xml"
    cut.write_bytes(ENHANCED.read_bytes()[:4000])
    with pytest.raises(ListFormatError, match="cut off"):
        ofac.parse_xml([cut])
    bad_zip = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad_zip, "w") as zf:
        zf.write(ENHANCED, "CONS_ENHANCED.XML")
    bad_zip.write_bytes(bad_zip.read_bytes()[:300])  # a download cut short
    with pytest.raises(ListFormatError, match="not a readable ZIP"):
        ofac.parse_xml([bad_zip])
    no_xml = tmp_path / "other.zip"
    with zipfile.ZipFile(no_xml, "w") as zf:
        zf.writestr("readme.txt", "hello")
    with pytest.raises(ListFormatError, match="should hold one OFAC XML"):
        ofac.parse_xml([no_xml])
    with pytest.raises(ListFormatError, match="should hold one OFAC XML"):
        ofac.parse_xml([FIXTURES / "worldbank_debarred.xlsx"])  # a ZIP of other XML files


def test_remark_parsing_edge_cases() -> None:
    facts = ofac._Facts()
    facts.remarks("DOB 01 Jan 1960 to 31 Dec 1962; Tax ID No. 7744001497 (Russia); "
                  "Aircraft Construction Number (also called L/N or S/N or F/N) 1234; "
                  "Organization Established Date 18 Nov 2019; Digital Currency Address - XBT 1abc2; "
                  "Identification Number IMO 9876543; Phone Number 12345")
    assert facts.dobs == ["1960", "1961", "1962"]
    assert facts.ids == [("tax id", "7744001497"), ("Aircraft Construction Number", "1234"), ("IMO", "9876543")]
