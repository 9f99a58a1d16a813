"""The name index of a set of list versions, kept as a signed file so a start loads it instead of building it.

One file per set of active versions, named by their key (``lists._versions_key``), in the index
folder (``LIST_INDEX_FOLDER``, by default ``list-index`` in the instance folder). The file is
JSON, so reading it never runs code, and it is signed with a key derived from the app's secret
key: a file that is truncated, damaged, written by another code version or by anyone without the
secret key fails the check and is not used (the index is built again from the database). The key
is part of what is signed, so a file renamed to another version's key is refused too.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Callable
from pathlib import Path

from ..lists.model import ListEntry
from ..matching import NameIndex
from ..matching.index import LazyEntries

_MAGIC = b"vetting-list-index 1\n"
_SUFFIX = ".index"
Hashes = dict[tuple[str, str], str]


def signing_key(secret_key: str) -> bytes:
    """The key that signs index files, derived from the app's secret key (never the secret key itself)."""
    return hmac.new(secret_key.encode(), b"vetting list index file", hashlib.sha256).digest()


def _signature(key: bytes, name: str, payload: bytes | memoryview) -> bytes:
    mac = hmac.new(key, name.encode() + b"\n", hashlib.sha256)
    mac.update(payload)
    return mac.hexdigest().encode()


def path_of(folder: Path, name: str) -> Path:
    """Where the index of the versions named ``name`` is kept."""
    return folder / f"{name}{_SUFFIX}"


def load(folder: Path, name: str, key: bytes,
         parse: Callable[[str], ListEntry]) -> tuple[NameIndex, Hashes] | None:
    """The index stored for ``name``, or None when there is none or it cannot be trusted (then it is built)."""
    try:
        raw = memoryview(path_of(folder, name).read_bytes())  # sliced without copying: the file is tens of MB
    except OSError:
        return None
    start = len(_MAGIC)
    end = raw.obj.find(b"\n", start)  # type: ignore[attr-defined]
    if raw[:start] != _MAGIC or end < 0:
        return None
    payload = raw[end + 1:]
    if not hmac.compare_digest(bytes(raw[start:end]), _signature(key, name, payload)):
        return None
    try:
        split = raw.obj.find(b"\n", end + 1)  # type: ignore[attr-defined]
        header, body = (payload, b"") if split < 0 else (raw[end + 1:split], raw[split + 1:])
        data = json.loads(bytes(header))
        if data["name"] != name:
            return None
        texts = str(body, "utf-8").split("\n") if len(body) else []
        entries = LazyEntries(data["keys"], texts, parse)
        hashes = {(k, i): h for k, i, h in zip(data["keys"], data["ids"], data["hashes"], strict=True)}
        if len(texts) != len(hashes):
            return None
        return NameIndex.from_state(data["index"], entries), hashes
    except (ValueError, KeyError, TypeError, AttributeError, IndexError):
        return None  # signed by us but not in the shape this code reads: built again


def save(folder: Path, name: str, key: bytes, index: NameIndex, keys: list[str], ids: list[str], texts: list[str],
         hashes: list[str]) -> None:
    """Store the index with its entries (their stored JSON text, in index order); older files in the folder go.

    Written aside and renamed into place, so a reader sees the old file or the new one, never half of one.
    """
    # The entries' JSON texts follow the header one a line (JSON text holds no raw line break): read
    # back by splitting, which is many times quicker than decoding them as strings inside the header.
    header = json.dumps({"name": name, "index": index.state(), "keys": keys, "ids": ids, "hashes": hashes},
                        ensure_ascii=False, separators=(",", ":"))
    if any("\n" in text for text in texts):
        raise ValueError("an entry's text holds a line break")
    payload = "\n".join([header, *texts]).encode()
    folder.mkdir(parents=True, exist_ok=True)
    target = path_of(folder, name)
    staging = folder / f".{name}.{os.getpid()}.{secrets.token_hex(4)}"
    try:
        with staging.open("wb") as handle:
            handle.write(_MAGIC + _signature(key, name, payload) + b"\n" + payload)
        os.replace(staging, target)
    finally:
        staging.unlink(missing_ok=True)
    for old in folder.glob(f"*{_SUFFIX}"):
        if old != target:
            old.unlink(missing_ok=True)  # an earlier set of versions: never loaded again
