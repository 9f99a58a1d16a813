"""Findings whose value is structured (officers, disqualifications, parents, proceedings...), in the reader's language.

A check states a finding as a code with a value and parameters (checks/contract.py ``Finding``); it never writes a
user's language. This module is where those codes become words, one small function per code. What the register
wrote in its own language (a name, a role, a case type it did not document) is shown as it is, inside an element
with that language, so a Swedish page never passes English off as Swedish. Outcomes stored before ``params``
existed carry the same codes and values and read the same way, only without the parameters.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

# The language registers write in (names, roles, free text), by check.
SOURCE_LANGUAGE = {"gb.companies_house": "en", "gleif": "en", "no.brreg": "no", "eu.vies": "en"}
# Companies House's documented insolvency case types (api-enumerations), said in Swedish.
CASE_TYPES = {
    "compulsory-liquidation": _l("compulsory liquidation"),
    "creditors-voluntary-liquidation": _l("creditors' voluntary liquidation"),
    "members-voluntary-liquidation": _l("members' voluntary liquidation"),
    "administration": _l("administration"),
    "receivership": _l("receivership"),
    "administrative-receiver": _l("administrative receivership"),
    "corporate-voluntary-arrangement": _l("company voluntary arrangement"),
    "moratorium": _l("moratorium"),
}
PARENT_KINDS = {"direct-parent": _l("direct parent"), "ultimate-parent": _l("ultimate parent")}


def _source(text: Any, check_id: str | None) -> Markup:
    """Register text as it is, marked with the register's language when that is not the reader's."""
    language = SOURCE_LANGUAGE.get(check_id or "")
    if not language:
        return escape(str(text))
    return Markup('<span lang="{}">{}</span>').format(language, str(text))


def _say(label: Any, body: Markup | str) -> Markup:
    text = str(label)
    return Markup("{}: {}").format(text[:1].upper() + text[1:], body)


def _joined(parts: list[Markup]) -> Markup:
    return Markup("; ").join(parts) if parts else escape(_("none"))


def officers(value: Any, params: Mapping[str, Any], check_id: str | None) -> Markup:
    """Current officers: name (role), as the register names them."""
    people = [p for p in value if isinstance(p, dict)] if isinstance(value, list) else []
    parts = [Markup("{} ({})").format(_source(p.get("name") or "?", check_id), _source(p.get("role") or "?", check_id))
             if p.get("role") else _source(p.get("name") or "?", check_id) for p in people]
    return _say(_("registered officers"), _joined(parts))


def disqualified(value: Any, params: Mapping[str, Any], check_id: str | None) -> Markup:
    """Officers found in the disqualified directors register, each with the period and whether it is in force."""
    hits = [h for h in value if isinstance(h, dict)] if isinstance(value, list) else []
    parts = []
    for hit in hits:
        period = _("disqualified %(start)s to %(end)s", start=hit.get("disqualified_from") or "?",
                   end=hit.get("disqualified_until") or "?")
        if hit.get("current"):
            period += " " + _("(in force)")
        parts.append(Markup("{}: {}").format(_source(hit.get("officer") or "?", check_id), period))
    if parts:
        return _say(_("officer disqualified"), Markup("; ").join(parts))
    if "searched" in params:
        text = _("none of the %(n)s current officers is in the register of disqualified directors", n=params["searched"])
        if int(params.get("officers") or 0) > int(params["searched"]):
            text += " " + _("(only the first %(searched)s of %(officers)s officers were searched)",
                            searched=params["searched"], officers=params["officers"])
        return _say(_("officer disqualified"), escape(text))
    return _say(_("officer disqualified"), escape(_("none")))


def insolvency_cases(value: Any, params: Mapping[str, Any], check_id: str | None) -> Markup:
    """The number of insolvency cases, with their kinds when the check named them."""
    from .basic import number

    shown = escape(number(value)) if isinstance(value, (int, float)) and not isinstance(value, bool) else escape(str(value))
    kinds = [str(t) for t in params.get("types") or ()]
    if kinds:
        named = Markup(", ").join(escape(str(CASE_TYPES[k])) if k in CASE_TYPES else _source(k, check_id) for k in kinds)
        shown = Markup("{} ({})").format(shown, named)
    return _say(_("insolvency cases"), shown)


def lei_parent(value: Any, params: Mapping[str, Any], check_id: str | None) -> Markup:
    """Direct and ultimate parent: the parent's name and LEI, or that the entity reports an exception."""
    parents = [p for p in value if isinstance(p, dict)] if isinstance(value, list) else []
    parts = []
    for parent in parents:
        kind = str(PARENT_KINDS.get(parent.get("kind"), parent.get("kind") or "?"))
        if parent.get("lei"):
            parts.append(Markup("{}: {} ({})").format(kind, _source(parent.get("name") or "?", check_id), parent["lei"]))
        else:
            parts.append(Markup("{}: {}").format(kind, _("reporting exception (no parent stated)")))
    return _say(_("LEI parent"), _joined(parts))


def proceedings(value: Any, params: Mapping[str, Any], check_id: str | None) -> Markup:
    """Ongoing winding-up or restructuring procedures as Bolagsverket words them, with their start dates."""
    procs = [p for p in value if isinstance(p, dict)] if isinstance(value, list) else []
    parts = [escape(_("%(what)s from %(date)s", what=p.get("text") or p.get("code") or "?", date=p.get("from") or "?"))
             for p in procs]
    return _say(_("ongoing proceedings"), _joined(parts))


def field_errors(value: Any, params: Mapping[str, Any], check_id: str | None) -> Markup:
    """Register fields that came back with an error instead of a value (the field names are the register's)."""
    errors = [e for e in value if isinstance(e, dict)] if isinstance(value, list) else []
    parts = [Markup('<code lang="zxx">{}</code> ({})').format(e.get("field") or "?", e.get("type") or "?") for e in errors]
    return _say(_("register fields answered with an error"), _joined(parts))


def annual_reports(value: Any, params: Mapping[str, Any], check_id: str | None) -> Markup:
    """The annual reports found: fiscal year end and when each was registered."""
    reports = [r for r in value if isinstance(r, dict)] if isinstance(value, list) else []
    parts = [escape(_("fiscal year ending %(end)s, registered %(registered)s", end=r.get("fiscal_end") or "?",
                      registered=r.get("registered") or "?")) for r in reports]
    return _say(_("annual reports"), _joined(parts))


def key_figures(value: Any, params: Mapping[str, Any], check_id: str | None) -> Markup:
    """How many fiscal years of key figures were read (the figures themselves are on the organisation page)."""
    years = value if isinstance(value, list) else []
    return _say(_("key figures"), escape(_("%(n)s fiscal years", n=len(years))))


def auditor(value: Any, params: Mapping[str, Any], check_id: str | None) -> Markup:
    """The auditor who signed the audit report, or that the filing had none."""
    if not isinstance(value, dict):
        return _say(_("auditor"), escape(_("no audit report in the filing")))
    shown = ", ".join(str(value[k]) for k in ("name", "title", "firm") if value.get(k))
    return _say(_("auditor"), escape(shown or "?"))


def money(value: Any, params: Mapping[str, Any], check_id: str | None) -> Markup:
    """An amount the register states with its currency ({"amount": 30000, "currency": "NOK"})."""
    from .basic import number
    from .facts import fact_label

    if not isinstance(value, dict) or not isinstance(value.get("amount"), (int, float)):
        return _say(fact_label("company.share_capital"), escape(str(value)))
    return _say(fact_label("company.share_capital"),
                escape(f"{number(value['amount'])} {value.get('currency') or ''}".strip()))


# What went wrong, by kind of fault (checks/errors.py): each kind is said under its own heading.
# Why a register's answer could not be read (SourceChanged: checks/schema.py, checks/http.py, the checks' status checks).
CHANGED_FAULTS = {
    "field_missing": _l("the field %(field)s is missing from the answer"),
    "field_type": _l("the field %(field)s has the wrong kind of value (%(got)s where %(wanted)s was expected)"),
    "not_object_for_field": _l("the answer is not a JSON object where the field %(field)s should be"),
    "other_subject": _l("the answer is about %(got)s, not about %(asked)s as asked"),
    "not_object": _l("the answer is not a JSON object (HTTP %(status)s)"),
    "not_json": _l("the answer is not JSON (an error page, or cut off)"),
    "undocumented_error": _l("HTTP %(status)s without the register's documented error answer: probably something "
                             "other than the register answered, such as a proxy or a wrong address"),
    "error_without_field": _l("HTTP %(status)s without the field %(field)s that the register's error answers have"),
    "unexpected_status": _l("unexpected HTTP %(status)s for %(what)s"),
    "part_missing": _l("the answer has no %(what)s"),
    "entry_shape": _l("an entry in %(what)s is not in the shape the check knows"),
    "element_missing": _l("the page has no %(what)s element (its layout has changed or it was cut off)"),
    "list_incomplete": _l("the list %(what)s was not read to the end (%(seen)s of %(total)s entries)"),
    "not_a_date": _l("the field %(field)s is not a date (%(got)s)"),
    "not_expected_document": _l("the answer is not a %(what)s document"),
    "not_xml": _l("the answer is not readable XML (an error page, or cut off)"),
    "paging_mismatch": _l("the page of %(what)s starts at entry %(got)s, not at %(asked)s as asked"),
    "status_mismatch": _l("the error answer states status %(got)s but the HTTP status is %(status)s"),
    "no_verdict": _l("the answer (HTTP %(status)s) has no true/false %(field)s"),
    "unknown_error_code": _l("the register answered with the error code %(got)s, which the check does not know"),
    "unknown_shape": _l("a field of the answer has a shape the check does not know"),
    "unexpected_link": _l("the answer links to %(got)s, which is not where the check expects"),
    "redirect_outside": _l("the register redirected outside itself (HTTP %(status)s to %(got)s)"),
    "too_many_redirects": _l("the register redirected more than %(limit)s times"),
    "too_large": _l("the answer is larger than %(limit)s MiB"),
    # An annual report Bolagsverket serves that cannot be read (checks/annual_reports.py AnnualReportFault).
    "report_not_zip": _l("the annual report for the fiscal year ending %(end)s is not a ZIP file"),
    "report_too_large": _l("the annual report for the fiscal year ending %(end)s unpacks to more than %(limit)s MB"),
    "report_file_unreadable": _l("the file %(what)s in the annual report for the fiscal year ending %(end)s cannot be "
                                 "read as iXBRL"),
    "report_unreadable": _l("the annual report for the fiscal year ending %(end)s cannot be read as iXBRL"),
    "report_no_xhtml": _l("the annual report for the fiscal year ending %(end)s holds no XHTML document"),
    "report_no_key_figures": _l("the annual report for the fiscal year ending %(end)s holds no key figures (no K2/K3 "
                                "facts)"),
    "report_no_orgnr": _l("the annual report for the fiscal year ending %(end)s names no organisation number, so it "
                          "cannot be tied to this organisation"),
    "report_other_subject": _l("the annual report for the fiscal year ending %(end)s is about %(got)s, not about "
                               "%(asked)s"),
}
# Why the register gave no answer, or could not be asked (SourceUnavailable: checks/http.py, checks/_transport.py...).
UNAVAILABLE_FAULTS = {
    "address_unusable": _l("the address configured for it cannot be used; an administrator corrects it on the "
                           "Registers page"),
    "circuit_open": _l("it has failed %(failures)s times in a row, so it is not asked again until %(until)s"),
    "tls_failed": _l("no secure connection could be made (the certificate is not trusted or the handshake failed)"),
    "gave_up": _l("%(failure)s after %(attempts)s"),
    "no_answer_in_time": _l("it did not answer within %(seconds)s s"),  # outcomes stored before attempts were named
    "retry_after_too_long": _l("it answered HTTP %(status)s and asks to be asked again in %(wait)s s, longer than "
                               "the %(limit)s s allowed here"),
    "no_time_for_retry": _l("%(failure)s, and no time is left for another attempt within the total limit of "
                            "%(limit)s s"),
    "deadline_spent": _l("no complete answer came within the total time limit of %(limit)s s"),
    "deadline_during_answer": _l("the answer was still arriving when the total time limit of %(limit)s s ran out "
                                 "(%(size)s bytes received)"),
    "member_state_unavailable": _l("the member state's register did not answer (VIES answered %(got)s); try again "
                                   "later"),
    "no_lists_loaded": _l("no sanctions or debarment list is loaded; an administrator imports the lists first"),
}
# Why the register refused to be asked (CheckAbort): the check is skipped for the rest of the run.
REFUSED_FAULTS = {
    "credentials_rejected": _l("it answered HTTP %(status)s: the credentials were rejected or have expired; an "
                               "administrator checks them on the Registers page"),
    "ip_blocked": _l("VIES does not take questions from this server for now (VIES answered %(got)s)"),
    "token_refused": _l("it refused the client credentials; an administrator checks the client id and the client "
                        "secret on the Registers page"),
    "token_request_refused": _l("it refused the token request (HTTP %(status)s: unknown client or scope); an "
                                "administrator checks the client id and the client secret on the Registers page"),
}
# Why the check is not set up to ask the register (NotConfigured): not applicable until an administrator acts.
NOT_CONFIGURED_FAULTS = {
    "no_http_client": _l("this installation has no connection to the registers set up"),
    "settings_missing": _l("it needs a value for %(what)s"),
    "no_address": _l("no address is configured for it"),
    "bad_setting": _l("the setting %(field)s must be a positive whole number, not %(got)s"),
}
# Why the register was not asked (SubjectRejected before asking): the identifier is not one it can be asked about.
REJECTED_FAULTS = {
    "not_no_orgnr": _l("%(identifier)s is not a Norwegian organisation number"),
    "not_se_orgnr": _l("%(identifier)s is not a Swedish organisation number"),
    "not_gb_company": _l("%(identifier)s is not a UK company number"),
    "not_lei": _l("%(identifier)s is not a well-formed LEI"),
    "not_vat": _l("%(identifier)s is not a VAT number VIES can be asked about"),
    "no_vat": _l("the party has no EU VAT number"),
}
# Why a check has no answer because of the app itself (vetting/domain/runner.py): a bug in the check, not the register.
FAILED_FAULTS = {
    "internal_error": _l("an unexpected error; it has been logged for the administrator"),
    "undeclared_findings": _l("it returned findings of a kind it has not declared, so they are not shown; the error "
                              "has been logged for the administrator"),
}
FAULT_KINDS = {"changed": CHANGED_FAULTS, "unavailable": UNAVAILABLE_FAULTS, "refused": REFUSED_FAULTS,
               "not_configured": NOT_CONFIGURED_FAULTS, "rejected": REJECTED_FAULTS, "failed": FAILED_FAULTS}
# Which exception raises which kind (tests/test_fault_codes.py holds the checks to it); "failed" is the runner's own.
FAULT_RAISES = {"SourceChanged": "changed", "SourceUnavailable": "unavailable", "CheckAbort": "refused",
                "NotConfigured": "not_configured", "SubjectRejected": "rejected"}
FAULTS = {code: words for table in FAULT_KINDS.values() for code, words in table.items()}
KIND_OF = {code: kind for kind, table in FAULT_KINDS.items() for code in table}
FAULT_HEADINGS = {
    "changed": _l("The register's answer is not in the shape the check knows, so it cannot be read as an answer"),
    "unavailable": _l("The register did not answer, or could not be asked"),
    "refused": _l("The register refused access, so the check is skipped for the rest of the run"),
    "not_configured": _l("Not configured; an administrator enters the settings on the Registers page"),
    "rejected": _l("The identifier cannot be used to ask the register"),
    "failed": _l("The check failed in this application, not at the register"),
}
# Why a connection gave no answer (the ``failure`` parameter; checks/http.py FAILURES).
FAILURES = {
    "connect_timeout": _l("the connection was not opened within %(seconds)s s"),
    "read_timeout": _l("no answer came within %(seconds)s s"),
    "refused": _l("the connection was refused"),
    "timed_out": _l("the connection timed out"),
    "host_not_found": _l("the host name was not found"),
    "reset": _l("the connection was reset"),
    "closed": _l("the register closed the connection"),
    "cut_off": _l("the answer was cut off mid-transfer"),
    "failed": _l("the connection failed"),
    "http_status": _l("it answered HTTP %(status)s"),
}
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")
JSON_KINDS = {"boolean": _l("true/false"), "string": _l("text"), "object": _l("object"), "array": _l("list"),
              "integer": _l("whole number"), "number": _l("number"), "null": _l("empty (null)"), "other": _l("other")}


def _fill(words: Any, shown: Mapping[str, Markup], params: Mapping[str, Any]) -> Markup:
    """Words with their placeholders filled: as ``shown`` has them, any other parameter as a number or plain text."""
    from .basic import number

    def plain(key: str) -> Markup:
        value = params.get(key)
        if value is None or value == "":
            return escape("?")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return escape(number(value))
        return escape(str(value))

    return Markup(escape(str(words))) % {k: shown[k] if k in shown else plain(k)
                                         for k in _PLACEHOLDER.findall(str(words))}


def fault(value: Any, params: Mapping[str, Any], check_id: str | None) -> Markup:
    """What went wrong, from the check's fault code and parameters, under the heading of its kind (the answer could
    not be read, the register did not answer, it refused access); identifiers stay as they are."""
    from flask_babel import ngettext

    from ..formatting import personal_text, when
    from .basic import check_name

    words = FAULTS.get(str(value))
    if words is None:
        return Markup('<span lang="en">{}</span>').format(value)
    shown = {k: Markup('<code lang="zxx">{}</code>').format(v) for k, v in params.items()
             if k in ("field", "what", "got", "asked")}
    if "identifier" in params:  # a sole trader's number is a personnummer: masked unless the reader may see it
        shown["identifier"] = Markup('<code lang="zxx">{}</code>').format(personal_text(params["identifier"]))
    shown["status"] = escape(params.get("status", "?"))
    if value == "field_type":
        shown["got"] = escape(str(JSON_KINDS.get(params.get("got"), params.get("got"))))
        shown["wanted"] = escape(" " + _("or") + " ").join(escape(str(JSON_KINDS.get(k, k)))
                                                            for k in params.get("wanted") or ())
    if "until" in params:
        shown["until"] = escape(when(params["until"]))
    if isinstance(params.get("attempts"), int):
        shown["attempts"] = escape(ngettext("%(num)s attempt", "%(num)s attempts", params["attempts"]))
    failure = FAILURES.get(str(params.get("failure")))
    shown["failure"] = _fill(failure, shown, params) if failure is not None else escape(_("it gave no answer"))
    # A source that is a part of a check (eu.vies.soap, se.bolagsverket.token) is named by its check, not by its id.
    source = str(params.get("source") or "")
    named = check_name(source) if source else ""
    register = named if named and named != source else check_name(check_id) or source
    heading = FAULT_HEADINGS[KIND_OF[str(value)]]
    what = _fill(words, shown, params)
    return Markup("{}: {}: {}").format(str(heading), register, what) if register else \
        Markup("{}: {}").format(str(heading), what)


def rejected_identifier(value: Any, params: Mapping[str, Any], check_id: str | None) -> Markup:
    """The register answered that it does not accept the identifier (the runner's finding)."""
    return escape(_("The register answered that it does not accept the identifier; verify it."))


RENDERERS: dict[str, Callable[[Any, Mapping[str, Any], str | None], Markup]] = {
    "source.fault": fault,
    "source.rejected_identifier": rejected_identifier,
    "company.share_capital": money,
    "company.officers": officers,
    "company.officer_disqualified": disqualified,
    "company.insolvency_cases": insolvency_cases,
    "lei.parent": lei_parent,
    "company.proceedings": proceedings,
    "company.field_errors": field_errors,
    "annual_report.reports": annual_reports,
    "annual_report.key_figures": key_figures,
    "annual_report.auditor": auditor,
}


def structured_finding(finding: Mapping[str, Any], check_id: str | None) -> Markup | None:
    """The finding in words when its code has a renderer here; None otherwise."""
    render = RENDERERS.get(str(finding.get("code") or ""))
    if render is None:
        return None
    return render(finding.get("value"), finding.get("params") or {}, check_id)
