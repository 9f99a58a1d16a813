"""Stored follow-up alerts and notifications in the reader's language.

Producers store a code and its parameters (vetting/domain/stored_text.py); each code is worded here.
Rows written before that format hold English text; the patterns at the end read those old rows only.
"""
from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _
from markupsafe import Markup, escape

from ..domain.stored_text import MESSAGE, decode
from .basic import _locale, in_language, score, source_name, status_label
from .facts import _value, fact_label, rule_detail


def _names(params: dict[str, Any]) -> Markup:
    # Names come from a register as they are written there: shown as they are.
    return Markup(", ").join(escape(str(n)) for n in params.get("names") or [])


def _shown(fact: str, value: Any) -> str:
    return _value(fact, repr(value))


def _words(code: str, p: dict[str, Any]) -> Markup | None:
    """The words for one stored change (domain/changes.py, domain/company_facts.py report_changes)."""
    if code == "new_match":
        text = _("New hit: %(name)s (%(list)s %(id)s), score %(score)s") if p.get("level") == "hit" else \
            _("New possible match: %(name)s (%(list)s %(id)s), score %(score)s")
        return Markup(escape(text)).replace("%(name)s", in_language(str(p.get("name") or ""))) \
            .replace("%(list)s", escape(source_name(p.get("list")))).replace("%(id)s", escape(str(p.get("id")))) \
            .replace("%(score)s", escape(score(float(p.get("score") or 0))))
    if code == "status":
        return escape(_("Result changed from %(before)s to %(after)s", before=status_label(p.get("before")),
                        after=status_label(p.get("after"))))
    if code == "new_key_person":
        return Markup(escape(_("New key person in the register: %(names)s", names="\x00"))).replace("\x00", _names(p))
    if code == "fact":
        fact = str(p.get("fact") or "")
        name = str(fact_label(fact))
        return Markup("{}: {} → {}").format(name[:1].upper() + name[1:], _shown(fact, p.get("before")),
                                            _shown(fact, p.get("after")))
    if code == "annual_report":
        return escape(_("New annual report for the fiscal year ending %(date)s", date=p.get("fiscal_end") or "?"))
    if code == "new_signer":
        return Markup(escape(_("New signer of the annual report: %(names)s", names="\x00"))).replace("\x00", _names(p))
    if code == "signer_left":
        return Markup(escape(_("No longer signs the annual report: %(names)s", names="\x00"))).replace("\x00", _names(p))
    if code == "annual_report_signal":
        return escape(_("Annual report: %(signal)s", signal=fact_label(str(p.get("fact") or ""))))
    if code == "indicator_fired":
        name = p.get("name") or {}
        return Markup("{} {}: {}").format(p.get("id"), name.get(_locale()) or name.get("en") or "",
                                          rule_detail(p.get("detail")))
    return None


def change_text(detail: str | None) -> Markup:
    """A change found at follow-up, old value → new value in words."""
    if not detail:
        return Markup("")
    stored = decode(detail)
    if stored is not None:
        words = _words(*stored)
        if words is not None:
            return words
        return in_language(detail)
    return _old_change_text(detail)


def _message(data: Any) -> Any:
    """A stored domain message (``{"msgid", "params"}``) translated now; other values as they are."""
    if isinstance(data, dict) and set(data) == {"msgid", "params"}:
        return _(data["msgid"], **{k: _message(v) for k, v in (data["params"] or {}).items()})
    return data


def notification_text(text: str | None) -> Markup | str:
    """A stored notification in the reader's language."""
    stored = decode(text)
    if stored is not None:
        code, params = stored
        if code == MESSAGE:
            return _message(params)
        if code == "alert":
            return Markup("{}: {}").format(params.get("reference") or "", change_text(params.get("change")))
        return in_language(text)
    return _old_notification_text(text)


# --- rows written before codes and parameters were stored (English text, read by pattern) ------------------------

_NEW_MATCH = re.compile(r"New (?P<level>hit|possible match): (?P<name>.+) \((?P<src>\S+) (?P<id>.+)\), score (?P<score>[\d.]+)$")
_STATUS_CHANGE = re.compile(r"Status changed from (?P<a>\w+) to (?P<b>\w+)$")
_NEW_PERSON = re.compile(r"New key person in the register: (?P<names>.+)$")
_FACT_CHANGE = re.compile(r"(?P<code>[\w.-]+): (?P<before>.+) → (?P<after>.+)$")


def _old_change_text(detail: str | None) -> Markup:
    """A change found at follow-up (vetting/domain/changes.py), old value → new value in words."""
    from .facts import _value, fact_label

    if not detail:
        return Markup("")
    m = _NEW_MATCH.match(detail)
    if m:
        text = _("New hit: %(name)s (%(list)s %(id)s), score %(score)s") if m["level"] == "hit" else \
            _("New possible match: %(name)s (%(list)s %(id)s), score %(score)s")
        return Markup(escape(text)).replace("%(name)s", Markup('<span lang="en">{}</span>').format(m["name"])) \
            .replace("%(list)s", escape(m["src"])).replace("%(id)s", escape(m["id"])) \
            .replace("%(score)s", escape(score(float(m["score"]))))
    m = _STATUS_CHANGE.match(detail)
    if m:
        return escape(_("Result changed from %(before)s to %(after)s", before=status_label(m["a"]), after=status_label(m["b"])))
    m = _NEW_PERSON.match(detail)
    if m:
        return escape(_("New key person in the register: %(names)s", names=m["names"]))
    from .changes import annual_report_change

    report = annual_report_change(detail)  # an annual report's change stored as English text
    if report is not None:
        return report
    m = _FACT_CHANGE.match(detail)
    if m:
        return Markup("{}: {} → {}").format(fact_label(m["code"]), _value(m["code"], m["before"]),
                                            _value(m["code"], m["after"]))
    return Markup('<span lang="en">{}</span>').format(detail)



# Notifications are stored as text written when they were sent (often in a background task, in English);
# these are the messages the domain sends, matched back to their catalogue entry and said in the reader's language.
NOTIFICATIONS = (
    "A decision waits for your confirmation (four eyes): %(what)s",
    "A deepened check is yours to do (due %(due)s).",
    "Checkpoint %(cp)s of %(ref)s waits for your sign-off.",
    "Checkpoint %(cp)s of %(ref)s was returned: %(reason)s",
)
_NOTIFICATION_PATTERNS = [(re.compile("^" + re.sub(r"%\\\((\w+)\\\)s", r"(?P<\1>.+?)", re.escape(m)) + "$"), m)
                          for m in NOTIFICATIONS]


def _old_notification_text(text: str | None) -> str:
    """A stored notification in the reader's language (unchanged when it is not one of NOTIFICATIONS)."""
    for regex, msgid in _NOTIFICATION_PATTERNS:
        m = regex.match(text or "")
        if m:
            return _(msgid, **m.groupdict())
    return text or ""
