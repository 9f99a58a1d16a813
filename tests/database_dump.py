"""The whole database as text, for tests that search it after an erasure: every table's every value, blobs
decoded and ZIP blobs unpacked (a name inside a stored register answer or annual report is found; the
Python repr of a blob would hide "Öberg" as ``\\xc3\\x96berg`` and a compressed member entirely)."""
from __future__ import annotations

import io
import zipfile


def text_of_blob(value: bytes) -> str:
    """What a blob says: its members' text if it is a ZIP, else its text."""
    if value[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(value)) as archive:
            return "\n".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    return value.decode("utf-8", "replace")


def dump(db, *, skip=("audit_log",)) -> str:
    """Every table but ``skip``, one line per row."""
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
              if r[0] not in skip and not r[0].startswith("sqlite_")]
    out = []
    for table in tables:
        for row in db.execute(f'SELECT * FROM "{table}"'):
            out.append(" | ".join(text_of_blob(v) if isinstance(v, bytes) else str(v) for v in row))
    return "\n".join(out)
