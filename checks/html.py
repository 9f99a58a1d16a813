"""BeautifulSoup helpers for register pages that raise SourceChanged when the expected layout is missing."""
from __future__ import annotations

from bs4 import BeautifulSoup, Tag

from .errors import SourceChanged

__all__ = ["select_all", "select_one", "soup", "text_of"]


def soup(html: str | bytes) -> BeautifulSoup:
    """Parse a page with the standard-library parser (no lxml dependency); bytes let bs4 honour a meta charset."""
    return BeautifulSoup(html, "html.parser")


def select_one(soup: BeautifulSoup | Tag, css: str, what: str) -> Tag:
    """The first element matching ``css``; SourceChanged naming ``what`` if the page no longer has it."""
    found = soup.select_one(css)
    if found is None:
        raise SourceChanged(f"page layout changed: {what} not found ({css})", code="element_missing", what=css)
    return found


def select_all(soup: BeautifulSoup | Tag, css: str, what: str, allow_empty: bool = True) -> list[Tag]:
    """All elements matching ``css``; with ``allow_empty=False`` an empty result is SourceChanged, not "no hits"."""
    found = list(soup.select(css))
    if not found and not allow_empty:
        raise SourceChanged(f"page layout changed: {what} not found ({css})", code="element_missing", what=css)
    return found


def text_of(tag: Tag) -> str:
    """The element's text with all whitespace runs (including non-breaking spaces) collapsed to one space."""
    return " ".join(tag.get_text(" ").split())
