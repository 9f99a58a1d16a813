"""Render report HTML to PDF with WeasyPrint, fetching nothing but our own static files.

WeasyPrint is imported inside the functions: a machine without its system libraries (Pango)
still runs the app, and only the PDF download fails, with a clear error. A machine with Pango
but without ``libharfbuzz-subset0`` (Debian's default) renders fine: WeasyPrint then embeds whole
fonts and only warns, and that warning must not become an error where warnings are errors (tests).
"""
from __future__ import annotations

import gc
import importlib
import logging
import mimetypes
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

STYLESHEET = "css/report.css"
log = logging.getLogger(__name__)


class PdfUnavailable(RuntimeError):
    """WeasyPrint or the system libraries it needs are missing."""


@dataclass(frozen=True)
class RenderedPdf:
    """The PDF bytes and the number of pages."""

    data: bytes
    pages: int


PDF_VARIANT = "pdf/a-3b"


def local_path(url: str, static_folder: Path) -> Path:
    """The file a ``file:`` URL names, if it lies inside the static folder; ValueError otherwise.

    Anything else (http, https, data, a path outside static/) is refused, so a report never
    reaches the network and cannot be made to read other files on the server.
    """
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        raise ValueError(f"report resources come from static files only, not {url[:80]!r}")
    root = static_folder.resolve()
    path = Path(unquote(parts.path)).resolve()
    if root not in path.parents or not path.is_file():
        raise ValueError(f"not a static file: {url[:80]!r}")
    return path


# WeasyPrint's words when libharfbuzz-subset cannot be loaded (weasyprint/text/ffi.py).
HARFBUZZ_SUBSET_WARNING = "HarfBuzz-Subset will be required"


def load_weasyprint() -> Any:
    """Import WeasyPrint, its missing-harfbuzz-subset warning logged rather than raised.

    :raises PdfUnavailable: WeasyPrint or a library it cannot do without (Pango) is missing.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            module = importlib.import_module("weasyprint")
        except (ImportError, OSError) as exc:  # OSError: a missing shared library (libpango...)
            raise PdfUnavailable(f"PDF reports need WeasyPrint and its system libraries: {exc}") from exc
    for warning in caught:
        if HARFBUZZ_SUBSET_WARNING in str(warning.message):
            log.info("libharfbuzz-subset is missing: PDF reports embed whole fonts (%s)", warning.message)
        else:  # anything else keeps its normal treatment
            warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
    return module


def _fetcher(static_folder: Path) -> Any:
    """A WeasyPrint URL fetcher that serves only files under ``static_folder``."""
    load_weasyprint()
    from weasyprint import urls

    if not hasattr(urls, "URLFetcher"):  # WeasyPrint < 66: a function returning a dict
        def fetch(url: str) -> dict[str, Any]:
            path = local_path(url, static_folder)
            return {"string": path.read_bytes(), "mime_type": mimetypes.guess_type(path.name)[0], "redirected_url": url}

        return fetch

    class StaticOnly(urls.URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            path = local_path(url, static_folder)
            media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return urls.URLFetcherResponse(url, path.read_bytes(), {"Content-Type": media_type})

    return StaticOnly(allowed_protocols=("file",))


def ensure_available() -> None:
    """Raise PdfUnavailable unless WeasyPrint loads (checked before a download is audited)."""
    load_weasyprint()


def render_pdf(html: str, static_folder: Path) -> RenderedPdf:
    """Lay out ``html`` with ``static/css/report.css`` and return the PDF.

    :param static_folder: the app's static folder; relative URLs in the HTML resolve against it.
    :raises PdfUnavailable: WeasyPrint cannot be loaded on this machine.
    """
    weasyprint = load_weasyprint()
    CSS, HTML = weasyprint.CSS, weasyprint.HTML

    fetcher = _fetcher(static_folder)
    base_url = static_folder.resolve().as_uri() + "/"
    stylesheet = CSS(filename=str(static_folder / STYLESHEET), url_fetcher=fetcher)
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(stylesheets=[stylesheet])
    # PDF/A-3b: the archival form the registry (diariet) keeps; fonts are embedded, metadata written.
    # WeasyPrint opens its sRGB ICC profile for PDF/A without closing it; the collect below releases the handle
    # while its ResourceWarning is silenced (it is WeasyPrint's, not ours).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        data = document.write_pdf(pdf_variant=PDF_VARIANT)
        gc.collect()
    return RenderedPdf(data, len(document.pages))
