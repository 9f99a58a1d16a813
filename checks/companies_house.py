"""UK Companies House: company profile, officers, insolvency cases and disqualified directors among the officers."""
from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar

from . import schema
from .contract import Check, CheckContext, Evidence, Finding, Outcome, Status, Subject
from .errors import NotConfigured, SourceChanged, SubjectRejected
from .http import Fetched

SOURCE = "gb.companies_house"
_NUMBER = re.compile(r"^(?:\d{8}|[A-Z]{2}\d{6}|R0\d{6})$")
_CO = re.compile(r"^\s*c\s*/\s*o\b", re.IGNORECASE)
_BOX = re.compile(r"\bp\.?\s*o\.?\s*box\b", re.IGNORECASE)
# company_status values (Companies House enumeration) grouped into the facts the risk model reads.
_CLOSED = frozenset({"dissolved", "removed", "closed", "converted-closed"})
_RESCUE = frozenset({"administration", "voluntary-arrangement"})
MAX_OFFICER_PAGES = 5  # 500 appointments; more than that is itself a fact worth a manual look
MAX_DISQUALIFICATION_SEARCHES = 10  # one search per current natural-person officer, to stay well inside 600/5 min
_DISQUALIFIED_PATH = re.compile(r"^/disqualified-officers/(natural|corporate)/[A-Za-z0-9_-]+$")


class CompaniesHouseCheck(Check):
    """Reads a UK company's profile and officers; searches the disqualified directors register for each officer."""

    id = "gb.companies_house"
    version = "1"
    name = {"sv": "Companies House (Storbritannien)", "en": "Companies House (United Kingdom)"}
    applies_to = frozenset({"organisation"})
    requires_settings = ("api_key",)
    sources: ClassVar[dict[str, str]] = {SOURCE: "https://api.company-information.service.gov.uk"}
    sample_subject = Subject("organisation", 0, "Tesco PLC", "GB", {"gb_company": "00445790"})
    STATUSES = frozenset({Status.CLEAR, Status.NEEDS_MANUAL_INPUT})
    ADVERSE = {"company.liquidation": bool, "company.reconstruction": bool, "company.deleted": bool,
               "company.insolvency_cases": lambda cases: cases > 0,
               "company.officer_disqualified": lambda hits: any(h.get("current") for h in hits)}
    FINDINGS = {
        "company.name": "The registered company name.",
        "company.status": "company_status as Companies House gives it (active, dissolved, liquidation, "
                          "administration...).",
        "company.liquidation": "The company is in liquidation.",
        "company.reconstruction": "Administration or a voluntary arrangement (rescue procedure).",
        "company.deleted": "Dissolved, removed or closed (struck off the register).",
        "company.registration_date": "date_of_creation (ISO).",
        "company.age_days": "Days since incorporation.",
        "company.industry_codes": "SIC codes.",
        "company.address_co": "The registered office is a care-of address.",
        "company.address_box": "The registered office is a PO box.",
        "company.filings_overdue": "Accounts or confirmation statement overdue.",
        "company.insolvency_history": "has_insolvency_history on the profile.",
        "company.insolvency_cases": "Number of insolvency cases (0 without insolvency history).",
        "company.officers": "Current officers: name, role, birth year-month, appointed_on.",
        "company.officer_disqualified": "Current officers found (name and birth month) in the disqualified directors "
                                        "register, with each disqualification and whether it is in force.",
        "company.not_found": "Companies House does not know the number.",
    }

    def applies(self, subject: Subject) -> bool:
        """Only organisations with a UK company number."""
        return subject.kind == "organisation" and bool(subject.identifiers.get("gb_company"))

    def run(self, subject: Subject, ctx: CheckContext) -> Outcome:
        """Profile, officers, insolvency (when the profile says there is history), disqualification searches."""
        key = str(ctx.settings.get("api_key") or "").strip()
        if not key:
            raise NotConfigured("Companies House needs an API key: an administrator must add the setting 'api_key' "
                                "for gb.companies_house", code="settings_missing", what="api_key")
        if ctx.http is None:
            raise NotConfigured("no HTTP client is configured for register checks", code="no_http_client")
        number = re.sub(r"\s", "", subject.identifiers["gb_company"]).upper()
        if not _NUMBER.match(number):
            raise SubjectRejected(f"{number!r} is not a UK company number", code="not_gb_company", source=SOURCE,
                                  identifier=number)
        evidence: list[Evidence] = []

        def get(path: str, **params: Any) -> Fetched:
            fetched = ctx.http.get(SOURCE, path, params=params or None, auth=(key, ""))
            evidence.append(fetched.evidence)
            return fetched

        profile = get(f"company/{number}")
        if profile.status == 404:
            errors = schema.documented_error(profile, SOURCE)["errors"]  # {"errors": [{"error": "company-profile-not-found"}]}
            if not (isinstance(errors, list) and any(isinstance(e, dict) and e.get("error") == "company-profile-not-found"
                                                     for e in errors)):
                raise SourceChanged(f"{SOURCE}: HTTP 404 utan felkoden company-profile-not-found",
                                    code="undocumented_error", source=SOURCE, status=404)
            return Outcome(Status.NEEDS_MANUAL_INPUT,
                           (Finding("company.not_found", True, f"Companies House has no company {number}", 0),),
                           tuple(evidence), "the register does not know this number; verify it")
        data = _object(profile, f"company/{number}")
        schema.echoed(SOURCE, data.get("company_number"), number)
        schema.field(data, "company_status", str, SOURCE)
        schema.field(data, "has_insolvency_history", bool, SOURCE)  # absent is not "no history"
        today = ctx.now().date()
        findings = profile_findings(data, today)

        officers_at = len(evidence)
        items = _officers(get, number)
        current = [o for o in items if not o.get("resigned_on")]
        officers = [officer_entry(o) for o in current]
        findings.append(Finding("company.officers", officers,
                                "; ".join(f"{o['name']} ({o['role']})" for o in officers) or "No current officers",
                                officers_at))

        cases, cases_at, detail, types = 0, 0, "No insolvency history", []
        if data.get("has_insolvency_history"):
            insolvency = get(f"company/{number}/insolvency")
            cases_at = len(evidence) - 1
            if insolvency.status == 200:
                listed = _object(insolvency, "insolvency").get("cases")
                if not isinstance(listed, list):
                    raise SourceChanged(f"{SOURCE}: insolvency answer without cases", code="part_missing", source=SOURCE,
                                        what="cases")
                cases = len(listed)
                types = [str(c.get("type")) for c in listed if isinstance(c, dict)]
                detail = f"{cases} insolvency case(s): " + ", ".join(str(c.get("type")) for c in listed)
            elif insolvency.status == 404:
                detail = "Insolvency history flagged, but no case is published"
            else:
                raise SourceChanged(f"{SOURCE}: unexpected HTTP {insolvency.status} for insolvency",
                                    code="unexpected_status", source=SOURCE, status=insolvency.status, what="insolvency")
        findings.append(Finding("company.insolvency_cases", cases, detail, cases_at, {"types": types}))

        people = [o for o in current if isinstance(o.get("date_of_birth"), dict)]
        hits, first = _disqualifications(get, people[:MAX_DISQUALIFICATION_SEARCHES], today, evidence)
        searched = min(len(people), MAX_DISQUALIFICATION_SEARCHES)
        detail = "; ".join(f"{h['officer']}: disqualified {h['disqualified_from']} to {h['disqualified_until']}"
                           f"{' (in force)' if h['current'] else ''}" for h in hits) or \
            f"None of {searched} current officer(s) found in the disqualified directors register"
        if len(people) > searched:
            detail += f" (only the first {searched} of {len(people)} officers were searched)"
        findings.append(Finding("company.officer_disqualified", hits, detail, first,
                                {"searched": searched, "officers": len(people)}))
        return Outcome(Status.CLEAR, tuple(findings), tuple(evidence))


def _object(fetched: Fetched, what: str) -> dict[str, Any]:
    if fetched.status != 200:
        raise SourceChanged(f"{SOURCE}: unexpected HTTP {fetched.status} for {what}",
                            code="unexpected_status", source=SOURCE, status=fetched.status, what=what)
    data = fetched.json()
    if not isinstance(data, dict):
        raise SourceChanged(f"{SOURCE}: {what} is not a JSON object", code="not_object", source=SOURCE,
                            status=fetched.status)
    return data


def _officers(get: Callable[..., Fetched], number: str) -> list[dict[str, Any]]:
    """Every appointment, following the paging the answer states (start_index, items_per_page) up to MAX_OFFICER_PAGES.

    The register may return fewer items per page than asked; the next page starts where this one ended.
    """
    items: list[dict[str, Any]] = []
    start = 0
    for _page in range(MAX_OFFICER_PAGES):
        data = _object(get(f"company/{number}/officers", items_per_page=100, start_index=start), "officers")
        batch = schema.field(data, "items", list, SOURCE)
        total = schema.field(data, "total_results", int, SOURCE)
        answered_start = schema.field(data, "start_index", int, SOURCE)
        if answered_start != start:
            raise SourceChanged(f"{SOURCE}: officers page starts at {answered_start}, not at {start} as asked",
                                code="paging_mismatch", source=SOURCE, what="officers", got=answered_start,
                                asked=start)
        if not all(isinstance(o, dict) and isinstance(o.get("name"), str) for o in batch):
            raise SourceChanged(f"{SOURCE}: en post i officers saknar namn", code="entry_shape", source=SOURCE,
                                what="officers")
        items.extend(batch)
        start = answered_start + len(batch)
        if not batch or len(items) >= total:
            break
    else:
        if len(items) < total:
            raise SourceChanged(f"{SOURCE}: more than {len(items)} officers ({total}); the list was not read to the end",
                                code="list_incomplete", source=SOURCE, what="officers", seen=len(items), total=total)
    return items


def profile_findings(data: dict[str, Any], today: date) -> list[Finding]:
    """Findings from a company profile (evidence 0)."""
    status, name = data["company_status"], data.get("company_name")
    findings = [
        Finding("company.name", name, f"Registered name: {name}", 0),
        Finding("company.status", status, f"{name}: {status}", 0),
        Finding("company.liquidation", status == "liquidation", f"company_status {status}", 0),
        Finding("company.reconstruction", status in _RESCUE, f"company_status {status}", 0),
        Finding("company.deleted", status in _CLOSED,
                f"{status} on {data['date_of_cessation']}" if data.get("date_of_cessation") else f"company_status "
                                                                                                  f"{status}", 0),
        Finding("company.insolvency_history", bool(data.get("has_insolvency_history")),
                "Has insolvency history" if data.get("has_insolvency_history") else "No insolvency history", 0),
        Finding("company.industry_codes", list(data.get("sic_codes") or []),
                "SIC " + ", ".join(data.get("sic_codes") or []) if data.get("sic_codes") else "No SIC code", 0),
    ]
    created = data.get("date_of_creation")
    if created:
        try:
            day = date.fromisoformat(created)
        except (TypeError, ValueError):
            raise SourceChanged(f"{SOURCE}: date_of_creation {created!r} is not a date", code="not_a_date", source=SOURCE,
                                field="date_of_creation", got=str(created)) from None
        findings.append(Finding("company.registration_date", day.isoformat(), f"Incorporated {day.isoformat()}", 0))
        findings.append(Finding("company.age_days", (today - day).days, f"{(today - day).days} days since "
                                                                        f"incorporation", 0))
    office = data.get("registered_office_address") or {}
    lines = [str(office[k]) for k in ("care_of", "po_box", "premises", "address_line_1", "address_line_2", "locality",
                                      "postal_code") if office.get(k)]
    shown = ", ".join(lines) or "no registered office address"
    findings.append(Finding("company.address_co", bool(office.get("care_of")) or any(_CO.match(x) for x in lines),
                            f"Registered office: {shown}", 0))
    findings.append(Finding("company.address_box", bool(office.get("po_box")) or any(_BOX.search(x) for x in lines),
                            f"Registered office: {shown}", 0))
    accounts = bool((data.get("accounts") or {}).get("overdue"))
    statement = bool((data.get("confirmation_statement") or {}).get("overdue"))
    late = [what for what, overdue in (("accounts", accounts), ("confirmation statement", statement)) if overdue]
    findings.append(Finding("company.filings_overdue", bool(late), "Overdue: " + ", ".join(late) if late else
                            "No overdue filing", 0))
    return findings


def _birth(officer: dict[str, Any]) -> str | None:
    born = officer.get("date_of_birth")
    if isinstance(born, dict) and born.get("year") and born.get("month"):
        return f"{int(born['year']):04d}-{int(born['month']):02d}"
    return None


def officer_entry(officer: dict[str, Any]) -> dict[str, Any]:
    """One current officer as the vocabulary has it: name, role, birth year-month (Companies House shows no day)."""
    return {"name": officer.get("name"), "role": officer.get("officer_role"), "birth_date": _birth(officer),
            "appointed_on": officer.get("appointed_on"), "source": SOURCE}


def _search_name(name: str) -> tuple[str, str, str]:
    """("SURNAME", "Forenames", "Forenames SURNAME") from Companies House's "SURNAME, Forenames"."""
    surname, _, forenames = name.partition(",")
    return surname.strip(), forenames.strip(), f"{forenames.strip()} {surname.strip()}".strip()


def _disqualifications(get: Callable[..., Fetched], people: list[dict[str, Any]], today: date,
                       evidence: list[Evidence]) -> tuple[list[dict[str, Any]], int]:
    """Search each officer by name; a result counts only when surname, first forename and birth month all agree."""
    hits: list[dict[str, Any]] = []
    searched_at: int | None = None
    record_at: int | None = None
    for officer in people:
        surname, forenames, query = _search_name(str(officer.get("name") or ""))
        birth = _birth(officer)
        if not surname or not birth:
            continue
        found = _object(get("search/disqualified-officers", q=query, items_per_page=20), "disqualified search")
        if found.get("kind") != "search#disqualified-officers":
            raise SourceChanged(f"{SOURCE}: svaret på sökningen är inte search#disqualified-officers",
                                code="not_expected_document", source=SOURCE, what="search#disqualified-officers")
        schema.field(found, "items", list, SOURCE)  # an empty or other JSON is not "none found"
        searched_at = len(evidence) - 1 if searched_at is None else searched_at
        given = forenames.split()[0].upper() if forenames else ""
        for item in found.get("items") or []:
            # The search is fuzzy; a namesake is not a finding, so surname, first forename and birth month must agree.
            words = set(re.findall(r"[A-Z'-]+", str(item.get("title", "")).upper()))
            if surname.upper() not in words or (given and given not in words):
                continue
            if str(item.get("date_of_birth") or "")[:7] != birth:
                continue
            path = str((item.get("links") or {}).get("self") or "")
            if not _DISQUALIFIED_PATH.match(path):
                raise SourceChanged(f"{SOURCE}: unexpected disqualification link {path!r}", code="unexpected_link",
                                    source=SOURCE, got=path)
            record = _object(get(path.lstrip("/")), "disqualification")
            schema.field(record, "disqualifications", list, SOURCE)
            record_at = len(evidence) - 1 if record_at is None else record_at
            for dq in record["disqualifications"]:
                start, until = dq.get("disqualified_from"), dq.get("disqualified_until")
                reason = dq.get("reason") or {}
                hits.append({"officer": officer.get("name"), "disqualified_name": item.get("title"),
                             "birth_date": birth, "disqualified_from": start, "disqualified_until": until,
                             "current": bool(start and until and start <= today.isoformat() <= until),
                             "type": dq.get("disqualification_type"), "act": reason.get("act"),
                             "section": reason.get("section"), "source": SOURCE})
    return hits, record_at if record_at is not None else searched_at or 0
