"""Entry point for list imports: dispatch a source's files to its parser and vet the result."""
from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from . import eu, mdb, ofac, opensanctions, uk, un, worldbank
from .model import ListFormatError, ListVersion

SOURCES = ("un", "ofac-sdn", "ofac-xml", "eu", "uk", "opensanctions", "worldbank", "ebrd", "idb")
PARSERS: dict[str, Callable[[list[Path]], ListVersion]] = {
    "un": un.parse,
    "ofac-sdn": ofac.parse_sdn_csv,
    "ofac-xml": ofac.parse_xml,
    "eu": eu.parse,
    "uk": uk.parse,
    "opensanctions": opensanctions.parse,
    "worldbank": worldbank.parse,
    "ebrd": mdb.parse_ebrd,
    "idb": mdb.parse_idb,
}
log = logging.getLogger(__name__)


def parse(source: str, paths: list[Path]) -> ListVersion:
    """Parse the files of one list source; any problem with the input is raised as ListFormatError."""
    if source not in PARSERS:
        raise ListFormatError(f"Unknown list source {source!r}; expected one of {', '.join(SOURCES)}.")
    files = [Path(p) for p in paths]
    try:
        return PARSERS[source](files)
    except ListFormatError:
        raise
    except (ValueError, LookupError, TypeError, AttributeError, OSError, RecursionError) as err:
        # Parsers are meant to raise ListFormatError themselves; this keeps an unforeseen quirk in
        # a publisher's file from surfacing as a server error, while logging it for a fix.
        log.exception("Unexpected error while parsing %s files %s", source, [f.name for f in files])
        names = ", ".join(f.name for f in files)
        raise ListFormatError(f"{names} could not be read as the {source} list ({type(err).__name__}).") from err


def check_acceptable(new: ListVersion, previous_count: int | None, min_ratio: float = 0.5) -> None:
    """Refuse a parsed version that is empty, truncated, or suspiciously smaller than the previous one.

    :param new: the freshly parsed version.
    :param previous_count: entry count of the version in use, or None when there is none.
    :param min_ratio: the new version must hold at least this share of the previous count.
    """
    names = ", ".join(new.files) or new.source
    if new.count == 0:
        raise ListFormatError(f"{names}: the file contains no entries, so it was not imported.")
    if new.declared_count is not None and new.count < new.declared_count:
        raise ListFormatError(
            f"{names}: the file declares {new.declared_count} records but only {new.count} could be read; "
            f"it looks truncated, so it was not imported.")
    if previous_count and new.count < min_ratio * previous_count:
        raise ListFormatError(
            f"{names}: the new version has {new.count} entries, much smaller than the previous version "
            f"({previous_count} entries); it was not imported. Check that the complete file was downloaded.")
