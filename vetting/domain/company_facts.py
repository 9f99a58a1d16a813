"""Company facts per fiscal year from annual reports: stored when the annual-report check's outcome is stored,
shown on the organisation page, and read by the risk model (the one home of these facts)."""
from __future__ import annotations

from functools import lru_cache
from typing import Any

import sqlite_utils

from checks.annual_reports import CHECK_ID

from ..risk import Fact, load_default_model
from ..risk.indicators import FIRED
from ..store import key_figures as store
from ..store import outcomes as outcome_store

# Risk-model fact -> key figure of the newest fiscal year.
RISK_FACTS = {"organisation.employees": "employees", "organisation.annual_turnover": "net_revenue",
              "organisation.equity": "equity", "organisation.share_capital": "share_capital"}


def record_outcome(db: sqlite_utils.Database, check_id: str, subject_kind: str, subject_id: int, outcome_id: int,
                   status: str, findings: list[dict[str, Any]]) -> int:
    """Keep the figures of an annual-report outcome (inside the caller's transaction); return the years stored."""
    if check_id != CHECK_ID or subject_kind != "organisation" or status == "error":
        return 0
    years = next((f["value"] for f in findings if f["code"] == "annual_report.key_figures"), None) or []
    for year in years:
        if isinstance(year, dict) and year.get("end"):
            store.upsert(db, subject_id, outcome_id, year)
    return len(years)


def history(db: sqlite_utils.Database, organisation_id: int) -> list[dict[str, Any]]:
    """The stored fiscal years, newest first."""
    return store.for_organisation(db, organisation_id)


def auditor(db: sqlite_utils.Database, organisation_id: int) -> dict[str, Any] | None | bool:
    """The auditor named in the newest annual-report outcome; {} when it named none; None when none was read."""
    for outcome in outcome_store.latest(db, "organisation", organisation_id):
        if outcome["check_id"] == CHECK_ID and outcome["status"] != "error":
            found = next((f for f in outcome["findings"] if f["code"] == "annual_report.auditor"), None)
            if found is not None:
                return found["value"] or {}
    return None


# The officer's form (checks/company_facts_form.py): finding code -> key figure.
FORM_CHECK = "company.facts_document"
FORM_FIGURES = {"facts.employees": "employees", "facts.net_revenue": "net_revenue", "facts.equity": "equity",
                "facts.share_capital": "share_capital"}
# Registers that give a figure of their own (Brønnøysund: antallAnsatte from the employer register).
REGISTER_FIGURES = {"company.employees": "employees"}
_MONEY = ("net_revenue", "equity", "share_capital")


def _sources(db: sqlite_utils.Database, organisation_id: int) -> list[dict[str, Any]]:
    """Every source of figures, newest fiscal year first; on the same year an officer's document comes first."""
    sources = []
    years = store.for_organisation(db, organisation_id, limit=1)
    if years:
        sources.append({"end": years[0]["fiscal_end"], "rank": 1, "currency": years[0].get("currency") or "SEK",
                        "ref": f"outcome:{years[0]['outcome_id']}", "figures": years[0]})
    register: dict[str, Any] = {}
    for outcome in outcome_store.latest(db, "organisation", organisation_id):
        if outcome["status"] in ("error", "needs_manual_input"):
            continue
        found = {f["code"]: f["value"] for f in outcome["findings"]}
        if outcome["check_id"] == FORM_CHECK and found.get("facts.fiscal_end"):
            sources.append({"end": found["facts.fiscal_end"], "rank": 0, "currency": found.get("facts.currency"),
                            "ref": f"outcome:{outcome['id']}",
                            "figures": {figure: found.get(code) for code, figure in FORM_FIGURES.items()}})
        for code, figure in REGISTER_FIGURES.items():
            if isinstance(found.get(code), (int, float)) and not isinstance(found.get(code), bool):
                register.setdefault(figure, (found[code], f"outcome:{outcome['id']}"))
    sources.sort(key=lambda src: (src["end"], -src["rank"]), reverse=True)
    if register:
        # A register's current figure has no fiscal year: it fills what no report or document states.
        sources.append({"end": "", "rank": 2, "currency": None, "ref": None,
                        "figures": {k: v for k, (v, _r) in register.items()},
                        "refs": {k: r for k, (_v, r) in register.items()}})
    return sources


def risk_facts(db: sqlite_utils.Database, organisation_id: int) -> dict[str, Fact]:
    """The newest figures as risk facts, each pointing at the outcome it came from: the newest annual report or
    officer's document (same fiscal year: the document), a register's employee figure where neither has one.
    Amounts are taken only in the newest source's currency (equity is never compared with share capital in
    another currency); an unknown figure stays absent (insufficient data), never zero."""
    sources = _sources(db, organisation_id)
    if not sources:
        return {}
    currency = next((src["currency"] for src in sources if src["currency"]), None)
    out: dict[str, Fact] = {}
    for fact, figure in RISK_FACTS.items():
        for src in sources:
            value = src["figures"].get(figure)
            if value is None or (figure in _MONEY and src["currency"] != currency):
                continue
            out[fact] = Fact(value, (src.get("refs", {}).get(figure) or src["ref"],))
            break
    return out


# Signals of the check whose turning true during a contract raises an alert by itself.
SIGNALS = ("company.negative_equity", "company.share_capital_below_minimum", "company.revenue_without_employees",
           "annual_report.auditor_missing", "company.filings_overdue")  # words: vocabulary fact_label


@lru_cache(maxsize=1)
def _figure_indicators() -> tuple[Any, ...]:
    """The model's indicators that read nothing but key figures (CO-07): decidable from two reports alone."""
    keys = set(RISK_FACTS)
    return tuple(i for i in load_default_model().indicators if i.facts and set(i.facts) <= keys)


def _as_facts(years: Any) -> dict[str, Fact]:
    newest = years[0] if isinstance(years, list) and years and isinstance(years[0], dict) else {}
    return {fact: Fact(newest[figure], ()) for fact, figure in RISK_FACTS.items() if newest.get(figure) is not None}


def report_changes(before: dict[str, Any], after: dict[str, Any]) -> list[tuple[str, str, dict[str, Any], bool]]:
    """What a newer annual report changed: (kind, code, parameters, raises an alert), worded by the vocabulary
    (``change_text``). Signers who are new or gone, a signal that turned true, and an indicator of the model that
    the new figures fire and the old ones did not."""
    old_reports, new_reports = before.get("annual_report.reports") or [], after.get("annual_report.reports") or []
    old_id = old_reports[0].get("document_id") if old_reports else None
    if not new_reports or new_reports[0].get("document_id") == old_id:
        return []  # the same newest report read again: nothing new to tell
    out: list[tuple[str, str, dict[str, Any], bool]] = [
        ("annual_report", "annual_report", {"fiscal_end": new_reports[0].get("fiscal_end")}, False)]
    old = {str(o.get("name")) for o in before.get("company.officers") or []}
    new = {str(o.get("name")) for o in after.get("company.officers") or []}
    if new - old:
        out.append(("key_person", "new_signer", {"names": sorted(new - old)}, True))
    if old - new:
        out.append(("key_person_left", "signer_left", {"names": sorted(old - new)}, True))
    for code in SIGNALS:
        if after.get(code) is True and before.get(code) is not True:
            out.append((code, "annual_report_signal", {"fact": code}, True))
    old_facts, new_facts = _as_facts(before.get("annual_report.key_figures")), \
        _as_facts(after.get("annual_report.key_figures"))
    for indicator in _figure_indicators():
        now, then = indicator.rule(new_facts), indicator.rule(old_facts)
        if now.state == FIRED and then.state != FIRED:
            out.append((f"indicator {indicator.id}", "indicator_fired",
                        {"id": indicator.id, "name": {"sv": indicator.name.get("sv"), "en": indicator.name.get("en")},
                         "detail": now.detail}, True))
    return out
