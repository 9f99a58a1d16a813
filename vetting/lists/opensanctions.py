"""Importer for OpenSanctions exports: FollowTheMoney JSON lines and ``targets.simple.csv``."""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from .common import (
    ZIP_MAGIC, birth_dates, build_version, clean, iso2, partial_date, read_csv, read_head,
    shorten, single_file, to_date, unique, unique_pairs,
)
from .model import ListEntry, ListFormatError, ListVersion
from ..domain.text import decode_bytes

WHAT = "an OpenSanctions export (FollowTheMoney entities JSON lines or targets.simple.csv)"
KINDS = {"Person": "person", "Organization": "organisation", "Company": "organisation",
         "LegalEntity": "organisation", "PublicBody": "organisation", "Vessel": "vessel", "Airplane": "aircraft"}
COUNTRY_PROPS = ("nationality", "citizenship", "country", "jurisdiction", "mainCountry", "flag")
ID_PROPS = {"passportNumber": "passport", "idNumber": "national id", "registrationNumber": "registration number",
            "taxNumber": "tax id", "innCode": "tax id", "vatCode": "tax id", "ogrnCode": "registration number",
            "leiCode": "LEI", "imoNumber": "IMO", "swiftBic": "SWIFT/BIC", "mmsi": "MMSI", "okpoCode": "OKPO",
            "dunsCode": "DUNS", "icaoCode": "ICAO", "registrationNumberAircraft": "registration number"}
SIMPLE_COLUMNS = ("id", "schema", "name")


def _props(entity: dict[str, Any]) -> dict[str, list[str]]:
    """The ``properties`` of an FtM entity as lists of strings, whatever was stored."""
    props = entity.get("properties")
    if not isinstance(props, dict):
        return {}
    return {str(k): [clean(x) for x in v if isinstance(x, (str, int))] if isinstance(v, list) else [clean(v)]
            for k, v in props.items()}


def _list(value: Any) -> list[str]:
    """A JSON list of strings, tolerating absent or odd values."""
    return [str(v) for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _ftm_line(line: str, number: int, name: str) -> dict[str, Any] | None:
    if not line.strip():
        return None
    try:
        entity = json.loads(line)
    except (ValueError, RecursionError) as err:
        raise ListFormatError(f"{name}: line {number} is not valid JSON; the file may be cut off or damaged.") from err
    if not isinstance(entity, dict) or not isinstance(entity.get("schema"), str) or "id" not in entity:
        raise ListFormatError(f"{name}: line {number} is not a FollowTheMoney entity (needs 'id' and 'schema').")
    return entity


def _parse_ftm(path: Path) -> ListVersion:
    parties: list[dict[str, Any]] = []
    countries_by_address: dict[str, list[str]] = {}
    sanctions: dict[str, list[dict[str, list[str]]]] = defaultdict(list)
    seen: list[str] = []
    with open(path, "rb") as fh:
        for number, raw in enumerate(fh, start=1):
            entity = _ftm_line(decode_bytes(raw), number, path.name)
            if entity is None:
                continue
            schema, props = entity["schema"], _props(entity)
            seen.append(clean(entity.get("last_seen")) if isinstance(entity.get("last_seen"), str) else "")
            if schema == "Address":
                for key in [str(entity["id"])] + [str(r) for r in _list(entity.get("referents"))]:
                    countries_by_address[key] = props.get("country", [])
            elif schema == "Sanction":
                for target in props.get("entity", []):
                    sanctions[target].append(props)
            elif schema in KINDS and entity.get("target", True) is not False:
                parties.append(entity)  # related non-target parties (owners, relatives) are not listed
    entries = []
    for entity in parties:
        props = _props(entity)
        name = clean(entity.get("caption")) or next(iter(props.get("name", [])), "")
        if not name:
            continue
        codes = [c for p in COUNTRY_PROPS for c in props.get(p, [])]
        codes += [c for a in props.get("addressEntity", []) for c in countries_by_address.get(a, [])]
        linked = sanctions.get(str(entity["id"]), [])
        programmes = [p for s in linked for p in s.get("programId", []) + s.get("program", [])]
        starts = sorted(d for s in linked for d in s.get("startDate", []) + s.get("listingDate", []) if d)
        created = sorted(props.get("createdAt", []))
        listed = partial_date((starts or created or [""])[0][:10])
        entries.append(ListEntry(
            source_id=str(entity["id"]), kind=KINDS[entity["schema"]], name=name,
            aliases=unique(props.get("name", []) + props.get("alias", []) + props.get("previousName", []),
                           exclude=[name]),
            weak_aliases=unique(props.get("weakAlias", []), exclude=[name]),
            topics=unique(props.get("topics", [])),
            birth_dates=unique(d for v in props.get("birthDate", []) for d in birth_dates(v)),
            countries=unique(c for c in map(iso2, codes) if c),
            identifiers=unique_pairs((kind, v) for p, kind in ID_PROPS.items() for v in props.get(p, [])),
            programmes=unique(programmes or props.get("program", []) or _list(entity.get("datasets"))),
            listed_on=listed,
            remarks=shorten("; ".join(props.get("notes", []))),
        ))
    # FtM exports carry no file date: the latest last_seen is when the export was made.
    published = to_date(max((s for s in seen if s), default=""))
    return build_version("opensanctions", [path], entries, what=WHAT, published=published)


def _split(value: str) -> list[str]:
    """``targets.simple.csv`` joins several values with ``;``."""
    return [v for v in (clean(x) for x in value.split(";")) if v]


def _parse_simple(path: Path) -> ListVersion:
    rows = read_csv(path, WHAT)
    header = [clean(h).lower() for h in rows[0]]
    if not all(col in header for col in SIMPLE_COLUMNS):
        raise ListFormatError(f"{path.name} is not {WHAT}: its header lacks the columns id, schema and name.")
    entries = []
    seen: list[str] = []
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            cut = " It looks cut off." if number == len(rows) else ""
            raise ListFormatError(f"{path.name}: row {number} has {len(row)} columns, expected {len(header)}.{cut}")
        rec = dict(zip(header, row))
        name = clean(rec["name"])
        if not name or rec["schema"] not in KINDS:
            continue
        seen.append(clean(rec.get("last_seen")))
        entries.append(ListEntry(
            source_id=clean(rec["id"]), kind=KINDS[rec["schema"]], name=name,
            aliases=unique(_split(rec.get("aliases", "")), exclude=[name]),
            birth_dates=unique(d for v in _split(rec.get("birth_date", "")) for d in birth_dates(v)),
            countries=unique(c for c in map(iso2, _split(rec.get("countries", ""))) if c),
            identifiers=unique_pairs(("id", v) for v in _split(rec.get("identifiers", ""))),
            topics=unique(_split(rec.get("topics", ""))),
            programmes=unique(_split(rec.get("program_ids", "")) or _split(rec.get("sanctions", ""))
                              or _split(rec.get("dataset", ""))),
            listed_on=None,
        ))
    published = to_date(max((s for s in seen if s), default=""))
    return build_version("opensanctions", [path], entries, what=WHAT, published=published)


def parse(paths: list[Path]) -> ListVersion:
    """Parse an OpenSanctions FtM JSON-lines export or a ``targets.simple.csv`` (recognised by content)."""
    path = single_file(paths, "OpenSanctions")
    head = read_head(path)
    if head.startswith(ZIP_MAGIC):
        raise ListFormatError(f"{path.name} is a ZIP archive; unpack it and give {WHAT}.")
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return _parse_ftm(path)
    return _parse_simple(path)
