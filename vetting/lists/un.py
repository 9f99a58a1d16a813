"""Importer for the UN Security Council Consolidated List XML (``consolidated.xml``)."""
from __future__ import annotations

from pathlib import Path
from xml.etree.ElementTree import Element

from .common import (
    birth_dates, build_version, countries, id_type, iter_xml, partial_date, shorten, single_file,
    text, texts, to_date, unique, unique_pairs,
)
from .model import ListEntry, ListVersion

WHAT = "the UN Security Council consolidated list XML (root <CONSOLIDATED_LIST>)"
NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")


def _dob(elem: Element) -> list[str]:
    """Birth dates of one INDIVIDUAL_DATE_OF_BIRTH: DATE, YEAR, FROM_YEAR-TO_YEAR or a free-text NOTE."""
    exact = text(elem, "DATE")
    if exact:
        return birth_dates(exact)
    year = text(elem, "YEAR")
    note = text(elem, "NOTE")
    if year:
        # A NOTE such as "Sep." next to YEAR 1958 narrows the year to a month.
        found = (partial_date(f"{note} {year}") if note else None) or partial_date(year)
        return [found] if found else []
    low, high = text(elem, "FROM_YEAR"), text(elem, "TO_YEAR")
    if low and high:
        return birth_dates(f"{low} to {high}")
    if low or high:
        return birth_dates(low or high)
    return birth_dates(note) if note else []


def _entry(rec: Element) -> ListEntry | None:
    person = rec.tag == "INDIVIDUAL"
    name = " ".join(p for p in (text(rec, part) for part in NAME_PARTS) if p)
    if not name:
        return None
    alias_tag = "INDIVIDUAL_ALIAS" if person else "ENTITY_ALIAS"
    address_tag = "INDIVIDUAL_ADDRESS" if person else "ENTITY_ADDRESS"
    # The UN grades aliases: QUALITY "Low" is an alias too vague to identify anyone alone.
    weak = unique(text(a, "ALIAS_NAME") for a in rec.iterfind(alias_tag) if text(a, "QUALITY").lower() == "low")
    aliases = unique(texts(rec, f"{alias_tag}/ALIAS_NAME") + texts(rec, "NAME_ORIGINAL_SCRIPT"),
                     exclude=[name, *weak])
    dobs: list[str] = []
    approx = False
    for dob in rec.iterfind("INDIVIDUAL_DATE_OF_BIRTH"):
        dobs.extend(_dob(dob))
        approx = approx or text(dob, "TYPE_OF_DATE").upper() in ("APPROXIMATELY", "BETWEEN")
    for alias_dob in texts(rec, f"{alias_tag}/DATE_OF_BIRTH"):  # DPRK aliases carry their own DOB
        dobs.extend(birth_dates(alias_dob))
    ids = [(id_type(text(doc, "TYPE_OF_DOCUMENT") or text(doc, "TYPE_OF_DOCUMENT2")), text(doc, "NUMBER"))
           for doc in rec.iterfind("INDIVIDUAL_DOCUMENT")]
    listed = text(rec, "LISTED_ON")
    return ListEntry(
        source_id=text(rec, "REFERENCE_NUMBER") or text(rec, "DATAID"),
        kind="person" if person else "organisation",
        name=name,
        aliases=aliases,
        weak_aliases=unique(weak, exclude=[name]),
        birth_dates=unique(dobs),
        approximate_birth=approx,
        countries=countries(texts(rec, "NATIONALITY/VALUE") + texts(rec, f"{address_tag}/COUNTRY")),
        identifiers=unique_pairs(ids),
        programmes=unique(texts(rec, "UN_LIST_TYPE")),
        listed_on=partial_date(listed[:10]) if listed else None,
        remarks=shorten(text(rec, "COMMENTS1")),
    )


def parse(paths: list[Path]) -> ListVersion:
    """Parse the UN consolidated list XML into a ListVersion (published = ``dateGenerated``)."""
    path = single_file(paths, "UN consolidated list")
    entries: list[ListEntry] = []
    published = None
    for elem in iter_xml(path, path.name, roots=["CONSOLIDATED_LIST"], records=["INDIVIDUAL", "ENTITY"], what=WHAT):
        if elem.tag == "CONSOLIDATED_LIST":
            published = to_date(elem.get("dateGenerated"))
            continue
        entry = _entry(elem)
        if entry:
            entries.append(entry)
    return build_version("un", [path], entries, what=WHAT, published=published)
