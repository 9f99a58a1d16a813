"""Words for the ESPD: the LOU ground of each exclusion criterion, the supplier's answer, each detail's value."""
from __future__ import annotations

from typing import Any

from ..translation import lazy_gettext as _l
from markupsafe import Markup

GROUNDS = {
    "13:1": _l("Convictions (LOU 13:1)"),
    "13:2": _l("Unpaid taxes or social security contributions (LOU 13:2)"),
    "13:3p1": _l("Breach of environmental, social or labour law (LOU 13:3 p. 1)"),
    "13:3p2": _l("Bankruptcy, insolvency or liquidation (LOU 13:3 p. 2)"),
    "13:3p3": _l("Grave professional misconduct (LOU 13:3 p. 3)"),
    "13:3p4": _l("Agreements distorting competition (LOU 13:3 p. 4)"),
    "13:3p5": _l("Conflict of interest (LOU 13:3 p. 5)"),
    "13:3p6": _l("Involvement in preparing the procurement (LOU 13:3 p. 6)"),
    "13:3p7": _l("Earlier contract terminated, damages or comparable sanctions (LOU 13:3 p. 7)"),
    "13:3p8": _l("Misrepresentation or withheld information (LOU 13:3 p. 8–9)"),
    "national": _l("Purely national exclusion grounds"),
}

def ground_label(ground: str) -> str:
    """The LOU ground of an ESPD criterion in words."""
    return str(GROUNDS.get(ground, ground))


def declared_label(declared: bool | None) -> str:
    """The supplier's answer: declares the ground, declares it does not apply, or left it open."""
    if declared is None:
        return str(_l("Not answered"))
    return str(_l("Yes, declares the ground")) if declared else str(_l("No"))


def detail_value(detail: dict[str, Any]) -> Markup:
    """One detail's value: dates and amounts as written, the supplier's text marked as its own language unknown."""
    value, kind = detail["value"], detail["kind"]
    if kind == "indicator":
        return Markup.escape(str(_l("Yes")) if value else str(_l("No")))
    if kind == "amount":
        return Markup.escape(f"{value.get('amount', '')} {value.get('currency', '')}".strip())
    if kind == "period":
        return Markup.escape(f"{value.get('start') or '…'} – {value.get('end') or '…'}")
    return Markup.escape(str(value))
