"""Stored files at an erasure: the one place that decides what an erasure does to a stored file and to the text
fields that describe it (file name, signer, ESPD operator and answers). Called inside the erasure's transaction by
``retention.erase_person`` (:func:`erase_files`) and by ``erasure_related.erase_sole_trader`` for a sole trader
whose owner is no stored person (:func:`erase_firm_files`: the firm's files are about the owner, the rest go
when they name the firm or its number, audited as ``organisation.erase_files``).

Files are blobs in the database (there is no upload folder): screening and register evidence, the
documents attached to checkpoints and to manual checks (stored as evidence), uploaded ESPD files and
signed truth declarations. Generated PDFs and exports are never stored: they are built from the rows
at each download, so they follow the rows' erasure.

What happens to each file, in this order:

1. **About the person** (evidence of the person's own screening, every file of the sole trader whose
   number is theirs): the body is replaced by a tombstone, whatever it says.
2. **Linked through a case** (files about the person's organisations, documents of checkpoints of
   procurements those organisations took part in): the file's text is read (raw bytes in UTF-8,
   UTF-16 and Latin-1, XML entities, every member of a ZIP, the text of a PDF through its
   ``ToUnicode`` maps); a file that names the person (name, "Surname, Given names", personnummer in any
   written form, the sole trader's name) gets a tombstone, a truth declaration signed by them too. A
   document is not redacted inside: a PDF, a scan or a signed XML edited by us would no longer be what
   the supplier sent, while its SHA-256 still says so. (Register answers in text and annual-report
   ZIPs have already been redacted by ``erasure_related``; what still names the person after that goes.)
   A file we cannot read (an image, a scanned or encrypted PDF) is kept, because it belongs to the
   procurement's record and may not be about them, and is listed by id in the audit entry for a person
   to look at.
3. **Anywhere else**: every stored file whose raw bytes hold the personnummer (with a separator, or 12
   digits; the 10-digit form only between non-digits) gets a tombstone. The number is unique to the person
   so this cannot hit someone else's file; a bare name is not, so names are only searched within 1-2.

A tombstone keeps the original's SHA-256 (in the file's own row, never changed), its size, media type,
who stored it and when (``erased_files``), and its body says "Raderad vid gallring <date>" with the same
facts. Filenames, signers, ESPD operator names and the supplier's words in the answers read out of an
ESPD are redacted like other text, here and nowhere else (``erasure_related`` redacts register answers, not
these). One audit entry lists the files by kind, id, SHA-256 and size (never their names or text).
"""
from __future__ import annotations

import html
import io
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from typing import Any

import sqlite_utils

from ..store import erased_files as store
from .audit import Actor, record
from .redaction import redact_stored_json, redact_text

# Members of a ZIP larger than this, or more than this many, are not read: the archive counts as unreadable.
MAX_MEMBER_BYTES = 64 * 1024 * 1024
MAX_MEMBERS = 2000
_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*")
TEXT_TYPES = ("json", "xml", "html", "text", "csv", "javascript")


def tombstone_text(file: Mapping[str, Any], erased_on: str) -> bytes:
    """The body left in place of an erased file: the date and what proves what was received."""
    lines = [f"Raderad vid gallring {erased_on}.",
             "Filen innehöll personuppgifter om en person vars lagringstid har gått ut.",
             f"SHA-256 för originalet: {file['sha256']}",
             f"Storlek: {len(file['body'] or b'')} byte",
             f"Lagrad av: {file['uploaded_by'] or '-'}, {(file['uploaded_at'] or '-')[:19]}"]
    return ("\n".join(lines) + "\n").encode("utf-8")


# --- reading what a file says ---------------------------------------------------------------------------------


def _decodings(data: bytes) -> list[str]:
    texts = [data.decode("utf-8", "replace"), data.decode("latin-1")]
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or data.count(b"\x00") > len(data) // 8:
        for codec in ("utf-16-le", "utf-16-be"):
            texts.append(data.decode(codec, "replace"))
    return texts


_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\n?endstream", re.S)
_HEX = re.compile(rb"<([0-9A-Fa-f\s]+)>")
_LITERAL = re.compile(rb"\((?:\\.|[^\\()]|\((?:\\.|[^\\()])*\))*\)", re.S)
_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)


def _hex(value: bytes) -> bytes:
    digits = re.sub(rb"\s", b"", value)
    return bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode())


def _utf16(value: bytes) -> str:
    return value.decode("utf-16-be", "replace")


def _cmap(text: bytes) -> dict[bytes, str]:
    """A ToUnicode CMap: glyph code (bytes) -> text."""
    mapping: dict[bytes, str] = {}
    for block in _BFCHAR.findall(text):
        codes = _HEX.findall(block)
        for src, dst in zip(codes[::2], codes[1::2]):
            mapping[_hex(src)] = _utf16(_hex(dst))
    for block in _BFRANGE.findall(text):
        for line in re.findall(rb"<[0-9A-Fa-f]+>\s*<[0-9A-Fa-f]+>\s*(?:<[0-9A-Fa-f]+>|\[[^\]]*\])", block):
            parts = _HEX.findall(line)
            low, high = _hex(parts[0]), _hex(parts[1])
            start, end, width = int.from_bytes(low, "big"), int.from_bytes(high, "big"), len(low)
            if end - start > 65535:
                continue
            if b"[" in line:
                for offset, dst in enumerate(parts[2:]):
                    mapping[(start + offset).to_bytes(width, "big")] = _utf16(_hex(dst))
            else:
                first = _hex(parts[2])
                base = int.from_bytes(first, "big")
                for offset in range(end - start + 1):
                    mapping[(start + offset).to_bytes(width, "big")] = _utf16(
                        (base + offset).to_bytes(len(first), "big"))
    return mapping


def _literal(value: bytes) -> bytes:
    """A PDF literal string's bytes (escapes resolved)."""
    out, i = bytearray(), 1
    end = len(value) - 1
    while i < end:
        c = value[i]
        if c == 0x5C and i + 1 < end:
            n = value[i + 1]
            if 0x30 <= n <= 0x37:
                digits = re.match(rb"[0-7]{1,3}", value[i + 1:i + 4])
                assert digits is not None
                out.append(int(digits.group(0), 8) & 0xFF)
                i += 1 + len(digits.group(0))
                continue
            out += {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b", ord("f"): b"\f"}.get(
                n, bytes([n]))
            i += 2
            continue
        out.append(c)
        i += 1
    return bytes(out)


def _decode_with(code: bytes, mapping: dict[bytes, str]) -> str:
    widths = sorted({len(k) for k in mapping}, reverse=True) or [1]
    out, i = [], 0
    while i < len(code):
        for width in widths:
            if code[i:i + width] in mapping:
                out.append(mapping[code[i:i + width]])
                i += width
                break
        else:
            out.append("\ufffd")
            i += 1
    return "".join(out)


def pdf_texts(data: bytes) -> tuple[list[str], bool]:
    """The text of a PDF (one reading per ToUnicode map found, plus the strings as Latin-1) and whether any text
    was found at all (a scan has none)."""
    streams = []
    for raw in _STREAM.findall(data):
        try:
            streams.append(zlib.decompress(raw))
        except zlib.error:
            try:
                streams.append(zlib.decompressobj().decompress(raw))
            except zlib.error:
                streams.append(raw)
    maps = [m for m in (_cmap(s) for s in streams if b"begincmap" in s) if m]
    strings: list[bytes] = []
    for stream in [data, *streams]:
        if b"begincmap" in stream or not re.search(rb"\bT[Jj]\b|\bBT\b", stream):
            continue
        for match in re.finditer(rb"\[(.*?)\]\s*TJ|(<[0-9A-Fa-f\s]+>|\((?:\\.|[^\\])*?\))\s*(?:Tj|'|\")", stream, re.S):
            chunk = match.group(1) if match.group(1) is not None else match.group(2)
            for part in re.finditer(_LITERAL.pattern + rb"|<([0-9A-Fa-f\s]+)>", chunk, re.S):
                strings.append(_hex(part.group(1)) if part.group(1) is not None else _literal(part.group(0)))
    texts = ["".join(s.decode("latin-1") for s in strings)]
    texts += ["".join(_decode_with(s, m) for s in strings) for m in maps]
    texts += [s.decode("utf-8", "replace") for s in streams if b"begincmap" not in s]
    found = any(t.strip("\ufffd \n") for t in texts[:1] + texts[1:len(maps) + 1]) and bool(strings)
    return texts, found


def file_texts(body: bytes | None, media_type: str | None, depth: int = 0) -> tuple[list[str], bool]:
    """What a stored file says, as several readings, and whether it could be read at all."""
    if not body:
        return [], True
    texts = _decodings(body)
    if body[:4] == b"PK\x03\x04" and depth < 3:
        try:
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                members = archive.infolist()
                if len(members) > MAX_MEMBERS or any(m.file_size > MAX_MEMBER_BYTES for m in members):
                    return texts, False
                readable = True
                for member in members:
                    inner, ok = file_texts(archive.read(member), None, depth + 1)
                    texts += inner
                    readable = readable and ok
                return texts, readable
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError, NotImplementedError):
            return texts, False
    if body[:5] == b"%PDF-":
        inner, readable = pdf_texts(body)
        return texts + inner, readable
    if body.startswith(_IMAGE_MAGIC):
        return texts, False  # no OCR here: a scan may show a name we cannot see
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return texts, bool(media_type and any(t in media_type for t in TEXT_TYPES))
    return texts + [html.unescape(text)], True


# --- does it name the person ----------------------------------------------------------------------------------


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text)).casefold()


class Matcher:
    """Whether a text names the person: a name term anywhere (spacing ignored), a number between non-digits
    (case ignored: the VAT form starts with "SE")."""

    def __init__(self, names: Iterable[str], numbers: Iterable[str]) -> None:
        self.names = sorted({_squash(n) for n in names if len(n.strip()) >= 3})
        self.numbers = sorted({n for n in numbers if n})
        self._number = (re.compile("(?<![0-9])(?:" + "|".join(re.escape(n) for n in self.numbers) + ")(?![0-9])",
                                   re.IGNORECASE) if self.numbers else None)

    def __call__(self, texts: Iterable[str]) -> bool:
        for text in texts:
            squashed = _squash(text)
            if any(n in squashed for n in self.names):
                return True
            if self._number is not None and self._number.search(squashed):
                return True
        return False

    def needles(self) -> list[bytes]:
        """Byte strings a raw search of every blob looks for: the number's unambiguous forms (UTF-8). Forms with
        letters (the VAT number) are left out: SQLite's ``instr`` minds case, and they hold the ten digits."""
        digits = [n for n in self.numbers if not any(c.isalpha() for c in n)]
        return [n.encode() for n in digits if not n.isdigit() or len(n) == 12] + \
               [n.encode() for n in digits if n.isdigit() and len(n) == 10]


def number_forms(personnummer: str) -> list[str]:
    """A personnummer (12 digits) as it is written: with or without century, hyphen or plus, and as the VAT
    number of the sole trader whose organisation number it is."""
    p = personnummer
    return [p, f"{p[:8]}-{p[8:]}", f"{p[2:8]}-{p[8:]}", f"{p[2:8]}+{p[8:]}", p[2:], f"SE{p[2:]}01"] if p else []


def _both_orders(name: str | None) -> list[str]:
    """A name as written and as "Surname, Given names"."""
    name = (name or "").strip()
    parts = name.split()
    return ([name] if name else []) + ([f"{parts[-1]}, {' '.join(parts[:-1])}"] if len(parts) > 1 else [])


def matcher_for(person: Mapping[str, Any], firms: Iterable[Mapping[str, Any]]) -> Matcher:
    """The person's name (both orders) and the sole traders' names; the personnummer in its written forms."""
    return Matcher(_both_orders(person.get("name")) + [f["name"] for f in firms if f.get("name")],
                   number_forms(person.get("personnummer") or ""))


def firm_matcher(firms: Iterable[Mapping[str, Any]], number: str, signers: Iterable[str]) -> Matcher:
    """A sole trader whose owner is no stored person: its names (the firm and the copies merged into it), who
    signed its truth declarations (the owner, both orders), its ten digits as the owner's personnummer of
    either century (which one is not stored) and as a VAT number."""
    names = [f["name"] for f in firms if f.get("name")] + [n for s in signers for n in _both_orders(s)]
    return Matcher(names, number_forms("19" + number) + number_forms("20" + number))


# --- the text fields of a file (the one place they are redacted) ------------------------------------------------

# Per kind, the descriptive columns that may name the person; the JSON ones are redacted as parsed values.
_LABELS = ("filename", "signed_by", "operator_name", "operator_identifiers")
_JSON_LABELS = frozenset({"operator_identifiers"})


def _redact_labels(db: sqlite_utils.Database, file: Mapping[str, Any], terms: Mapping[str, str]) -> bool:
    """Redact a file's name, signer and ESPD operator (name, identifiers); whether anything changed."""
    values = {c: (redact_stored_json(file[c], terms) if c in _JSON_LABELS else redact_text(file[c], terms))
              for c in _LABELS if file.get(c)}
    changed = {c: v for c, v in values.items() if v != file[c]}
    if changed:
        store.set_texts(db, file["kind"], file["id"], changed)
    return bool(changed)


def _redact_espd_answers(db: sqlite_utils.Database, espd_ids: list[int],
                         terms: Mapping[str, str]) -> tuple[int, set[int]]:
    """An ESPD's answers were read out of the file into rows when it was imported: the supplier's words in them
    (descriptions of convictions, measures taken) are redacted like other text, the answers themselves stay.
    Returns how many answers changed and of which ESPDs."""
    answers, espds = 0, set()
    for answer in store.espd_answer_details(db, espd_ids):
        details = redact_stored_json(answer["details"], terms)
        if details != answer["details"]:
            store.set_espd_answer_details(db, answer["id"], details or "")
            answers += 1
            espds.add(answer["espd_id"])
    return answers, espds


# --- the erasure --------------------------------------------------------------------------------------------


def erase_files(db: sqlite_utils.Database, actor: Actor, person_id: int, person: Mapping[str, Any],
                firms: list[Mapping[str, Any]], organisation_ids: list[int], terms: Mapping[str, str],
                erasure_id: int) -> dict[str, int]:
    """Tombstone every stored file that is about the person or names them (see the module); audited.

    :param person: the person as stored before the erasure (name, personnummer)
    :param firms: the sole traders whose number is the person's, as they were before the erasure
    :param organisation_ids: the organisations the person holds or held a role in
    :param terms: the identifying terms and their replacements (``retention.identifying_terms``)
    """
    firm_ids = [f["id"] for f in firms]
    others = [o for o in organisation_ids if o not in firm_ids]
    about = store.person_files(db, person_id) + store.organisation_files(db, firm_ids)
    linked = store.organisation_files(db, others) + store.checkpoint_files(db, others + firm_ids)
    return _erase(db, actor, ("person", person_id), matcher_for(person, firms), about, linked, terms, erasure_id)


def erase_firm_files(db: sqlite_utils.Database, actor: Actor, organisation_id: int, firms: list[Mapping[str, Any]],
                     number: str, signers: list[str], terms: Mapping[str, str], erasure_id: int) -> dict[str, int]:
    """The same for a sole trader whose owner is no stored person (``erasure_related.erase_sole_trader``): every
    file of the firm (and of the copies merged into it) is about the owner; documents of checkpoints of its
    procurements and any other file go when they name it (names, signers, the number in any written form).
    Audited as ``organisation.erase_files`` on the firm; the tombstones point at the firm's erasure row.

    :param firms: the firm and the copies merged into it, as they were before the erasure (id, name)
    :param number: the firm's ten digits (the owner's personnummer without century)
    :param signers: who signed the firm's truth declarations, as recorded
    """
    firm_ids = [f["id"] for f in firms]
    return _erase(db, actor, ("organisation", organisation_id), firm_matcher(firms, number, signers),
                  store.organisation_files(db, firm_ids), store.checkpoint_files(db, firm_ids), terms, erasure_id)


def _erase(db: sqlite_utils.Database, actor: Actor, subject: tuple[str, int], matches: Matcher,
           about: list[dict[str, Any]], linked: list[dict[str, Any]], terms: Mapping[str, str],
           erasure_id: int) -> dict[str, int]:
    """Tombstone ``about``, the files of ``linked`` that name the subject, and any file holding the number;
    redact every reached file's text fields and its ESPD answers; one audit entry on the subject."""
    kind, subject_id = subject
    erased_on = datetime.now(timezone.utc).date().isoformat()
    removed: list[dict[str, Any]] = []
    unreadable: list[dict[str, Any]] = []
    done: set[tuple[str, int]] = set()
    changed: set[tuple[str, int]] = set()

    def drop(file: dict[str, Any], why: str) -> None:
        store.tombstone(db, file, erasure_id=erasure_id, body=tombstone_text(file, erased_on), why=why,
                        erased_on=erased_on)
        removed.append({"kind": file["kind"], "id": file["id"], "sha256": file["sha256"],
                        "size": len(file["body"] or b""), "why": why})
        changed.add((file["kind"], file["id"]))

    def reach(file: dict[str, Any]) -> bool:
        """Whether the file is new to this erasure; if it is, its text fields are redacted."""
        if (file["kind"], file["id"]) in done:
            return False
        done.add((file["kind"], file["id"]))
        if _redact_labels(db, file, terms):
            changed.add((file["kind"], file["id"]))
        return True

    for file in about:
        if reach(file):
            drop(file, "about_person")  # a sole trader's files are about its owner, a person
    for file in linked:
        if not reach(file):
            continue
        try:
            texts, readable = file_texts(file["body"], file["media_type"])
        except (ValueError, OverflowError, IndexError, MemoryError, RecursionError):
            texts, readable = _decodings(file["body"] or b""), False  # a malformed file must not stop the erasure
        if matches(texts) or (file["signed_by"] and matches([file["signed_by"]])):
            drop(file, "names_person")
        elif not readable:
            unreadable.append({"kind": file["kind"], "id": file["id"], "sha256": file["sha256"]})
    # Evidence about another person is never searched here; a sole trader has no evidence as a person.
    for file in store.files_containing(db, matches.needles(), subject_id if kind == "person" else None):
        if (file["kind"], file["id"]) not in done and matches(_decodings(file["body"] or b"")):
            reach(file)
            drop(file, "names_person")
    espd_ids = sorted(i for k, i in done if k == "espd_response")
    answers, answered = _redact_espd_answers(db, espd_ids, terms)
    changed |= {("espd_response", i) for i in answered}
    if removed or unreadable:
        record(db, actor, f"{kind}.erase_files", kind, subject_id,
               after={"erasure_id": erasure_id, "erased_on": erased_on, "files": removed,
                      "unreadable_kept": unreadable})
    return {"files_erased": len(removed), "files_unreadable_kept": len(unreadable),
            "espd_answers": answers,
            "espd_responses": sum(1 for k, _ in changed if k == "espd_response"),
            "truth_declarations": sum(1 for k, _ in changed if k == "truth_declaration")}
