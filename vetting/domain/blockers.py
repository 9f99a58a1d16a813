"""Blockers: what in the record forbids award, signing and start of performance, party by party.

A blocker is not a criterion that is merely not done yet: it is content (an "exclude" decision, a
confirmed sanctions hit, an art. 5k prohibition, an open match, an unaccepted register error, a Säpo
"no go", an unconcluded deepened check) that stops the chain until the record itself changes. No
sign-off can lift one; workflow.py and checkpoints.py ask this module before any phase change or
approval. This is the one home of the rule.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlite_utils
from .message import _l

from ..store import checkpoints as checkpoint_store
from ..store import gates as gate_store
from ..store import organisations as org_store
from ..store import procurements as procurement_store
from ..store import reviews as review_store
from .screening_status import newest_of

# Party blockers stop entry into award and every phase after it up to (not including) the end:
# ending a contract is itself the remedy for a blocked party.
PARTY_GATED_FROM = "award"
PARTY_GATED_UNTIL = "ended"
ART5K_SHARE_LIMIT = 10.0  # per cent of the contract value (Regulation 833/2014 art. 5k(1)(c))
TOP_ROLES = ("bidder", "awarded")
KINDS = ("sapo_no_go", "exclusion", "sanctions_hit", "art5k", "open_match", "register_error", "deepened_check")


@dataclass(frozen=True)
class Blocker:
    """One thing that stops the chain: which kind, about which party, in plain words, and where to act."""

    kind: str
    party: str
    organisation_id: int | None
    detail: str
    link: str


def _phases() -> tuple[str, ...]:
    from .procurements import PHASES

    return PHASES


def party_gated(target: str | None) -> bool:
    """Whether entering this phase requires a clean chain (award, standstill, signing, start of performance)."""
    phases = _phases()
    if target not in phases:
        return False
    return phases.index(PARTY_GATED_FROM) <= phases.index(target) < phases.index(PARTY_GATED_UNTIL)


def chain(db: sqlite_utils.Database, procurement_id: int) -> list[dict[str, Any]]:
    """The participants the contract will rest on.

    Once a supplier is marked awarded: it, every subcontractor beneath it at any depth, and every entity whose
    capacity is relied on. Before that, every bidder's chain (any of them may be awarded).
    """
    rows = procurement_store.participants(db, procurement_id)
    by_id = {r["id"]: r for r in rows}

    def root(row: dict[str, Any]) -> dict[str, Any]:
        seen = set()
        while row["parent_id"] and row["parent_id"] in by_id and row["id"] not in seen:
            seen.add(row["id"])
            row = by_id[row["parent_id"]]
        return row

    awarded = any(r["role"] == "awarded" for r in rows)
    if not awarded:
        return rows
    return [r for r in rows if root(r)["role"] in ("awarded", "capacity")]


def _subjects(db: sqlite_utils.Database, organisation_id: int, name: str) -> list[tuple[str, int, str]]:
    people = [("person", kp["id"], kp["name"]) for kp in org_store.key_persons(db, organisation_id)]
    return [("organisation", organisation_id, name), *people]


def _link(kind: str, subject_id: int) -> str:
    return f"/screening/{kind}/{subject_id}"


def screening_blockers(db: sqlite_utils.Database, organisation_id: int, name: str) -> list[Blocker]:
    """Confirmed hits and undecided matches on the organisation or any of its key persons."""
    from ..vocabulary import source_name  # late: the vocabulary reads the checks through domain.screening

    out = []
    for kind, subject_id, subject_name in _subjects(db, organisation_id, name):
        decisions = review_store.latest_decisions(db, kind, subject_id)
        for outcome in newest_of(db, kind, subject_id):
            if outcome["status"] not in ("hit", "possible_match"):
                continue
            for match in outcome["explanation"]:
                decision = decisions.get((match.get("list"), match.get("listed_id")))
                label = f"{match.get('listed_name') or match.get('name') or match.get('listed_id')}" \
                        f" ({source_name(match.get('list'))})"
                who = subject_name if kind == "person" else name
                if decision and decision["decision"] == "confirmed":
                    out.append(Blocker("sanctions_hit", name, organisation_id, str(_l(
                        "Confirmed sanctions hit on %(who)s: %(entry)s. Sanctions are a prohibition; no hearing or "
                        "self-cleaning can lift it.", who=who, entry=label)), _link(kind, subject_id)))
                elif match.get("dismissed_before") or (decision and decision["decision"] == "dismissed"
                                                        and decision["entry_hash"] == match.get("entry_hash", "")):
                    continue
                else:
                    out.append(Blocker("open_match", name, organisation_id, str(_l(
                        "Possible match on %(who)s not yet reviewed: %(entry)s.", who=who, entry=label)),
                        _link(kind, subject_id)))
    return out


def error_blockers(db: sqlite_utils.Database, organisation_id: int, name: str) -> list[Blocker]:
    """Checks on the organisation or its key persons that ended in error and nobody accepted with a reason."""
    from .screening import check_name

    accepted = checkpoint_store.overridden_outcomes(db)
    out = []
    for kind, subject_id, subject_name in _subjects(db, organisation_id, name):
        for outcome in newest_of(db, kind, subject_id):
            if outcome["status"] == "error" and outcome["id"] not in accepted:
                out.append(Blocker("register_error", name, organisation_id, str(_l(
                    "The check %(check)s on %(who)s failed and the error has not been accepted: a failed source is "
                    "never clear.", check=check_name(outcome["check_id"]), who=subject_name)), _link(kind, subject_id)))
    return out


def exclusion_blockers(db: sqlite_utils.Database, procurement_id: int, organisation_id: int, name: str) -> list[Blocker]:
    """The party's exclusion decision in force says "exclude", or that it (a subcontractor or an entity relied on)
    must be replaced: while it is still in the chain, the award and the signing wait."""
    from .exclusion.decisions import in_force

    decision = in_force(db, procurement_id, organisation_id).get(organisation_id)
    if decision is not None and decision["outcome"] == "exclude":
        return [Blocker("exclusion", name, organisation_id, str(_l(
            "Decided to exclude under LOU ch. 13: %(reason)s", reason=decision["reasons"] or "")),
            f"/exclusion/procurements/{procurement_id}/organisations/{organisation_id}")]
    if decision is not None and decision["outcome"] == "require_replacement":
        return [Blocker("exclusion", name, organisation_id, str(_l(
            "Decided under LOU ch. 13 that it must be replaced: %(reason)s", reason=decision["reasons"] or "")),
            f"/exclusion/procurements/{procurement_id}/organisations/{organisation_id}")]
    return []


def art5k_status(db: sqlite_utils.Database, organisation: dict[str, Any]) -> str | None:
    """Why an organisation is a Russian entity under art. 5k ("established", "owned", "acting"), "unknown", or None."""
    if (organisation.get("country") or "").upper() in ("RU", "RUS"):
        return "established"
    answer = gate_store.art5k_answer(db, organisation["id"])
    if answer is None:
        return None
    if answer["russian_owned"] == "yes":
        return "owned"
    if answer["acting_for_russia"] == "yes":
        return "acting"
    if "unknown" in (answer["russian_owned"], answer["acting_for_russia"]):
        return "unknown"
    return None


def shares(rows: list[dict[str, Any]]) -> dict[int, float | None]:
    """Each organisation's share of the contract value over all its places in the chain (None: not given)."""
    out: dict[int, float | None] = {}
    unknown: set[int] = set()
    for row in rows:
        oid = row["organisation_id"]
        if row.get("share_percent") is None:
            unknown.add(oid)  # a place without a share makes the total doubtful, never small
        out[oid] = (out.get(oid) or 0.0) + float(row.get("share_percent") or 0)
    return {oid: (None if oid in unknown else total) for oid, total in out.items()}


def art5k_blockers(db: sqlite_utils.Database, rows: list[dict[str, Any]]) -> list[Blocker]:
    """Art. 5k: a Russian contractor is prohibited outright; a subcontractor, supplier or entity relied on above 10 %."""
    out = []
    share_of = shares(rows)
    seen = set()
    for row in rows:
        oid = row["organisation_id"]
        if oid in seen:
            continue
        seen.add(oid)
        organisation = org_store.get(db, oid) or {"id": oid, "country": None}
        why = art5k_status(db, organisation)
        if why is None:
            continue
        name = row["organisation_name"]
        link = f"/organisations/{oid}#art5k"
        if why == "unknown":
            out.append(Blocker("art5k", name, oid, str(_l(
                "Art. 5k: Russian ownership or acting on behalf of Russia is not answered; the prohibition cannot be "
                "ruled out.")), link))
            continue
        reason = {"established": _l("established in Russia"), "owned": _l("more than 50 % Russian-owned"),
                  "acting": _l("acting on behalf of a Russian person or entity")}[why]
        top = any(r["organisation_id"] == oid and r["role"] in TOP_ROLES for r in rows)
        share = share_of.get(oid)
        if top:
            out.append(Blocker("art5k", name, oid, str(_l(
                "Art. 5k prohibition: the supplier is %(why)s.", why=reason)), link))
        elif share is None:
            out.append(Blocker("art5k", name, oid, str(_l(
                "Art. 5k: %(why)s and its share of the contract value is not given.", why=reason)), link))
        elif share > ART5K_SHARE_LIMIT:
            out.append(Blocker("art5k", name, oid, str(_l(
                "Art. 5k prohibition: %(why)s with %(share)s %% of the contract value (more than 10 %%).",
                why=reason, share=f"{share:g}")), link))
    return out


def deepened_check_blockers(db: sqlite_utils.Database, procurement_id: int, rows: list[dict[str, Any]]) -> list[Blocker]:
    """A party whose triage called for a deepened check cannot be awarded until the check is concluded."""
    names = {r["organisation_id"]: r["organisation_name"] for r in rows}
    return [Blocker("deepened_check", names[t["organisation_id"]], t["organisation_id"], str(_l(
        "The deepened check by the security department is not concluded (due %(due)s).", due=t["due_at"][:10])),
        f"/risk/procurements/{procurement_id}/organisations/{t['organisation_id']}#deepened")
        for t in gate_store.deepened_checks(db, procurement_id, open_only=True) if t["organisation_id"] in names]


def sapo_no_go(db: sqlite_utils.Database, procurement_id: int) -> list[Blocker]:
    """The Säpo consultation answered "must not be carried out": only a new consultation answer lifts it."""
    for checkpoint in checkpoint_store.for_procurement(db, procurement_id):
        if checkpoint["template_id"] == "CP2" and (checkpoint["answers"] or {}).get("sapo_decision") == "no_go":
            return [Blocker("sapo_no_go", "", None, str(_l(
                "The Security Service's consultation answer is that the procurement must not be carried out. "
                "Only a new consultation answer lifts this.")), f"/checkpoints/{checkpoint['id']}")]
    return []


def party_blockers(db: sqlite_utils.Database, procurement_id: int) -> list[Blocker]:
    """Every party blocker over the chain, in the order the parties appear."""
    rows = chain(db, procurement_id)
    out: list[Blocker] = []
    seen: set[int] = set()
    for row in rows:
        oid, name = row["organisation_id"], row["organisation_name"]
        if oid in seen:
            continue
        seen.add(oid)
        out += exclusion_blockers(db, procurement_id, oid, name)
        out += screening_blockers(db, oid, name)
        out += error_blockers(db, oid, name)
    out += art5k_blockers(db, rows)
    out += deepened_check_blockers(db, procurement_id, rows)
    return out


def for_phase(db: sqlite_utils.Database, procurement_id: int, target: str | None) -> list[Blocker]:
    """What forbids entering ``target`` now (a Säpo "no go" forbids every phase)."""
    out = sapo_no_go(db, procurement_id)
    if party_gated(target):
        out += party_blockers(db, procurement_id)
    return out


def for_checkpoint(db: sqlite_utils.Database, procurement_id: int, gates: str | None, event: str | None) -> list[Blocker]:
    """What forbids approving a checkpoint: the blockers of the phase it gates; a new party on a contract as signing."""
    if event == "party_added":
        return for_phase(db, procurement_id, "active")
    if event is not None:
        return []  # CP9-CP11 are where a blocker on a running contract is decided on
    return for_phase(db, procurement_id, gates)


def describe(blockers: list[Blocker]) -> str:
    """One line naming each blocker with its party, for refusals."""
    return " ".join(f"{b.party}: {b.detail}" if b.party else b.detail for b in blockers)
