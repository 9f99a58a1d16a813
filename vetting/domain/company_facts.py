"""Company facts per fiscal year from annual reports: stored when the annual-report check's outcome is stored,
shown on the organisation page, and read by the risk model (the one home of these facts)."""
from __future__ import annotations

from typing import Any

import sqlite_utils

from checks.annual_reports import CHECK_ID

from ..risk import Fact
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


def risk_facts(db: sqlite_utils.Database, organisation_id: int) -> dict[str, Fact]:
    """The newest fiscal year's figures as risk facts, each pointing at the outcome it came from; an unknown figure
    stays absent (insufficient data), never zero."""
    years = store.for_organisation(db, organisation_id, limit=1)
    if not years:
        return {}
    newest = years[0]
    ref = (f"outcome:{newest['outcome_id']}",)
    return {fact: Fact(newest[figure], ref) for fact, figure in RISK_FACTS.items() if newest[figure] is not None}
