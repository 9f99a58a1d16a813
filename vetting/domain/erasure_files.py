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

import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from typing import Any

import sqlite_utils

from ..store import erased_files as store
from .audit import Actor, record
from .file_text import decodings, file_texts
from .redaction import redact_stored_json, redact_text

def tombstone_text(file: Mapping[str, Any], erased_on: str) -> bytes:
    """The body left in place of an erased file: the date and what proves what was received."""
    lines = [f"Raderad vid gallring {erased_on}.",
             "Filen innehöll personuppgifter om en person vars lagringstid har gått ut.",
             f"SHA-256 för originalet: {file['sha256']}",
             f"Storlek: {len(file['body'] or b'')} byte",
             f"Lagrad av: {file['uploaded_by'] or '-'}, {(file['uploaded_at'] or '-')[:19]}"]
    return ("\n".join(lines) + "\n").encode("utf-8")


# --- reading what a file says ---------------------------------------------------------------------------------


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
            texts, readable = decodings(file["body"] or b""), False  # a malformed file must not stop the erasure
        if matches(texts) or (file["signed_by"] and matches([file["signed_by"]])):
            drop(file, "names_person")
        elif not readable:
            unreadable.append({"kind": file["kind"], "id": file["id"], "sha256": file["sha256"]})
    # Evidence about another person is never searched here; a sole trader has no evidence as a person.
    for file in store.files_containing(db, matches.needles(), subject_id if kind == "person" else None):
        if (file["kind"], file["id"]) not in done and matches(decodings(file["body"] or b"")):
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
