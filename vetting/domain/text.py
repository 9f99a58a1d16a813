"""Comparing words as people type them: case, diacritics and spacing do not matter."""
from __future__ import annotations

import unicodedata


def fold(text: object) -> str:
    """Lower case ASCII without diacritics and outer spaces ("Verkställande Direktör " → "verkstallande direktor")."""
    return unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode().lower().strip()
