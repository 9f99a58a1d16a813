"""What a valid register answer is: fields present with the right type, the subject's identifier echoed back.

Every check validates the fields it reads with these helpers, kept beside its parser; anything else is
SourceChanged with the reason in Swedish (the officer reads it), never a default that reads as good news.
"""
from __future__ import annotations

from typing import Any

from .errors import SourceChanged

_KINDS = {bool: "sant/falskt", str: "text", dict: "objekt", list: "lista", int: "heltal"}
# JSON's names for the kinds of value, as codes the app words (``field_type``).
_JSON_KINDS = ((bool, "boolean"), (str, "string"), (dict, "object"), (list, "array"), (int, "integer"),
               (float, "number"), (type(None), "null"))


def _json_kind(value: Any) -> str:
    """The JSON kind of a value, or of a Python type."""
    for kind, name in _JSON_KINDS:
        if value is kind or (not isinstance(value, type) and isinstance(value, kind)):
            return name
    return "other"


def field(data: Any, key: str, kind: type | tuple[type, ...], source: str, *, nullable: bool = False) -> Any:
    """``data[key]``, which must be present and of ``kind`` (or null when ``nullable``)."""
    if not isinstance(data, dict):
        raise SourceChanged(f"{source}: svaret är inte ett JSON-objekt där fältet {key!r} skulle finnas",
                            code="not_object_for_field", source=source, field=key)
    if key not in data:
        raise SourceChanged(f"{source}: fältet {key!r} saknas i svaret", code="field_missing", source=source, field=key)
    value = data[key]
    if value is None and nullable:
        return None
    kinds = kind if isinstance(kind, tuple) else (kind,)
    # bool is an int in Python; a register that sends true where a number belongs has changed its schema.
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        wanted = " eller ".join(_KINDS.get(k, k.__name__) for k in kinds)
        raise SourceChanged(f"{source}: fältet {key!r} har fel typ ({type(value).__name__}, väntade {wanted})",
                            code="field_type", source=source, field=key, got=_json_kind(value),
                            wanted=[_json_kind(k) for k in kinds])
    return value


def echoed(source: str, got: Any, asked: str) -> None:
    """The answer must be about the identifier asked: a register that answers about another subject is not an answer."""
    if got != asked:
        raise SourceChanged(f"{source}: svaret gäller {got!r}, inte {asked!r} som frågan gällde", code="other_subject",
                            source=source, got=str(got), asked=str(asked))


def json_object(fetched: Any, source: str) -> dict[str, Any]:
    """The body as a JSON object (an HTML page, a list or a bare value is not an answer)."""
    data = fetched.json()
    if not isinstance(data, dict):
        raise SourceChanged(f"{source}: svaret är inte ett JSON-objekt (HTTP {fetched.status})", code="not_object",
                            source=source, status=fetched.status)
    return data


def is_json(fetched: Any) -> bool:
    """Whether the answer says it is JSON (application/json or a +json type such as problem+json)."""
    media = (fetched.evidence.media_type or "").lower()
    return media == "application/json" or media.endswith("+json")


def documented_error(fetched: Any, source: str, key: str = "errors") -> dict[str, Any]:
    """A 4xx answer in the register's documented error shape (JSON with ``key``); an HTML page or anything else
    (a wrong base URL, a proxy's error page) is SourceChanged, never "not found"."""
    if not is_json(fetched):
        raise SourceChanged(f"{source}: HTTP {fetched.status} utan registrets dokumenterade felsvar "
                            f"({fetched.evidence.media_type or 'ingen innehållstyp'}); troligen svarade något annat "
                            f"än registret, t.ex. en proxy eller en felaktig adress", code="undocumented_error",
                            source=source, status=fetched.status, media=fetched.evidence.media_type or "")
    data = json_object(fetched, source)
    if key not in data:
        raise SourceChanged(f"{source}: HTTP {fetched.status} utan fältet {key!r} som registrets felsvar har",
                            code="error_without_field", source=source, status=fetched.status, field=key)
    return data
