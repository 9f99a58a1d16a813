"""A stored file served as a download: read through the domain (which audits the reading), never shown inline."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask import Response, abort

from ..domain.downloads import FileErased
from ..domain.errors import DomainError

EXTENSIONS = {"application/json": "json", "application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg",
              "text/html": "html", "application/xml": "xml", "text/xml": "xml", "application/zip": "zip"}


def read_or_abort(read: Callable[[], Mapping[str, Any]]) -> Mapping[str, Any]:
    """What ``read`` returns; a refusal answers with its status, but an erased file keeps its own page (when it was
    erased and what is kept of it)."""
    try:
        return read()
    except FileErased:
        raise
    except DomainError as exc:
        abort(exc.http_status)


def extension(media_type: str | None) -> str:
    """The file name ending for a stored media type ("bin" for one we do not name)."""
    return EXTENSIONS.get(media_type or "", "bin")


def attachment(row: Mapping[str, Any], filename: str) -> Response:
    """The stored body with its SHA-256 in a header, always a download: an uploaded document or a register's HTML
    must not run in our origin."""
    response = Response(row["body"], mimetype=row["media_type"] or "application/octet-stream")
    response.headers["X-Content-SHA256"] = row["sha256"]
    response.headers["Content-Disposition"] = f"attachment; filename={filename}"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
