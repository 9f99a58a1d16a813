"""Importers for OFAC lists: the SDN CSV trio, classic ``sdnList`` XML and ENHANCED XML (plain or zipped)."""
from __future__ import annotations

import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import Element

from .common import (
    PARSE_ERRORS, ZIP_MAGIC, approximate, birth_dates, build_version, check_xml_head, clean, countries, download_date, id_type,
    iter_xml, read_csv, read_head, shorten, single_file, text, texts, to_date, unique, unique_pairs,
)
from .model import ListEntry, ListFormatError, ListVersion

WHAT_CSV = "the OFAC SDN CSV files (sdn.csv with optional alt.csv, add.csv, sdn_comments.csv)"
WHAT_XML = "an OFAC sanctions list XML (classic <sdnList> or ENHANCED <sanctionsData>, or a ZIP holding one)"
KINDS = {"individual": "person", "entity": "organisation", "": "organisation", "vessel": "vessel",
         "aircraft": "aircraft"}
# Column count of each CSV of the SDN trio (plus the remarks overflow file) tells them apart.
CSV_ROLES = {12: "sdn", 5: "alt", 6: "add", 2: "comments"}
MAX_ZIP_MEMBER = 1 << 30  # refuse "zip bombs": no real OFAC XML comes near 1 GB

# Remark/feature labels that carry no identity data (dates of listing, sanctions notes, contacts).
_NOT_IDS = ("POB", "Linked To", "Secondary sanctions", "Transactions Prohibited", "Executive Order",
            "Organization Established", "Organization Type", "Aircraft Model", "Aircraft Manufacture Date",
            "Aircraft Operator", "Vessel Year", "Vessel Type", "Digital Currency", "Phone", "Telephone", "Fax",
            "Email", "Website", "Listing Date", "Effective Date", "Purchase/Sales", "CAATSA", "Target Type",
            "Gender", "Additional Sanctions", "Issuer Name", "Equity Ticker", "ISIN", "Place of Birth")
_LABEL_END = (r"(?:No\.?|Number|ID|#|Code|Card|Certificate|License|Permit|BIC|MMSI|Passport|C\.U\.R\.P\."
              r"|R\.F\.C\.|RFC|D\.N\.I\.|SSN|C\.U\.I\.T?\.|C\.U\.I\.P\.|I\.F\.E\.|\((?:USCC|MSN|CBLS|RU)\)|FEIN|RTN"
              r"|Identification|Credencial electoral|Cartilla de Servicio Militar Nacional)")
_ID_LABEL = re.compile(rf"(?=[A-Z]).*{_LABEL_END}")
# Greedy label, so "Tax ID No. 77440" reads as label "Tax ID No." and value "77440".
_ID_SEGMENT = re.compile(rf"^(?P<label>(?=[A-Z]).*{_LABEL_END})\s+(?P<value>\S.*)$")
_ID_TAIL = re.compile(r"\s*(?:,|;)?\s+(?:expires|issued|issue date|expiration date)\b.*$", re.I)


@dataclass
class _Facts:
    """Identity facts gathered from remarks, id lists and features of one OFAC record."""

    aliases: list[str] = field(default_factory=list)
    weak: list[str] = field(default_factory=list)
    dobs: list[str] = field(default_factory=list)
    approx: bool = False
    countries: list[str] = field(default_factory=list)
    ids: list[tuple[str, str]] = field(default_factory=list)

    def add(self, label: str, value: str) -> None:
        """Record one labelled fact (``DOB``, ``nationality``, ``Passport``, ``a.k.a.``...)."""
        label, value = clean(label).removeprefix("alt. "), clean(value).rstrip(".")
        low = label.lower().rstrip(":")
        if not value or value == "-0-":
            return
        if low in ("dob", "birthdate", "date of birth"):
            self.dobs.extend(birth_dates(value))
            self.approx = self.approx or approximate(value)
        elif low in ("nationality", "citizen", "nationality country", "citizenship country",
                     "nationality of registration", "citizenship"):
            self.countries.append(value)
        elif low in ("a.k.a.", "f.k.a.", "n.k.a."):
            # OFAC puts its weak a.k.a.s (too vague to identify anyone alone) in the remarks.
            self.weak.append(value.strip("'\" "))
        elif not label.startswith(_NOT_IDS) and _ID_LABEL.fullmatch(label):
            self._identifier(label, value)

    def _identifier(self, label: str, value: str) -> None:
        value = re.sub(r"^\([^()]*\)\s*", "", _ID_TAIL.sub("", value))  # "(also called L/N...) 1234"
        value = re.sub(r"\s*\([^()]*\)\s*$", "", value).strip(" ,;")  # the "(Russia)" issuing country
        if value.upper().startswith("IMO ") or label.endswith("IMO"):
            label, value = "IMO", value.removeprefix("IMO ").strip()
        if value and len(value) <= 60 and (re.search(r"\d", value) or "BIC" in label):
            self.ids.append((id_type(label), value))

    def remarks(self, remarks: str) -> None:
        """Read the ``DOB ...; nationality ...; Passport ...`` facts of a CSV or XML remarks field."""
        for segment in remarks.split(";"):
            segment = clean(segment).rstrip(".").removeprefix("alt. ")
            if m := re.match(r"^(DOB|nationality|citizen|[afn]\.k\.a\.)\s+(.*)$", segment):
                self.add(m[1], m[2])
            elif not segment.startswith(_NOT_IDS) and (m := _ID_SEGMENT.match(segment)):
                self._identifier(m["label"], m["value"])


def _dash(value: str) -> str:
    """OFAC CSV writes ``-0-`` for empty fields."""
    value = clean(value)
    return "" if value == "-0-" else value


def _names(names: list[str], person: bool) -> list[str]:
    """Names as published plus, for individuals, "LAST, First" also as "First LAST"."""
    out: list[str] = []
    for name in names:
        out.append(name)
        last, comma, first = name.partition(",")
        if person and comma and first.strip() and last.strip():
            out.append(f"{first.strip()} {last.strip()}")
    return out


def _programmes(value: str) -> tuple[str, ...]:
    """``SDGT] [IFSR`` (several programmes in one CSV field) as separate programmes."""
    return unique(p.strip(" []") for p in re.split(r"\]\s*\[", _dash(value)))


# --- SDN CSV trio -----------------------------------------------------------------------------

def _csv_role(path: Path, rows: list[list[str]]) -> str:
    """Which file of the trio this is, checking every row has its column count and an entity number."""
    width = len(rows[0])
    if width not in CSV_ROLES or not rows[0][0].strip().isdigit():
        raise ListFormatError(
            f"{path.name} is not one of {WHAT_CSV}: their rows have 12, 5, 6 or 2 columns and start with an "
            f"entity number, but the first row has {width} column(s) and starts with {rows[0][0][:20]!r}.")
    for number, row in enumerate(rows, start=1):
        last = number == len(rows)
        if len(row) != width:
            raise ListFormatError(f"{path.name}: {'the last row' if last else f'row {number}'} has {len(row)} "
                                  f"columns where {width} were expected.{' It looks cut off.' if last else ''}")
        if not row[0].strip().isdigit():
            raise ListFormatError(f"{path.name}: row {number} does not start with an entity number.")
    return CSV_ROLES[width]


def parse_sdn_csv(paths: list[Path]) -> ListVersion:
    """Parse the SDN CSV trio; files are recognised by their column count, sdn.csv is required."""
    if not paths:
        raise ListFormatError(f"No files were given; expected {WHAT_CSV}.")
    by_role: dict[str, list[list[str]]] = {}
    names: dict[str, str] = {}
    for path in map(Path, paths):
        rows = read_csv(path, WHAT_CSV)
        role = _csv_role(path, rows)
        if role in by_role:
            raise ListFormatError(f"{names[role]} and {path.name} are both {role} files; give each file once.")
        by_role[role], names[role] = rows, path.name
    if "sdn" not in by_role:
        raise ListFormatError(f"The OFAC SDN import needs sdn.csv (12 columns); got {', '.join(names.values())}.")
    # Companion files may be from another date: rows whose ent_num is not in sdn.csv are ignored.
    alt_names: dict[str, list[str]] = defaultdict(list)
    for ent, _num, _type, alt_name, _remarks in by_role.get("alt", []):
        alt_names[ent.strip()].append(_dash(alt_name))
    add_countries: dict[str, list[str]] = defaultdict(list)
    for ent, _num, _address, _city, country, _remarks in by_role.get("add", []):
        add_countries[ent.strip()].append(_dash(country))
    overflow = {ent.strip(): remark for ent, remark in by_role.get("comments", [])}
    entries = []
    for row in by_role["sdn"]:
        ent, name, kind, programme, _title, call_sign, _vtype, _ton, _grt, flag, _owner, remarks = row
        name, kind = _dash(name), KINDS.get(_dash(kind).lower(), "other")
        if not name:
            continue
        ent = ent.strip()
        facts = _Facts()
        facts.remarks(_dash(remarks) + ";" + overflow.get(ent, ""))
        person = kind == "person"
        ids = facts.ids + ([("call sign", _dash(call_sign))] if _dash(call_sign) else [])
        entries.append(ListEntry(
            source_id=ent, kind=kind, name=name,
            aliases=unique(_names([name] + alt_names.get(ent, []) + facts.aliases, person), exclude=[name]),
            weak_aliases=unique(_names(facts.weak, person), exclude=[name]),
            birth_dates=unique(facts.dobs), approximate_birth=facts.approx,
            countries=countries(facts.countries + add_countries.get(ent, []) + [_dash(flag)]),
            identifiers=unique_pairs(ids), programmes=_programmes(programme),
            listed_on=None, remarks=shorten(_dash(remarks)),
        ))
    files = list(map(Path, paths))
    # sdn.csv carries no date: the download's date stands in for it, and the version says so.
    return build_version("ofac-sdn", files, entries, what=WHAT_CSV, published=download_date(files),
                         published_basis="download")


# --- XML ----------------------------------------------------------------------------------------

def _full(elem: Element) -> str:
    """``lastName, firstName`` as OFAC prints names (just lastName for entities)."""
    first, last = text(elem, "firstName"), text(elem, "lastName")
    return f"{last}, {first}" if first and last else last or first


def _sdn_entry(rec: Element) -> ListEntry | None:
    name = _full(rec)
    kind = KINDS.get(text(rec, "sdnType").lower(), "other")
    if not name:
        return None
    facts = _Facts()
    facts.remarks(text(rec, "remarks").strip("()"))
    for item in rec.iterfind("idList/id"):
        facts.add(text(item, "idType"), text(item, "idNumber"))
    facts.dobs.extend(d for v in texts(rec, "dateOfBirthList/dateOfBirthItem/dateOfBirth") for d in birth_dates(v))
    facts.countries += texts(rec, "nationalityList/nationality/country") + texts(
        rec, "citizenshipList/citizenship/country") + texts(rec, "addressList/address/country") + texts(
        rec, "vesselInfo/vesselFlag")
    akas = [_full(aka) for aka in rec.iterfind("akaList/aka") if text(aka, "category").lower() != "weak"]
    facts.weak += [_full(aka) for aka in rec.iterfind("akaList/aka") if text(aka, "category").lower() == "weak"]
    facts.approx = facts.approx or any(approximate(v) for v in texts(rec, "dateOfBirthList/dateOfBirthItem/dateOfBirth"))
    call_sign = text(rec, "vesselInfo/callSign")
    return ListEntry(
        source_id=text(rec, "uid"), kind=kind, name=name,
        aliases=unique(_names([name] + akas + facts.aliases, kind == "person"), exclude=[name]),
        weak_aliases=unique(_names(facts.weak, kind == "person"), exclude=[name]),
        birth_dates=unique(facts.dobs), approximate_birth=facts.approx, countries=countries(facts.countries),
        identifiers=unique_pairs(facts.ids + ([("call sign", call_sign)] if call_sign else [])),
        programmes=unique(texts(rec, "programList/program")),
        listed_on=None, remarks=shorten(text(rec, "remarks")),
    )


def _enhanced_entity(rec: Element) -> ListEntry | None:
    kind = KINDS.get(text(rec, "generalInfo/entityType").lower(), "other")
    primary, others = "", []
    for name in rec.iterfind("names/name"):
        for tr in name.iterfind("translations/translation"):
            full = text(tr, "formattedFullName")
            main = text(name, "isPrimary") == "true" and text(tr, "isPrimary") == "true"
            if main and not primary:
                primary = full
            else:
                others.append(full)
    if not primary:
        return None
    facts = _Facts()
    facts.remarks(text(rec, "remarks").strip("()"))
    for doc in rec.iterfind("identityDocuments/identityDocument"):
        facts.add(text(doc, "type"), text(doc, "documentNumber"))
    for feature in rec.iterfind("features/feature"):
        facts.add(text(feature, "type"), text(feature, "value"))
    facts.countries += texts(rec, "addresses/address/country")
    listed = sorted(d for d in (s.get("datePublished") for s in rec.iterfind("sanctionsLists/sanctionsList")) if d)
    return ListEntry(
        source_id=rec.get("id") or text(rec, "generalInfo/identityId"), kind=kind, name=primary,
        aliases=unique(_names([primary] + others + facts.aliases, kind == "person"), exclude=[primary]),
        weak_aliases=unique(_names(facts.weak, kind == "person"), exclude=[primary]),
        birth_dates=unique(facts.dobs), approximate_birth=facts.approx, countries=countries(facts.countries),
        identifiers=unique_pairs(facts.ids), programmes=unique(texts(rec, "sanctionsPrograms/sanctionsProgram")),
        listed_on=listed[0][:10] if listed else None, remarks=shorten(text(rec, "remarks")),
    )


def _parse_xml_stream(source: Path | IO[bytes], label: str, path: Path) -> ListVersion:
    entries: list[ListEntry] = []
    published, declared = None, None
    records = ["publshInformation", "publicationInfo", "sdnEntry", "entity"]
    for elem in iter_xml(source, label, roots=["sdnList", "sanctionsData"], records=records, what=WHAT_XML):
        if elem.tag == "publshInformation":
            published = to_date(text(elem, "Publish_Date"), day_first=False)  # US style MM/DD/YYYY
            count = text(elem, "Record_Count")
            declared = int(count) if count.isdigit() else None
        elif elem.tag == "publicationInfo":
            published = to_date(text(elem, "dataAsOf"))
        elif elem.tag in ("sdnEntry", "entity"):
            entry = _sdn_entry(elem) if elem.tag == "sdnEntry" else _enhanced_entity(elem)
            if entry:
                entries.append(entry)
    return build_version("ofac-xml", [path], entries, what=WHAT_XML, published=published, declared_count=declared)


def _zip_member(archive: zipfile.ZipFile, name: str) -> zipfile.ZipInfo:
    xml = [i for i in archive.infolist() if i.filename.lower().endswith(".xml") and not i.is_dir()]
    preferred = [i for i in xml if re.search(r"(sdn|cons|enhanced)", i.filename, re.I)]
    chosen = preferred or xml
    if len(chosen) != 1:
        listed = ", ".join(i.filename for i in archive.infolist()[:10]) or "nothing"
        raise ListFormatError(f"The ZIP archive {name} should hold one OFAC XML file; it holds {listed}.")
    if chosen[0].file_size > MAX_ZIP_MEMBER:
        raise ListFormatError(f"{chosen[0].filename} in {name} is implausibly large; refused.")
    return chosen[0]


def parse_xml(paths: list[Path]) -> ListVersion:
    """Parse an OFAC XML list: classic ``sdnList``, ENHANCED ``sanctionsData``, or a ZIP holding one."""
    path = single_file(paths, "OFAC XML")
    if not read_head(path).startswith(ZIP_MAGIC):
        return _parse_xml_stream(path, path.name, path)
    try:
        with zipfile.ZipFile(path) as archive:
            member = _zip_member(archive, path.name)
            label = f"{member.filename} (in {path.name})"
            with archive.open(member) as fh:
                check_xml_head(fh.read(4096), label, WHAT_XML)
            with archive.open(member) as fh:
                return _parse_xml_stream(fh, label, path)
    except ListFormatError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError) as err:
        raise ListFormatError(
            f"{path.name} is not a readable ZIP archive (it may be cut off or damaged: {err}).") from err
    except PARSE_ERRORS as err:
        raise ListFormatError(f"{path.name} could not be unpacked (it may be cut off or damaged: {err}).") from err
