"""The ESPD parser: each version's shape is read; a file that cannot be trusted is refused with its reason."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import shared_data_file
from vetting.espd import EspdError, parse

FIXTURES = Path(__file__).parent / "fixtures" / "espd"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "espd"
OWN = {"espd-2.1.1-basic-no-grounds.xml": ("2.1.1", "Basic"), "espd-2.1.1-extended-no-grounds.xml": ("2.1.1", "Extended"),
       "espd-3.3.0-no-grounds.xml": ("3.3.0", None), "espd-4.1.0-no-grounds.xml": ("4.1.0", None)}
CONVICTION_CODES = {"crime-org", "corruption", "fraud", "terr-offence", "finan-laund", "human-traffic"}


def _read(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.mark.parametrize("name", sorted(OWN))
def test_each_version_is_read_with_its_operator_and_every_answer_no(name):
    espd = parse(_read(name))
    assert (espd.version, espd.profile) == OWN[name]
    assert espd.operator.name == "Städbolaget Exempel AB"
    assert espd.issued == "2026-11-20"
    grounds = espd.by_ground()
    assert len(grounds["13:1"]) == 6 and len(grounds["13:2"]) == 2
    assert [a.declared for a in espd.answers] == [False] * 10
    assert "gen-year-to" not in {a.code for a in espd.answers}  # a selection criterion is not an exclusion ground


def test_long_and_short_codes_map_to_the_same_grounds():
    old, new = parse(_read("espd-2.1.1-basic-no-grounds.xml")), parse(_read("espd-4.1.0-no-grounds.xml"))
    assert [(a.uuid, a.ground, a.indicator) for a in old.answers] == [(a.uuid, a.ground, a.indicator) for a in new.answers]
    assert old.answers[0].code == "CRITERION.EXCLUSION.CONVICTIONS.PARTICIPATION_IN_CRIMINAL_ORGANISATION"
    assert {a.code for a in new.by_ground()["13:1"]} == CONVICTION_CODES


def test_a_declared_ground_keeps_its_date_description_period_and_amount():
    espd = parse(_read("espd-4.1.0-declares-fraud-and-tax.xml"))
    fraud = next(a for a in espd.answers if a.code == "fraud")
    tax = next(a for a in espd.answers if a.code == "tax-pay")
    assert fraud.declared is True and fraud.ground == "13:1"
    assert fraud.dates() == ("2023-04-12", "2023-04-12", "2028-04-12")
    assert fraud.descriptions() == ("Tidigare styrelseledamot dömd av Göteborgs tingsrätt",)
    assert tax.declared is True and tax.ground == "13:2"
    assert tax.amounts() == ({"amount": "125000", "currency": "SEK"},)
    assert next(a for a in espd.answers if a.code == "corruption").declared is False


def _reason(data: bytes) -> str:
    with pytest.raises(EspdError) as caught:
        parse(data)
    return caught.value.reason


def test_a_truncated_file_is_refused_as_cut_short():
    assert _reason(_read("espd-4.1.0-truncated.xml")) == "truncated"


def test_malformed_xml_is_refused():
    broken = _read("espd-4.1.0-no-grounds.xml").replace(b"</cbc:Name>", b"</cbc:Nam>", 1)
    assert _reason(broken) == "malformed"


def test_an_unknown_version_is_refused():
    assert _reason(_read("espd-unknown-version.xml")) == "unknown_version"
    older = _read("espd-2.1.1-basic-no-grounds.xml").replace(b">2.1.1<", b">2.0.2<").replace(
        b'listVersionID="2.1.1"', b'listVersionID="2.0.2"')
    assert _reason(older) == "unknown_version"


def test_entity_tricks_are_refused_before_anything_expands():
    assert _reason(_read("espd-billion-laughs.xml")) == "forbidden"
    xxe = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           b'<QualificationApplicationResponse xmlns="urn:oasis:names:specification:ubl:schema:xsd:'
           b'QualificationApplicationResponse-2">&x;</QualificationApplicationResponse>')
    assert _reason(xxe) == "forbidden"


def test_the_buyers_request_and_other_xml_are_not_a_response():
    assert _reason(_read("espd-request.xml")) == "request"
    assert _reason(b'<?xml version="1.0"?><CONSOLIDATED_LIST dateGenerated="2026-01-01"/>') == "not_espd"
    assert _reason(b"") == "empty"
    assert _reason(b"%PDF-1.7 not xml") == "malformed"


def test_a_file_over_the_limit_is_refused_unread():
    assert _reason(b"<" + b" " * (5 * 1024 * 1024)) == "too_large"


def test_an_operator_is_required():
    text = _read("espd-4.1.0-no-grounds.xml")
    start, end = text.index(b"<cac:EconomicOperatorParty>"), text.index(b"</cac:EconomicOperatorParty>")
    assert _reason(text[:start] + text[end + len(b"</cac:EconomicOperatorParty>"):]) == "no_operator"


@pytest.mark.shared_data
@pytest.mark.parametrize("name, version", [("BASIC-ESPDResponse-2.1.1.xml", "2.1.1"),
                                           ("EXTENDED-ESPDResponse-2.1.1.xml", "2.1.1"),
                                           ("ESPD-Response-3.3.0.xml", "3.3.0"), ("ESPD-Response-4.1.0.xml", "4.1.0")])
def test_each_official_example_is_read(name, version):
    espd = parse(shared_data_file(SHARED / name).read_bytes())
    assert espd.version == version
    assert espd.operator.identifiers in (("DE153301871",), ("AD123456789",))
    # Every exclusion criterion of the ESPD-EDM is there and mapped to its LOU ground.
    assert len(espd.answers) == 24
    assert {a.code for a in espd.by_ground()["13:1"]} >= CONVICTION_CODES or len(espd.by_ground()["13:1"]) == 6
    assert set(espd.by_ground()) == {"13:1", "13:2", "13:3p1", "13:3p2", "13:3p3", "13:3p4", "13:3p5", "13:3p6",
                                     "13:3p7", "13:3p8", "national"}
    # The examples answer "yes" to the conviction grounds, with a date of conviction.
    assert all(a.declared is True and a.dates() for a in espd.by_ground()["13:1"])


@pytest.mark.shared_data
def test_the_official_request_is_refused_as_not_a_response():
    assert _reason(shared_data_file(SHARED / "ESPD-Request-4.1.0.xml").read_bytes()) == "request"


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_SEED = _read("espd-4.1.0-declares-fraud-and-tax.xml")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cut=st.integers(min_value=0, max_value=len(_SEED)), at=st.integers(min_value=0, max_value=len(_SEED) - 1),
       byte=st.binary(min_size=1, max_size=4), encoding=st.sampled_from([b"UTF-8", b"latin-1", b"x-unknown", b"UTF-16"]))
def test_a_damaged_file_is_read_or_refused_never_anything_else(cut, at, byte, encoding):
    """Cut short, a few bytes replaced, another declared encoding: an answer or EspdError, never another exception."""
    data = (_SEED[:at] + byte + _SEED[at + len(byte):])[:cut].replace(b'encoding="UTF-8"', b'encoding="' + encoding + b'"')
    try:
        parse(data)
    except EspdError as exc:
        assert exc.reason in ("empty", "truncated", "malformed", "encoding", "forbidden", "not_espd", "request", "unknown_version",
                              "no_operator", "no_criteria")
