"""Error pages: a clear message, never a stack trace; domain errors map to their HTTP status."""
from __future__ import annotations

from typing import Any

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ..domain.downloads import FileErased
from ..domain.errors import DomainError
from ..store import is_busy


def _page(status: int, message: str) -> Any:
    return render_template("errors/error.html", status=status, message=message), status


def register_error_handlers(app: Flask) -> None:
    """Map HTTP, CSRF and domain errors to friendly pages."""

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError) -> Any:
        app.logger.info("CSRF failure: %s", exc.description)
        return _page(400, _("The form had expired or was sent from elsewhere. Reload the page and try again."))

    @app.errorhandler(DomainError)
    def domain_error(exc: DomainError) -> Any:
        return _page(exc.http_status, str(exc.message))

    @app.errorhandler(FileErased)
    def file_erased(exc: FileErased) -> Any:
        # A tombstone, not a fault: say when the file went and what still proves what it was.
        return render_template("errors/erased.html", tombstone=exc.tombstone), 410

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Any:
        messages = {
            400: _("The request could not be understood."),
            403: _("You do not have permission to do this."),
            404: _("The page or record does not exist."),
            405: _("That action is not possible here."),
            413: _("The file is too large."),
            429: _("Too many requests. Wait a moment and try again."),
        }
        status = exc.code or 500
        return _page(status, messages.get(status, exc.description or _("Something went wrong.")))

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> Any:
        if is_busy(exc):
            # Lock contention after the retries (store.write_transaction): the write did not happen; say so and ask
            # the user to try again, rather than a 500 that reads as a bug.
            app.logger.warning("Database busy: %s", exc)
            body, status = _page(503, _("Many people are saving at the same time and your change could not be saved. "
                                        "Nothing was changed: wait a moment and try again."))
            return body, status, {"Retry-After": "2"}
        app.logger.exception("Unhandled error")
        return _page(500, _("Something went wrong on our side. The error has been logged."))
