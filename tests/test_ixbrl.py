"""The iXBRL reader and the annual-report reading: Bolagsverket's worked example against its own XBRL instance,
each captured filing in ../shared/data, and small fixtures of each taxonomy variant."""
from __future__ import annotations

import zipfile
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import pytest

from checks import arsredovisning, ixbrl

FIXTURES = Path(__file__).parent / "fixtures" / "se.bolagsverket.arsredovisning"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "bolagsverket" / "arsredovisningar"
if not SHARED.is_dir():
    SHARED = Path("/work/shared/data/bolagsverket/arsredovisningar")
XBRLI = "{http://www.xbrl.org/2003/instance}"
# The concepts the app reads (key figures, company, fiscal year, signers, fastställelseintyg).
USED = {"Nettoomsattning", "AretsResultat", "ResultatEfterFinansiellaPoster", "MedelantaletAnstallda", "EgetKapital",
        "Aktiekapital", "Soliditet", "Tillgangar", "ForetagetsNamn", "Organisationsnummer", "RakenskapsarForstaDag",
        "RakenskapsarSistaDag", "UnderskriftArsredovisningForetradareTilltalsnamn",
        "UnderskriftArsredovisningForetradareEfternamn", "UnderskriftArsredovisningForetradareForetradarroll",
        "UnderskriftFaststallelseintygForetradareTilltalsnamn", "UnderskriftFaststallelseintygForetradareEfternamn",
        "UnderskriftFastallelseintygDatum", "UndertecknandeArsredovisningDatum"}


def fixture(name: str) -> list[ixbrl.Document]:
    return [ixbrl.parse((FIXTURES / name).read_bytes())]


def shared(name: str) -> list[ixbrl.Document]:
    path = SHARED / name
    if not path.exists():
        pytest.skip(f"{path} is not present")
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as package:
            return [ixbrl.parse(package.read(n)) for n in package.namelist() if n.endswith(".xhtml")]
    return [ixbrl.parse(path.read_bytes())]


def instance_facts(path: Path) -> dict[tuple[str, str, str], list[str]]:
    """The published XBRL instance read on its own: (namespace, name, context) -> the values, tuples unfolded."""
    out: dict[tuple[str, str, str], list[str]] = {}

    def visit(element: ElementTree.Element) -> None:
        for child in element:
            if child.tag.startswith(XBRLI) or "linkbase" in child.tag:
                continue
            if child.get("contextRef") is None:
                visit(child)  # a tuple: its members are the facts
                continue
            uri, _, name = child.tag[1:].partition("}")
            out.setdefault((uri, name, child.get("contextRef")), []).append(" ".join((child.text or "").split()))

    visit(ElementTree.parse(path).getroot())
    return out


@pytest.mark.shared_data
def test_the_worked_example_gives_the_facts_of_its_published_instance() -> None:
    instance = SHARED / "official_exempel-1_556999-9999_K2-2017-09-30_instance.xbrl.xml"
    if not instance.exists():
        pytest.skip("Bolagsverket's example is not present")
    expected = instance_facts(instance)
    (doc,) = shared("official_exempel-1_556999-9999_K2-2017-09-30.xhtml")
    parsed: dict[tuple[str, str, str], list[ixbrl.Fact]] = {}
    for fact in doc.facts:
        parsed.setdefault((fact.namespace, fact.name, fact.context), []).append(fact)
    assert len(expected) > 150 and set(parsed) == set(expected)  # every fact, name for name, context for context
    compared = 0
    for key, values in expected.items():
        got = parsed[key]
        if isinstance(got[0].value, Decimal):
            assert {Decimal(v) for v in values} == {f.value for f in got}, key
            compared += 1
        elif key[1] in USED:
            assert {" ".join(str(f.value).split()) for f in got} == set(values), key
            compared += 1
    assert compared > 100
    used = {k[1] for k in expected} & USED
    assert used >= {"Nettoomsattning", "EgetKapital", "Aktiekapital", "Soliditet", "MedelantaletAnstallda"}


@pytest.mark.shared_data
def test_the_worked_example_key_figures_and_signers() -> None:
    report = arsredovisning.read(shared("official_exempel-1_556999-9999_K2-2017-09-30.xhtml"))
    assert (report.orgnr, report.company, report.fiscal_start, report.fiscal_end) == \
        ("5569999999", "Exempel 1 AB", "2016-01-01", "2016-12-31")
    newest = report.years[0]
    assert newest == {"start": "2016-01-01", "end": "2016-12-31", "net_revenue": 2650000, "result": 1274000,
                      "result_after_financial_items": 1485000, "employees": 2, "equity": 2390000,
                      "share_capital": 100000, "solidity": 33.7, "balance_total": 7773000}
    assert [y["end"] for y in report.years] == ["2016-12-31", "2015-12-31", "2014-12-31", "2013-12-31"]
    assert report.signers == [{"name": "Karl Karlsson", "role": "", "signed_on": ""},
                              {"name": "Karin Olsson", "role": "Verkställande direktör", "signed_on": ""}]
    assert report.auditor is None and report.taxonomy == "K2 2017-09-30"


@pytest.mark.shared_data
def test_the_worked_example_with_audit_report_names_the_auditor() -> None:
    report = arsredovisning.read(shared("official_exempel-2_556999-9999_K2-2017-09-30_med-revisionsberattelse.xhtml"))
    assert report.auditor == {"name": "Sven Svensson", "title": "Auktoriserad revisor",
                              "firm": "Mitt revisionsföretag AB", "signed_on": "2017-03-20"}


# file -> (orgnr, company, taxonomy, fiscal end, signers, auditor name, firm, newest figures), as in SOURCES.md §4
CAPTURED = {
    "dokument_5590852777_Jonas-Skomakare-AB_2024.zip": (
        "5590852777", "Jonas Skomakare AB", "K2 2021-10-31", "2024-12-31",
        [("Jonas Samuelsson", "Styrelseledamot")], None, None,
        {"net_revenue": 565637, "share_capital": 50000, "solidity": 48.93}),
    "dokument_5569201998_Modular-Finance-AB_2021_K3.zip": (
        "5569201998", "Modular Finance AB", "K3 2020-12-01", "2021-12-31",
        [("Måns Flodberg", "Styrelseordförande"), ("Petter Hedborg", "Verkställande direktör")],
        "Sofia Petersson", "Öhrlings PricewaterhouseCoopers AB", {"employees": 26}),
    "dokument_5569914046_Podspace-AB_2019.zip": (
        "5569914046", "Bowtie AB", "K2 2017-09-30", "2019-12-31",
        [("Simon Blommegård", "Verkställande direktör"), ("Marcus Gellermark", "Vice verkställande direktör")],
        None, None, {"employees": 0}),
    "dokument_5590179924_SecTrade-Konsult-AB_2020.zip": (
        "5590179924", "SecTrade Konsult AB", "K2 2017-09-30", "2020-10-31",
        [("Victor Wallenberg", "Verkställande direktör")], None, None, {}),
}


@pytest.mark.shared_data
@pytest.mark.parametrize("name", sorted(CAPTURED))
def test_each_captured_filing_parses(name: str) -> None:
    orgnr, company, taxonomy, end, signers, auditor, firm, figures = CAPTURED[name]
    report = arsredovisning.read(shared(name))
    assert (report.orgnr, report.company, report.taxonomy, report.fiscal_end) == (orgnr, company, taxonomy, end)
    assert [(s["name"], s["role"]) for s in report.signers] == signers
    assert (report.auditor or {}).get("name") == auditor and (report.auditor or {}).get("firm") == firm
    newest = report.years[0]
    assert newest["end"] == end and {k: newest.get(k) for k in figures} == figures
    assert newest["net_revenue"] > 0 and "equity" in newest and report.currency == "SEK" and not report.problems
    if name.startswith("dokument_5590852777"):
        assert "employees" not in newest  # Jonas Skomakare reports no average number of employees


def test_k2_2017_variant_comp_base_prefix_tuple_refs_and_sign() -> None:
    report = arsredovisning.read(fixture("k2-2017_wolters-kluwer.xhtml"))
    assert (report.orgnr, report.company, report.taxonomy) == ("5566778899", "Fixturbygg AB", "K2 2017-09-30")
    assert report.years[0] == {"start": "2019-01-01", "end": "2019-12-31", "net_revenue": 2919157, "result": -243356,
                               "employees": 0, "equity": 1285303, "share_capital": 25000, "solidity": 80.7,
                               "balance_total": 1592260}
    assert report.years[1]["net_revenue"] == 3189224 and report.years[1]["result"] == 34851
    assert [(s["name"], s["role"]) for s in report.signers] == [
        ("Simon Testström", "Verkställande direktör"), ("Marcus Provlund", "Vice verkställande direktör"),
        ("Greta Fixtursson", "")]
    assert report.adopted_on == "2020-06-25" and report.signed_on == "2020-06-17" and report.auditor is None


def test_k2_2021_variant_nested_tuples_nested_copies_and_negative_equity() -> None:
    (doc,) = fixture("k2-2021_fortnox.xhtml")
    assert len(doc.find(arsredovisning.COMP, "UnderskriftFaststallelseintygForetradareTilltalsnamn")) == 1
    report = arsredovisning.read([doc])
    assert report.taxonomy == "K2 2021-10-31"
    assert [(s["name"], s["role"], s["signed_on"]) for s in report.signers] == [
        ("Jonna Provsdotter", "Styrelseordförande", "2025-07-31"), ("Bo Exempelsson", "VD", "2025-07-30")]
    newest = report.years[0]
    assert newest["equity"] == -10712 and newest["share_capital"] == 25000 and newest["solidity"] == -2.15
    assert "employees" not in newest and report.signed_on == "2025-07-31"


def test_k3_2020_variant_upper_case_contexts_other_currency_unit_and_separate_audit_report() -> None:
    report = arsredovisning.read(fixture("k3-2020_e-revisor.xhtml") + fixture("k3-2020_revisionsberattelse.xhtml"))
    assert (report.orgnr, report.taxonomy, report.currency) == ("5561234567", "K3 2020-12-01", "SEK")
    assert report.years[0]["net_revenue"] == 70196324 and report.years[0]["employees"] == 26
    assert report.years[1]["employees"] == 21
    assert report.signers[1] == {"name": "Petra Testholm", "role": "Arbetstagarrepresentant", "signed_on": ""}
    assert report.auditor == {"name": "Sofie Granskarsson", "title": "Auktoriserad revisor",
                              "firm": "Revisorerna Prov KB", "signed_on": "2022-03-07"}
    assert report.orgnrs == {"5561234567"}


def test_an_esef_package_is_recognised_and_its_ifrs_figures_read() -> None:
    report = arsredovisning.read(fixture("esef_faststallelseintyg.xhtml") + fixture("esef_report.xhtml"))
    assert report.esef and report.taxonomy == "IFRS (ESEF)"
    assert report.orgnr == "5561234567" and report.company == "Noterat Prov AB (publ)"
    assert report.years[0]["net_revenue"] == 1234500000 and report.years[0]["equity"] == 980000000
    assert report.signers == [{"name": "Ebba Noteradsson", "role": "Styrelseordförande", "signed_on": ""}]


@pytest.mark.parametrize(("raw", "fmt", "expected"), [
    ("2 650", "ixt:numspacecomma", Decimal(2650)), ("1\u00a0011 000", "ixt:numspacecomma", Decimal(1011000)),
    ("33,7", "ixt:numcomma", Decimal("33.7")), ("1.234,50", "ixt:numdotcomma", Decimal("1234.50")),
    ("1,234.5", "ixt:numdotdecimal", Decimal("1234.5")), ("-", "ixt:zerodash", Decimal(0)),
])
def test_number_formats(raw: str, fmt: str, expected: Decimal) -> None:
    assert ixbrl.number(raw, fmt) == expected


@pytest.mark.parametrize(("raw", "fmt", "expected"), [
    ("7 mars 2022", "ixt3:datedaymonthyeardk", "2022-03-07"), ("31. december 2021", "ixt3:datedaymonthyeardk",
                                                                 "2021-12-31"),
    ("21 maj 2020", "ixt3:datedaymonthyearsv", "2020-05-21"), ("2017-03-21", "ixt:dateyearmonthday", "2017-03-21"),
])
def test_date_formats(raw: str, fmt: str, expected: str) -> None:
    assert ixbrl.date_value(raw, fmt) == expected


@pytest.mark.parametrize("body", [b"PK\x03\x04 not xml", b"<html><body>no ix here</body></html>",
                                  b'<html xmlns:ix="http://www.xbrl.org/2013/inlineXBRL"><ix:nonFraction '
                                  b'name="x:Y" contextRef="c">1</ix:nonFraction></html>'])
def test_unreadable_documents_are_errors(body: bytes) -> None:
    with pytest.raises(ixbrl.IxbrlError):
        ixbrl.parse(body)


def test_a_number_its_format_cannot_read_is_an_error() -> None:
    with pytest.raises(ixbrl.IxbrlError):
        ixbrl.number("12 abc", "ixt:numspacecomma")
    with pytest.raises(ixbrl.IxbrlError):
        ixbrl.number("12", "ixt:numwordsen")
