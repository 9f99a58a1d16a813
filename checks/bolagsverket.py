"""Bolagsverket's free "Värdefulla datamängder" API (OAuth2): status, proceedings, SNI, address of a Swedish orgnr."""
from __future__ import annotations

import hashlib
import re
import threading
import time
import uuid
from datetime import date
from typing import Any, ClassVar

from . import schema
from .contract import Check, CheckContext, Evidence, Finding, Outcome, Status, Subject
from .errors import CheckAbort, NotConfigured, SourceChanged, SubjectRejected
from .http import Fetched

SOURCE = "se.bolagsverket"
TOKEN_SOURCE = "se.bolagsverket.token"
SCOPE = "vardefulla-datamangder:read"
_BOX = re.compile(r"^\s*box\s+\d", re.IGNORECASE)
# Codes in pagaendeAvvecklingsEllerOmstruktureringsforfarandeLista (Bolagsverket's code list).
_BANKRUPTCY, _LIQUIDATION, _RECONSTRUCTION = frozenset({"KK"}), frozenset({"LI"}), frozenset({"FR", "AC"})
_TOKEN_MARGIN = 60.0  # seconds: renew a little early so a token does not expire between fetch and use


class BolagsverketCheck(Check):
    """POST organisationer with the orgnr in the body (never the URL: a sole trader's orgnr is a personnummer)."""

    id = "se.bolagsverket"
    version = "1"
    name = {"sv": "Bolagsverket (värdefulla datamängder)",
            "en": "Swedish Companies Registration Office (open data API)"}
    applies_to = frozenset({"organisation"})
    requires_settings = ("client_id", "client_secret")
    sources: ClassVar[dict[str, str]] = {SOURCE: "https://gw.api.bolagsverket.se/vardefulla-datamangder/v1",
                                         TOKEN_SOURCE: "https://portal.api.bolagsverket.se/oauth2/token"}
    sample_subject = Subject("organisation", 0, "Telefonaktiebolaget L M Ericsson", "SE", {"se_orgnr": "5560160680"})
    STATUSES = frozenset({Status.CLEAR, Status.NEEDS_MANUAL_INPUT})
    ADVERSE = {"company.deleted": bool, "company.bankrupt": bool, "company.liquidation": bool,
               "company.reconstruction": bool, "company.operating": lambda operating: operating is False}
    FINDINGS = {
        "company.name": "Företagsnamn (or the first registered name).",
        "company.legal_form": "Organisationsform, e.g. AB Aktiebolag.",
        "company.status": "deregistered, bankrupt, liquidation, reconstruction, inactive (SCB: not operating) or "
                          "active.",
        "company.deleted": "Avregistrerad: the organisation has been deregistered.",
        "company.deregistration_reason": "Avregistreringsorsak (code and text).",
        "company.bankrupt": "Ongoing konkurs (KK).",
        "company.liquidation": "Ongoing likvidation (LI).",
        "company.reconstruction": "Ongoing företagsrekonstruktion (FR) or ackord (AC).",
        "company.proceedings": "Every ongoing winding-up or restructuring procedure: code, text, from date.",
        "company.operating": "SCB: verksam organisation (true) or not (false).",
        "company.registration_date": "Registreringsdatum (ISO).",
        "company.age_days": "Days since registration.",
        "company.industry_codes": "SNI codes.",
        "company.address_co": "The postal address is a c/o address.",
        "company.address_box": "The postal address is a Box address.",
        "company.field_errors": "Fields the register answered with an error (fel): those facts are unknown, not fine.",
        "company.not_found": "Bolagsverket does not know the number.",
    }

    def __init__(self) -> None:
        self._tokens: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def applies(self, subject: Subject) -> bool:
        """Only organisations with a Swedish organisation number."""
        return subject.kind == "organisation" and bool(subject.identifiers.get("se_orgnr"))

    def run(self, subject: Subject, ctx: CheckContext) -> Outcome:
        """Token (cached until it expires), then POST organisationer; a rejected token is renewed once."""
        missing = [k for k in self.requires_settings if not str(ctx.settings.get(k) or "").strip()]
        if missing:
            raise NotConfigured(f"Bolagsverket needs OAuth2 client credentials: an administrator must add the "
                                f"setting(s) {', '.join(missing)} for se.bolagsverket", code="settings_missing",
                                what=", ".join(missing))
        if ctx.http is None:
            raise NotConfigured("no HTTP client is configured for register checks", code="no_http_client")
        orgnr = re.sub(r"\D", "", subject.identifiers["se_orgnr"])[-10:]
        if len(orgnr) != 10:
            raise SubjectRejected(f"{subject.identifiers['se_orgnr']!r} is not a Swedish organisation number",
                                  code="not_se_orgnr", source=SOURCE, identifier=subject.identifiers["se_orgnr"])
        client_id, secret = str(ctx.settings["client_id"]).strip(), str(ctx.settings["client_secret"]).strip()

        def ask(token: str) -> Fetched:
            return ctx.http.post(SOURCE, "organisationer", json={"identitetsbeteckning": orgnr}, idempotent=True,
                                 headers={"Authorization": f"Bearer {token}", "X-Request-Id": str(uuid.uuid4())})

        token = self._token(ctx, client_id, secret, renew=False)
        try:
            fetched = ask(token)
        except CheckAbort:
            # The gateway rejects an expired or revoked token with 401; a fresh one settles it, a second 401 does not.
            fetched = ask(self._token(ctx, client_id, secret, renew=True))
        # The token answer is left out of the evidence on purpose: it holds a bearer credential and decides nothing.
        evidence: list[Evidence] = [fetched.evidence]
        if fetched.status in (400, 404):
            schema.documented_error(fetched, SOURCE, key="title")  # RFC 7807 problem JSON, never an HTML page
            detail = _problem(fetched)
            return _not_found(orgnr, f"Bolagsverket: {detail}", evidence)
        if fetched.status != 200:
            raise SourceChanged(f"{SOURCE}: unexpected HTTP {fetched.status} for organisationer",
                                code="unexpected_status", source=SOURCE, status=fetched.status, what="organisationer")
        data = fetched.json()
        records = data.get("organisationer") if isinstance(data, dict) else None
        if not isinstance(records, list):
            raise SourceChanged(f"{SOURCE}: answer without an organisationer list", code="part_missing", source=SOURCE,
                                what="organisationer")
        known = [r for r in records if isinstance(r, dict) and isinstance(r.get("organisationsidentitet"), dict)]
        if not known:
            reasons = {e["type"] for r in records if isinstance(r, dict) for e in field_errors(r)}
            return _not_found(orgnr, f"Bolagsverket: no organisation {orgnr} ({', '.join(sorted(reasons)) or 'empty'})",
                              evidence)
        try:
            # A sole trader can have several businesses; the current one speaks for the subject.
            record = next((r for r in known if not _deregistered_on(r)), known[0])
            schema.echoed(SOURCE, record["organisationsidentitet"].get("identitetsbeteckning"), orgnr)
            # The status fields are always in the answer (null when there is nothing to say); absent is not "none".
            for key in ("organisationsnamn", "avregistreradOrganisation",
                        "pagaendeAvvecklingsEllerOmstruktureringsforfarande"):
                schema.field(record, key, dict, SOURCE, nullable=True)
            findings = organisation_findings(record, ctx.now().date())
        except (AttributeError, TypeError, KeyError, IndexError) as exc:
            # A field of another type than documented (a list where an object was, text for a date...).
            raise SourceChanged(f"{SOURCE}: a field of the answer has a shape this parser does not know "
                                f"({type(exc).__name__}: {exc})", code="unknown_shape", source=SOURCE) from exc
        return Outcome(Status.CLEAR, tuple(findings), tuple(evidence))

    def _token(self, ctx: CheckContext, client_id: str, secret: str, *, renew: bool) -> str:
        """A cached access token, or a new one from the token endpoint (client credentials as HTTP basic auth)."""
        key = hashlib.sha256(f"{client_id}\0{secret}".encode()).hexdigest()  # a changed secret gets a new token
        with self._lock:
            cached = self._tokens.get(key)
            if cached and not renew and cached[1] > time.monotonic():
                return cached[0]
            self._tokens.pop(key, None)
        try:
            fetched = ctx.http.post(TOKEN_SOURCE, "", data={"grant_type": "client_credentials", "scope": SCOPE},
                                    auth=(client_id, secret), idempotent=True)
        except CheckAbort as exc:
            raise CheckAbort("Bolagsverket refused the client credentials; an administrator must check client_id "
                             "and client_secret for se.bolagsverket", code="token_refused", source=TOKEN_SOURCE,
                             status=exc.params.get("status", "?")) from exc
        if fetched.status == 400:
            raise CheckAbort("Bolagsverket refused the token request (invalid client or scope); an administrator must "
                             "check client_id and client_secret for se.bolagsverket", code="token_request_refused",
                             source=TOKEN_SOURCE, status=fetched.status)
        answer = fetched.json() if fetched.status == 200 else None
        token = answer.get("access_token") if isinstance(answer, dict) else None
        if not isinstance(token, str) or not token:
            raise SourceChanged(f"{TOKEN_SOURCE}: token answer (HTTP {fetched.status}) without an access_token",
                                code="field_missing", source=TOKEN_SOURCE, status=fetched.status, field="access_token")
        lifetime = answer.get("expires_in")
        lifetime = float(lifetime) if isinstance(lifetime, (int, float)) else 300.0
        with self._lock:
            self._tokens[key] = (token, time.monotonic() + max(0.0, lifetime - _TOKEN_MARGIN))
        return token


def _problem(fetched: Fetched) -> str:
    """The RFC 7807 detail of a 400/404, if the body has one."""
    try:
        body = fetched.json()
    except SourceChanged:
        return f"HTTP {fetched.status}"
    return str(body.get("detail") or body.get("title") or fetched.status) if isinstance(body, dict) else "HTTP error"


def _not_found(orgnr: str, detail: str, evidence: list[Evidence]) -> Outcome:
    return Outcome(Status.NEEDS_MANUAL_INPUT, (Finding("company.not_found", True, detail, 0),), tuple(evidence),
                   "the register does not know this number; verify it")


def field_errors(record: dict[str, Any]) -> list[dict[str, str]]:
    """Every wrapper field that carries ``fel``: {field, type, description}."""
    out = []
    for field_name, value in record.items():
        if isinstance(value, dict) and isinstance(value.get("fel"), dict):
            out.append({"field": field_name, "type": str(value["fel"].get("typ")),
                        "description": str(value["fel"].get("felBeskrivning") or "")})
    return out


def _usable(record: dict[str, Any], field_name: str) -> dict[str, Any] | None:
    """The wrapper if present and without ``fel``; None when absent, null or in error."""
    value = record.get(field_name)
    return value if isinstance(value, dict) and not value.get("fel") else None


def _deregistered_on(record: dict[str, Any]) -> str | None:
    wrapper = _usable(record, "avregistreradOrganisation")
    return (wrapper or {}).get("avregistreringsdatum")


def _day(value: Any, field: str) -> date:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise SourceChanged(f"{SOURCE}: {value!r} is not a date", code="not_a_date", source=SOURCE, field=field,
                            got=str(value)) from None


def organisation_findings(record: dict[str, Any], today: date) -> list[Finding]:
    """Findings from one organisation; a field in error yields no finding (listed in company.field_errors)."""
    findings: list[Finding] = []
    errors = field_errors(record)
    failed = {e["field"] for e in errors}
    names = (_usable(record, "organisationsnamn") or {}).get("organisationsnamnLista") or []
    name = next((n.get("namn") for n in names if (n.get("organisationsnamntyp") or {}).get("kod") == "FORETAGSNAMN"),
                names[0].get("namn") if names else None)
    if name:
        findings.append(Finding("company.name", name, f"Registered name: {name}", 0))
    form = _usable(record, "organisationsform")
    if form and form.get("kod"):
        findings.append(Finding("company.legal_form", form["kod"], f"{form['kod']} {form.get('klartext') or ''}", 0))
    deregistered = _deregistered_on(record)
    if "avregistreradOrganisation" not in failed:
        findings.append(Finding("company.deleted", bool(deregistered),
                                f"Deregistered {deregistered[:10]}" if deregistered else "Not deregistered", 0))
    reason = _usable(record, "avregistreringsorsak")
    if deregistered and reason and reason.get("kod"):
        findings.append(Finding("company.deregistration_reason",
                                {"code": reason["kod"], "text": reason.get("klartext")},
                                f"Reason: {reason.get('klartext') or reason['kod']}", 0))
    status = "deregistered" if deregistered else None
    if "pagaendeAvvecklingsEllerOmstruktureringsforfarande" not in failed:
        wrapper = record.get("pagaendeAvvecklingsEllerOmstruktureringsforfarande") or {}
        listed = wrapper.get("pagaendeAvvecklingsEllerOmstruktureringsforfarandeLista") or []
        procs = [{"code": p.get("kod"), "text": p.get("klartext"), "from": p.get("fromDatum")} for p in listed]
        codes = {p["code"] for p in procs}
        for code, kinds in (("company.bankrupt", _BANKRUPTCY), ("company.liquidation", _LIQUIDATION),
                            ("company.reconstruction", _RECONSTRUCTION)):
            hit = [p for p in procs if p["code"] in kinds]
            findings.append(Finding(code, bool(hit), "; ".join(f"{p['text']} from {p['from']}" for p in hit) or
                                    "No such procedure", 0))
        findings.append(Finding("company.proceedings", procs, "; ".join(f"{p['code']} {p['text']} from {p['from']}"
                                                                         for p in procs) or "None ongoing", 0))
        status = status or ("bankrupt" if codes & _BANKRUPTCY else "liquidation" if codes & _LIQUIDATION else
                            "reconstruction" if codes & _RECONSTRUCTION else None)
    operating = _usable(record, "verksamOrganisation")
    if operating and operating.get("kod") in ("JA", "NEJ"):
        findings.append(Finding("company.operating", operating["kod"] == "JA", f"SCB verksam: {operating['kod']}", 0))
        status = status or ("inactive" if operating["kod"] == "NEJ" else None)
    if status or not failed & {"avregistreradOrganisation", "pagaendeAvvecklingsEllerOmstruktureringsforfarande"}:
        findings.append(Finding("company.status", status or "active", f"{name or 'The organisation'}: "
                                                                      f"{status or 'active'}", 0))
    registered = (_usable(record, "organisationsdatum") or {}).get("registreringsdatum")
    if registered:
        day = _day(registered, "registreringsdatum")
        findings.append(Finding("company.registration_date", day.isoformat(), f"Registered {day.isoformat()}", 0))
        findings.append(Finding("company.age_days", (today - day).days, f"{(today - day).days} days since "
                                                                        f"registration", 0))
    sni = _usable(record, "naringsgrenOrganisation")
    if sni is not None:
        codes_list = [s for s in sni.get("sni") or [] if s.get("kod")]
        findings.append(Finding("company.industry_codes", [s["kod"] for s in codes_list],
                                "; ".join(f"{s['kod']} {s.get('klartext') or ''}".strip() for s in codes_list)
                                or "No SNI code", 0))
    address = (_usable(record, "postadressOrganisation") or {}).get("postadress")
    if isinstance(address, dict):
        shown = ", ".join(str(address[k]) for k in ("coAdress", "utdelningsadress", "postnummer", "postort")
                          if address.get(k))
        findings.append(Finding("company.address_co", bool(address.get("coAdress")), f"Postal address: {shown}", 0))
        findings.append(Finding("company.address_box", bool(_BOX.match(str(address.get("utdelningsadress") or ""))),
                                f"Postal address: {shown}", 0))
    if errors:
        findings.append(Finding("company.field_errors", errors, "; ".join(f"{e['field']}: {e['type']}"
                                                                         for e in errors), 0))
    return findings
