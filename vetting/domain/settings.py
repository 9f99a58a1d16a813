"""The settings the domain reads, as one typed object the application hands in.

The domain never looks at Flask's configuration. Operations that are given settings by their
caller use those; operations deep in a chain of consequences (a risk level changed, so the
contract's follow-up moves) use the object the application installed at start-up (``configure``
in ``create_app``). A script on a bare connection gets the documented defaults.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_INTERVALS = {"high": 3, "medium": 6, "low": 12}


def _intervals(items: Any) -> dict[str, int]:
    out = dict(DEFAULT_INTERVALS)
    for item in items or ():
        level, _sep, months = str(item).partition("=")
        if level.strip() in out and months.strip().isdigit():
            out[level.strip()] = int(months)
    return out


@dataclass(frozen=True)
class DomainSettings:
    """What the domain needs to know about this installation."""

    followup_intervals: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_INTERVALS))
    """Months between follow-ups per risk level (``FOLLOWUP_INTERVAL_MONTHS``: "high=3", ...)."""
    list_index_folder: Path | None = None
    """Where the name index of the active list versions is kept between starts; None: built at each start."""
    list_index_key: bytes = field(default=b"", repr=False)
    """Signs the kept index (derived from ``SECRET_KEY``); empty: the index is not kept."""

    @classmethod
    def from_config(cls, config: Mapping[str, Any], instance: Path | None = None) -> DomainSettings:
        """Read from a configuration mapping (the app's config, or a test's dict) and the instance folder."""
        from .list_index_file import signing_key

        folder = config.get("LIST_INDEX_FOLDER") or (instance / "list-index" if instance else None)
        secret = config.get("SECRET_KEY") or ""
        # A short or empty secret key signs nothing worth trusting: the index is then built at each start.
        return cls(followup_intervals=_intervals(config.get("FOLLOWUP_INTERVAL_MONTHS", ())),
                   list_index_folder=Path(folder) if folder else None,
                   list_index_key=signing_key(secret) if len(secret) >= 16 else b"")


_installed = DomainSettings()


def configure(settings: DomainSettings) -> None:
    """Install this installation's settings (the application, once at start-up)."""
    global _installed
    _installed = settings


def current() -> DomainSettings:
    """The installed settings (the defaults when no application installed any)."""
    return _installed


def of(settings: DomainSettings | Mapping[str, Any] | None) -> DomainSettings:
    """Settings handed in as the typed object or as a configuration mapping; else the installed ones."""
    if settings is None:
        return _installed
    if isinstance(settings, DomainSettings):
        return settings
    return DomainSettings.from_config(settings)
