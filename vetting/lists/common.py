"""Shared helpers for list importers: hashing, safe XML streaming, dates, countries, text."""
from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import IO, Any
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from anyascii import anyascii
from defusedxml import DefusedXmlException

from .dates import (  # noqa: F401  (importers take the date helpers from here)
    MONTHS, approximate, birth_dates, download_date, iso_date, partial_date, to_date, year_span,
)
from .model import ListEntry, ListFormatError, ListVersion
from .text import clean
from ..domain.text import decode_bytes

REMARKS_LIMIT = 500
ZIP_MAGIC = b"PK\x03\x04"
# Errors the standard parsers raise on damaged input; all are turned into ListFormatError.
PARSE_ERRORS: tuple[type[BaseException], ...] = (ParseError, DefusedXmlException, ValueError, LookupError,
                                                  UnicodeError, csv.Error, zipfile.BadZipFile, EOFError, OSError)


def sha256_files(paths: Iterable[Path]) -> str:
    """SHA-256 of the raw bytes of all files, in the order given."""
    digest = hashlib.sha256()
    for path in paths:
        try:
            with open(path, "rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(block)
        except OSError as err:
            raise ListFormatError(f"The file {Path(path).name} could not be read ({err.strerror}).") from err
    return digest.hexdigest()


def read_head(path: Path, size: int = 4096) -> bytes:
    """The first ``size`` bytes of a file; a clear ListFormatError if it is missing or empty."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(size)
    except OSError as err:
        raise ListFormatError(f"The file {path.name} could not be read ({err.strerror}).") from err
    if not head.strip(b" \t\r\n\x00\x1a"):
        raise ListFormatError(f"The file {path.name} is empty.")
    return head


def single_file(paths: list[Path], what: str) -> Path:
    """The one path of a single-file source, refusing zero or several files."""
    if len(paths) != 1:
        raise ListFormatError(f"The {what} import takes exactly one file; {len(paths)} were given.")
    return Path(paths[0])


def build_version(source: str, paths: list[Path], entries: list[ListEntry], *, what: str,
                  published: date | None = None, declared_count: int | None = None,
                  published_basis: str | None = None) -> ListVersion:
    """Wrap parsed entries in a ListVersion, refusing a file that yielded no entries at all.

    ``published_basis`` defaults to ``file`` when a publication date was found in the file.
    """
    names = tuple(Path(p).name for p in paths)
    if not entries:
        raise ListFormatError(f"{', '.join(names)}: no entries were found; expected {what}.")
    return ListVersion(source=source, published=published, sha256=sha256_files(paths),
                       entries=entries, declared_count=declared_count, files=names,
                       published_basis=published_basis or ("file" if published else None))


def shorten(value: Any, limit: int = REMARKS_LIMIT) -> str | None:
    """Cleaned text cut to ``limit`` characters (remarks are kept short), or None when blank."""
    text = clean(value)
    return (text if len(text) <= limit else text[: limit - 1].rstrip() + "…") or None


def unique(values: Iterable[Any], *, exclude: Iterable[str] = ()) -> tuple[str, ...]:
    """Cleaned, non-empty values without case-insensitive duplicates, first spelling wins."""
    excluded = {clean(x).casefold() for x in exclude}
    out: dict[str, str] = {}
    for text in map(clean, values):
        if text and text.casefold() not in excluded:
            out.setdefault(text.casefold(), text)
    return tuple(out.values())


def unique_pairs(pairs: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """(type, value) pairs cleaned and de-duplicated; pairs with an empty value are dropped."""
    out: dict[tuple[str, str], tuple[str, str]] = {}
    for kind, value in pairs:
        pair = (clean(kind), clean(value))
        if pair[1]:
            out.setdefault((pair[0].casefold(), pair[1].casefold()), pair)
    return tuple(out.values())


def read_csv(path: Path, what: str, strict: bool = True) -> list[list[str]]:
    """All rows of a CSV file; strict quoting so a file cut inside a quoted field is refused.

    ``strict=False`` reads publishers who leave quotes inside quoted fields unescaped (EBRD's
    ``""Supper Fortuna" LLC"``); their importer checks every row's column count instead.
    """
    head = read_head(path)
    if head.startswith(ZIP_MAGIC):
        raise ListFormatError(f"{path.name} is a ZIP archive, not a CSV file; expected {what}.")
    try:
        text = decode_bytes(path.read_bytes())
        rows = [row for row in csv.reader(io.StringIO(text, newline=""), strict=strict) if any(c.strip() for c in row)]
    except (csv.Error, OSError) as err:
        raise ListFormatError(f"{path.name} is not a valid CSV file or is cut off ({err}); expected {what}.") from err
    if not rows:
        raise ListFormatError(f"The file {path.name} is empty.")
    return rows


# Publisher labels (lower case) mapped to our identifier types; the first matching type wins.
_ID_TYPES = [(kind, re.compile(rf"(?<![a-z])(?:{words})")) for kind, words in (
    ("IMO", r"imo"), ("LEI", r"legal entity number|lei"), ("SWIFT/BIC", r"swift|bic"), ("MMSI", r"mmsi"),
    ("passport", r"passport|passeport|pasaporte"),
    ("national id", r"national id|personal id|cedula|c\.u\.r\.p|d\.n\.i|identity card"),
    ("tax id", r"tax|fiscal|r\.f\.c|rfc|inn|nit #|ruc #|rif #|fein|v\.a\.t|vat"),
    ("registration number", r"registration|regnumber|company number|commercial registry|ogrn|uscc|c\.r\. no"
                            r"|social credit code|chamber of commerce|incorporation|enterprise number|business number"
                            r"|mercantil"),
)]


@lru_cache(maxsize=4096)
def id_type(label: str) -> str:
    """A publisher's identifier label mapped to a common type (passport, national id, IMO, LEI...)."""
    text = clean(label)
    return next((kind for kind, pattern in _ID_TYPES if pattern.search(text.lower())), text or "id")


# CLDR's English names (from Babel, as in vetting.domain.identifiers) cover the usual short names.
# These are the other forms the lists use: UN and World Bank official names, OFAC's inverted names,
# nationality adjectives and regions.
_VARIANTS = """AE UAE;Emirati|AF Afghan|AL Albanian|AR Argentine|AZ Azerbaijani|BA Bosnia-Herzegovina|BD Bangladeshi
BE Belgian|BG Bulgarian|BH Bahraini|BN Brunei Darussalam|BR Brazilian|BY Belarusian|KR Republic of Korea
CA Canadian|CD Democratic Republic of the Congo;Congo, Democratic Republic of;DR Congo;DRC;Zaire|CF CAR
CG Congo;Republic of the Congo;Congo, Republic of;Congo-Brazzaville|CH Swiss|CI Ivory Coast|CN Chinese|CO Colombian
CU Cuban|CV Cabo Verde|CY Cypriot|CZ Czech Republic;Czech|DE German|DK Danish|DZ Algerian|EE Estonian|EG Egyptian
ER Eritrean|ES Spanish|ET Ethiopian|FI Finnish|FM Micronesia, Federated States of|RU Russian Federation
FR French|GB United Kingdom of Great Britain and Northern Ireland;Great Britain;UK;British|GE Georgian|GR Greek
HK Hong Kong;Hong Kong Special Administrative Region;China, Hong Kong Special Administrative Region|HR Croatian
HT Haitian|HU Hungarian|ID Indonesian|IE Irish|IL Israeli|IN Indian|IQ Iraqi|IR Islamic Republic of Iran;Iranian
IT Italian|JO Jordanian|JP Japanese|KE Kenyan|KG Kyrgyz Republic;Kyrgyz|LB Lebanese|LK Sri Lankan|LR Liberian
KP Korea, North;Democratic People's Republic of Korea;DPRK;North Korean|KR Korea, South;South Korean|KW Kuwaiti
KZ Kazakh|LA Lao People's Democratic Republic;Lao PDR|LT Lithuanian|LV Latvian|LY Libyan|MA Moroccan|MD Moldovan
MK Macedonia;The former Yugoslav Republic of Macedonia|ML Malian|MM Burma;Burmese|MR Mauritanian|MX Mexican
MO Macau;Macao;Macao SAR, China;China, Macao Special Administrative Region|MY Malaysian|NG Nigerian|NL Dutch
NO Norwegian|NP Nepali|OM Omani|PA Panamanian|PE Peruvian|PH Filipino|PK Pakistani|PL Polish|QA Qatari|RO Romanian
NI Nicaraguan|PN Pitcairn|SK Slovak Republic|BQ Bonaire, Sint Eustatius and Saba|VI Virgin Islands of the United States
PS Palestine;Palestinian;Occupied Palestinian Territory;Gaza;Gaza Strip;West Bank;North Gaza|RS Serbian|RU Russian
RW Rwandan|SA Saudi|SD Sudanese|SE Swedish|SO Somali|SS South Sudanese|SY Syrian Arab Republic;Syrian|SZ Swaziland
TH Thai|TJ Tajik|TL East Timor|TN Tunisian|TR Turkey;Turkish|TW Taiwan, China;Taiwan, Province of China|UG Ugandan
TZ United Republic of Tanzania|UA Ukrainian;Crimea|US United States of America;USA;American|UZ Uzbek|VA Holy See
VE Venezuela, Republica Bolivariana de|VG Virgin Islands, British|VI Virgin Islands, U.S.|VN Viet Nam|YE Yemeni"""
# CLDR regions that are not ISO 3166-1 countries (groupings, pseudo-locales, islands of other countries).
_NOT_COUNTRIES = {"EU", "EZ", "UN", "ZZ", "QO", "XA", "XB", "AC", "CP", "CQ", "DG", "EA", "IC", "TA"}
_STOP = {"the", "of"}
# Words of official long names ("Republic of Austria", "Kingdom of Spain") dropped when nothing matched.
_FORMAL = {"republic", "kingdom", "state", "federal", "federative", "islamic", "principality", "commonwealth", "grand",
           "duchy", "sultanate", "independent", "plurinational", "hashemite", "socialist", "democratic", "people",
           "s", "union", "eastern", "bolivarian", "arab", "oriental"}


def _country_key(text: str) -> str:
    words = re.sub(r"[^a-z0-9]+", " ", anyascii(text).lower().replace("&", " and ")).split()
    return " ".join("saint" if w == "st" else w for w in words if w not in _STOP)


def _country_keys(text: str) -> list[str]:
    keys = [_country_key(text)]
    if "," in text:  # "Korea, North" / "Congo, Democratic Republic of the" / "Bahamas, The"
        head, _, tail = text.partition(",")
        keys.append(_country_key(f"{tail} {head}"))
    if "(" in text:
        keys.append(_country_key(re.sub(r"\(.*?\)", " ", text)))
    return keys


@lru_cache(maxsize=1)
def _country_index() -> dict[str, str]:
    """Normalised country names and variants (and the codes themselves) mapped to ISO2 codes, built on first use."""
    from babel import Locale  # loads CLDR data (~0.1 s): only when a country is first looked up

    pairs = [(code, name) for lang in ("en", "sv") for code, name in Locale(lang).territories.items()
             if re.fullmatch(r"[A-Z]{2}", code) and code not in _NOT_COUNTRIES]  # English first, then Swedish
    pairs += [(item[:2], name) for item in _VARIANTS.replace("\n", "|").split("|") for name in item[3:].split(";")]
    index: dict[str, str] = {}
    for code, name in pairs:
        for key in _country_keys(name):
            index.setdefault(key, code)
    index.update((code, code) for code, _ in pairs)  # upper-case codes never clash with the lower-case keys
    return index


def iso2(code: Any) -> str | None:
    """A valid ISO 3166-1 alpha-2 code (upper case, Kosovo XK allowed) or None (``00``, unknown)."""
    text = clean(code).upper()
    return "GB" if text == "UK" else text if len(text) == 2 and text in _country_index() else None


@lru_cache(maxsize=8192)
def country_code(name: str) -> str | None:
    """An ISO2 code for a free-text country name, citizenship adjective or region, or None if unknown."""
    text = re.sub(r"^\s*region\s*:\s*", "", clean(name), flags=re.I)
    if not text:
        return None
    index = _country_index()
    for key in _country_keys(text):
        words = key.split()
        while words and words[0] in _FORMAL and " ".join(words) not in index:
            words.pop(0)  # "Republic of Austria" -> "Austria", but "Republic of the Congo" stays
        if " ".join(words) in index:
            return index[" ".join(words)]
    return None


def countries(names: Iterable[Any]) -> tuple[str, ...]:
    """ISO2 codes for free-text country names, de-duplicated, unknown names dropped."""
    return unique(code for code in (country_code(n) for n in names) if code)


def texts(elem: Element | None, path: str) -> list[str]:
    """Cleaned, non-empty texts of all elements at ``path`` under ``elem`` (tags without namespaces)."""
    return [t for t in (clean(e.text) for e in elem.iterfind(path)) if t] if elem is not None else []


def text(elem: Element | None, path: str) -> str:
    """Cleaned text of the first element at ``path`` ('' when absent)."""
    found = texts(elem, path)
    return found[0] if found else ""


def check_xml_head(head: bytes, name: str, what: str) -> None:
    """Refuse, before parsing, a file that is obviously not XML (CSV, JSON, ZIP, binary)."""
    if head.startswith(ZIP_MAGIC):
        raise ListFormatError(f"{name} is a ZIP archive, not an XML file; expected {what}.")
    utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff"))  # left to the XML parser
    if not utf16 and not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        raise ListFormatError(f"{name} is not an XML file; expected {what}.")


def iter_xml(source: Path | IO[bytes], name: str, *, roots: Iterable[str], records: Iterable[str],
             what: str, namespace: str | None = None) -> Iterator[Element]:
    """Stream an XML file safely (no DTDs/entities), yielding the root at its start, then each record.

    Namespaces are stripped from tags (after checking the root's against ``namespace`` when given).
    Each record is yielded when complete and cleared afterwards, so big lists are read in little
    memory. Damaged, cut-off or wrong-root files raise ListFormatError.
    """
    root_names, record_names = set(roots), set(records)
    if isinstance(source, Path):
        check_xml_head(read_head(source), name, what)
    root_seen = False
    try:
        for event, elem in SafeET.iterparse(source, events=("start", "end"), forbid_dtd=True):
            if event == "start":
                tag = elem.tag
                elem.tag = tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""  # drop the {namespace}
                if not root_seen:
                    root_seen = True
                    if namespace is not None and elem.tag in root_names and tag != f"{{{namespace}}}{elem.tag}":
                        raise ListFormatError(f"{name} is not {what}: the root element is in another namespace.")
                    if elem.tag not in root_names:
                        raise ListFormatError(
                            f"{name} is not {what}: its root element is <{elem.tag}>, "
                            f"expected <{'> or <'.join(sorted(root_names))}>.")
                    yield elem
            elif elem.tag in record_names:
                yield elem
                elem.clear()
    except ListFormatError:
        raise
    except PARSE_ERRORS as err:
        raise ListFormatError(
            f"{name} is not complete, well-formed XML (it may be cut off or damaged: {err}); expected {what}.") from err
    if not root_seen:
        raise ListFormatError(f"{name} contains no XML elements; expected {what}.")
