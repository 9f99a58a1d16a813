"""The exclusion cases of one party as the case page and the report read them: grounds with their limits and
state, the communication, the self-cleaning assessment, the decisions with who prepared and who decided them."""
from __future__ import annotations

from typing import Any

import sqlite_utils

from ...store import exclusion as store
from ...store import gates as gate_store
from ...store import organisations as org_store
from .. import clock
from . import communication, decisions, self_cleaning
from . import grounds as law
from .evidence import evidence_for


def case_view(db: sqlite_utils.Database, procurement_id: int, organisation_id: int) -> dict[str, Any]:
    """Everything about the party's exclusion cases, newest case last, with the procurement's stated grounds."""
    today = clock.today()
    cases = store.cases(db, procurement_id, organisation_id)
    ids = [c["id"] for c in cases]
    comms, cleanings, made = store.communications(db, ids), store.self_cleanings(db, ids), store.decisions(db, ids)
    evidence = evidence_for(db, procurement_id, organisation_id)
    below = store.below_threshold(db, procurement_id)
    out = []
    for case in cases:
        grounds = decisions.ground_states(db, case, today)
        for ground in grounds:
            ground["evidence"] = evidence.get(ground["indicator"], []) + evidence.get(ground["ground"], [])
            ground["self_cleaning_offered"] = law.self_cleaning_offered(ground["ground"])
            ground["exceptions"] = law.exceptions_allowed(ground["ground"])
        own_comms = [c for c in comms if c["case_id"] == case["id"]]
        own_cleanings = [s for s in cleanings if s["case_id"] == case["id"]]
        own_decisions = [d for d in made if d["case_id"] == case["id"]]
        out.append({
            **case, "grounds": grounds, "communications": own_comms,
            "heard": communication.heard(own_comms, today),
            "self_cleaning_offered": self_cleaning.offered(grounds),
            "self_cleaning": self_cleaning.current(own_cleanings), "self_cleaning_history": own_cleanings[:-1],
            "decisions": own_decisions, "in_force": own_decisions[-1] if own_decisions else None,
            "pending": gate_store.pending_proposal(db, "exclusion_decision", str(case["id"])),
            "usable": [g for g in grounds if g["usable"]],
        })
    personkrets = [{"name": p["name"], "role": p["role"], "role_label": law.PERSONKRETS[p["role"]]}
                   for p in org_store.key_persons(db, organisation_id) if law.in_personkrets(p["role"])]
    return {"cases": out, "stated": store.stated_grounds(db, procurement_id), "below_threshold": below,
            "hearing_basis": communication.legal_basis(below), "personkrets": personkrets, "today": today}
