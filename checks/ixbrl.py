"""A small Inline XBRL (iXBRL 1.1) reader for Swedish annual reports: facts, contexts and units.

Why not a library: Arelle (arelle-release) is the reference processor, but it loads the taxonomy
(DTS) over the network from each filing's schemaRef and weighs tens of megabytes; ixbrlparse reads
UK filings by prefix and drops ``ix:tuple``, which carries every signer of a Swedish report. The
subset Bolagsverket's filings use is small, so this module reads it on the standard library
(through defusedxml, since the XHTML comes from outside): facts resolved by namespace URI (not by
prefix), ``scale``, ``sign``, the ``ixt`` number and date formats, tuples (nested or by
``tupleRef``), ``ix:exclude``, and nested same-name facts counted once.
"""
from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import Element

from defusedxml import ElementTree as SafeET

IX_NAMESPACES = frozenset({"http://www.xbrl.org/2013/inlineXBRL", "http://www.xbrl.org/2008/inlineXBRL"})
XBRLI = "http://www.xbrl.org/2003/instance"
XHTML = "http://www.w3.org/1999/xhtml"
# Month names in the ixt date formats: Swedish and Danish share their first three letters (mar = mars/marts).
_MONTHS = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"), start=1)}
_MONTHS.update({"may": 5, "oct": 10})
_SPACES = re.compile(r"[\s\u00a0\u202f]+")


class IxbrlError(ValueError):
    """The document is not readable Inline XBRL (not XML, no facts, a number its format cannot read)."""


@dataclass(frozen=True)
class Context:
    """An ``xbrli:context``: the entity identifier and its period (a duration or an instant)."""

    id: str
    identifier: str
    start: str | None = None
    end: str | None = None
    instant: str | None = None
    dimensional: bool = False

    @property
    def date(self) -> str | None:
        """The day the context speaks of: the instant, or the end of the duration."""
        return self.instant or self.end


@dataclass(frozen=True)
class Fact:
    """One fact: the concept as (namespace URI, local name), its context, and a Decimal or a text."""

    namespace: str
    name: str
    context: str
    value: Decimal | str
    unit: str | None = None
    tuple_id: str | None = None
    order: str | None = None


@dataclass
class Document:
    """What one iXBRL document says."""

    facts: list[Fact] = field(default_factory=list)
    contexts: dict[str, Context] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)  # unit id -> measure, e.g. "iso4217:SEK" as a URI pair
    namespaces: set[str] = field(default_factory=set)
    meta: dict[str, str] = field(default_factory=dict)
    tuples: dict[str, tuple[str, str]] = field(default_factory=dict)  # tupleID -> concept

    def find(self, family: str, name: str) -> list[Fact]:
        """Facts of a concept in a namespace family: the URI up to its version date, e.g. ``…/gen-base/``."""
        return [f for f in self.facts if f.name == name and f.namespace.startswith(family)]


def _local(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        uri, _, local = tag[1:].partition("}")
        return uri, local
    return "", tag


def _text(element: Element, excluded: set[str]) -> str:
    """The element's text without ``ix:exclude`` parts."""
    parts = [element.text or ""]
    for child in element:
        uri, local = _local(child.tag)
        if not (uri in IX_NAMESPACES and local == "exclude"):
            parts.append(_text(child, excluded))
        parts.append(child.tail or "")
    return "".join(parts)


def number(raw: str, fmt: str | None) -> Decimal:
    """A displayed number read by its ixt format: ``2 650`` / ``33,7`` (numspacecomma, numcomma), ``1.234,5``..."""
    text = _SPACES.sub(" ", raw).strip()
    local = (fmt or "").rpartition(":")[2].lower()
    if local in ("zerodash", "fixed-zero", "numdash") or (text in ("-", "–", "—") and local):
        return Decimal(0)
    if local in ("numcomma", "numspacecomma", "numdotcomma", "numcommadecimal", "num-comma-decimal",
                 "numspacecomma", "num-unit-decimal"):
        text = text.replace(" ", "").replace(".", "").replace(",", ".")
    elif local in ("", "numdotdecimal", "num-dot-decimal", "numcommadot", "numspacedot"):
        text = text.replace(" ", "").replace(",", "")
    else:
        raise IxbrlError(f"number format {fmt!r} is not known")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise IxbrlError(f"{raw.strip()!r} is not a number in format {fmt or 'none'}") from None
    if value.is_nan() or value.is_infinite() or value < 0:
        raise IxbrlError(f"{raw.strip()!r} is not a displayed number (iXBRL carries the sign in 'sign')")
    return value


def date_value(raw: str, fmt: str) -> str:
    """An ixt date format to ISO: ``7 mars 2022`` (datedaymonthyeardk, -en...), ``2017-03-21``, ``21.3.2017``."""
    text = _SPACES.sub(" ", raw).strip().lower().rstrip(".")
    local = fmt.rpartition(":")[2].lower()
    if local.startswith("datedaymonthyear") and local != "datedaymonthyear":
        match = re.fullmatch(r"(\d{1,2})\.? ?([a-zåäöæø]+)\.? ?(\d{4}|\d{2})", text)
        month = _MONTHS.get(match.group(2)[:3]) if match else None
        if match and month:
            year = int(match.group(3)) + (2000 if len(match.group(3)) == 2 else 0)
            return f"{year:04d}-{month:02d}-{int(match.group(1)):02d}"
    elif local in ("datedaymonthyear", "date-day-month-year", "datedotdmy", "dateslashdmy"):
        match = re.fullmatch(r"(\d{1,2})[./ -](\d{1,2})[./ -](\d{4})", text)
        if match:
            return f"{match.group(3)}-{int(match.group(2)):02d}-{int(match.group(1)):02d}"
    elif local in ("dateyearmonthday", "date-year-month-day"):
        match = re.fullmatch(r"(\d{4})[./ -](\d{1,2})[./ -](\d{1,2})", text)
        if match:
            return f"{match.group(1)}-{int(match.group(2)):02d}-{int(match.group(3)):02d}"
    raise IxbrlError(f"{raw.strip()!r} is not a date in format {fmt}")


class _Reader:
    def __init__(self, prefixes: dict[str, str], doc: Document) -> None:
        self.prefixes, self.doc = prefixes, doc

    def concept(self, qname: str) -> tuple[str, str]:
        prefix, _, local = qname.strip().rpartition(":")
        if prefix not in self.prefixes:
            raise IxbrlError(f"fact {qname!r} uses an undeclared prefix")
        return self.prefixes[prefix], local

    def walk(self, element: Element, parents: tuple[tuple[str, str, str], ...], tuple_id: str | None) -> None:
        """Facts in document order; ``parents`` are the enclosing facts (concept + context) to skip nested copies."""
        uri, local = _local(element.tag)
        here = parents
        if uri in IX_NAMESPACES and local in ("nonFraction", "nonNumeric"):
            ns, name = self.concept(element.get("name", ""))
            key = (ns, name, element.get("contextRef", ""))
            if key not in parents:  # Fortnox nests a fact inside a same-name copy of itself: count it once
                self.fact(element, local, ns, name, tuple_id)
            here = (*parents, key)
        elif uri in IX_NAMESPACES and local == "tuple":
            tuple_id = element.get("tupleID") or f"_nested{len(self.doc.tuples)}"
            self.doc.tuples[tuple_id] = self.concept(element.get("name", ""))
        elif uri in IX_NAMESPACES and local == "exclude":
            return
        elif uri == XBRLI and local == "context":
            self.context(element)
            return
        elif uri == XBRLI and local == "unit":
            measures = [(m.text or "").strip() for m in element.iter(f"{{{XBRLI}}}measure")]
            self.doc.units[element.get("id", "")] = "/".join(self._measure(m) for m in measures)
            return
        elif uri == XHTML and local == "meta" and element.get("name"):
            self.doc.meta[element.get("name", "")] = element.get("content", "")
        for child in element:
            self.walk(child, here, tuple_id)

    def _measure(self, qname: str) -> str:
        prefix, _, local = qname.rpartition(":")
        return f"{self.prefixes.get(prefix, prefix)}#{local}"

    def fact(self, element: Element, kind: str, ns: str, name: str, tuple_id: str | None) -> None:
        context = element.get("contextRef", "")
        raw = _text(element, set())
        fmt = element.get("format")
        value: Decimal | str
        if kind == "nonFraction":
            nil = element.get("{http://www.w3.org/2001/XMLSchema-instance}nil") in ("true", "1")
            if nil:
                return
            value = number(raw, fmt) * (Decimal(10) ** int(element.get("scale") or 0))
            if element.get("sign") == "-":
                value = -value
        elif fmt and fmt.rpartition(":")[2].lower().startswith("date"):
            value = date_value(raw, fmt)
        else:
            value = _SPACES.sub(" ", raw).strip()
        self.doc.facts.append(Fact(ns, name, context, value, element.get("unitRef"),
                                   element.get("tupleRef") or tuple_id, element.get("order")))

    def context(self, element: Element) -> None:
        ident = element.find(f"{{{XBRLI}}}entity/{{{XBRLI}}}identifier")
        period = element.find(f"{{{XBRLI}}}period")

        def part(tag: str) -> str | None:
            found = period.find(f"{{{XBRLI}}}{tag}") if period is not None else None
            return (found.text or "").strip()[:10] if found is not None else None

        dimensional = element.find(f".//{{{XBRLI}}}segment") is not None or \
            element.find(f".//{{{XBRLI}}}scenario") is not None
        self.doc.contexts[element.get("id", "")] = Context(element.get("id", ""), (ident.text or "").strip()
                                                           if ident is not None else "", part("startDate"),
                                                           part("endDate"), part("instant"), dimensional)


def parse(body: bytes) -> Document:
    """Read one iXBRL XHTML document; IxbrlError when it is not XML or carries no iXBRL at all."""
    prefixes: dict[str, str] = {}
    doc = Document()
    try:
        for _event, (prefix, uri) in SafeET.iterparse(io.BytesIO(body), events=("start-ns",)):
            # Swedish filings declare every prefix once on <html>; a prefix bound twice keeps its first URI.
            prefixes.setdefault(prefix, uri)
            doc.namespaces.add(uri)
        root = SafeET.fromstring(body)
    except SafeET.ParseError as exc:
        raise IxbrlError(f"not well-formed XHTML ({exc})") from exc
    except Exception as exc:  # defusedxml refuses entity tricks with its own exceptions
        raise IxbrlError(f"refused XML ({type(exc).__name__})") from exc
    if not doc.namespaces & IX_NAMESPACES:
        raise IxbrlError("the document is not Inline XBRL (no ix namespace)")
    _Reader(prefixes, doc).walk(root, (), None)
    return doc


def iter_tuples(doc: Document, family: str, name: str) -> Iterator[dict[str, Fact]]:
    """Each tuple of a concept as {member local name: fact}, in document order."""
    for tuple_id, (ns, local) in doc.tuples.items():
        if local == name and ns.startswith(family):
            yield {f.name: f for f in doc.facts if f.tuple_id == tuple_id}
