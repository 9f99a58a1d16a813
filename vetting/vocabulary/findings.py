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
from ..translation import lazy_gettext as _l
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


# Why a register's answer could not be read (checks/schema.py, checks/http.py, the checks' status checks).
FAULTS = {
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
}
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")
JSON_KINDS = {"boolean": _l("true/false"), "string": _l("text"), "object": _l("object"), "array": _l("list"),
              "integer": _l("whole number"), "number": _l("number"), "null": _l("empty (null)"), "other": _l("other")}


def fault(value: Any, params: Mapping[str, Any], check_id: str | None) -> Markup:
    """Why an answer could not be read, from the check's fault code and parameters; identifiers stay as they are."""
    from .basic import check_name

    words = FAULTS.get(str(value))
    if words is None:
        return Markup('<span lang="en">{}</span>').format(value)
    shown = {k: Markup('<code lang="zxx">{}</code>').format(v) for k, v in params.items()
             if k in ("field", "what", "got", "asked")}
    shown["status"] = escape(params.get("status", "?"))
    if value == "field_type":
        shown["got"] = escape(str(JSON_KINDS.get(params.get("got"), params.get("got"))))
        shown["wanted"] = escape(" " + _("or") + " ").join(escape(str(JSON_KINDS.get(k, k)))
                                                            for k in params.get("wanted") or ())
    # A source that is a part of a check (eu.vies.soap, se.bolagsverket.token) is named by its check, not by its id.
    source = str(params.get("source") or "")
    named = check_name(source) if source else ""
    register = named if named and named != source else check_name(check_id) or source
    # Any other parameter a code's words name (limit, seen, total...) is shown as plain text; a missing one as "?".
    what = Markup(escape(str(words))) % {k: shown.get(k, escape(params.get(k, "?")))
                                         for k in _PLACEHOLDER.findall(str(words))}
    return Markup("{}: {}: {}").format(_("The register's answer is not in the shape the check knows, so it cannot "
                                         "be read as an answer"), register, what)


RENDERERS: dict[str, Callable[[Any, Mapping[str, Any], str | None], Markup]] = {
    "source.fault": fault,
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
