"""Lazy translated words (``_l``): rendered in the reader's language whenever they are shown.

Flask-Babel's ``lazy_gettext`` finds the request's message domain again for every word shown (3 lookups of
the request context); these go straight to the app's domain (``web.i18n`` hands it in at start-up), which
finds the catalogue of the request's locale. Outside an app, or before one is built, Flask-Babel answers.
"""
from __future__ import annotations

from typing import Any

import flask_babel
from flask_babel.speaklater import LazyString

_domain: Any = None


def use(domain: Any) -> None:
    """Translate through ``domain`` (a ``flask_babel.Domain``) from now on."""
    global _domain
    _domain = domain


def _gettext(string: str, **variables: Any) -> str:
    domain = _domain
    return domain.gettext(string, **variables) if domain is not None else flask_babel.gettext(string, **variables)


def lazy_gettext(string: str, **variables: Any) -> LazyString:
    """``flask_babel.lazy_gettext`` through the app's domain."""
    return LazyString(_gettext, string, **variables)
