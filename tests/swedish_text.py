"""Find English fragments and code identifiers in text meant to be Swedish.

Used by the page crawl (tests/test_swedish_crawl.py) and the PDF/extract checks. Text inside an element
marked with another ``lang`` (a listed name, a register's reply) is skipped: it is shown as the source wrote it.

The oracle is deliberately independent of the app: a fixed list of English words that are not Swedish
words, and patterns for the shapes code takes (``check.run``, ``needs_manual_input``, ``participant:11``,
``True``, ``1.00``), raw timestamps (``2026-12-02T10:00:00+00:00``), numbers of four digits or more without
the Swedish U+00A0 grouping, and English UI strings of the app's own catalogue shown untranslated.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, Tag

# English words that are not also ordinary Swedish words (so "all", "per", "status", "in" are absent).
ENGLISH_WORDS = frozenset("""
the and of is are was were has have had been not with without after before found this that these those
which from into your you will would should could must cannot can't yes given unknown missing answered
configured attempts name names new hit hits check checks checked list lists error errors host please
record recorded open closed view edit save delete add next previous sign search score page user users
role roles date when who what why how any some more less only also than then there here where or if for
to on by at it its their they them our we no none both sides legal clear matches possible
needs input applicable level high low level assessment review reviewer officer manual
security procurement supplier suppliers bidder subcontractor contract contracts document documents
number amount value values reason reasons details summary report reports download upload
back cancel confirm dismiss decision decided prepared signed signoff approve approved rejected pending
done failed failure timeout timed received request response settings configure enabled disabled show
hide from until since between each every other another same first due overdue
""".split())
# Identifier shapes: dotted or snake_case codes, "kind:id", "answer.EX-01".
CODE_PATTERNS = (
    re.compile(r"(?<![\w@/.-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w@.-])"),      # needs_manual_input
    re.compile(r"(?<![\w@/.-])[a-z][a-z0-9]*(?:\.[a-z][a-z0-9_]*)+(?![\w@/-])"),  # check.run, se.kronofogden
    re.compile(r"(?<![\w@/.-])[a-z][a-z_]*\.[A-Z][A-Z0-9-]+"),                  # answer.EX-01
    re.compile(r"(?<![\w/.-])[a-z_]+:\d+\b"),                                    # participant:11
)
BOOLEANS = re.compile(r"\b(True|False|None|null|NaN)\b")
DECIMAL_POINT = re.compile(r"(?<![\d.:/-])\d+\.\d+(?![\d.:/-])")  # 1.00 (a Swedish number has a comma)
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
# Things that legitimately look like code: web and e-mail addresses, file names, hashes.
ALLOWED = re.compile(r"(\b(?:t\.ex|bl\.a|m\.m|o\.s\.v|s\.k|fr\.o\.m|t\.o\.m|p\.g\.a|m\.fl|d\.v\.s|f\.d|el\.)\.?|https?://\S+|\S+@\S+|\b\S+\.(?:pdf|csv|json|xlsx|xml|zip|toml|txt|html|png|svg|js|css)\b"
                     r"|\b[0-9a-f]{16,}\b|\b(?:www\.)?[a-z0-9-]+\.(?:se|com|org|eu|gov|uk|no|int|net)\b)")
# A stored timestamp printed as it is (the ``when`` filter shows ``2026-12-02 11:00``, never seconds or offsets).
TIMESTAMP = re.compile(r"\b\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}|[ T]\d{2}:\d{2}:\d{2})(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?")
# A quantity of 1000 or more: Swedish groups thousands with U+00A0 ("1 250 000"). Ungrouped: 4-7 digits not
# starting with 0 (longer runs and leading zeros are identifiers: orgnr, company numbers, CPV codes); years
# 1900-2099 are dates. Grouped with a plain space or a comma is wrong too.
UNGROUPED = re.compile(r"(?<![\w.,:/#\u00a0-])(?!(?:19|20)\d\d(?!\d))[1-9]\d{3,6}(?![\w.,:/\u00a0-])")
WRONGLY_GROUPED = re.compile(r"(?<![\w.,:/\u00a0-])\d{1,3}(?:[ ,]\d{3})+(?![\w.,:/\u00a0-])")
# Codes that are numbers but not quantities, named where they stand: Skatteverket's form numbers (SKV 4820),
# SNI industry codes (five digits after "SNI"/"branschkod" or in the comparison the risk rule prints), a postcode
# before its town in an address, and the Norwegian organisation number, which Brønnøysund writes 3-3-3.
NUMBER_CODES = re.compile(r"\bSKV \d{4}\b|(?:SNI\)?:? |stämmer med )\d{5}\b|\b\d{3} ?\d{2} (?=[A-ZÅÄÖ][a-zåäöø])"
                          r"|\b\d{4,5} (?=[A-ZÅÄÖ][a-zåäöøæ]+(?:$|[\s,.]))|(?<!\d)(?<!\d )\d{3} \d{3} \d{3}(?! ?\d)")
CATALOGUE = Path(__file__).resolve().parent.parent / "vetting" / "translations" / "sv" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
ATTRIBUTES = ("title", "placeholder", "aria-label", "alt", "aria-description")


@dataclass(frozen=True)
class Finding:
    """One suspicious fragment: what kind, the fragment itself and the text it sits in."""

    kind: str
    fragment: str
    context: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.fragment!r} in {self.context!r}"


@lru_cache(maxsize=1)
def _english_strings() -> tuple[frozenset[str], tuple[re.Pattern[str], ...]]:
    """The catalogue's English msgids that Swedish says differently: shown as they are, they were never translated.

    Read from the .po as text, not through the app: an msgid the views forget to pass through gettext (or a code
    turned into words by capitalising it) shows up as the msgid itself.
    """
    from babel.messages.pofile import read_po

    with CATALOGUE.open("rb") as f:
        catalogue = read_po(f)
    exact, patterns = set(), []
    for message in catalogue:
        if not message.id or isinstance(message.id, tuple) or message.string == message.id:
            continue
        msgid = " ".join(message.id.split())
        if PLACEHOLDER.search(msgid):
            parts = PLACEHOLDER.split(msgid)
            if len(re.findall(r"[A-Za-z]{3,}", " ".join(parts))) >= 3:  # enough words that a match is no accident
                patterns.append(re.compile(".+?".join(re.escape(p) for p in parts) + r"\Z"))
        elif re.search(r"[A-Za-z]{2,}", msgid):
            exact.add(msgid)
    # Some English strings are Swedish words too: "Part" (Del) is what Swedish calls a party.
    swedish = {" ".join(m.string.split()) for m in catalogue if isinstance(m.string, str) and m.string}
    return frozenset(exact - swedish), tuple(patterns)


def untranslated(text: str) -> bool:
    """Is this whole piece of text one of the catalogue's English strings?"""
    exact, patterns = _english_strings()
    normal = " ".join(text.split())
    return normal in exact or any(p.match(normal) for p in patterns)


def findings_in_text(text: str, *, spaces_visible: bool = True) -> Iterator[Finding]:
    """Every English word pair, code identifier, boolean, decimal point, raw timestamp, ungrouped number or
    untranslated catalogue string in one piece of text.

    :param spaces_visible: False for text extracted from a PDF, where U+00A0 comes out as a plain space
    """
    context = " ".join(text.split())[:160]
    if untranslated(text):
        yield Finding("untranslated", " ".join(text.split()), context)
    for m in TIMESTAMP.finditer(text):
        yield Finding("timestamp", m.group(0), context)
    numbers = NUMBER_CODES.sub(" ", TIMESTAMP.sub(" ", ALLOWED.sub(" ", text)))
    for pattern in (UNGROUPED, WRONGLY_GROUPED) if spaces_visible else (UNGROUPED,):
        for m in pattern.finditer(numbers):
            yield Finding("number", m.group(0), context)
    cleaned = ALLOWED.sub(" ", text)
    for pattern in CODE_PATTERNS:
        for m in pattern.finditer(cleaned):
            yield Finding("code", m.group(0), context)
    for m in BOOLEANS.finditer(cleaned):
        yield Finding("boolean", m.group(0), context)
    for m in DECIMAL_POINT.finditer(cleaned):
        yield Finding("decimal point", m.group(0), context)
    words = [w for w in WORD.findall(cleaned)]
    english = [w for w in words if w.lower() in ENGLISH_WORDS]
    # One English word alone may be a name ("Thames Security"); two, or one that makes up the whole text, is English.
    if len(english) >= 2 or (english and len(words) == 1 and len(words[0]) > 2):
        yield Finding("english", " ".join(english[:6]), context)


def _skipped(tag: Tag, page_lang: str) -> bool:
    """Inside script/style, or inside an element marked with another language than the page's."""
    for node in (tag, *tag.parents):
        if not isinstance(node, Tag):
            continue
        if node.name in ("script", "style", "template", "noscript"):
            return True
        lang = node.get("lang")
        if lang is not None and node.name != "html":
            return not str(lang).lower().startswith(page_lang)
    return False


def findings_in_html(html: str, page_lang: str = "sv") -> Iterator[Finding]:
    """Findings in a page's visible text and its user-facing attributes."""
    soup = BeautifulSoup(html, "html.parser")
    title = soup.find("title")
    for string in soup.find_all(string=True):
        if not isinstance(string, NavigableString) or type(string).__name__ in ("Comment", "Doctype", "Declaration"):
            continue
        parent = string.parent
        if parent is None or (_skipped(parent, page_lang) and parent is not title):
            continue
        if string.strip():
            yield from findings_in_text(str(string))
    for tag in soup.find_all(True):
        if _skipped(tag, page_lang):
            continue
        for attribute in ATTRIBUTES:
            if tag.get(attribute):
                yield from findings_in_text(str(tag[attribute]))
        if tag.name == "input" and tag.get("type") in ("submit", "button") and tag.get("value"):
            yield from findings_in_text(str(tag["value"]))


def findings_in_plain(text: str) -> Iterator[Finding]:
    """Findings line by line in plain text (pdftotext output, a text e-mail)."""
    for line in text.splitlines():
        if line.strip():
            yield from findings_in_text(line, spaces_visible=False)
