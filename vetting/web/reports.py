"""Reports: PDF vetting reports and CSV/XLSX exports."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/reports")
