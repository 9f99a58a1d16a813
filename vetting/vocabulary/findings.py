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

from .faults import fault

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


def deregistration_reason(value: Any, params: Mapping[str, Any], check_id: str | None) -> Markup:
    """Bolagsverket's reason for deregistration in its own (Swedish) words; its code only when it gave no words."""
    from .basic import in_language
    from .facts import fact_label

    value = value if isinstance(value, dict) else {"text": value}
    if value.get("text"):
        shown = in_language(str(value["text"]), "sv")
    else:
        shown = Markup('<code lang="zxx">{}</code>').format(value.get("code") or "?")
    return _say(fact_label("company.deregistration_reason"), shown)


# "Norrland Trading (un QDe.1), score 0.85": what the sanctions check notes in English about a match, the only
# place outcomes stored before it gave the listed name as a parameter keep that name.
_MATCH_NOTE = re.compile(r"(?P<name>.+) \((?P<list>\S+) (?P<id>.+)\), score [\d.]+$")


def list_match(code: str) -> Callable[[Any, Mapping[str, Any], str | None], Markup]:
    """A listed party resembling the subject: the listed name, the list and the entry's id, and the match score."""
    def render(value: Any, params: Mapping[str, Any], check_id: str | None) -> Markup:
        from .basic import score, source_name
        from .facts import fact_label

        value = value if isinstance(value, dict) else {}
        entry = Markup("{} ({} {})").format(params.get("listed_name") or "?",
                                            source_name(value.get("list")) or "?", value.get("listed_id") or "?")
        if isinstance(value.get("score"), (int, float)):
            entry = Markup("{}, {} {}").format(entry, _("score"), score(value["score"]))
        return _say(fact_label(code), entry)
    return render


def _with_listed_name(finding: Mapping[str, Any]) -> dict[str, Any]:
    """The finding's parameters, with the listed name read from the check's note when they lack it."""
    params = dict(finding.get("params") or {})
    if not params.get("listed_name"):
        m = _MATCH_NOTE.match(str(finding.get("detail") or ""))
        if m:
            params["listed_name"] = m["name"]
    return params


def rejected_identifier(value: Any, params: Mapping[str, Any], check_id: str | None) -> Markup:
    """The register answered that it does not accept the identifier (the runner's finding)."""
    return escape(_("The register answered that it does not accept the identifier; verify it."))


# The sanctions check's findings about a listed party (checks/sanctions.py FINDINGS).
LIST_MATCHES = ("sanctions.listed", "sanctions.possible_match", "debarment.listed", "debarment.possible_match",
                "pep.match")
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
    "company.deregistration_reason": deregistration_reason,
    **{code: list_match(code) for code in LIST_MATCHES},
}


def structured_finding(finding: Mapping[str, Any], check_id: str | None) -> Markup | None:
    """The finding in words when its code has a renderer here; None otherwise."""
    render = RENDERERS.get(str(finding.get("code") or ""))
    if render is None:
        return None
    params = _with_listed_name(finding) if finding.get("code") in LIST_MATCHES else finding.get("params") or {}
    return render(finding.get("value"), params, check_id)
