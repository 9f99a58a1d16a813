"""Reports: PDF vetting reports and CSV/XLSX exports."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.utils import secure_filename

from ..db import get_db
from ..domain import control_areas
from ..domain import exports
from ..domain import reports as domain
from ..domain.checkpoint_templates import templates as checkpoint_templates
from ..domain.screening import all_checks
from ..reports.pdf import PdfUnavailable, ensure_available, render_pdf
from ..reports.tabular import to_csv, to_xlsx
from .access import Permission, requires, user_can

bp = Blueprint("reports", __name__, url_prefix="/reports")
FORMATS = "<any(csv, xlsx):fmt>"
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8",
               "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@bp.errorhandler(PdfUnavailable)
def pdf_unavailable(exc: PdfUnavailable) -> Any:
    """The server lacks WeasyPrint's libraries: say so instead of a bare 500 (the cause goes to the log)."""
    current_app.logger.error("%s", exc)
    return render_template("errors/error.html", status=503,
                           message=_("PDF reports cannot be produced on this server at the moment.")), 503


@bp.app_template_global()
def export_url(endpoint: str, fmt: str) -> str:
    """Link to an export carrying the list page's current filters (not its page number)."""
    args = {k: v for k, v in request.args.items() if k not in ("page", "fmt")}
    return url_for(endpoint, fmt=fmt, **args)


def _download(data: bytes, media_type: str, filename: str) -> Response:
    response = Response(data, mimetype=media_type)
    response.headers["Content-Disposition"] = f"attachment; filename={secure_filename(filename) or 'download'}"
    return response


def _pdf(procurement_id: int, organisation_id: int | None) -> Response:
    """Gather (and audit), lay out in the reader's language, and send the PDF."""
    ensure_available()  # before the download is audited: no entry for a PDF that cannot be made
    report = domain.build(get_db(), current_user.actor, procurement_id, organisation_id,
                          personal_data=user_can(Permission.EXPORT_PERSONAL_DATA),
                          generated_by=current_user.display_name)
    template = "reports/organisation.html" if organisation_id is not None else "reports/procurement.html"
    db = get_db()
    areas = control_areas.combined(control_areas.organisations_areas(
        db, list(dict.fromkeys(s.organisation["id"] for s in report.sections))))
    html = render_template(template, report=report, checks=all_checks(), id_ranges=domain.id_ranges,
                           checkpoint_templates=checkpoint_templates(), areas=areas,
                           overall=control_areas.overall(areas), signoff=domain.signoff(report),
                           agency=current_app.config["AGENCY_NAME"], logo=current_app.config.get("AGENCY_LOGO") or "",
                           language=str(get_locale() or "sv"))
    pdf = render_pdf(html, Path(current_app.static_folder or "static"))
    name = report.procurement["reference"]
    if organisation_id is not None:
        name += f"-{report.sections[0].organisation.get('name', organisation_id)}"
    return _download(pdf.data, "application/pdf", f"vetting-report-{name}.pdf")


@bp.route("/procurements/<int:procurement_id>.pdf")
@requires(Permission.EXPORT_DATA)
def procurement_pdf(procurement_id: int) -> Any:
    """The vetting report of a whole procurement: every organisation in its chain."""
    return _pdf(procurement_id, None)


@bp.route("/procurements/<int:procurement_id>/organisations/<int:organisation_id>.pdf")
@requires(Permission.EXPORT_DATA)
def organisation_pdf(procurement_id: int, organisation_id: int) -> Any:
    """The vetting report of one organisation as a party to one procurement."""
    return _pdf(procurement_id, organisation_id)


def _send(table: exports.Table, fmt: str) -> Response:
    """Audit the export, then write it as CSV or XLSX."""
    exports.record_export(get_db(), current_user.actor, table, fmt)
    data = to_csv(table.headings, table.rows) if fmt == "csv" else to_xlsx(table.headings, table.rows, table.dataset)
    return _download(data, MEDIA_TYPES[fmt], f"{table.dataset.replace('_', '-')}.{fmt}")


def _text(name: str) -> str:
    return request.args.get(name, "").strip()


@bp.route(f"/export/organisations.{FORMATS}")
@requires(Permission.EXPORT_DATA)
def export_organisations(fmt: str) -> Any:
    """The organisations list as filtered (``q``, ``country``), every page."""
    return _send(exports.organisations(get_db(), text=_text("q"), country=_text("country")), fmt)


@bp.route(f"/export/key-persons.{FORMATS}")
@requires(Permission.EXPORT_PERSONAL_DATA)
def export_key_persons(fmt: str) -> Any:
    """Key persons of the organisations the list's filters select (or of one procurement's chain)."""
    return _send(exports.key_persons(get_db(), text=_text("q"), country=_text("country"),
                                     procurement_id=request.args.get("procurement_id", type=int)), fmt)


@bp.route(f"/export/outcomes.{FORMATS}")
@requires(Permission.EXPORT_DATA)
def export_outcomes(fmt: str) -> Any:
    """Newest check outcomes of the selected organisations; key persons' only for roles that may see them."""
    return _send(exports.outcomes(get_db(), text=_text("q"), country=_text("country"),
                                  procurement_id=request.args.get("procurement_id", type=int), status=_text("status"),
                                  personal_data=user_can(Permission.EXPORT_PERSONAL_DATA),
                                  language=str(get_locale() or "sv")), fmt)


@bp.route(f"/export/audit.{FORMATS}")
@requires(Permission.VIEW_AUDIT)
def export_audit(fmt: str) -> Any:
    """The audit log as filtered on the audit page (user, action, record, date range), every page."""
    from .audit import filters

    chosen, _errors = filters(request.args)  # a day that is not a date is left out, as on the page
    return _send(exports.audit_entries(get_db(), **chosen), fmt)
