"""Why a check has no answer, in the reader's language: the fault codes the checks raise (checks/errors.py), by kind,
each kind under its own heading (unreadable answer, no answer, refused, not configured, rejected identifier, the
app's own failure). The codes stay in the stored outcome (finding ``source.fault``); only this module words them.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from ..translation import lazy_gettext as _l
from markupsafe import Markup, escape


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
