"""Importer dispatch, acceptance checks, and robustness of every parser against bad input."""
from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vetting.lists import common, importers
from vetting.lists.model import ListEntry, ListFormatError, ListVersion

FIXTURES = Path(__file__).parent / "fixtures" / "lists"
OWN_FIXTURES = {
    "un": ["un_consolidated.xml"],
    "ofac-sdn": ["ofac_sdn.csv", "ofac_alt.csv", "ofac_add.csv", "ofac_sdn_comments.csv"],
    "ofac-xml": ["ofac_sdn_list.xml", "ofac_enhanced.xml"],
    "eu": ["eu_fsf.xml"],
    "uk": ["uk_sanctions.xml"],
    "opensanctions": ["opensanctions_entities.ftm.json", "opensanctions_targets.simple.csv", "opensanctions_peps.ftm.json"],
    "worldbank": ["worldbank_debarred.xlsx", "worldbank_debarred_scraped.csv"],
    "ebrd": ["ebrd_ineligible_entities.csv"],
    "idb": ["idb_sanctioned_firms_and_individuals.xlsx"],
}
XML_FIXTURES = {"un_consolidated.xml": "un", "ofac_sdn_list.xml": "ofac-xml", "ofac_enhanced.xml": "ofac-xml",
                "eu_fsf.xml": "eu", "uk_sanctions.xml": "uk"}
FUZZ = settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


def _version(count: int, declared: int | None = None) -> ListVersion:
    entries = [ListEntry(source_id=str(i), kind="person", name=f"N{i}") for i in range(count)]
    return ListVersion(source="un", published=date(2026, 1, 1), sha256="0" * 64, entries=entries,
                       declared_count=declared, files=("consolidated.xml",))


def _parse_bytes(source: str, data: bytes, name: str = "input.bin") -> None:
    """Parse ``data`` written to a file; any exception but ListFormatError fails the test."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            importers.PARSERS[source]([path])  # the module parser itself, without the dispatcher's net
        except ListFormatError as err:
            assert str(err)


def test_sources_and_dispatch() -> None:
    assert importers.SOURCES == ("un", "ofac-sdn", "ofac-xml", "eu", "uk", "opensanctions", "worldbank", "ebrd", "idb")
    assert set(importers.PARSERS) == set(importers.SOURCES)
    for source, names in OWN_FIXTURES.items():
        for name in names:
            if source == "ofac-sdn" and name != "ofac_sdn.csv":
                continue
            version = importers.parse(source, [FIXTURES / name])
            assert version.source == source and version.count > 0
    trio = importers.parse("ofac-sdn", [FIXTURES / n for n in OWN_FIXTURES["ofac-sdn"]])
    assert trio.sha256 == common.sha256_files([FIXTURES / n for n in OWN_FIXTURES["ofac-sdn"]])
    with pytest.raises(ListFormatError, match="Unknown list source"):
        importers.parse("interpol", [FIXTURES / "un_consolidated.xml"])


def test_every_entry_is_well_formed() -> None:
    for source, names in OWN_FIXTURES.items():
        groups = [names] if source == "ofac-sdn" else [[n] for n in names]
        for group in groups:
            for entry in importers.parse(source, [FIXTURES / n for n in group]).entries:
                assert entry.kind in ("person", "organisation", "vessel", "aircraft", "other")
                assert entry.name and entry.source_id
                assert entry.name.casefold() not in {a.casefold() for a in entry.aliases}
                assert all(len(c) == 2 and c.isupper() for c in entry.countries)
                assert all(common.partial_date(d) == d for d in entry.birth_dates)
                assert entry.listed_on is None or common.partial_date(entry.listed_on) == entry.listed_on
                assert all(kind and value for kind, value in entry.identifiers)


@pytest.mark.parametrize("source", importers.SOURCES)
def test_refuses_other_sources_files(source: str) -> None:
    own = set(OWN_FIXTURES[source])
    for path in sorted(FIXTURES.iterdir()):
        if path.name not in own:
            with pytest.raises(ListFormatError):
                importers.parse(source, [path])


def test_dispatcher_wraps_unexpected_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(paths: list[Path]) -> ListVersion:
        raise KeyError("surprise")

    monkeypatch.setitem(importers.PARSERS, "un", broken)
    with pytest.raises(ListFormatError, match="could not be read as the un list"):
        importers.parse("un", [FIXTURES / "un_consolidated.xml"])


def test_check_acceptable() -> None:
    importers.check_acceptable(_version(10), None)
    importers.check_acceptable(_version(10, declared=10), 12)
    importers.check_acceptable(_version(5), 10)  # exactly half is still fine
    with pytest.raises(ListFormatError, match="no entries"):
        importers.check_acceptable(_version(0), None)
    with pytest.raises(ListFormatError, match="declares 443 records but only 400.*truncated"):
        importers.check_acceptable(_version(400, declared=443), None)
    with pytest.raises(ListFormatError, match="much smaller than the previous version"):
        importers.check_acceptable(_version(4), 10)
    with pytest.raises(ListFormatError, match="much smaller"):
        importers.check_acceptable(_version(8), 10, min_ratio=0.9)


@pytest.mark.parametrize("name", sorted(XML_FIXTURES))
def test_every_cut_of_an_xml_file_is_refused(name: str) -> None:
    data = (FIXTURES / name).read_bytes()
    end = data.rindex(b"</")
    for cut in range(0, end, max(1, end // 150)):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / name
            path.write_bytes(data[:cut])
            with pytest.raises(ListFormatError):
                importers.PARSERS[XML_FIXTURES[name]]([path])


@pytest.mark.parametrize("source", importers.SOURCES)
@FUZZ
@given(data=st.binary(max_size=2000))
def test_random_bytes_only_raise_list_format_error(source: str, data: bytes) -> None:
    _parse_bytes(source, data)


@pytest.mark.parametrize("source", importers.SOURCES)
@FUZZ
@given(prefix=st.sampled_from([b"", b"<", b"<?xml version='1.0'?>", b"PK\x03\x04", b"{", b"\xef\xbb\xbf", b"1,"]),
       data=st.binary(max_size=500))
def test_format_like_garbage_only_raises_list_format_error(source: str, prefix: bytes, data: bytes) -> None:
    _parse_bytes(source, prefix + data)


@pytest.mark.parametrize("source", importers.SOURCES)
@FUZZ
@given(fraction=st.floats(min_value=0, max_value=1), which=st.integers(min_value=0, max_value=3))
def test_truncated_fixtures_only_raise_list_format_error(source: str, fraction: float, which: int) -> None:
    names = OWN_FIXTURES[source]
    data = (FIXTURES / names[which % len(names)]).read_bytes()
    _parse_bytes(source, data[: int(len(data) * fraction)], names[which % len(names)])


@pytest.mark.parametrize("source", importers.SOURCES)
@FUZZ
@given(which=st.integers(min_value=0, max_value=3),
       edits=st.lists(st.tuples(st.floats(min_value=0, max_value=1), st.binary(min_size=1, max_size=4)),
                      min_size=1, max_size=4))
def test_damaged_fixtures_only_raise_list_format_error(source: str, which: int,
                                                       edits: list[tuple[float, bytes]]) -> None:
    names = OWN_FIXTURES[source]
    data = bytearray((FIXTURES / names[which % len(names)]).read_bytes())
    for where, new in edits:
        at = int(where * (len(data) - 1))
        data[at:at + len(new)] = new
    _parse_bytes(source, bytes(data), names[which % len(names)])
