"""What a Swedish annual report (årsredovisning, K2/K3 taxonomies) says: company, fiscal years, key figures,
signers and auditor, read from the iXBRL facts of checks/ixbrl.py.

The concepts are matched by namespace family (the URI without its version date) so that the 2017, 2020 and
2021 taxonomies and the two prefixes of the comp-base namespace (``se-bol-base``, ``se-comp-base``) read alike.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .ixbrl import Document, Fact, IxbrlError, iter_tuples

GEN = "http://www.taxonomier.se/se/fr/gen-base/"
CD = "http://www.taxonomier.se/se/fr/cd-base/"
COMP = "http://www.bolagsverket.se/se/fr/comp-base/"
GAAP_EXT = "http://www.taxonomier.se/se/fr/gaap/gaap-ext/"
FAR = "http://www.far.se/se/fr/ar/base/"
IFRS = "http://xbrl.ifrs.org/taxonomy/"
ISO4217 = "http://www.xbrl.org/2003/iso4217#"

# Key figure -> (concept in gen-base, the IFRS concept a listed company's ESEF report uses, period kind).
# Instants are read at the fiscal year's last day.
KEY_FIGURES = {
    "net_revenue": ("Nettoomsattning", "Revenue", "duration"),
    "result": ("AretsResultat", "ProfitLoss", "duration"),
    "result_after_financial_items": ("ResultatEfterFinansiellaPoster", None, "duration"),
    "employees": ("MedelantaletAnstallda", None, "duration"),
    "equity": ("EgetKapital", "Equity", "instant"),
    "share_capital": ("Aktiekapital", "IssuedCapital", "instant"),
    "solidity": ("Soliditet", None, "instant"),
    "balance_total": ("Tillgangar", "Assets", "instant"),
}
# Figures in money: their unit must be a currency (SEK whatever the unit's id: "SEK", "valuta"...).
MONEY = frozenset({"net_revenue", "result", "result_after_financial_items", "equity", "share_capital",
                   "balance_total"})


@dataclass
class Report:
    """One filed annual report (the annual report and, when filed with it, the audit report)."""

    orgnr: str | None = None
    company: str | None = None
    fiscal_start: str | None = None
    fiscal_end: str | None = None
    taxonomy: str | None = None
    software: str | None = None
    years: list[dict[str, Any]] = field(default_factory=list)  # newest first: start, end, figures...
    signers: list[dict[str, str]] = field(default_factory=list)
    signed_on: str | None = None
    adopted_on: str | None = None  # fastställelseintyg: the AGM adopted the accounts
    auditor: dict[str, str] | None = None
    currency: str | None = None
    esef: bool = False
    orgnrs: set[str] = field(default_factory=set)  # every number the documents name (report, audit report)
    problems: list[str] = field(default_factory=list)


def _first(doc: Document, family: str, name: str) -> str | None:
    for fact in doc.find(family, name):
        if isinstance(fact.value, str) and fact.value.strip():
            return fact.value.strip()
    return None


def _digits(text: str | None) -> str | None:
    digits = re.sub(r"\D", "", text or "")
    return digits[-10:] if len(digits) >= 10 else None


def _taxonomy(doc: Document) -> str | None:
    gen = sorted(ns for ns in doc.namespaces if ns.startswith(GEN))
    version = gen[-1].rstrip("/").rpartition("/")[2] if gen else None
    if any("/k3" in ns for ns in doc.namespaces):
        return f"K3 {version}" if version else "K3"
    if any("/k2" in ns for ns in doc.namespaces):
        return f"K2 {version}" if version else "K2"
    if any(ns.startswith(IFRS) for ns in doc.namespaces):
        return "IFRS (ESEF)"
    return version


def _precise(facts: list[Fact]) -> Decimal:
    """One value of facts tagged several times (kSEK overview and SEK statement): the one with most digits."""
    return max((f.value for f in facts if isinstance(f.value, Decimal)),
               key=lambda v: len(v.normalize().as_tuple().digits))


def _plain(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _years(doc: Document, report: Report) -> list[dict[str, Any]]:
    """Key figures for each fiscal year the report covers (this year and the comparison years)."""
    durations = {c.id: c for c in doc.contexts.values() if c.start and c.end and not c.dimensional}
    instants = {c.id: c for c in doc.contexts.values() if c.instant and not c.dimensional}
    years: dict[tuple[str, str], dict[str, Any]] = {}
    for ctx in durations.values():
        years.setdefault((ctx.start, ctx.end), {"start": ctx.start, "end": ctx.end})  # type: ignore[arg-type]
    by_end = {end: key for key in years for end in (key[1],)}
    for figure, (concept, ifrs, kind) in KEY_FIGURES.items():
        grouped: dict[tuple[str, str], list[Fact]] = {}
        for fact in doc.find(GEN, concept) + (doc.find(IFRS, ifrs) if ifrs else []):
            if figure in MONEY and fact.unit and not doc.units.get(fact.unit, "").startswith(ISO4217):
                report.problems.append(f"{concept} in unit {fact.unit!r}, not a currency")
                continue
            if kind == "duration" and fact.context in durations:
                ctx = durations[fact.context]
                grouped.setdefault((ctx.start, ctx.end), []).append(fact)  # type: ignore[arg-type]
            elif kind == "instant" and fact.context in instants and instants[fact.context].instant in by_end:
                grouped.setdefault(by_end[instants[fact.context].instant], []).append(fact)  # type: ignore[index]
        for key, facts in grouped.items():
            value = _precise(facts)
            years[key][figure] = float(value * 100) if figure == "solidity" else _plain(value)
    out = [y for y in years.values() if len(y) > 2]
    return sorted(out, key=lambda y: y["end"], reverse=True)


def _name(first: Fact | None, last: Fact | None) -> str:
    return " ".join(str(f.value).strip() for f in (first, last) if f is not None and str(f.value).strip())


def _signers(doc: Document) -> list[dict[str, str]]:
    """Board members, CEO and others who signed the annual report, role as written ('' when none)."""
    out: list[dict[str, str]] = []
    for family in (GEN, GAAP_EXT):
        for members in iter_tuples(doc, family, "UnderskriftArsredovisningForetradareTuple"):
            name = _name(members.get("UnderskriftArsredovisningForetradareTilltalsnamn") or
                         members.get("UnderskriftHandlingTilltalsnamn"),
                         members.get("UnderskriftArsredovisningForetradareEfternamn") or
                         members.get("UnderskriftHandlingEfternamn"))
            role = members.get("UnderskriftArsredovisningForetradareForetradarroll") or \
                members.get("UnderskriftHandlingRoll")
            dated = members.get("UndertecknandeDatum")
            if name:
                out.append({"name": name, "role": str(role.value).strip() if role else "",
                            "signed_on": str(dated.value) if dated else ""})
    # The fastställelseintyg signer is a board member; add them only if they did not sign the report itself.
    certifier = _name(next(iter(doc.find(COMP, "UnderskriftFaststallelseintygForetradareTilltalsnamn")), None),
                      next(iter(doc.find(COMP, "UnderskriftFaststallelseintygForetradareEfternamn")), None))
    if certifier and certifier.casefold() not in {s["name"].casefold() for s in out}:
        role = _first(doc, COMP, "UnderskriftFaststallelseintygForetradareForetradarroll") or ""
        out.append({"name": certifier, "role": role, "signed_on": ""})
    return out


def _auditor(doc: Document) -> dict[str, str] | None:
    for family, tuple_name, prefix in ((FAR, "UnderskriftRevisionsberattelseTuple", "UnderskriftRevisionsberattelse"),
                                       (GEN, "UnderskriftRevisorspateckningTuple", "UnderskriftRevisorspateckning")):
        for members in iter_tuples(doc, family, tuple_name):
            name = _name(members.get(f"{prefix}RevisorTilltalsnamn"), members.get(f"{prefix}RevisorEfternamn"))
            if name:
                title = members.get(f"{prefix}RevisorTitel")
                firm = _first(doc, FAR, "ValtRevisionsbolagNamn") or _first(doc, CD, "ValtRevisionsbolagsnamn") or ""
                return {"name": name, "title": str(title.value).strip() if title else "", "firm": firm,
                        "signed_on": _first(doc, FAR, "RevisionAvslutandeDatum") or ""}
    return None


def read(documents: list[Document]) -> Report:
    """The report from the XHTML documents of one filing (annual report first, audit report if separate)."""
    if not documents:
        raise IxbrlError("the filing holds no XHTML document")
    main = next((d for d in documents if d.find(GEN, "Nettoomsattning") or d.find(GEN, "EgetKapital")),
                next((d for d in documents if d.find(CD, "Organisationsnummer")), documents[0]))
    # A listed company files an IFRS (ESEF) report beside its fastställelseintyg: its figures are read from it.
    ifrs = next((d for d in documents if any(ns.startswith(IFRS) for ns in d.namespaces)), None)
    report = Report()
    report.orgnr = next((n for n in (_digits(_first(d, CD, "Organisationsnummer")) for d in documents) if n), None) or \
        next((_digits(c.identifier) for c in main.contexts.values() if _digits(c.identifier)), None)
    report.orgnrs = {n for d in documents for n in (_digits(_first(d, CD, "Organisationsnummer")),
                                                    _digits(_first(d, FAR, "Organisationsnummer"))) if n}
    if report.orgnr is None:
        report.problems.append("no organisation number in the filing")
    report.company = next((n for n in (_first(d, CD, "ForetagetsNamn") for d in documents) if n), None)
    report.fiscal_start = _first(main, CD, "RakenskapsarForstaDag")
    report.fiscal_end = _first(main, CD, "RakenskapsarSistaDag")
    report.taxonomy = _taxonomy(main)
    report.software = " ".join(x for x in (main.meta.get("programvara"), main.meta.get("programversion")) if x) or None
    report.esef = ifrs is not None and not main.find(GEN, "Nettoomsattning")
    if report.esef:
        report.taxonomy = "IFRS (ESEF)"
    report.years = _years(ifrs if report.esef and ifrs else main, report)
    if report.fiscal_end is None and report.years:
        report.fiscal_start, report.fiscal_end = report.years[0]["start"], report.years[0]["end"]
    report.signers = _signers(main)
    dates = [s["signed_on"] for s in report.signers if s["signed_on"]]
    report.signed_on = _first(main, GEN, "UndertecknandeArsredovisningDatum") or (max(dates) if dates else None)
    report.adopted_on = next((_first(d, COMP, "UnderskriftFastallelseintygDatum") for d in documents
                              if _first(d, COMP, "UnderskriftFastallelseintygDatum")), None)
    report.auditor = next((a for a in (_auditor(d) for d in documents) if a), None)
    currencies = {main.units[u].partition("#")[2] for u in main.units if main.units[u].startswith(ISO4217)}
    report.currency = sorted(currencies)[0] if currencies else None
    return report
