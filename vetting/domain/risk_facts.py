"""The facts a risk assessment reads: from check outcomes, the procurement, officers' answers and the graph."""
from __future__ import annotations

from typing import Any

import sqlite_utils

from ..risk import CaseFacts, Fact
from ..store import organisations as org_store
from ..store import procurements as procurement_store
from ..store import reviews as review_store
from ..store import risk as risk_store
from . import bids, company_facts, espd, graph
from .procurements import flatten, participant_tree
from .screening_status import newest_of

# Checks that report only what they found: a run that worked means "not listed" for the rest.
# A PEP match ("pep.match") is its own fact: a risk signal for the deepened check, not a sanctions hit.
FOUND_ONLY = {"sanctions": ("sanctions.listed", "sanctions.possible_match", "debarment.listed",
                            "debarment.possible_match", "pep.match")}


def _from_outcomes(db: sqlite_utils.Database, kind: str, subject_id: int) -> dict[str, Fact]:
    """Every finding of the subject's newest outcomes as facts, each pointing at its outcome."""
    facts: dict[str, Fact] = {}
    decisions = review_store.latest_decisions(db, kind, subject_id)
    for outcome in newest_of(db, kind, subject_id):
        ref = (f"outcome:{outcome['id']}",)
        if outcome["status"] == "error":
            continue  # an error says nothing: the facts stay unknown
        for code in FOUND_ONLY.get(outcome["check_id"], ()):
            facts[code] = Fact(False, ref)
        values: dict[str, list[Any]] = {}
        for finding in outcome["findings"]:
            value = finding["value"]
            if outcome["check_id"] == "sanctions" and isinstance(value, dict):
                if decisions.get((value.get("list"), value.get("listed_id")), {}).get("decision") == "dismissed":
                    continue  # an officer found it is not the same entity
                value = True
            values.setdefault(finding["code"], []).append(value)
        for code, found in values.items():
            facts[code] = Fact(found[0] if len(found) == 1 else found, ref)
    return facts


def _depth(db: sqlite_utils.Database, procurement_id: int, organisation_id: int) -> tuple[int | None, dict[str, Any] | None]:
    """Tiers in the chain this organisation belongs to (1 = no subcontractors), and its participant row."""
    for root in participant_tree(db, procurement_id):
        nodes = flatten([root])
        mine = next((n.participant for n in nodes if n.participant["organisation_id"] == organisation_id), None)
        if mine is not None:
            return 1 + max(n.depth for n in nodes), mine
    return None, None


def _changes_since_award(db: sqlite_utils.Database, procurement_id: int, organisation_id: int) -> Fact:
    """The kinds of the contract's open follow-up alerts about this organisation or its key persons (an empty
    list: nothing changed, or every change was handled); alerts are raised only once the contract is signed."""
    from ..store import followup as followup_store

    persons = {p["id"] for p in org_store.key_persons(db, organisation_id)}
    mine = [a for a in followup_store.alerts(db, open_only=True, procurement_id=procurement_id)
            if (a["subject_kind"] == "organisation" and a["subject_id"] == organisation_id)
            or (a["subject_kind"] == "person" and a["subject_id"] in persons)]
    return Fact(sorted({a["kind"] for a in mine}), tuple(f"alert:{a['id']}" for a in mine) or (f"procurement:{procurement_id}",))


def build(db: sqlite_utils.Database, procurement_id: int, organisation_id: int) -> CaseFacts:
    """Everything known about one organisation in one procurement, as facts with their evidence."""
    procurement = procurement_store.get(db, procurement_id) or {}
    organisation = org_store.get(db, organisation_id) or {}
    pref = (f"procurement:{procurement_id}",)
    own = _from_outcomes(db, "organisation", organisation_id)
    own.update(company_facts.risk_facts(db, organisation_id))  # annual reports; an officer's answer still wins
    own.update(espd.risk_facts(db, procurement_id, organisation_id))  # the ESPD and truth declaration, this case's
    own["organisation.country"] = Fact(organisation.get("country"), (f"organisation:{organisation_id}",))
    if organisation.get("industry_code"):
        own["organisation.industry_code"] = Fact(organisation["industry_code"], (f"organisation:{organisation_id}",))
    for fact, answer in risk_store.answers(db, procurement_id, organisation_id).items():
        if answer["value"] != "unknown":
            own[fact] = Fact(answer["value"], (f"answer:{answer['id']}",))
    contract: dict[str, Fact] = {
        "procurement.risk_industry": Fact(bool(procurement.get("risk_industry")), pref),
        "contract.signed": Fact(procurement.get("phase") in ("signed", "active", "ended"), pref),
    }
    if procurement.get("cpv_code"):
        contract["procurement.cpv_code"] = Fact(procurement["cpv_code"], pref)
    if procurement.get("estimated_value"):
        contract["procurement.estimated_value"] = Fact(procurement["estimated_value"], pref)
    # Not stated stays absent (insufficient data): a blank field is never read as "no" or zero.
    for column in ("annual_value", "required_staff", "labour_intensive"):
        if procurement.get(column) is not None:
            value = procurement[column]
            contract[f"procurement.{column}"] = Fact(bool(value) if column == "labour_intensive" else value, pref)
    depth, participant = _depth(db, procurement_id, organisation_id)
    if participant is not None:
        part = (f"participant:{participant['id']}",)
        contract["participant.role"] = Fact(participant["role"], part)
        contract["subcontracting.depth"] = Fact(depth, part)
        if participant["share_percent"] is not None:
            contract["subcontractor.share_percent"] = Fact(participant["share_percent"], part)
        if participant.get("bid_price"):
            contract["bid.price"] = Fact(participant["bid_price"], part)
    median = bids.median_price(db, procurement_id)
    if median is not None:
        contract["bids.median_price"] = Fact(median, pref)
    contract["graph.shared_with_other_bidder"] = Fact(graph.shared_with_other_bidders(db, procurement_id, organisation_id),
                                                      (f"graph:{organisation_id}",))
    at_address = graph.organisations_at_address(db, organisation_id)
    if at_address is not None:
        contract["graph.organisations_at_address"] = Fact(at_address, (f"graph:{organisation_id}",))
    if contract["contract.signed"].value:
        contract["followup.changed_facts"] = _changes_since_award(db, procurement_id, organisation_id)
    contract["graph.staff_conflict"] = Fact(graph.staff_conflicts(db, organisation_id), ("staff_conflicts",))
    persons: dict[str, dict[str, Fact]] = {}
    for person in org_store.key_persons(db, organisation_id):
        facts = _from_outcomes(db, "person", person["id"])
        gref = (f"graph:person:{person['id']}",)
        facts["graph.key_person_failed_companies"] = Fact(len(graph.person_failed_companies(db, person["id"],
                                                                                             organisation_id)), gref)
        facts["graph.key_person_engagements"] = Fact(graph.person_engagements(db, person["id"]), gref)
        persons[f"{person['name']} ({person['role']})"] = facts
    return CaseFacts(organisation=own, persons=persons, contract=contract)


def to_json(case: CaseFacts) -> dict[str, Any]:
    """Facts as stored with an assessment (replay reads them back)."""
    def dump(facts: Any) -> dict[str, Any]:
        return {name: {"value": fact.value, "evidence": list(fact.evidence)} for name, fact in facts.items()}

    return {"organisation": dump(case.organisation), "contract": dump(case.contract),
            "persons": {label: dump(facts) for label, facts in case.persons.items()}}


def from_json(data: dict[str, Any]) -> CaseFacts:
    """Stored facts back as a CaseFacts."""
    def load(facts: dict[str, Any]) -> dict[str, Fact]:
        return {name: Fact(item["value"], tuple(item["evidence"])) for name, item in facts.items()}

    return CaseFacts(organisation=load(data["organisation"]), contract=load(data["contract"]),
                     persons={label: load(facts) for label, facts in data["persons"].items()})
