"""Texts kept for a later reader (follow-up alerts, notifications): a code and its parameters, never words.

A change found at follow-up or a notification is read days later, by someone else, in their language; so the
producer stores ``{"code": ..., "params": {...}}`` (JSON) and the view words it through vetting/vocabulary
(``change_text``, ``notification_text``). A domain message (``message._l``) is kept as the code ``message``
with its msgid and parameters, parameters that are messages themselves nested the same way. Rows written
before this format are plain English text; the vocabulary still reads those by pattern.
"""
from __future__ import annotations

import json
from typing import Any

from .message import Message

MESSAGE = "message"


def _plain(value: Any) -> Any:
    if isinstance(value, Message):
        return {"msgid": value.msgid, "params": {k: _plain(v) for k, v in value.params.items()}}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def encode(code: str, **params: Any) -> str:
    """The stored form of a text: its code and parameters as JSON (keys sorted, so equal texts are equal)."""
    return json.dumps({"code": code, "params": _plain(params)}, ensure_ascii=False, sort_keys=True)


def of(text: object) -> str:
    """What to store for ``text``: a domain message as its msgid and parameters, a stored form as it is,
    anything else as its text."""
    if isinstance(text, Message):
        plain = _plain(text)
        return encode(MESSAGE, msgid=plain["msgid"], params=plain["params"])
    return str(text)


def decode(text: str | None) -> tuple[str, dict[str, Any]] | None:
    """(code, parameters) of a stored form; None for a plain text (a row written before the format)."""
    if not text or not text.startswith('{"code"'):
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("code"), str) or not isinstance(data.get("params"), dict):
        return None
    return data["code"], data["params"]


def params_of(text: str) -> dict[str, Any]:
    """A stored form as a dict for an audit entry (code and parameters); a plain text as {"text": ...}."""
    decoded = decode(text)
    return {"code": decoded[0], **decoded[1]} if decoded else {"text": text}
