"""Follow-up changes and alerts in words: each kind of change (domain/changes.py, domain/company_facts.py) and the
annual report's change texts, so an alert about a new report, a signer who left or a figure past the model's limit
reads in the officer's language."""
from __future__ import annotations

import re
from functools import lru_cache

from flask_babel import gettext as _
from ..translation import lazy_gettext as _l
from markupsafe import Markup, escape

# Every kind a Change can carry; "indicator XX-NN" (a figure past the model's limit) is worded from its id.
CHANGE_KINDS = {
    "new_match": _l("New match on a list"), "status": _l("Result changed"), "fact": _l("Fact changed"),
    "bankruptcy": _l("Bankruptcy"), "liquidation": _l("Liquidation"), "reconstruction": _l("Reconstruction"),
    "deregistration": _l("Deregistered"), "key_person": _l("New key person"),
    "key_person_left": _l("Key person left"), "disqualified_officer": _l("Disqualified director"),
    "lei_lapsed": _l("LEI lapsed"), "vat": _l("VAT registration changed"), "f_tax": _l("F-tax changed"),
    "debts": _l("Debts at the Enforcement Authority"), "trading_prohibition": _l("Trading prohibition"),
    "annual_report": _l("New annual report"),
    "company.negative_equity": _l("Negative equity"),
    "company.share_capital_below_minimum": _l("Share capital below the legal minimum"),
    "company.revenue_without_employees": _l("Revenue but no employees"),
    "annual_report.auditor_missing": _l("No auditor although required"),
    "company.filings_overdue": _l("Annual report late or missing"),
}
# The signal words company_facts.SIGNALS writes into "Annual report: <words>".
_SIGNAL_WORDS = {
    "negative equity": "company.negative_equity", "share capital below the legal minimum":
    "company.share_capital_below_minimum", "revenue but no employees": "company.revenue_without_employees",
    "no auditor although required": "annual_report.auditor_missing",
    "annual report late or missing": "company.filings_overdue",
}
_INDICATOR_KIND = re.compile(r"indicator (?P<id>[A-Z]{2}-\d{2})$")
_NEW_REPORT = re.compile(r"New annual report for the fiscal year ending (?P<end>\S+)$")
_NEW_SIGNER = re.compile(r"New signer of the annual report: (?P<names>.+)$")
_LEFT = re.compile(r"No longer signs the annual report: (?P<names>.+)$")
_SIGNAL = re.compile(r"Annual report: (?P<words>.+)$")
_INDICATOR = re.compile(r"(?P<id>[A-Z]{2}-\d{2}) [^:]+: (?P<detail>.+)$")


def change_kind(kind: str | None) -> str:
    """The kind of a change or alert in words."""
    if not kind:
        return ""
    m = _INDICATOR_KIND.match(kind)
    if m:
        return _("Indicator %(id)s fires", id=m["id"])
    word = CHANGE_KINDS.get(kind)
    return str(word) if word is not None else kind.replace("_", " ")


@lru_cache(maxsize=1)
def _names() -> dict[str, object]:
    from ..risk import load_default_model

    return {i.id: i.name for i in load_default_model().indicators}


def _indicator_name(indicator_id: str) -> str:
    from .basic import _locale

    name = _names().get(indicator_id)
    return name.get(_locale()) if name is not None else indicator_id  # type: ignore[attr-defined]


def annual_report_change(detail: str) -> Markup | None:
    """An annual report's change text (company_facts.report_changes) in words; None when it is not one."""
    from .facts import rule_detail

    m = _NEW_REPORT.match(detail)
    if m:
        return escape(_("New annual report for the fiscal year ending %(end)s", end=m["end"]))
    m = _NEW_SIGNER.match(detail)
    if m:
        return escape(_("New signer of the annual report: %(names)s", names=m["names"]))
    m = _LEFT.match(detail)
    if m:
        return escape(_("No longer signs the annual report: %(names)s", names=m["names"]))
    m = _SIGNAL.match(detail)
    if m and m["words"] in _SIGNAL_WORDS:
        return escape(_("Annual report: %(signal)s", signal=str(CHANGE_KINDS[_SIGNAL_WORDS[m["words"]]]).lower()))
    m = _INDICATOR.match(detail)
    if m:
        return Markup("{} {}: {}").format(m["id"], _indicator_name(m["id"]), rule_detail(m["detail"]))
    return None
