"""Where templates, static assets and the instance folder live, in a checkout or a wheel."""
from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent


def asset_dir(name: str) -> Path:
    """Return ``templates`` or ``static``: the repository copy in a checkout, else the wheel's.

    The fixed layout keeps both folders at the repository root; the wheel maps them into
    the package (see pyproject.toml), so an installed app looks there instead.
    """
    in_checkout = ROOT / name
    if in_checkout.is_dir():
        return in_checkout
    return PACKAGE / name
