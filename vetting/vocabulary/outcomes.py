"""A check outcome's reason and findings in the reader's language.

Checks (checks/*.py, which never import vetting) explain themselves in English; the outcome keeps that text.
Here the known shapes are put into words: a manual check's instructions, "Not configured: ...", the HTTP
layer's errors ("se.bolagsverket: host name not found after 4 attempts"), and each finding as fact and value.
Text that is not recognised is shown as it is, marked ``lang="en"``.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from ..translation import lazy_gettext as _l
from markupsafe import Markup, escape

from .basic import check_name, number, yes_no

FIXED_REASONS = {
    "The check does not apply to this subject.": _l("The check does not apply to this subject."),
    "Waiting for an officer's answer.": _l("Waiting for an officer's answer."),
}
NETWORK_REASONS = {
    "host name not found": _l("host name not found"), "connection refused": _l("connection refused"),
    "timed out": _l("timed out"), "connection reset": _l("connection reset"),
    "connection closed by the register": _l("connection closed by the register"),
    "connection failed": _l("connection failed"), "answer cut off mid-transfer": _l("answer cut off mid-transfer"),
}
_AFTER = re.compile(r"(?P<source>[\w.]+): (?P<reason>.+?) after (?P<n>\d+) attempts?$")
_TIMEOUT = re.compile(r"(?P<source>[\w.]+): (?:connection timed out|timed out waiting for an answer) \((?P<s>[\d.]+) s\)"
                      r"(?: after (?P<n>\d+) attempts?)?$")
_NOT_CONFIGURED = re.compile(r"Not configured: (?P<what>.+)$")


def _locale() -> str:
    from flask_babel import get_locale
    return str(get_locale() or "sv")


def _check(check_id: str | None) -> Any:
    from ..domain.screening import all_checks
    return all_checks().get(check_id or "")


def reason_text(reason: str | None, check_id: str | None = None) -> Markup:
    """An outcome's reason (why it needs input, did not apply or failed) in words."""
    if not reason:
        return Markup("")
    check = _check(check_id)
    instructions: Mapping[str, str] = getattr(check, "instructions", None) or {}
    if instructions and reason in instructions.values():
        return escape(instructions.get(_locale()) or reason)
    if reason in FIXED_REASONS:
        return escape(str(FIXED_REASONS[reason]))
    m = _NOT_CONFIGURED.match(reason)
    if m:
        return Markup(escape(_("Not configured; an administrator enters the settings on the Registers page:"))
                      + Markup(' <span lang="en">{}</span>').format(m["what"]))
    m = _TIMEOUT.match(reason)
    if m:
        return escape(_("%(register)s did not answer within %(seconds)s s", register=check_name(m["source"]) or m["source"],
                        seconds=m["s"]))
    m = _AFTER.match(reason)
    if m and m["reason"] in NETWORK_REASONS:
        return escape(_("%(register)s: %(reason)s after %(n)s attempts", register=check_name(m["source"]) or m["source"],
                        reason=NETWORK_REASONS[m["reason"]], n=m["n"]))
    if m:
        return escape(_("%(register)s answered %(reason)s after %(n)s attempts",
                        register=check_name(m["source"]) or m["source"], reason=m["reason"], n=m["n"]))
    return Markup('<span lang="en">{}</span>').format(reason)


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
    from .facts import FACTS, fact_label
    from .findings import structured_finding

    structured = structured_finding(finding, check_id)  # officers, disqualifications, parents...: by code
    if structured is not None:
        return structured
    code, value = finding.get("code") or "", finding.get("value")
    name = _field_label(_check(check_id), code) or (fact_label(code) if code in FACTS else None)
    shown = _plain(value)
    if name and shown is not None:
        return Markup("{}: {}").format(name[:1].upper() + name[1:], shown)
    if name and isinstance(value, (list, tuple)) and all(_plain(v) is not None and not isinstance(v, dict) for v in value):
        return Markup("{}: {}").format(name[:1].upper() + name[1:], ", ".join(str(_plain(v)) for v in value) or _("none"))
    from ..formatting import personal_text

    detail = personal_text(finding.get("detail") or "")  # a register's words may hold a sole trader's number
    return Markup('<span lang="en">{}</span>').format(detail)


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
