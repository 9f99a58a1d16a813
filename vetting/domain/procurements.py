"""Procurements and their participants: creation, changes and the subcontractor tree."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP
from typing import Any

import sqlite_utils
from .message import _l

from ..store import organisations as org_store
from ..store import procurements as store
from ..store import write_transaction
from . import events, organisations
from .audit import Actor, changes, record
from .amounts import parse_exact_amount
from .cpv import clean_cpv
from .errors import Conflict, InvalidInput, NotFound
from .protection import CONTROLLED, PROTECTION_LEVELS, refuse_uncontrolled
from ..contract import is_under_contract

PHASES = ("need", "documents", "advertised", "opening", "evaluation", "award", "standstill", "signed", "active", "ended")
PARTICIPANT_ROLES = ("bidder", "awarded", "subcontractor", "capacity")
CURRENCIES = ("SEK", "EUR", "NOK", "DKK", "GBP", "USD")


def parse_amount(raw: Any, field_name: str = "estimated_value") -> int | None:
    """An amount as typed in Sweden or abroad (``1 250 000``, ``1250000,50``), read exactly (domain/amounts.py)
    and stored in whole units; unclear notation is refused, never guessed."""
    value = parse_exact_amount(raw, field_name)
    return None if value is None else int(value.to_integral_value(rounding=ROUND_HALF_UP))


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    """Check a procurement's fields; raise InvalidInput on the first problem."""
    data = dict(values)
    data["reference"] = (data.get("reference") or "").strip()
    data["title"] = (data.get("title") or "").strip()
    data["description"] = (data.get("description") or "").strip()
    if not data["reference"]:
        raise InvalidInput(_l("Enter the reference number (diarienummer)."), "reference")
    if not data["title"]:
        raise InvalidInput(_l("Enter a title."), "title")
    if data.get("protection_level", "none") not in PROTECTION_LEVELS:
        raise InvalidInput(_l("Choose a security protection level."), "protection_level")
    if data.get("phase", "need") not in PHASES:
        raise InvalidInput(_l("Unknown phase."), "phase")
    if data.get("currency", "SEK") not in CURRENCIES:
        raise InvalidInput(_l("Choose a currency."), "currency")
    data["cpv_code"] = clean_cpv(data.get("cpv_code"))
    data["estimated_value"] = parse_amount(data.get("estimated_value"))
    data["risk_industry"] = int(bool(data.get("risk_industry")))
    _clean_indicator_facts(data)
    return data


# The facts the risk model reads from the procurement (CO-04, CO-05, TX-03); "" means not stated, never "no".
LABOUR_INTENSIVE = {"yes": 1, "no": 0, "": None}


def _clean_indicator_facts(data: dict[str, Any]) -> None:
    """The yearly value (an amount), the staff the assignment needs (a number of full-time equivalents) and
    whether it is labour-intensive; a key the caller did not send is left out, so the stored value stays."""
    if "annual_value" in data:
        data["annual_value"] = parse_amount(data.get("annual_value"), "annual_value")
    if "required_staff" in data:
        staff = parse_exact_amount(data.get("required_staff"), "required_staff")
        if staff is not None and staff > 100_000:
            raise InvalidInput(_l("Enter the staff the assignment needs as full-time equivalents, at most 100 000."),
                               "required_staff")
        data["required_staff"] = None if staff is None else (int(staff) if staff == staff.to_integral_value()
                                                             else float(staff))
    if "labour_intensive" in data:
        raw = data.get("labour_intensive")
        raw = {True: "yes", False: "no", None: "", 1: "yes", 0: "no"}.get(raw, raw) if not isinstance(raw, str) else raw
        if raw not in LABOUR_INTENSIVE:
            raise InvalidInput(_l("Choose whether the assignment is labour-intensive."), "labour_intensive")
        data["labour_intensive"] = LABOUR_INTENSIVE[raw]


def create(db: sqlite_utils.Database, actor: Actor, values: dict[str, Any]) -> int:
    """Register a new procurement; return its id."""
    data = _clean(values)
    with write_transaction(db):
        if store.get_by_reference(db, data["reference"]):
            raise Conflict(_l("A procurement with reference %(ref)s already exists.", ref=data["reference"]), "reference")
        procurement_id = store.insert(db, data)
        record(db, actor, "procurement.create", "procurement", procurement_id, after=store.get(db, procurement_id))
        events.publish(db, events.ProcurementSaved(actor, procurement_id))
    return procurement_id


def update(db: sqlite_utils.Database, actor: Actor, procurement_id: int, values: dict[str, Any]) -> None:
    """Change a procurement; the audit entry holds the fields that changed."""
    data = _clean(values)
    with write_transaction(db):
        before = get(db, procurement_id)
        if "phase" in values and values["phase"] != before["phase"]:
            # The phase changes only through workflow.advance, which reads the gates and blockers.
            raise InvalidInput(_l("The phase changes only by moving on through the phase gate."), "phase")
        data.pop("phase", None)
        refuse_uncontrolled(before, values)
        for key in CONTROLLED:
            if key not in values:
                data.pop(key, None)  # a form without the field leaves the value as it is
        other = store.get_by_reference(db, data["reference"])
        if other and other["id"] != procurement_id:
            raise Conflict(_l("A procurement with reference %(ref)s already exists.", ref=data["reference"]), "reference")
        store.update(db, procurement_id, data)
        old, new = changes(before, store.get(db, procurement_id) or {})
        record(db, actor, "procurement.update", "procurement", procurement_id, before=old, after=new)
        # A higher protection level or value may call for more checkpoints.
        events.publish(db, events.ProcurementSaved(actor, procurement_id))


def get(db: sqlite_utils.Database, procurement_id: int) -> dict[str, Any]:
    """The procurement, or NotFound."""
    row = store.get(db, procurement_id)
    if row is None:
        raise NotFound(_l("No such procurement."))
    return row


def _check_share(db: sqlite_utils.Database, procurement_id: int, parent: dict[str, Any], share: float) -> None:
    """A subcontractor performs part of its parent's share: never more than it, nor with its siblings together."""
    limit = parent.get("share_percent")
    limit = 100.0 if limit is None else float(limit)
    if share > limit:
        raise InvalidInput(_l("The share (%(share)s %%) is larger than the share of the participant above it "
                              "(%(limit)s %%).", share=f"{share:g}", limit=f"{limit:g}"), "share_percent")
    siblings = sum(float(p["share_percent"] or 0) for p in store.participants(db, procurement_id)
                   if p["parent_id"] == parent["id"])
    if siblings + share > limit:
        raise InvalidInput(_l("Together with the other subcontractors under the same participant the shares would be "
                              "%(total)s %%, more than %(limit)s %%.", total=f"{siblings + share:g}", limit=f"{limit:g}"),
                           "share_percent")


def add_participant(db: sqlite_utils.Database, actor: Actor, procurement_id: int, organisation_id: int, role: str,
                    parent_id: int | None = None, share_percent: float | None = None) -> int:
    """Add an organisation as bidder, awarded supplier, subcontractor (under a parent) or capacity provider."""
    if role not in PARTICIPANT_ROLES:
        raise InvalidInput(_l("Choose the organisation's role."), "role")
    if role == "subcontractor" and parent_id is None:
        raise InvalidInput(_l("A subcontractor must sit under another participant."), "parent_id")
    if share_percent is not None and not 0 <= share_percent <= 100:
        raise InvalidInput(_l("The share of the contract value must be between 0 and 100 %."), "share_percent")
    with write_transaction(db):
        get(db, procurement_id)
        if org_store.get(db, organisation_id) is None:
            raise NotFound(_l("No such organisation."))
        if parent_id is not None:
            parent = store.get_participant(db, parent_id)
            if parent is None or parent["procurement_id"] != procurement_id:
                raise InvalidInput(_l("The parent must take part in the same procurement."), "parent_id")
            if _ancestor_organisations(db, parent_id) & {organisation_id}:
                raise InvalidInput(_l("An organisation cannot be its own subcontractor further up the chain."), "parent_id")
            if share_percent is not None:
                _check_share(db, procurement_id, parent, share_percent)
        if store.find_participant(db, procurement_id, organisation_id, parent_id):
            raise Conflict(_l("This organisation already has that place in the procurement."), "organisation_id")
        participant_id = store.insert_participant(db, procurement_id=procurement_id, organisation_id=organisation_id,
                                                  role=role, parent_id=parent_id, share_percent=share_percent)
        record(db, actor, "participant.add", "procurement", procurement_id,
               after={"participant_id": participant_id, "organisation_id": organisation_id, "role": role,
                      "parent_id": parent_id, "share_percent": share_percent})
        procurement = store.get(db, procurement_id)
        if is_under_contract(procurement):
            events.publish(db, events.PartyAddedUnderContract(
                actor, procurement_id, organisation_id, role, (org_store.get(db, organisation_id) or {}).get("name")))
    return participant_id


def add_participant_with_organisation(db: sqlite_utils.Database, actor: Actor, procurement_id: int,
                                      organisation_id: int | None, new_organisation: dict[str, Any] | None, role: str,
                                      parent_id: int | None = None, share_percent: float | None = None) -> int:
    """Add an existing organisation, or register a new one and add it, all or nothing."""
    with write_transaction(db):
        if organisation_id is None:
            if not new_organisation:
                raise InvalidInput(_l("Choose an existing organisation or enter the name of a new one."), "name")
            organisation_id = organisations.create(db, actor, new_organisation)
        return add_participant(db, actor, procurement_id, organisation_id, role, parent_id, share_percent)


def _ancestor_organisations(db: sqlite_utils.Database, participant_id: int | None) -> set[int]:
    """Organisations on the path from a participant up to the top of the tree."""
    seen: set[int] = set()
    while participant_id is not None:
        row = store.get_participant(db, participant_id)
        if row is None:
            break
        seen.add(row["organisation_id"])
        participant_id = row["parent_id"]
    return seen


def remove_participant(db: sqlite_utils.Database, actor: Actor, participant_id: int, reason: str = "") -> None:
    """Remove a participant and its subcontractors."""
    with write_transaction(db):
        row = store.get_participant(db, participant_id)
        if row is None:
            raise NotFound(_l("No such participant."))
        store.delete_participant(db, participant_id)
        record(db, actor, "participant.remove", "procurement", row["procurement_id"],
               before={k: row[k] for k in ("id", "organisation_id", "organisation_name", "role", "parent_id")},
               reason=reason or None)


@dataclass
class TreeNode:
    """A participant and the subcontractors under it."""

    participant: dict[str, Any]
    children: list["TreeNode"] = field(default_factory=list)
    depth: int = 0


def participant_tree(db: sqlite_utils.Database, procurement_id: int) -> list[TreeNode]:
    """The participants as a forest: bidders and capacity providers at the top, subcontractors beneath."""
    rows = store.participants(db, procurement_id)
    nodes = {row["id"]: TreeNode(row) for row in rows}
    roots: list[TreeNode] = []
    for row in rows:
        node = nodes[row["id"]]
        parent = nodes.get(row["parent_id"]) if row["parent_id"] else None
        (parent.children if parent else roots).append(node)

    def set_depth(node: TreeNode, depth: int) -> None:
        node.depth = depth
        for child in node.children:
            set_depth(child, depth + 1)

    for root in roots:
        set_depth(root, 0)
    return roots


def flatten(tree: list[TreeNode]) -> list[TreeNode]:
    """Depth-first list of a tree's nodes, parents before children."""
    out: list[TreeNode] = []
    stack = list(reversed(tree))
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(reversed(node.children))
    return out
