"""Arbetsmiljöverket's public web diary (no API): inspections, injunctions and sanction fees for a Swedish orgnr."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from bs4 import Tag

from .contract import Check, CheckContext, Evidence, Finding, Outcome, Status, Subject
from .errors import NotConfigured, SourceChanged, SubjectRejected
from .html import select_all, select_one, soup, text_of

SOURCE = "se.arbetsmiljoverket"
PAGE_SIZE = 10  # the diary's fixed page size
DEFAULT_YEARS = 3  # LOU 13:3 looks back three years for grave professional misconduct
DEFAULT_MAX_PAGES = 10
INSPECTION_TYPES = frozenset({"inspektionsmeddelande", "registrerad kontroll"})
SANCTION_AREA = "hantera avgiftsutdömande"  # subject area 6.4: one case per sanction fee
_ORGNR_LINK = re.compile(r"[?&]orgnr=(\d{10})\b")
_CASE_LINK = re.compile(r"[?&]id=(\d{4}/\d{6})\b")


@dataclass(frozen=True)
class DiaryRow:
    """One document in the diary's result list."""

    number: str
    kind: str
    day: str | None
    case: str
    case_title: str
    orgnr: str | None
    area: str


def is_injunction(kind: str) -> bool:
    """A decision on föreläggande or förbud (with or without vite, immediate prohibitions included)."""
    text = kind.lower()
    if "avgift" in text:  # Avgiftsföreläggande is a sanction-fee order, not an injunction
        return False
    return ("föreläggande" in text or "förbud" in text) and not any(
        word in text for word in ("upphäv", "underrättelse", "svar", "överklag"))


def parse_page(body: bytes) -> tuple[list[DiaryRow], int | None]:
    """The rows of one result page and the total it announces; SourceChanged if the layout is not the known one."""
    page = soup(body)
    results = select_one(page, "ul[data-dd-search-result]", "the diary's result list")
    rows = [_row(item) for item in select_all(results, "li.document-list__item", "result rows")]
    if not rows and results.find("li"):
        raise SourceChanged("page layout changed: result items without the document-list__item class",
                            code="element_missing", what="li.document-list__item")
    total_tag = page.select_one("#dd-pagination-result-total")
    total = int(re.sub(r"\D", "", text_of(total_tag)) or 0) if total_tag is not None else None
    return rows, total


def _row(item: Tag) -> DiaryRow:
    labels: dict[str, Tag] = {}
    for dt in item.find_all("dt"):
        dd = dt.find_next("dd")
        if dd is not None:
            labels.setdefault(text_of(dt).rstrip(":").strip().lower(), dd)
    heading = select_one(item, "h2", "the document type heading")
    kinds = [text_of(s) for s in heading.find_all("span") if "visually-hidden" not in (s.get("class") or [])]
    number = text_of(labels["handlingsnummer"]) if "handlingsnummer" in labels else ""
    if not number or not kinds or not kinds[0]:
        raise SourceChanged("page layout changed: a result row without Handlingsnummer or Handlingstyp",
                            code="entry_shape", what="ul[data-dd-search-result]")
    case_link = item.find("a", href=_CASE_LINK)
    case = _CASE_LINK.search(case_link["href"]).group(1) if case_link else number.split("-")[0]
    org_link = item.find("a", href=_ORGNR_LINK)
    orgnr = _ORGNR_LINK.search(org_link["href"]).group(1) if org_link else None
    if orgnr is None and "organisationsnummer" in labels:
        orgnr = re.sub(r"\D", "", text_of(labels["organisationsnummer"])) or None
    when = item.find("time")
    return DiaryRow(number=number, kind=kinds[0], day=when.get("datetime") if when else None, case=case,
                    case_title=text_of(case_link) if case_link else "", orgnr=orgnr,
                    area=text_of(labels["ämnesområde"]) if "ämnesområde" in labels else "")


def years_before(today: date, years: int) -> date:
    """The same calendar day ``years`` earlier (28 February for 29 February)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def counts(rows: list[DiaryRow]) -> dict[str, Any]:
    """Inspections (cases), injunctions (decisions) and sanction fees (cases) among the rows."""
    inspections = {r.case for r in rows if r.kind.lower() in INSPECTION_TYPES}
    injunctions = [r for r in rows if is_injunction(r.kind)]
    fees = {r.case for r in rows if r.area.lower() == SANCTION_AREA or r.kind.lower() == "avgiftsföreläggande"}
    decisions = [{"number": r.number, "type": r.kind, "date": r.day, "case": r.case, "title": r.case_title}
                 for r in rows if is_injunction(r.kind) or r.case in fees]
    return {"inspections": len(inspections), "injunctions": len({r.number for r in injunctions}),
            "sanction_fees": len(fees), "decisions": decisions}


def _setting(ctx: CheckContext, key: str, default: int) -> int:
    """A positive whole-number setting (settings are stored as text)."""
    raw = ctx.settings.get(key)
    try:
        value = int(raw) if raw not in (None, "") else default
    except (TypeError, ValueError):
        value = 0
    if value <= 0:
        raise NotConfigured(f"the setting {key!r} of se.arbetsmiljoverket must be a positive whole number, not {raw!r}",
                            code="bad_setting", field=key, got=str(raw))
    return value


class ArbetsmiljoverketCheck(Check):
    """Searches the diary for the organisation number over the last years and counts what it finds."""

    id = "se.arbetsmiljoverket"
    version = "1"
    name = {"sv": "Arbetsmiljöverkets diarium", "en": "Swedish Work Environment Authority (diary)"}
    applies_to = frozenset({"organisation"})
    sources: ClassVar[dict[str, str]] = {
        SOURCE: "https://www.av.se/om-oss/diarium-och-allmanna-handlingar/bestall-handlingar"}
    sample_subject = Subject("organisation", 0, "Telefonaktiebolaget L M Ericsson", "SE", {"se_orgnr": "5560160680"})
    STATUSES = frozenset({Status.CLEAR, Status.NEEDS_MANUAL_INPUT})
    ADVERSE = {"workplace.injunctions": lambda n: n > 0, "workplace.sanction_fees": lambda n: n > 0}
    FINDINGS = {
        "workplace.inspections": "Inspection cases (with an inspektionsmeddelande or registrerad kontroll) in the "
                                 "period.",
        "workplace.injunctions": "Decisions on föreläggande or förbud (incl. immediate prohibitions) in the period.",
        "workplace.sanction_fees": "Sanction-fee cases (avgiftsföreläggande) in the period.",
        "workplace.documents": "Diary documents about the organisation in the period.",
        "workplace.decisions": "The injunction and sanction-fee documents: number, type, date, case, title.",
        "workplace.period_from": "Start of the period searched (ISO); the diary starts 2015-01-01 and lags a day.",
        "workplace.truncated": "More documents than were read: the counts are lower bounds.",
    }

    def applies(self, subject: Subject) -> bool:
        """Only organisations with a Swedish organisation number."""
        return subject.kind == "organisation" and bool(subject.identifiers.get("se_orgnr"))

    def run(self, subject: Subject, ctx: CheckContext) -> Outcome:
        """GET the search page (10 rows a page) until the announced total is read or the page limit is reached."""
        if ctx.http is None:
            raise NotConfigured("no HTTP client is configured for register checks", code="no_http_client")
        orgnr = re.sub(r"\D", "", subject.identifiers["se_orgnr"])[-10:]
        if len(orgnr) != 10:
            raise SubjectRejected(f"{subject.identifiers['se_orgnr']!r} is not a Swedish organisation number",
                                  code="not_se_orgnr", source=SOURCE, identifier=subject.identifiers["se_orgnr"])
        if orgnr[2] in "01":
            # A sole trader's orgnr is a personnummer, which must never travel in a URL (the diary only has GET).
            return Outcome(Status.NEEDS_MANUAL_INPUT, reason="A sole trader's organisation number is a personal "
                           "identity number and is not sent in a web address; search Arbetsmiljöverket's diary "
                           "by hand.")
        years, max_pages = _setting(ctx, "years", DEFAULT_YEARS), _setting(ctx, "max_pages", DEFAULT_MAX_PAGES)
        since = years_before(ctx.now().date(), years)
        evidence: list[Evidence] = []
        rows: list[DiaryRow] = []
        total: int | None = None
        seen = 0
        for page_no in range(1, max_pages + 1):
            fetched = ctx.http.get(SOURCE, "/", expect="html", params={
                "SearchText": f"{orgnr[:6]}-{orgnr[6:]}", "FromDate": since.isoformat(), "OnlyActive": "false",
                "SelectedSortOrder": "Dokumentdatum|Desc", "p": page_no})
            evidence.append(fetched.evidence)
            if fetched.status != 200:
                raise SourceChanged(f"{SOURCE}: unexpected HTTP {fetched.status} for the diary search",
                                    code="unexpected_status", source=SOURCE, status=fetched.status, what="diarium")
            page_rows, announced = parse_page(fetched.body)
            if announced is None:
                # The total stands after the list; a page without it was cut off (or its layout changed).
                raise SourceChanged(f"{SOURCE}: sidan saknar antalet träffar; den är avkortad eller har ändrad layout",
                                    code="element_missing", source=SOURCE, what="#dd-pagination-result-total")
            total = announced if total is None else total
            seen += len(page_rows)
            if len(page_rows) < PAGE_SIZE and seen < total:
                raise SourceChanged(f"{SOURCE}: sidan {page_no} har {len(page_rows)} rader men diariet anger {total} "
                                    f"träffar och {seen} är lästa; sidan är avkortad", code="list_incomplete",
                                    source=SOURCE, what="diarium", seen=seen, total=total)
            # Free-text search also hits other organisations' documents; only this orgnr's count.
            rows.extend(r for r in page_rows if r.orgnr == orgnr)
            if not page_rows or len(page_rows) < PAGE_SIZE or (total is not None and seen >= total):
                more = False
                break
        else:
            more = True  # every allowed page was full: without an announced total, more may follow
        truncated = (total is not None and seen < total) or (total is None and more)
        found = counts(rows)
        detail = f"{len(rows)} document(s) about {orgnr} since {since.isoformat()}"
        findings = [
            Finding("workplace.inspections", found["inspections"],
                    f"{found['inspections']} inspection case(s); {detail}", 0),
            Finding("workplace.injunctions", found["injunctions"], f"{found['injunctions']} föreläggande/förbud", 0),
            Finding("workplace.sanction_fees", found["sanction_fees"], f"{found['sanction_fees']} sanction-fee case(s)",
                    0),
            Finding("workplace.documents", len(rows), detail, 0),
            Finding("workplace.decisions", found["decisions"],
                    "; ".join(f"{d['date']} {d['type']} ({d['number']})" for d in found["decisions"]) or "None", 0),
            Finding("workplace.period_from", since.isoformat(), f"Searched from {since.isoformat()}", 0),
            Finding("workplace.truncated", truncated, f"Read {seen} of {total} result(s)" if total is not None
                    else f"Read {seen} result(s)", 0),
        ]
        if truncated:
            return Outcome(Status.NEEDS_MANUAL_INPUT, tuple(findings), tuple(evidence),
                           f"The diary lists {total} documents, more than the {seen} read; review it by hand.")
        return Outcome(Status.CLEAR, tuple(findings), tuple(evidence))
