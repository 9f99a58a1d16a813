"""Norway's register of legal entities (Brønnøysund Enhetsregisteret): status, dates, industry, address and roles."""
from __future__ import annotations

import re
from datetime import date
from typing import Any, ClassVar

from . import schema
from .contract import Check, CheckContext, Evidence, Finding, Outcome, Status, Subject
from .errors import NotConfigured, SourceChanged, SubjectRejected
from .http import Fetched

SOURCE = "no.brreg"
# A forretningsadresse line starting "c/o" means the company borrows someone else's address.
_CO = re.compile(r"^\s*c\s*/\s*o\b", re.IGNORECASE)
_BOX = re.compile(r"^\s*(postboks|boks|pb\.?|box)\s*\d", re.IGNORECASE)


class BrregCheck(Check):
    """Looks a Norwegian organisasjonsnummer up in Enhetsregisteret and reads its roles."""

    id = "no.brreg"
    version = "1"
    name = {"sv": "Enhetsregisteret (Norge)", "en": "Central Coordinating Register for Legal Entities (Norway)"}
    applies_to = frozenset({"organisation"})
    sources: ClassVar[dict[str, str]] = {SOURCE: "https://data.brreg.no/enhetsregisteret/api"}
    sample_subject = Subject("organisation", 0, "Equinor ASA", "NO", {"no_orgnr": "923609016"})
    STATUSES = frozenset({Status.CLEAR, Status.NEEDS_MANUAL_INPUT})
    ADVERSE = {"company.bankrupt": bool, "company.liquidation": bool, "company.forcibly_dissolved": bool,
               "company.deleted": bool}
    FINDINGS = {
        "company.name": "The name registered for the organisation number.",
        "company.status": "active, bankrupt, liquidation, forced_dissolution or deregistered (slettet).",
        "company.bankrupt": "Konkurs: the entity is in bankruptcy.",
        "company.liquidation": "Under avvikling: voluntary winding-up.",
        "company.forcibly_dissolved": "Under tvangsavvikling eller tvangsoppløsning (e.g. no accounts filed).",
        "company.deleted": "Slettet: the entity has been deleted from the register (HTTP 410 or the deleted shape).",
        "company.registration_date": "Date of registration in Enhetsregisteret (ISO).",
        "company.age_days": "Days since registration in Enhetsregisteret.",
        "company.industry_codes": "NACE codes (næringskode 1-3).",
        "company.address_co": "The business address is a c/o address.",
        "company.address_box": "The business address is a post box.",
        "company.officers": "Current roles: persons (name, role, birth year-month) and entities, from /roller.",
        "company.not_found": "The register does not know the number (404/400).",
        "company.employees": "Employees registered in the employer register (antallAnsatte; 0 when "
                             "harRegistrertAntallAnsatte is false).",
        "company.share_capital": "Registered share capital: amount and currency (kapital).",
    }

    def applies(self, subject: Subject) -> bool:
        """Only organisations with a Norwegian organisation number."""
        return subject.kind == "organisation" and bool(subject.identifiers.get("no_orgnr"))

    def run(self, subject: Subject, ctx: CheckContext) -> Outcome:
        """GET enheter/{orgnr}, then enheter/{orgnr}/roller unless the entity is deleted."""
        if ctx.http is None:
            raise NotConfigured("no HTTP client is configured for register checks", code="no_http_client")
        orgnr = re.sub(r"\D", "", subject.identifiers["no_orgnr"])
        if len(orgnr) != 9:
            raise SubjectRejected(f"{subject.identifiers['no_orgnr']!r} is not a Norwegian organisation number",
                                  code="not_no_orgnr", source=SOURCE, identifier=subject.identifiers["no_orgnr"])
        unit = ctx.http.get(SOURCE, f"enheter/{orgnr}")
        evidence: list[Evidence] = [unit.evidence]
        if unit.status in (400, 404):
            _documented_error(unit)  # an HTML page (a wrong address, a proxy) is not "number unknown"
            return Outcome(Status.NEEDS_MANUAL_INPUT,
                           (Finding("company.not_found", True, f"Enhetsregisteret: no entity {orgnr} "
                                                                f"(HTTP {unit.status})", 0),),
                           tuple(evidence), "the register does not know this number; verify it")
        if unit.status == 410:
            # Gone: deleted, but only when the body is the deleted entity itself (a 410 page proves nothing).
            data = _json_object(unit)
            schema.echoed(SOURCE, data.get("organisasjonsnummer"), orgnr)
            schema.field(data, "slettedato", str, SOURCE)
            return Outcome(Status.CLEAR, tuple(_deleted_findings(data, orgnr)), tuple(evidence))
        if unit.status != 200:
            raise SourceChanged(f"{SOURCE}: unexpected HTTP {unit.status} for enheter/{orgnr}",
                                code="unexpected_status", source=SOURCE, status=unit.status, what=f"enheter/{orgnr}")
        data = _json_object(unit)
        schema.echoed(SOURCE, data.get("organisasjonsnummer"), orgnr)
        if "slettedato" in data or data.get("respons_klasse") == "SlettetEnhet":
            return Outcome(Status.CLEAR, tuple(_deleted_findings(data, orgnr)), tuple(evidence))
        findings = _unit_findings(data, ctx.now().date())
        roles = ctx.http.get(SOURCE, f"enheter/{orgnr}/roller")
        evidence.append(roles.evidence)
        if roles.status == 200:
            officers = parse_roles(_json_object(roles))
        elif roles.status in (404, 410):
            _documented_error(roles)
            officers = []  # an entity without registered roles (e.g. some sole proprietorships)
        else:
            raise SourceChanged(f"{SOURCE}: unexpected HTTP {roles.status} for enheter/{orgnr}/roller",
                                code="unexpected_status", source=SOURCE, status=roles.status, what=f"enheter/{orgnr}/roller")
        people = ", ".join(f"{o['name']} ({o['role']})" for o in officers) or "none registered"
        findings.append(Finding("company.officers", officers, f"Roles: {people}", 1))
        return Outcome(Status.CLEAR, tuple(findings), tuple(evidence))


def _json_object(fetched: Fetched) -> dict[str, Any]:
    return schema.json_object(fetched, SOURCE)


def _documented_error(fetched: Fetched) -> None:
    """Enhetsregisteret's error answer: JSON with the HTTP status repeated in ``status`` (timestamp, error, path...)."""
    body = schema.documented_error(fetched, SOURCE, key="status")
    if str(body["status"]) != str(fetched.status):
        raise SourceChanged(f"{SOURCE}: felsvaret anger status {body['status']!r} men HTTP-statusen är {fetched.status}",
                            code="status_mismatch", source=SOURCE, status=fetched.status, got=str(body["status"]))


def _flag(data: dict[str, Any], key: str) -> bool:
    # A missing flag is not "no": the register always sends all three, so its absence means a changed answer.
    return bool(schema.field(data, key, bool, SOURCE))


def _deleted_findings(data: dict[str, Any], orgnr: str) -> list[Finding]:
    when = data.get("slettedato")
    name = data.get("navn")
    findings = [Finding("company.deleted", True, f"Deleted from Enhetsregisteret{f' on {when}' if when else ''}", 0),
                Finding("company.status", "deregistered", f"{name or orgnr}: slettet", 0)]
    if name:
        findings.insert(0, Finding("company.name", name, f"Registered name: {name}", 0))
    return findings


def _unit_findings(data: dict[str, Any], today: date) -> list[Finding]:
    """Findings from an active (not deleted) entity; raises SourceChanged if the required fields are missing."""
    name = schema.field(data, "navn", str, SOURCE)
    bankrupt = _flag(data, "konkurs")
    liquidation = _flag(data, "underAvvikling")
    forced = _flag(data, "underTvangsavviklingEllerTvangsopplosning")
    status = "bankrupt" if bankrupt else "forced_dissolution" if forced else "liquidation" if liquidation else "active"
    findings = [
        Finding("company.name", name, f"Registered name: {name}", 0),
        Finding("company.status", status, f"{name}: {status}", 0),
        Finding("company.bankrupt", bankrupt,
                f"Konkurs since {data['konkursdato']}" if bankrupt and data.get("konkursdato") else
                "Konkurs" if bankrupt else "Not in bankruptcy", 0),
        Finding("company.liquidation", liquidation, "Under avvikling" if liquidation else "Not being wound up", 0),
        Finding("company.forcibly_dissolved", forced,
                "Under tvangsavvikling eller tvangsoppløsning" if forced else "No forced dissolution", 0),
        Finding("company.deleted", False, "Not deleted", 0),
    ]
    registered = data.get("registreringsdatoEnhetsregisteret")
    if registered:
        try:
            day = date.fromisoformat(registered)
        except (TypeError, ValueError):
            raise SourceChanged(f"{SOURCE}: registreringsdatoEnhetsregisteret {registered!r} is not a date",
                                code="not_a_date", source=SOURCE, field="registreringsdatoEnhetsregisteret",
                                got=str(registered)) from None
        findings.append(Finding("company.registration_date", day.isoformat(), f"Registered {day.isoformat()}", 0))
        findings.append(Finding("company.age_days", (today - day).days, f"{(today - day).days} days since registration",
                                0))
    codes = [data[k] for k in ("naeringskode1", "naeringskode2", "naeringskode3") if isinstance(data.get(k), dict)]
    findings.append(Finding("company.industry_codes", [c.get("kode") for c in codes],
                            "; ".join(f"{c.get('kode')} {c.get('beskrivelse', '')}".strip() for c in codes)
                            or "No industry code", 0))
    findings.extend(_size_findings(data))
    lines = (data.get("forretningsadresse") or {}).get("adresse") or []
    shown = ", ".join(str(line) for line in lines) or "no business address"
    findings.append(Finding("company.address_co", any(_CO.match(str(line)) for line in lines),
                            f"Business address: {shown}", 0))
    findings.append(Finding("company.address_box", any(_BOX.match(str(line)) for line in lines),
                            f"Business address: {shown}", 0))
    return findings


def _size_findings(data: dict[str, Any]) -> list[Finding]:
    """Employees and share capital where the register states them; absent flags leave them unknown."""
    findings = []
    registered = data.get("harRegistrertAntallAnsatte")
    count = data.get("antallAnsatte")
    if registered is True and isinstance(count, int) and not isinstance(count, bool) and count >= 0:
        findings.append(Finding("company.employees", count, f"{count} employees (antallAnsatte)", 0))
    elif registered is False:
        findings.append(Finding("company.employees", 0, "No employees registered (harRegistrertAntallAnsatte)", 0))
    capital = data.get("kapital")
    if isinstance(capital, dict) and isinstance(capital.get("belop"), (int, float)) and capital.get("valuta"):
        findings.append(Finding("company.share_capital", {"amount": capital["belop"], "currency": capital["valuta"]},
                                f"{capital.get('type') or 'Kapital'} {capital['belop']} {capital['valuta']}", 0))
    return findings


def parse_roles(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Current (not avregistrert) roles from an /roller answer; birth dates cut to year-month (data minimisation)."""
    groups = data.get("rollegrupper")
    if not isinstance(groups, list):
        raise SourceChanged(f"{SOURCE}: roles answer without rollegrupper", code="part_missing", source=SOURCE,
                            what="rollegrupper")
    officers: list[dict[str, Any]] = []
    for group in groups:
        for role in group.get("roller") or []:
            if role.get("avregistrert"):
                continue
            kind = role.get("type") or {}
            entry: dict[str, Any] = {"role": kind.get("beskrivelse") or kind.get("kode"), "role_code": kind.get("kode"),
                                     "source": SOURCE}
            if isinstance(role.get("person"), dict):
                person = role["person"]
                parts = person.get("navn") or {}
                entry["name"] = " ".join(p for p in (parts.get("fornavn"), parts.get("mellomnavn"),
                                                     parts.get("etternavn")) if p)
                born = person.get("fodselsdato")
                entry["birth_date"] = born[:7] if isinstance(born, str) and len(born) >= 7 else None
                if person.get("erDoed"):
                    entry["deceased"] = True
            elif isinstance(role.get("enhet"), dict):
                unit = role["enhet"]
                names = unit.get("navn")
                entry["name"] = " ".join(names) if isinstance(names, list) else str(names or "")
                entry["organisation_number"] = unit.get("organisasjonsnummer")
                entry["birth_date"] = None
            elif isinstance(role.get("bostyrer"), dict):
                # A bankruptcy estate's trustee (rolle BOBE) is named under "bostyrer", not person or enhet: seen in a
                # real answer about a bankrupt company, which must not become an error.
                entry["name"] = str(role["bostyrer"].get("navn") or "")
                entry["birth_date"] = None
            else:
                raise SourceChanged(f"{SOURCE}: a role has neither person, enhet nor bostyrer", code="entry_shape",
                                    source=SOURCE, what="roller")
            if not entry["name"]:
                raise SourceChanged(f"{SOURCE}: a role without a name", code="entry_shape", source=SOURCE, what="roller")
            officers.append(entry)
    return officers
