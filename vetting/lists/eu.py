"""Importer for the EU Financial Sanctions Files consolidated list XML (export v1.1)."""
from __future__ import annotations

from pathlib import Path
from xml.etree.ElementTree import Element

from .common import (
    build_version, clean, id_type, iso2, iter_xml, partial_date, shorten, single_file, to_date, unique,
    unique_pairs, year_span,
)
from .model import ListEntry, ListVersion

NAMESPACE = "http://eu.europa.ec/fpi/fsd/export"
WHAT = f"the EU consolidated financial sanctions list XML (root <export> in namespace {NAMESPACE})"
KINDS = {"person": "person", "enterprise": "organisation", "vessel": "vessel", "aircraft": "aircraft"}
# identificationTypeCode values of the EU file mapped to our identifier types.
ID_CODES = {"passport": "passport", "id": "national id", "regnumber": "registration number",
            "fiscalcode": "tax id", "tax": "tax id", "swiftbic": "SWIFT/BIC", "imo": "IMO", "ssn": "national id"}


def _birth_dates(elem: Element) -> list[str]:
    """One ``birthdate`` element: full date, year+month, year, or a year range."""
    full = partial_date(elem.get("birthdate"))
    if full:
        return [full]
    year, month = clean(elem.get("year")), clean(elem.get("monthOfYear"))
    if year.isdigit():
        found = partial_date(f"{year}-{month}") if month.isdigit() else None
        return [found or partial_date(year) or year]
    low, high = partial_date(elem.get("yearRangeFrom")), partial_date(elem.get("yearRangeTo"))
    if low and high:
        return year_span(low, high)
    return [d for d in (low, high) if d]


def _primary(aliases: list[Element]) -> Element:
    """The main name: the first structured one (first/last name given), else the first strong one."""
    for alias in aliases:
        if clean(alias.get("firstName")) or clean(alias.get("lastName")):
            return alias
    for alias in aliases:
        if alias.get("strong", "true") == "true":
            return alias
    return aliases[0]


def _entry(rec: Element) -> ListEntry | None:
    aliases = [a for a in rec.iterfind("nameAlias") if clean(a.get("wholeName"))]
    if not aliases:
        return None
    name = clean(_primary(aliases).get("wholeName"))
    subject = rec.find("subjectType")
    code = clean(subject.get("code") if subject is not None else "").lower()
    dobs = [d for b in rec.iterfind("birthdate") for d in _birth_dates(b)]
    codes = [e.get("countryIso2Code") for e in rec.iterfind("citizenship")]
    codes += [e.get("countryIso2Code") for e in rec.iterfind("address")]
    ids = []
    for ident in rec.iterfind("identification"):
        type_code = clean(ident.get("identificationTypeCode")).lower()
        label = ID_CODES.get(type_code) or id_type(ident.get("identificationTypeDescription") or type_code)
        ids.append((label, clean(ident.get("number")) or clean(ident.get("latinNumber"))))
    ids += [("EU reference", clean(rec.get("euReferenceNumber"))), ("UN reference", clean(rec.get("unitedNationId")))]
    regulations = list(rec.iterfind("regulation"))
    # The designation date when given, else the earliest act naming the entity or any of its details.
    acts = regulations + list(rec.iter("regulationSummary"))
    published = sorted(d for d in (clean(r.get("publicationDate")) for r in acts) if d)
    listed = partial_date(rec.get("designationDate")) or (partial_date(published[0]) if published else None)
    remarks = [clean(r.text) for r in rec.iter("remark")] + [clean(rec.get("designationDetails"))]
    return ListEntry(
        source_id=clean(rec.get("logicalId")) or clean(rec.get("euReferenceNumber")),
        kind=KINDS.get(code, "other"),
        name=name,
        aliases=unique((a.get("wholeName") for a in aliases), exclude=[name]),
        birth_dates=unique(dobs),
        countries=unique(c for c in map(iso2, codes) if c),
        identifiers=unique_pairs(ids),
        programmes=unique(r.get("programme") for r in regulations),
        listed_on=listed,
        remarks=shorten(" ".join(r for r in remarks if r)),
    )


def parse(paths: list[Path]) -> ListVersion:
    """Parse the EU FSF XML into a ListVersion (published = ``generationDate``)."""
    path = single_file(paths, "EU consolidated list")
    entries: list[ListEntry] = []
    published = None
    for elem in iter_xml(path, path.name, roots=["export"], records=["sanctionEntity"], what=WHAT,
                         namespace=NAMESPACE):
        if elem.tag == "export":
            published = to_date(elem.get("generationDate"))
            continue
        entry = _entry(elem)
        if entry:
            entries.append(entry)
    return build_version("eu", [path], entries, what=WHAT, published=published)

