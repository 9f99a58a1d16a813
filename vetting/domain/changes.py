"""Change detection between two outcomes of the same check: facts, not raw responses."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from checks.annual_reports import CHECK_ID as ANNUAL_REPORTS

from . import company_facts
from .stored_text import encode

# Facts that move by themselves (a company gets older every day) or only restate the request.
VOLATILE = frozenset({"company.age_days", "vat.request_date", "lei.next_renewal_date", "workplace.period_from"})
# Facts whose change matters by itself (the rest are shown to reviewers but raise no alert).
MATTERS = {
    "company.bankrupt": "bankruptcy", "company.liquidation": "liquidation", "company.reconstruction": "reconstruction",
    "company.deleted": "deregistration", "company.forcibly_dissolved": "deregistration", "company.status": "status",
    "company.officers": "key_person", "company.officer_disqualified": "disqualified_officer", "lei.lapsed": "lei_lapsed",
    "vat.valid": "vat", "tax.f_skatt": "f_tax", "debts.any": "debts", "person.trading_prohibition": "trading_prohibition",
}

# Changes that say more than "the status changed" (which comes with each of them).
SPECIFIC_STATUS = frozenset({"bankruptcy", "liquidation", "reconstruction", "deregistration"})


@dataclass(frozen=True)
class Change:
    """One change worth telling a reviewer about; ``alert`` says whether it raises an alert. ``detail`` is the
    stored form (stored_text: a code and its parameters), worded by the vocabulary when shown."""

    kind: str
    detail: str
    alert: bool


def _facts(outcome: dict[str, Any] | None) -> dict[str, Any]:
    if outcome is None:
        return {}
    return {f["code"]: f["value"] for f in outcome["findings"] if f["code"] not in VOLATILE}


def _matches(outcome: dict[str, Any] | None) -> dict[tuple[str, str], dict[str, Any]]:
    if outcome is None:
        return {}
    return {(m["list"], m["listed_id"]): m for m in outcome["explanation"]
            if isinstance(m, dict) and "listed_id" in m and not m.get("dismissed_before")}


def compare(previous: dict[str, Any] | None, current: dict[str, Any]) -> list[Change]:
    """What changed from the previous outcome to the current one, in plain words."""
    changes: list[Change] = []
    for key, match in _matches(current).items():
        if key not in _matches(previous):
            changes.append(Change("new_match", encode("new_match", level="hit" if match.get("level") == "hit" else
                                                      "possible_match", name=match.get("listed_name"), list=key[0],
                                                      id=key[1], score=float(match.get("score", 0) or 0)), True))
    if previous is not None and previous["status"] != current["status"]:
        serious = current["status"] in ("hit", "possible_match", "error", "observation")
        if not any(c.kind == "new_match" for c in changes):
            changes.append(Change("status", encode("status", before=previous["status"], after=current["status"]),
                                  serious))
    before, after = _facts(previous), _facts(current)
    if previous is None:
        return changes
    if current.get("check_id") == ANNUAL_REPORTS:
        # A newer annual report: signers and figures are compared as a report, not fact by fact.
        return changes + [Change(kind, encode(code, **params), alert)
                          for kind, code, params, alert in company_facts.report_changes(before, after)]
    for code in sorted(set(before) | set(after)):
        if before.get(code) == after.get(code):
            continue
        kind = MATTERS.get(code)
        if code == "company.officers":
            old = {str(o.get("name")) for o in before.get(code) or []}
            new = {str(o.get("name")) for o in after.get(code) or []}
            added = sorted(new - old)
            if added:
                changes.append(Change("key_person", encode("new_key_person", names=added), True))
            continue
        changes.append(Change(kind or "fact", encode("fact", fact=code, before=before.get(code), after=after.get(code)),
                              kind is not None))
    # One event, one alert: a bankruptcy also changes the company's status; the status change is shown, not alerted.
    if any(c.alert and c.kind in SPECIFIC_STATUS for c in changes):
        changes = [Change(c.kind, c.detail, False) if c.kind == "status" else c for c in changes]
    return changes
