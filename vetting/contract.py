"""Under contract: the one definition, shared by the store's queries and the domain's rules.

A procurement is under contract once it is signed and while the contract runs ("signed",
"active"); a closed one ("ended") is not. Event checkpoints, follow-up schedules, the re-screen after
a list import and the dashboard's contract figures all ask this module.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

CONTRACT_PHASES = ("signed", "active")


def is_under_contract(procurement: Mapping[str, Any] | str | None) -> bool:
    """True for a procurement (or its phase) that is signed or running."""
    if procurement is None:
        return False
    phase = procurement if isinstance(procurement, str) else procurement.get("phase")
    return phase in CONTRACT_PHASES


def phases_sql() -> str:
    """``(?, ?)`` placeholders for ``phase IN`` with ``CONTRACT_PHASES`` as the parameters."""
    return "(" + ", ".join("?" for _p in CONTRACT_PHASES) + ")"
