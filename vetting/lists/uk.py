"""Importer for the UK Sanctions List XML published by the FCDO (``UK-Sanctions-List.xml``)."""
from __future__ import annotations

import re
from pathlib import Path
from xml.etree.ElementTree import Element

from .common import (
    birth_dates, build_version, clean, countries, iso_date, iter_xml, shorten, single_file, text, texts,
    to_date, unique, unique_pairs,
)
from .model import ListEntry, ListVersion

WHAT = "the UK Sanctions List XML (root <Designations>)"
KINDS = {"individual": "person", "entity": "organisation", "ship": "vessel", "aircraft": "aircraft"}


def _full_name(name: Element) -> str:
    """Name1..Name5 are given names, Name6 the family (or whole entity) name."""
    return " ".join(p for p in (text(name, f"Name{i}") for i in range(1, 7)) if p)


def _imo(value: str) -> str:
    return re.sub(r"^IMO\s*", "", value, flags=re.I)


def _entry(rec: Element) -> ListEntry | None:
    primary, aliases = "", []
    for name in rec.iterfind("Names/Name"):
        full = _full_name(name)
        # "Primary Name" and "Primary name" both occur; "Primary name variation" is an alias.
        if not primary and text(name, "NameType").lower() == "primary name":
            primary = full
        else:
            aliases.append(full)
    if not primary and aliases:
        primary = aliases.pop(0)
    if not primary:
        return None
    aliases += texts(rec, "NonLatinNames/NonLatinName/NameNonLatinScript")
    person = rec.find("IndividualDetails/Individual")
    ids: list[tuple[str, str]] = []
    places: list[str] = texts(rec, "Addresses/Address/AddressCountry")
    dobs: list[str] = []
    if person is not None:
        dobs = [d for v in texts(person, "DOBs/DOB") for d in birth_dates(v)]
        places += texts(person, "Nationalities/Nationality")
        ids += [("passport", v) for v in texts(person, "PassportDetails/Passport/PassportNumber")]
        ids += [("national id", v) for v in texts(person, "NationalIdentifierDetails/NationalIdentifier/"
                                                       "NationalIdentifierNumber")]
    entity = rec.find("EntityDetails/Entity")
    if entity is not None:
        ids += [("registration number", v) for v in texts(entity, "BusinessRegistrationNumbers/"
                                                               "BusinessRegistrationNumber")]
    for ship in rec.iterfind("ShipDetails/Ship"):
        ids += [("IMO", _imo(v)) for v in texts(ship, "IMONumbers/IMONumber")]
        places += texts(ship, "CurrentBelievedFlagOfShips/CurrentBelievedFlagOfShip")
    ids.append(("UN reference", text(rec, "UNReferenceNumber")))
    return ListEntry(
        source_id=text(rec, "UniqueID") or text(rec, "OFSIGroupID"),
        kind=KINDS.get(text(rec, "IndividualEntityShip").lower(), "other"),
        name=primary,
        aliases=unique(aliases, exclude=[primary]),
        birth_dates=unique(dobs),
        countries=countries(places),
        identifiers=unique_pairs(ids),
        programmes=unique(texts(rec, "RegimeName")),
        listed_on=iso_date(text(rec, "DateDesignated")),
        remarks=shorten(text(rec, "OtherInformation")),
    )


def parse(paths: list[Path]) -> ListVersion:
    """Parse the UK Sanctions List XML (published = ``DateGenerated``, dd/mm/yyyy)."""
    path = single_file(paths, "UK sanctions list")
    entries: list[ListEntry] = []
    published = None
    records = ["DateGenerated", "Designation"]
    for elem in iter_xml(path, path.name, roots=["Designations"], records=records, what=WHAT):
        if elem.tag == "Designations":
            published = to_date(elem.get("dateGenerated"))
        elif elem.tag == "DateGenerated":
            published = to_date(clean(elem.text)) or published
        else:
            entry = _entry(elem)
            if entry:
                entries.append(entry)
    return build_version("uk", [path], entries, what=WHAT, published=published)
