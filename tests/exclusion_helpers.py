"""Test helper: an exclusion case the way the app opens one, through the risk questionnaire."""
from __future__ import annotations

from typing import Any

from vetting.domain import organisations, procurements, risk
from vetting.domain.audit import Actor
from vetting.store import exclusion as store


def officers(accounts: dict[str, int]) -> tuple[Actor, Actor]:
    """The procurement officer who prepares and the security officer who decides."""
    return (Actor(accounts["procurement_officer"], "procurement_officer", frozenset({"procurement_officer"})),
            Actor(accounts["security_officer"], "security_officer", frozenset({"security_officer"})))


def party(db: Any, officer: Actor, create_org: Any, create_procurement: Any, role: str = "bidder",
          **procurement: Any) -> tuple[int, int]:
    """A procurement with one party of ``role`` (a subcontractor gets a bidder above it)."""
    pid = create_procurement(**procurement)
    org = create_org(name="Bygg & Rivning i Norden AB" if role == "bidder" else "Kranuthyrning Syd AB")
    if role == "bidder":
        procurements.add_participant(db, officer, pid, org, "bidder")
    else:
        main = create_org(name="Huvudentreprenören AB")
        parent = procurements.add_participant(db, officer, pid, main, "bidder")
        procurements.add_participant(db, officer, pid, org, role, parent_id=parent, share_percent=20)
    organisations.add_key_person(db, officer, org, {"name": "Lars Öberg", "role": "ceo",
                                                    "personnummer": "197003121238"})
    return pid, org


def open_case(db: Any, officer: Actor, pid: int, org: int, *answers: str) -> dict[str, Any]:
    """Answer "yes" to the indicators' questions (e.g. "EX-01"): the assessment opens the case; return it."""
    risk.answer(db, officer, pid, org, {f"answer.{indicator}": "yes" for indicator in answers})
    cases = store.cases(db, pid, org)
    assert cases, "the assessment opened no exclusion case"
    return cases[-1]


def ground(db: Any, case_id: int, indicator: str) -> dict[str, Any]:
    """The recorded ground of an indicator in a case."""
    return next(g for g in store.grounds(db, [case_id]) if g["indicator"] == indicator)
