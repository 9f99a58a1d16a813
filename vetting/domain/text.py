"""Comparing words as people type them: case, diacritics, scripts and spacing do not matter.

``fold`` is the one folding function of the app: matching, search, de-duplication of register
persons and staff conflicts all compare folded names. It writes every letter in ASCII (anyascii
after the screening's own transliteration rules), so no letter is ever dropped: "Ørsted" is
"orsted", "Straße" "strasse", "Łódź" "lodz", "Кузьменко" "kuz'menko".
"""
from __future__ import annotations

from ..matching.normalise import fold_to_ascii, tokenise


def fold(text: object) -> str:
    """Lower-case ASCII with outer spaces dropped and inner runs of space collapsed.

    "Verkställande Direktör " → "verkstallande direktor", "Ørsted Æbleø" → "orsted aebleo".
    """
    return " ".join(fold_to_ascii(str(text or "")).split())


def fold_words(text: object) -> str:
    """``fold`` reduced to its words, punctuation dropped ("Kuz'menko, V." → "kuzmenko v"): for search."""
    return " ".join(tokenise(fold(text)))


def decode_bytes(data: bytes) -> str:
    """Text from a file of unknown encoding: UTF-8 (with or without BOM) when valid, else Windows-1252 as
    Excel writes it in Sweden, else Latin-1, which never fails; a DOS end-of-file mark (0x1A) is dropped.

    The one decoder for uploaded imports and downloaded list files alike.
    """
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding).rstrip("\x1a")
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1").rstrip("\x1a")
