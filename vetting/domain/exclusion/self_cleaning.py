"""Self-cleaning (13 kap. 5 § LOU): the supplier shows it is reliable despite a ground, in three elements.

(1) compensation paid or undertaken for the damage caused, (2) the facts clarified by actively cooperating with
the investigating authorities, (3) concrete technical, organisational and personnel measures against repetition.
Each element has its evidence and the agency's assessment; the conclusion says whether the supplier has shown it
is reliable. Self-cleaning is not offered for unpaid taxes (13:2: payment or a binding arrangement removes the
ground instead) nor for sanctions and the art. 5k prohibition. Below the threshold (19 kap.) there is no
statutory right to it, but the agency may weigh it.
"""
from __future__ import annotations

from typing import Any

import sqlite_utils
from ..message import _l

from ...store import exclusion as store
from ...store import write_transaction
from ..audit import Actor, record
from ..errors import InvalidInput, NotFound
from .grounds import self_cleaning_offered

ELEMENTS = {
    "compensation": _l("Compensation paid or undertaken for the damage caused"),
    "cooperation": _l("Active cooperation with the investigating authorities"),
    "measures": _l("Concrete technical, organisational and personnel measures"),
}
ASSESSMENTS = {"sufficient": _l("Sufficient"), "insufficient": _l("Insufficient"), "not_shown": _l("Not shown")}
CONCLUSIONS = {"reliable": _l("The supplier has shown it is reliable"),
               "not_reliable": _l("The supplier has not shown it is reliable")}


def offered(grounds: list[dict[str, Any]]) -> bool:
    """Whether the case has a ground self-cleaning can lift (13:1 or 13:3)."""
    return any(self_cleaning_offered(g["ground"]) for g in grounds)


def current(items: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The newest assessment among a case's recorded ones (earlier ones stay readable)."""
    return items[-1] if items else None


def accepted(items: list[dict[str, Any]]) -> bool:
    """Whether the newest conclusion is that the supplier has shown it is reliable."""
    newest = current(items)
    return bool(newest and newest["conclusion"] == "reliable")


def assess(db: sqlite_utils.Database, actor: Actor, case_id: int, elements: dict[str, tuple[str, str]],
           conclusion: str, reason: str) -> int:
    """Record the three elements (evidence, assessment) and the conclusion; refused where self-cleaning is not offered."""
    case = store.case(db, case_id)
    if case is None:
        raise NotFound(_l("No such exclusion assessment."))
    if not offered(store.grounds(db, [case_id])):
        raise InvalidInput(_l("Self-cleaning is not offered for these grounds: unpaid taxes are removed by payment or "
                              "a binding arrangement to pay, and sanctions cannot be cleaned."))
    values: dict[str, Any] = {}
    for name in ELEMENTS:
        evidence, assessment = elements.get(name, ("", ""))
        evidence = (evidence or "").strip()
        if assessment not in ASSESSMENTS:
            raise InvalidInput(_l("Assess each of the three elements."), f"{name}_assessment")
        if assessment == "sufficient" and not evidence:
            raise InvalidInput(_l("Describe the evidence the assessment rests on."), f"{name}_evidence")
        values[f"{name}_evidence"] = evidence or None
        values[f"{name}_assessment"] = assessment
    if conclusion not in CONCLUSIONS:
        raise InvalidInput(_l("Choose the conclusion."), "conclusion")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_l("Give the reason for the conclusion."), "conclusion_reason")
    if conclusion == "reliable" and any(values[f"{n}_assessment"] != "sufficient" for n in ELEMENTS):
        raise InvalidInput(_l("The supplier has shown reliability only when all three elements are sufficient."),
                           "conclusion")
    with write_transaction(db):
        item_id = store.insert_self_cleaning(db, case_id, actor.username, conclusion=conclusion,
                                             conclusion_reason=reason, **values)
        record(db, actor, "exclusion.self_cleaning", "procurement", case["procurement_id"],
               after={"case_id": case_id, "conclusion": conclusion,
                      **{k: v for k, v in values.items() if k.endswith("_assessment")}}, reason=reason)
    return item_id
