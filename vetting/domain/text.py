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
