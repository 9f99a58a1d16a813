"""Text cleaning shared by every list importer."""
from __future__ import annotations

import re
import unicodedata
from typing import Any

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(value: Any) -> str:
    """Unicode-normalised text with whitespace collapsed; None becomes ''."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    # Fast paths matter: this runs for every field of every record.
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    if not text.isprintable():
        text = _CONTROL_RE.sub("", text)
    return " ".join(text.split())
