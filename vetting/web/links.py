"""Links that repeat on a page, built once: one ``url_for`` per kind of link instead of one per row."""
from __future__ import annotations

from typing import Any

from flask import url_for

# A number no record has, put where the row's id goes and then replaced: ids are plain digits in a URL, never
# quoted, so the rest of the URL is exactly what url_for gives.
_HOLE = 918273645


def pattern(endpoint: str, key: str, **values: Any) -> str:
    """``url_for(endpoint, **values)`` with ``{}`` in place of ``key``'s value: ``pattern(...).format(row_id)``."""
    built = url_for(endpoint, **{key: _HOLE}, **values)
    if built.count(str(_HOLE)) != 1 or "{" in built or "}" in built:
        raise ValueError(f"no link pattern for {endpoint}: {built}")
    return built.replace(str(_HOLE), "{}")


def patterns(**wanted: tuple[Any, ...]) -> dict[str, str]:
    """Several patterns by name: ``name=(endpoint, key, {values})``."""
    return {name: pattern(spec[0], spec[1], **(spec[2] if len(spec) > 2 else {})) for name, spec in wanted.items()}
