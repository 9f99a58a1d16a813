"""A check outcome's reason and findings in the reader's language.

Checks (checks/*.py, which never import vetting) explain themselves in English; the outcome keeps that text, and
a coded fault besides (the ``source.fault`` finding, worded in findings.py). Where only the text is at hand (outcomes
stored before fault codes, connection tests stored before migration 0030, reports) the known notes are read back to
the same fault code, so they are worded once; also a manual check's instructions, and each finding as fact and
value. Text that is not recognised is shown as it is under the translated heading of its kind, marked ``lang="en"``
unless it is written in Swedish (some checks write their notes so).
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from ..translation import lazy_gettext as _l
from markupsafe import Markup, escape

from .basic import number, yes_no

# The reasons the runner and the checks state in so many words (checks/*.py, vetting/domain/runner.py), by the
# text stored; tests/test_rejected_words.py reads the checks for every one of them.
FIXED_REASONS = {
    "The check does not apply to this subject.": _l("The check does not apply to this subject."),
    "Waiting for an officer's answer.": _l("Waiting for an officer's answer."),
    "The register does not accept the identifier; verify it.":
        _l("The register does not accept the identifier; verify it."),
    "the register does not know this number; verify it": _l("The register does not know this number; verify it."),
    "VIES rejected the VAT number as invalid input; verify it":
        _l("VIES rejected the VAT number as invalid input; verify it."),
    "Bolagsverket does not know the number or lists no annual report":
        _l("Bolagsverket does not know the number or lists no annual report."),
    "Bolagsverket lists no digitally filed annual report; a report filed on paper is not listed, so verify in "
    "Bolagsverket's case list": _l("Bolagsverket lists no digitally filed annual report; a report filed on paper is "
                                   "not listed, so verify in Bolagsverket's case list."),
    "A listed company's IFRS (ESEF) report: its figures are not tagged in a way the app reads; read them in the "
    "report": _l("A listed company's IFRS (ESEF) report: its figures are not tagged in a way the app reads; read "
                 "them in the report."),
    "A listed company's IFRS (ESEF) report: K2/K3 facts absent, IFRS figures read":
        _l("A listed company's IFRS (ESEF) report: no K2/K3 facts, the IFRS figures were read."),
    "A sole trader's organisation number is a personal identity number and is not sent in a web address; search "
    "Arbetsmiljöverket's diary by hand.": _l("A sole trader's organisation number is a personal identity number and "
                                              "is not sent in a web address; search Arbetsmiljöverket's diary by hand."),
}
# The same, with the numbers the check put in.
_FIXED_PATTERNS = (
    (re.compile(r"The diary lists (?P<total>\d+) documents, more than the (?P<seen>\d+) read; review it by hand\.$"),
     _l("The diary lists %(total)s documents, more than the %(seen)s read; review it by hand.")),
)
_NOT_CONFIGURED = re.compile(r"Not configured: (?P<what>.+)$")
_S = r"(?P<source>[\w.]+): "
_Q = r"""(?P<quote>['"])(?P<identifier>.*)(?P=quote)"""
_AR = r"Annual report (?P<end>\d{4}-\d\d-\d\d) \([\w-]+\): "
# A check's own note, as outcomes stored before fault codes and connection tests keep it -> its fault code. The notes
# are the messages of the raises in checks/ (http.py, _transport.py, vies.py, sanctions.py, bolagsverket.py).
_NOTES = (
    (re.compile(_S + r"the configured address cannot be used \(.*\)$"), "address_unusable"),
    (re.compile(_S + r"circuit breaker open; the register has failed (?P<failures>\d+) times in a row, retry after "
                r"(?P<until>\d\d:\d\d:\d\d UTC)$"), "circuit_open"),
    (re.compile(_S + r"(?P<status>\d{3})\b[^:]*: credentials rejected or expired$"), "credentials_rejected"),
    (re.compile(_S + r"TLS error \(certificate not trusted or handshake failed\)$"), "tls_failed"),
    (re.compile(_S + r"(?P<failed>.+?) after (?P<attempts>\d+) attempts?$"), "gave_up"),
    (re.compile(_S + r"(?P<failed>(?:connection timed out|timed out waiting for an answer) \([\d.]+ s\))$"), "gave_up"),
    (re.compile(_S + r"(?P<failed>\d{3}\b[^;]*); the register asks to retry in (?P<wait>\d+) s, longer than the "
                r"(?P<limit>\d+) s allowed here$"), "retry_after_too_long"),
    (re.compile(_S + r"(?P<failed>.+?); no time left for another attempt within the total limit of (?P<limit>[\d.]+) s$"),
     "no_time_for_retry"),
    (re.compile(_S + r"no complete answer within the total time limit of (?P<limit>[\d.]+) s$"), "deadline_spent"),
    (re.compile(_S + r"the answer was still arriving when the total time limit of (?P<limit>[\d.]+) s ran out "
                r"\((?P<size>\d+) bytes received\)$"), "deadline_during_answer"),
    (re.compile(r"VIES: (?P<got>[A-Z_]+) \(the member state's register did not answer\)$"), "member_state_unavailable"),
    (re.compile(r"VIES: (?P<got>IP_BLOCKED) \(this server may not query VIES for now\)$"), "ip_blocked"),
    (re.compile(r"No sanctions or debarment list is loaded; import the lists first\.$"), "no_lists_loaded"),
    (re.compile(r"Bolagsverket refused the client credentials; .*$"), "token_refused"),
    (re.compile(r"Bolagsverket refused the token request \(invalid client or scope\); .*$"), "token_request_refused"),
    (re.compile(r"no HTTP client is configured for register checks$"), "no_http_client"),
    (re.compile(_S + r"no address is configured for this register$"), "no_address"),
    (re.compile(r"Companies House needs an API key: an administrator must add the setting '(?P<what>\w+)' .*$"),
     "settings_missing"),
    (re.compile(r"Bolagsverket needs OAuth2 client credentials: an administrator must add the setting\(s\) "
                r"(?P<what>.+) for se\.bolagsverket$"), "settings_missing"),
    (re.compile(r"the setting '(?P<field>\w+)' of [\w.]+ must be a positive whole number, not (?P<got>.+)$"),
     "bad_setting"),
    # SourceChanged from checks/schema.py and checks/http.py, the notes any check can give (connection tests keep
    # only the text); a check's own note keeps its words under the heading.
    (re.compile(_S + r"svaret är inte ett JSON-objekt där fältet '(?P<field>[^']*)' skulle finnas$"),
     "not_object_for_field"),
    (re.compile(_S + r"fältet '(?P<field>[^']*)' saknas i svaret$"), "field_missing"),
    (re.compile(_S + r"fältet '(?P<field>[^']*)' har fel typ \((?P<got>\w+), väntade (?P<wanted>.+)\)$"), "field_type"),
    (re.compile(_S + r"svaret gäller (?P<got>.+), inte '(?P<asked>[^']*)' som frågan gällde$"), "other_subject"),
    (re.compile(_S + r"svaret är inte ett JSON-objekt \(HTTP (?P<status>\d{3})\)$"), "not_object"),
    (re.compile(_S + r"HTTP (?P<status>\d{3}) utan registrets dokumenterade felsvar \(.*\); troligen .*$"),
     "undocumented_error"),
    (re.compile(_S + r"HTTP (?P<status>\d{3}) utan fältet '(?P<field>[^']*)' som registrets felsvar har$"),
     "error_without_field"),
    (re.compile(_S + r"answer is not JSON \(.*\)$"), "not_json"),
    (re.compile(_S + r"unexpected HTTP (?P<status>\d{3}) for (?P<what>[\w./{}-]+)$"), "unexpected_status"),
    (re.compile(_S + r"answer larger than (?P<limit>\d+) MiB$"), "too_large"),
    (re.compile(_S + r"more than (?P<limit>\d+) redirects$"), "too_many_redirects"),
    # An annual report that could not be read (checks/annual_reports.py), as the check's reason gives it.
    (re.compile(_AR + r"the document is not a ZIP file \(.*\)$"), "report_not_zip"),
    (re.compile(_AR + r"the ZIP inflates to more than (?P<limit>\d+) MB; refused$"), "report_too_large"),
    (re.compile(_AR + r"the ZIP holds no XHTML document$"), "report_no_xhtml"),
    (re.compile(_AR + r"the XHTML holds no key figures \(.*\)$"), "report_no_key_figures"),
    (re.compile(_AR + r"the filing names no organisation number, so it cannot be tied to this organisation$"),
     "report_no_orgnr"),
    (re.compile(_AR + r"(?P<what>[^:/]+\.x?html?): .*$"), "report_file_unreadable"),
    # Any other note of an annual report is the iXBRL reader's own (report_unreadable: str(exc)), except the one
    # naming another organisation, whose asked-for number the note does not hold.
    (re.compile(_AR + r"(?!the annual report is about another organisation ).+$"), "report_unreadable"),
    # SubjectRejected before asking: the identifier as the check quoted it (Python's repr), then what it is not.
    (re.compile(_Q + r" is not a Norwegian organisation number$"), "not_no_orgnr"),
    (re.compile(_Q + r" is not a Swedish organisation number$"), "not_se_orgnr"),
    (re.compile(_Q + r" is not a UK company number$"), "not_gb_company"),
    (re.compile(_Q + r" is not a well-formed LEI$"), "not_lei"),
    (re.compile(r"(?P<country>[A-Z]{2})" + _Q + r" is not a VAT number VIES can be asked about$"), "not_vat"),
    (re.compile(r"the subject has no EU VAT number$"), "no_vat"),
    # The runner's own errors (a bug in the check).
    (re.compile(r"Internal error in check [\w.]+; the error has been logged\.$"), "internal_error"),
    (re.compile(r"Check [\w.]+ returned undeclared findings: .*$"), "undeclared_findings"),
)
_WHOLE_LIMITS = ("too_large", "too_many_redirects", "report_too_large")
# checks/schema.py's field_type note: Python's name of the value's type, and the Swedish names of the kinds wanted.
_PYTHON_KINDS = {"bool": "boolean", "str": "string", "dict": "object", "list": "array", "int": "integer",
                 "float": "number", "NoneType": "null"}
_SWEDISH_KINDS = {"sant/falskt": "boolean", "text": "string", "objekt": "object", "lista": "array", "heltal": "integer",
                  "float": "number"}
_FAILED = (
    (re.compile(r"connection timed out \((?P<seconds>[\d.]+) s\)$"), "connect_timeout"),
    (re.compile(r"timed out waiting for an answer \((?P<seconds>[\d.]+) s\)$"), "read_timeout"),
    (re.compile(r"(?P<status>\d{3})\b.*$"), "http_status"),
)


def _failure(text: str) -> dict[str, Any] | None:
    """The ``failure`` parameters of a note's "what failed" part; None when it is not one the HTTP layer writes."""
    from checks.http import FAILURES

    if text in FAILURES:
        return {"failure": FAILURES[text]}
    for regex, failure in _FAILED:
        m = regex.match(text)
        if m:
            found: dict[str, Any] = {k: float(v) if k == "seconds" else int(v) for k, v in m.groupdict().items()}
            return {"failure": failure, **found}
    return None


def legacy_fault(note: str) -> tuple[str, dict[str, Any]] | None:
    """A check's note (the text after the runner's prefix) as its fault code and parameters, if it is a known one."""
    for regex, code in _NOTES:
        m = regex.match(note)
        if not m:
            continue
        params: dict[str, Any] = {k: v for k, v in m.groupdict().items() if k not in ("failed", "quote", "country")}
        if "country" in m.groupdict():  # VIES quoted only the number after the country code
            params["identifier"] = m["country"] + m["identifier"]
        if code == "field_type":  # the note names Python's type and the Swedish kinds; the words take JSON's
            params["got"] = _PYTHON_KINDS.get(params["got"], "other")
            params["wanted"] = [_SWEDISH_KINDS.get(k, "other") for k in params["wanted"].split(" eller ")]
        if code == "other_subject":
            params["got"] = params["got"].strip("'\"")
        for key in ("failures", "attempts", "wait", "size", "status") + (("limit",) if code in _WHOLE_LIMITS else ()):
            if key in params:
                params[key] = int(params[key])
        if "limit" in params and code not in _WHOLE_LIMITS:
            params["limit"] = float(params["limit"])
        if "failed" in m.groupdict():
            failure = _failure(m["failed"])
            if failure is None:
                return None
            params.update(failure)
        if code == "gave_up" and "attempts" not in params:
            code = "no_answer_in_time"
        return code, params
    return None


def _locale() -> str:
    from flask_babel import get_locale
    return str(get_locale() or "sv")


def _check(check_id: str | None) -> Any:
    from ..domain.screening import all_checks
    return all_checks().get(check_id or "")


def reason_text(reason: str | None, check_id: str | None = None, fault_code: str | None = None,
                fault_params: Mapping[str, Any] | None = None) -> Markup:
    """An outcome's reason (why it needs input, did not apply or failed) in words.

    :param fault_code: the fault code the failure was raised with, where it was stored beside the reason (a
        connection test from migration 0030 on): worded from it and ``fault_params`` as an outcome's ``source.fault``
        is; without it (or with a code this release does not know) the reason's text is read back.
    """
    from .faults import FAULTS, fault

    if fault_code and fault_code in FAULTS:
        return fault(fault_code, fault_params or {}, check_id)
    if not reason:
        return Markup("")
    check = _check(check_id)
    instructions: Mapping[str, str] = getattr(check, "instructions", None) or {}
    if instructions and reason in instructions.values():
        return escape(instructions.get(_locale()) or reason)
    if reason in FIXED_REASONS:
        return escape(str(FIXED_REASONS[reason]))
    for regex, words in _FIXED_PATTERNS:
        if m := regex.match(reason):
            return escape(str(words) % {k: number(int(v)) for k, v in m.groupdict().items()})
    m = _NOT_CONFIGURED.match(reason)
    if m and (known := legacy_fault(m["what"])) is not None:
        from .faults import fault

        return fault(known[0], known[1], check_id)
    if m:
        return Markup(escape(_("Not configured; an administrator enters the settings on the Registers page:"))
                      + Markup(" ") + _note(m["what"]))
    return _stored_fault(reason, check_id)


# Words only a Swedish note has: some checks write their notes in Swedish (checks/brreg.py, gleif.py...), the rest in
# English, and a stored note carries no mark of its language.
_SWEDISH = re.compile(r"(?<!\w)(?:är|inte|och|saknar|saknas|svaret|sidan|utan|eller|har|gäller|som|ett|för|på|av|med|"
                      r"anger|finns|fältet|felsvaret|felkoden)(?!\w)", re.IGNORECASE)


def _note(text: str) -> Markup:
    """A check's own note the app has no words for, as it is, marked with its language: English unless it is
    written in Swedish (then unmarked on a Swedish page)."""
    if not _SWEDISH.search(text):
        return Markup('<span lang="en">{}</span>').format(text)
    if _locale().split("_")[0] == "sv":
        return escape(text)
    return Markup('<span lang="sv">{}</span>').format(text)


def _stored_fault(reason: str, check_id: str | None) -> Markup:
    """An error's reason as the runner stored it: a known note in words under its kind's heading (outcomes stored
    before fault codes, connection tests before 0030); an unknown note under the heading, marked with its language."""
    from .faults import FAULT_HEADINGS, fault

    from ..domain.runner import ABORTED, REJECTED, SOURCE_CHANGED, UNAVAILABLE

    kind, note = None, reason  # older versions stored no prefix
    for prefix_kind, prefix in (("changed", SOURCE_CHANGED), ("unavailable", UNAVAILABLE), ("refused", ABORTED),
                                ("rejected", REJECTED)):
        prefix += ": "
        if reason.startswith(prefix):
            kind, note = prefix_kind, reason[len(prefix):]
            break
    known = legacy_fault(note)
    if known is not None:
        return fault(known[0], known[1], check_id)
    if kind is None:
        return _note(reason)
    return Markup("{}: {}").format(str(FAULT_HEADINGS[kind]), _note(note))


def _field_label(check: Any, code: str) -> str | None:
    for field in getattr(check, "FIELDS", ()) or ():
        if getattr(field, "finding", None) == code:
            return field.label.get(_locale()) or field.label.get("en")
    return None


def _plain(value: Any) -> str | None:
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, (int, float)):
        return number(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in ("yes", "no", "true", "false", "ja", "nej"):
            return yes_no(word in ("yes", "true", "ja"))
        if re.fullmatch(r"-?\d+(\.\d+)?", word):
            return number(float(word))
        return value
    return None


def finding_text(finding: Mapping[str, Any], check_id: str | None = None) -> Markup:
    """One finding as "what: value" in words; a finding with a structured value keeps its text, marked English."""
    from .facts import FACTS, coded_value, fact_label
    from .findings import structured_finding

    from ..formatting import personal_text

    if finding.get("code") == "annual_report.fault":  # stored before it was a source.fault: the detail is the reason
        return _stored_fault(personal_text(finding.get("detail") or ""), check_id)
    structured = structured_finding(finding, check_id)  # officers, disqualifications, parents...: by code
    if structured is not None:
        return structured
    code, value = finding.get("code") or "", finding.get("value")
    name = _field_label(_check(check_id), code) or (fact_label(code) if code in FACTS else None)
    shown = coded_value(code, value) or _plain(value)
    if name and shown is not None:
        return Markup("{}: {}").format(name[:1].upper() + name[1:], shown)
    if name and isinstance(value, (list, tuple)) and all(_plain(v) is not None and not isinstance(v, dict) for v in value):
        return Markup("{}: {}").format(name[:1].upper() + name[1:], ", ".join(str(_plain(v)) for v in value) or _("none"))
    detail = personal_text(finding.get("detail") or "")  # a register's words may hold a sole trader's number
    return Markup('<span lang="en">{}</span>').format(detail)


def finding_line(finding: Mapping[str, Any], check_id: str | None = None, mask: bool = False) -> Markup:
    """A finding as the pages and the reports say it: its words, an adverse fact marked in words ("Observation:").

    :param mask: hide every personnummer in it (a reader without personal-data rights: a sole trader's number
        in a register's words).
    """
    from ..domain.identifiers import mask_personnummer_in_text

    check = _check(check_id)
    text = finding_text(finding, check_id)
    if check is not None and check.is_adverse(finding.get("code") or "", finding.get("value")):
        text = Markup("<strong>{}</strong> {}").format(_("Observation:"), text)
    return Markup(mask_personnummer_in_text(str(text))) if mask else text


def finding_sentence(finding: Mapping[str, Any], check_id: str | None = None, mask: bool = False) -> Markup:
    """The finding's line ending as a sentence (a report runs a check's findings on in one paragraph)."""
    text = finding_line(finding, check_id, mask)
    return text if text.striptags()[-1:] in ".!?" else text + "."


def plain_reason(reason: str | None, check_id: str | None = None) -> str:
    """An outcome's reason in words as plain text (an export's cell: no markup, no language marks)."""
    return reason_text(reason, check_id).striptags()


_BATCHES = (
    (re.compile(r"New version of (?P<x>.+)$"), _l("New version of the list %(x)s")),
    (re.compile(r"Follow-up (?P<x>.+)$"), _l("Follow-up %(x)s")),
    (re.compile(r"Re-check (?P<x>.+)$"), _l("Re-check of %(x)s")),
    (re.compile(r"Screening (?P<x>.+)$"), _l("Screening %(x)s")),
    (re.compile(r"Nightly re-screen(?P<x>)$"), _l("Nightly re-screen of every contract party")),
)


def batch_description(text: str | None) -> str:
    """A background batch's description (domain/followup.py start_batch) in words."""
    for regex, words in _BATCHES:
        m = regex.match(text or "")
        if m:
            return str(words) % {"x": m["x"]}
    return text or ""
