"""Bolagsverket's digitally filed annual reports (Värdefulla datamängder: POST dokumentlista, GET dokument/{id}).

Each filing is a ZIP of iXBRL XHTML (the annual report, and the audit report when filed with it); a listed
company's filing holds an ESEF report package (a ZIP in the ZIP) with IFRS-tagged facts. The newest report and
the ones before it, up to MAX_REPORTS in all, are fetched and kept as evidence with their SHA-256.
"""
from __future__ import annotations

import io
import re
import uuid
import zipfile
from calendar import monthrange
from datetime import date
from typing import Any, ClassVar

from . import arsredovisning
from .bolagsverket import SOURCE, TOKEN_SOURCE, BolagsverketCheck
from .contract import CheckContext, Evidence, Finding, Outcome, Status, Subject
from .errors import CheckAbort, NotConfigured, SourceChanged, SubjectRejected
from .http import Fetched
from .ixbrl import Document, IxbrlError, parse

CHECK_ID = "se.bolagsverket.arsredovisning"
MAX_REPORTS = 3  # the newest and the two before it: three fiscal years, each with its comparison year
FILING_MONTHS = 7  # ÅRL 8 kap. 3 §: filed with Bolagsverket within seven months of the fiscal year's end
MAX_UNZIPPED = 64 * 1024 * 1024  # a ZIP that inflates beyond this is refused (zip bomb)
# ABL 9 kap. 1 §: an auditor is required unless at most one of these is exceeded in each of the last two years.
AUDIT_LIMITS = {"employees": 3, "balance_total": 1_500_000, "net_revenue": 3_000_000}
CREDENTIALS = ("client_id", "client_secret")
PRIVATE_MINIMUM, PUBLIC_MINIMUM = 25_000, 500_000  # ABL 1 kap. 5 § (private limit since 1 January 2020)


class AnnualReportFault(SourceChanged):
    """The filing cannot be read as the annual report of this organisation: the message says why, the code and
    parameters (``end``: the fiscal year's last day) say it for the app to put into words."""


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day (31 May + 1 month = 30 June)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = monthrange(year, month)[1]
    return date(year, month, last if day.day == monthrange(day.year, day.month)[1] else min(day.day, last))


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def documents(body: bytes, end: str = "?", *, nested: bool = False) -> list[Document]:
    """The iXBRL documents of a dokument ZIP (one nested ZIP level: the ESEF package); AnnualReportFault if none."""
    try:
        package = zipfile.ZipFile(io.BytesIO(body))
    except zipfile.BadZipFile:
        raise AnnualReportFault(f"the document is not a ZIP file ({len(body)} bytes, starts {body[:12]!r})",
                                code="report_not_zip", end=end) from None
    out: list[Document] = []
    inflated = 0
    with package:
        for info in package.infolist():
            inflated += info.file_size
            if inflated > MAX_UNZIPPED:
                raise AnnualReportFault("the ZIP inflates to more than 64 MB; refused", code="report_too_large",
                                        end=end, limit=MAX_UNZIPPED // 2**20)
            name = info.filename.lower()
            if name.endswith(".zip") and not nested:  # one level only: a ZIP holding itself must not loop
                out.extend(documents(package.read(info), end, nested=True))
            elif name.endswith((".xhtml", ".html", ".htm")):
                try:
                    out.append(parse(package.read(info)))
                except IxbrlError as exc:
                    raise AnnualReportFault(f"{info.filename}: {exc}", code="report_file_unreadable", end=end,
                                            what=info.filename) from exc
    if not out:
        raise AnnualReportFault("the ZIP holds no XHTML document", code="report_no_xhtml", end=end)
    return out


def audit_required(years: list[dict[str, Any]]) -> bool | None:
    """Whether the law requires an auditor, from the two newest fiscal years; None when a figure is unknown."""
    if len(years) < 2:
        return None
    for year in years[:2]:
        if any(year.get(k) is None for k in AUDIT_LIMITS):
            return None
        if sum(1 for k, limit in AUDIT_LIMITS.items() if year[k] > limit) < 2:
            return False
    return True


class AnnualReportsCheck(BolagsverketCheck):
    """Lists the organisation's annual reports, fetches the newest ones and reads their figures and signers."""

    id = CHECK_ID
    version = "1"
    name = {"sv": "Bolagsverket (årsredovisningar)", "en": "Swedish Companies Registration Office (annual reports)"}
    applies_to = frozenset({"organisation"})
    # The OAuth2 credentials are se.bolagsverket's (one client for the whole API): settings_from names them.
    requires_settings = ()
    settings_from = "se.bolagsverket"
    sources: ClassVar[dict[str, str]] = BolagsverketCheck.sources
    STATUSES = frozenset({Status.CLEAR, Status.NEEDS_MANUAL_INPUT})
    # Facts that make a register answer an observation rather than green (the runner applies them).
    ADVERSE = {code: bool for code in ("annual_report.missing", "annual_report.late", "company.filings_overdue",
                                       "annual_report.auditor_missing", "company.negative_equity",
                                       "company.share_capital_below_minimum", "company.revenue_without_employees")}
    FINDINGS = {
        "annual_report.reports": "The annual reports read: document id, fiscal year, registration date, taxonomy, "
                                 "software, SHA-256 of the ZIP.",
        "annual_report.key_figures": "Key figures per fiscal year, newest first: net revenue, result, equity, share "
                                     "capital, solidity (%), average employees, balance-sheet total (SEK).",
        "company.officers": "Those who signed the newest annual report (board, CEO, chair), role as written.",
        "annual_report.auditor": "The auditor who signed the audit report, title and audit firm (null: none).",
        "annual_report.auditor_missing": "No auditor signed although the company's size requires one (ABL 9:1).",
        "annual_report.missing": "No annual report for a fiscal year whose filing deadline has passed.",
        "annual_report.late": "The newest annual report was registered more than seven months after the fiscal "
                              "year ended.",
        "company.filings_overdue": "Annual report missing or filed late.",
        "annual_report.esef": "A listed company's IFRS (ESEF) report: no K2/K3 facts; IFRS figures read where "
                              "tagged.",
        "company.negative_equity": "Equity below zero at the newest fiscal year's end.",
        "company.share_capital_below_minimum": "Share capital below the legal minimum (ABL 1:5: 25 000 SEK, "
                                               "500 000 SEK for a public company).",
        "company.revenue_without_employees": "Net revenue but no average employees in the newest fiscal year.",
        "annual_report.fault": "A filing that could not be read (outcomes stored before it was a source.fault).",
    }

    def run(self, subject: Subject, ctx: CheckContext) -> Outcome:
        missing = [k for k in CREDENTIALS if not str(ctx.settings.get(k) or "").strip()]
        if missing:
            raise NotConfigured(f"Bolagsverket needs OAuth2 client credentials: an administrator must add the "
                                f"setting(s) {', '.join(missing)} for se.bolagsverket", code="settings_missing",
                                what=", ".join(missing))
        if ctx.http is None:
            raise NotConfigured("no HTTP client is configured for register checks", code="no_http_client")
        orgnr = re.sub(r"\D", "", subject.identifiers.get("se_orgnr", ""))[-10:]
        if len(orgnr) != 10:
            raise SubjectRejected(f"{subject.identifiers.get('se_orgnr')!r} is not a Swedish organisation number",
                                  code="not_se_orgnr", identifier=subject.identifiers.get("se_orgnr"))
        client_id, secret = str(ctx.settings["client_id"]).strip(), str(ctx.settings["client_secret"]).strip()
        state = {"token": self._token(ctx, client_id, secret, renew=False)}

        def call(method: str, path: str, **kwargs: Any) -> Fetched:
            for renew in (False, True):
                if renew:
                    state["token"] = self._token(ctx, client_id, secret, renew=True)
                headers = {"Authorization": f"Bearer {state['token']}", "X-Request-Id": str(uuid.uuid4())}
                try:
                    if method == "POST":
                        return ctx.http.post(SOURCE, path, headers=headers, idempotent=True, **kwargs)
                    return ctx.http.get(SOURCE, path, headers=headers, expect="any")
                except CheckAbort:
                    if renew:
                        raise
            raise AssertionError("unreachable")

        listed = call("POST", "dokumentlista", json={"identitetsbeteckning": orgnr})
        evidence: list[Evidence] = [listed.evidence]
        if listed.status in (400, 404):
            return Outcome(Status.NEEDS_MANUAL_INPUT, (Finding("annual_report.missing", True,
                           f"Bolagsverket lists no annual report for {orgnr} (HTTP {listed.status})", 0),),
                           tuple(evidence), "Bolagsverket does not know the number or lists no annual report")
        if listed.status != 200:
            raise SourceChanged(f"{SOURCE}: unexpected HTTP {listed.status} for dokumentlista",
                                code="unexpected_status", source=SOURCE, status=listed.status, what="dokumentlista")
        items = _items(listed.json())
        today = ctx.now().date()
        if not items:
            return Outcome(Status.NEEDS_MANUAL_INPUT, (
                Finding("annual_report.missing", True, "No digitally filed annual report", 0),
                Finding("company.filings_overdue", True, "No digitally filed annual report", 0)), tuple(evidence),
                "Bolagsverket lists no digitally filed annual report; a report filed on paper is not listed, so "
                "verify in Bolagsverket's case list")
        newest_first = sorted(items, key=lambda i: i["period_end"], reverse=True)[:MAX_REPORTS]
        reports: list[tuple[dict[str, Any], arsredovisning.Report, int]] = []
        for item in newest_first:
            fetched = call("GET", f"dokument/{item['id']}")
            evidence.append(fetched.evidence)
            if fetched.status != 200:
                raise SourceChanged(f"{SOURCE}: HTTP {fetched.status} for a listed document ({item['id']})",
                                    code="unexpected_status", source=SOURCE, status=fetched.status,
                                    what=f"dokument/{item['id']}")
            try:
                report = _read(fetched.body, orgnr, item["period_end"].isoformat())
            except AnnualReportFault as exc:
                # Said as the runner says a fault (source.fault), but with the whole document kept, not capped.
                detail = f"Annual report {item['period_end']} ({item['id']}): {exc}"
                return Outcome(Status.ERROR, (Finding("source.fault", exc.code, detail, len(evidence) - 1,
                                                      dict(exc.params)),), tuple(evidence), detail)
            reports.append((item, report, len(evidence) - 1))
        status, findings, reason = _outcome(reports, today)
        return Outcome(status, findings, tuple(evidence), reason)


def _items(data: Any) -> list[dict[str, Any]]:
    """The dokumentlista entries: id, fiscal-year end, registration day; SourceChanged for another shape."""
    listed = data.get("dokument") if isinstance(data, dict) else None
    if not isinstance(listed, list):
        raise SourceChanged(f"{SOURCE}: dokumentlista answer without a dokument list", code="part_missing",
                            source=SOURCE, what="dokument")
    out = []
    for entry in listed:
        if not isinstance(entry, dict):
            raise SourceChanged(f"{SOURCE}: a dokumentlista entry is not an object", code="entry_shape", source=SOURCE,
                                what="dokument")
        ident, end = entry.get("dokumentId"), _day(entry.get("rapporteringsperiodTom"))
        if not isinstance(ident, str) or not re.fullmatch(r"[A-Za-z0-9_-]{1,100}", ident) or end is None:
            raise SourceChanged(f"{SOURCE}: a dokumentlista entry without a usable dokumentId and period "
                                f"({str(entry)[:120]})", code="entry_shape", source=SOURCE, what="dokument")
        out.append({"id": ident, "period_end": end, "registered": _day(entry.get("registreringstidpunkt")),
                    "format": entry.get("filformat")})
    return out


def _read(body: bytes, orgnr: str, end: str) -> arsredovisning.Report:
    docs = documents(body, end)
    try:
        report = arsredovisning.read(docs)
    except IxbrlError as exc:
        raise AnnualReportFault(str(exc), code="report_unreadable", end=end) from exc
    if not report.years and not report.esef:
        raise AnnualReportFault("the XHTML holds no key figures (no K2/K3 facts such as Nettoomsattning or "
                                "EgetKapital)", code="report_no_key_figures", end=end)
    if report.orgnr is None:
        raise AnnualReportFault("the filing names no organisation number, so it cannot be tied to this organisation",
                                code="report_no_orgnr", end=end)
    others = (report.orgnrs | {report.orgnr}) - {orgnr}
    if others:
        raise AnnualReportFault(f"the annual report is about another organisation ({', '.join(sorted(others))})",
                                code="report_other_subject", end=end, got=", ".join(sorted(others)), asked=orgnr)
    return report


def _signals(year: dict[str, Any], report: arsredovisning.Report) -> list[Finding]:
    """Signals in the newest year's figures; a figure the report does not give yields no signal."""
    out = []
    if year.get("equity") is not None:
        out.append(Finding("company.negative_equity", year["equity"] < 0, f"Equity {year['equity']} SEK", 1))
    if year.get("share_capital") is not None:
        minimum = PUBLIC_MINIMUM if "(publ)" in (report.company or "") else PRIVATE_MINIMUM
        out.append(Finding("company.share_capital_below_minimum", year["share_capital"] < minimum,
                           f"Share capital {year['share_capital']} SEK; minimum {minimum} SEK", 1))
    if year.get("net_revenue") is not None and year.get("employees") is not None:
        out.append(Finding("company.revenue_without_employees", year["net_revenue"] > 0 and year["employees"] == 0,
                           f"Net revenue {year['net_revenue']} SEK, {year['employees']} employees", 1))
    return out


def _outcome(reports: list[tuple[dict[str, Any], arsredovisning.Report, int]],
             today: date) -> tuple[Status, tuple[Finding, ...], str | None]:
    item, newest, _ = reports[0]
    findings: list[Finding] = []
    summary = []
    years: dict[str, dict[str, Any]] = {}
    for entry, report, ev in reports:
        summary.append({"document_id": entry["id"], "fiscal_start": report.fiscal_start,
                        "fiscal_end": report.fiscal_end or entry["period_end"].isoformat(),
                        "registered": entry["registered"].isoformat() if entry["registered"] else None,
                        "signed_on": report.signed_on, "adopted_on": report.adopted_on, "company": report.company,
                        "taxonomy": report.taxonomy, "software": report.software, "esef": report.esef,
                        "evidence": ev})
        for year in report.years:  # a newer report's figure for a year wins over an older report's
            years.setdefault(year["end"], {**year, "document_id": entry["id"], "currency": report.currency})
    key_figures = sorted(years.values(), key=lambda y: y["end"], reverse=True)
    findings.append(Finding("annual_report.reports", summary, "; ".join(
        f"{s['fiscal_end']} registered {s['registered'] or '?'}" for s in summary), 1))
    findings.append(Finding("annual_report.key_figures", key_figures, f"{len(key_figures)} fiscal years", 1))
    findings.append(Finding("company.officers", [
        {"name": s["name"], "role": s["role"]} for s in newest.signers], "Signed the annual report " + (newest.fiscal_end or ""), 1))
    findings.append(Finding("annual_report.auditor", newest.auditor, (
        f"{newest.auditor['name']}, {newest.auditor['title']}, {newest.auditor['firm']}" if newest.auditor
        else "No audit report in the filing"), 1))
    required = audit_required(key_figures)
    if required is not None:
        findings.append(Finding("annual_report.auditor_missing", required and newest.auditor is None,
                                "The company's size requires an auditor (ABL 9:1)" if required else
                                "The company is small enough to have no auditor", 1))
    findings.extend(_signals(key_figures[0] if key_figures else {}, newest))
    end = item["period_end"]
    deadline = add_months(end, FILING_MONTHS)
    late = bool(item["registered"] and item["registered"] > deadline)
    next_deadline = add_months(add_months(end, 12), FILING_MONTHS)
    missing = today > next_deadline
    findings.append(Finding("annual_report.late", late, f"Fiscal year {end} registered "
                            f"{item['registered'] or 'on an unknown day'}; deadline {deadline}", 1))
    findings.append(Finding("annual_report.missing", missing, f"No report for the fiscal year after {end}, due "
                            f"{next_deadline}" if missing else f"Next report due {next_deadline}", 0))
    findings.append(Finding("company.filings_overdue", late or missing, "Annual report late or missing" if
                            late or missing else "Annual reports filed on time", 0))
    if newest.esef:
        findings.append(Finding("annual_report.esef", True, "IFRS report (ESEF): no K2/K3 facts; figures read from "
                                "the IFRS tags where present", 1))
        if not key_figures:
            return (Status.NEEDS_MANUAL_INPUT, tuple(findings), "A listed company's IFRS (ESEF) report: its "
                    "figures are not tagged in a way the app reads; read them in the report")
        return (Status.CLEAR, tuple(findings), "A listed company's IFRS (ESEF) report: K2/K3 facts absent, "
                "IFRS figures read")
    return (Status.CLEAR, tuple(findings), None)
