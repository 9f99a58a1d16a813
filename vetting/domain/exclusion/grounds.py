"""The exclusion grounds of LOU ch. 13 as data: kind, what starts the time limit, how long it runs, self-cleaning.

What the limits rest on (the research in ``shared/reference/swedish-domain-research.md`` §1.4): a ground under
13 kap. 1 § may be used at most five years from the day the judgment became final; one under 13 kap. 3 § at most
three years from the relevant event (directive 2014/24/EU art. 57.7, carried into LOU ch. 13; the research
marks the Swedish section number as to be verified, so the texts name the directive article). Unpaid taxes
(13 kap. 2 §) have no time limit: they last until paid or a binding arrangement to pay is made, which removes the
ground. Below the threshold (19 kap.) every ground of 13 kap. 1–3 §§ is optional. Sanctions and the art. 5k
prohibition are prohibitions, not grounds the supplier can clean itself of.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..message import _l

MANDATORY, OPTIONAL, PROHIBITION = "mandatory", "optional", "prohibition"


@dataclass(frozen=True)
class Ground:
    """One ground of exclusion and its law."""

    code: str
    label: object
    kind: str                 # mandatory / optional / prohibition (13:2 depends on how it was established)
    limit_years: int | None   # None: no time limit
    starts: str | None        # what starts the limit: final_judgment / event / None
    self_cleaning: bool       # 13:5 may lift it


GROUNDS: dict[str, Ground] = {g.code: g for g in (
    Ground("13:1", _l("Final conviction for a listed crime (LOU 13:1)"), MANDATORY, 5, "final_judgment", True),
    Ground("13:2", _l("Unpaid taxes or social security contributions (LOU 13:2)"), MANDATORY, None, "decision", False),
    Ground("13:3:1", _l("Breach of environmental, social or labour-law obligations (LOU 13:3 p. 1)"), OPTIONAL, 3,
           "event", True),
    Ground("13:3:2", _l("Bankruptcy, liquidation, composition or similar (LOU 13:3 p. 2)"), OPTIONAL, 3, "event", True),
    Ground("13:3:3", _l("Grave professional misconduct (LOU 13:3 p. 3)"), OPTIONAL, 3, "event", True),
    Ground("13:3:4", _l("Agreement with other suppliers distorting competition (LOU 13:3 p. 4)"), OPTIONAL, 3, "event",
           True),
    Ground("13:3:5", _l("Conflict of interest that cannot be remedied (LOU 13:3 p. 5)"), OPTIONAL, 3, "event", True),
    Ground("13:3:6", _l("Distorted competition from taking part in the preparation (LOU 13:3 p. 6)"), OPTIONAL, 3,
           "event", True),
    Ground("13:3:7", _l("Significant deficiencies in an earlier public contract (LOU 13:3 p. 7)"), OPTIONAL, 3, "event",
           True),
    Ground("13:3:8", _l("Serious misrepresentation or withheld information (LOU 13:3 p. 8)"), OPTIONAL, 3, "event", True),
    Ground("13:3:9", _l("Undue influence on the decision-making (LOU 13:3 p. 9)"), OPTIONAL, 3, "event", True),
    Ground("sanctions", _l("EU sanctions"), PROHIBITION, None, None, False),
    Ground("art5k", _l("Prohibition under art. 5k of Regulation (EU) 833/2014"), PROHIBITION, None, None, False),
    Ground("other", _l("Other ground"), OPTIONAL, None, None, False),
)}

OPTIONAL_13_3 = tuple(code for code in GROUNDS if code.startswith("13:3:"))
# The optional grounds a procurement's documents can state; below the threshold 13:1 and 13:2 become optional too.
STATABLE = ("13:1", "13:2", *OPTIONAL_13_3)

# The personkrets of 13 kap. 1 § as the app's key-person roles: members of the administrative, management or
# supervisory body, and persons with powers of representation, decision or control. A contact person is not in it.
PERSONKRETS: dict[str, object] = {
    "board_member": _l("member of the board (administrative body)"),
    "deputy": _l("deputy board member"),
    "ceo": _l("chief executive (management body)"),
    "signatory": _l("authorised signatory (power of representation)"),
    "beneficial_owner": _l("beneficial owner (power of control)"),
}

START_LABELS = {"final_judgment": _l("Date the judgment became final"), "decision": _l("Date of the decision"),
                "event": _l("Date of the event")}


def in_personkrets(role: str) -> bool:
    """Whether a key-person role belongs to the personkrets of 13 kap. 1 §."""
    return role in PERSONKRETS


def code_for(legal_basis: str) -> str:
    """The ground an indicator's legal basis names ("LOU 13:3 p. 2" → "13:3:2"; art. 5k; sanctions)."""
    text = legal_basis or ""
    if "5k" in text:
        return "art5k"
    if "sanktion" in text.lower() or "sanction" in text.lower():
        return "sanctions"
    found = re.search(r"13:(\d)(?:\s*p\.\s*(\d))?", text)
    if not found:
        return "other"
    if found.group(1) == "3":
        return f"13:3:{found.group(2)}" if found.group(2) else "other"
    return f"13:{found.group(1)}" if f"13:{found.group(1)}" in GROUNDS else "other"


def kind_of(code: str, established: str | None, below_threshold: bool) -> str:
    """Mandatory, optional or prohibition, for this procurement and as the ground was established.

    13:2 is mandatory only when the unpaid taxes are established by a final judgment or decision; below the
    threshold (19 kap.) every ground of 13 kap. 1–3 §§ is optional.
    """
    ground = GROUNDS.get(code, GROUNDS["other"])
    if ground.kind == PROHIBITION:
        return PROHIBITION
    if below_threshold:
        return OPTIONAL
    if code == "13:2":
        return MANDATORY if established == "final" else OPTIONAL
    return ground.kind


def limit_end(code: str, start: date | None) -> date | None:
    """The last day the ground may be used: five years from the final judgment (13:1), three from the event (13:3)."""
    ground = GROUNDS.get(code, GROUNDS["other"])
    if ground.limit_years is None or start is None:
        return None
    try:
        return start.replace(year=start.year + ground.limit_years)
    except ValueError:  # 29 February: the limit ends on 28 February
        return start.replace(year=start.year + ground.limit_years, day=28)


def self_cleaning_offered(code: str) -> bool:
    """Whether self-cleaning (13 kap. 5 §) can lift the ground: not for taxes (pay instead), sanctions or art. 5k."""
    return GROUNDS.get(code, GROUNDS["other"]).self_cleaning


def parse_date(value: str | None) -> date | None:
    """A stored ISO date, or None."""
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


STATES = {
    "stands": _l("Ground stands"),
    "expired": _l("Past its time limit: not a ground"),
    "date_missing": _l("Date missing: the time limit cannot be checked"),
    "unstated": _l("Optional ground not stated in the procurement documents: cannot be used"),
    "remedied": _l("Paid or a binding arrangement to pay: not a ground"),
    "exception": _l("Exception recorded: not excluded on this ground"),
    "self_cleaned": _l("Self-cleaning accepted: the supplier has shown it is reliable"),
}


@dataclass(frozen=True)
class GroundState:
    """Where a ground stands today, and why: only a ground that ``stands`` can found an exclusion."""

    state: str
    kind: str
    limit_end: date | None

    @property
    def usable(self) -> bool:
        """Whether an exclusion may rest on the ground."""
        return self.state == "stands"


def state_of(row: dict[str, object], today: date, stated: set[str], below_threshold: bool,
             self_cleaned: bool) -> GroundState:
    """The state of one recorded ground (a row of ``exclusion_grounds``) for its procurement, on ``today``."""
    code = str(row["ground"])
    kind = kind_of(code, row.get("established"), below_threshold)  # type: ignore[arg-type]
    start = parse_date(row.get("start_date"))  # type: ignore[arg-type]
    end = limit_end(code, start)
    ground = GROUNDS.get(code, GROUNDS["other"])
    if code == "13:2" and row.get("remedy"):
        state = "remedied"
    elif end is not None and today > end:
        state = "expired"
    elif ground.limit_years is not None and start is None:
        state = "date_missing"
    elif kind == OPTIONAL and code not in stated:
        state = "unstated"
    elif row.get("exception"):
        state = "exception"
    elif self_cleaned and ground.self_cleaning:
        state = "self_cleaned"
    else:
        state = "stands"
    return GroundState(state, kind, end)


def exceptions_allowed(code: str) -> tuple[str, ...]:
    """The exceptions LOU allows for a ground: overriding public interest (13:1, 13:2), a small amount (13:2)."""
    if code == "13:2":
        return ("public_interest", "small_amount")
    if code == "13:1":
        return ("public_interest",)
    return ()


KIND_LABELS = {MANDATORY: _l("Mandatory ground"), OPTIONAL: _l("Optional ground"), PROHIBITION: _l("Prohibition")}
EXCEPTION_LABELS = {"public_interest": _l("Overriding reasons of public interest"),
                    "small_amount": _l("Exclusion clearly disproportionate: a small amount (13:2)")}
REMEDY_LABELS = {"paid": _l("Paid, with interest and fines"), "arrangement": _l("Binding arrangement to pay")}
