"""Personal data: retention, access log, data-subject extracts."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("privacy", __name__, url_prefix="/privacy")
