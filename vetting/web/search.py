"""Search across procurements, organisations and persons."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("search", __name__, url_prefix="/search")
