"""Common denominators (DOMAIN 5.3): the same person, address or contact detail behind several suppliers."""
from __future__ import annotations

from typing import Any

import sqlite_utils

from ..store import graph as store
from ..store import organisations as org_store
from ..store import procurements as procurement_store
from ..store import risk as risk_store
from .text import fold

ELEMENT_LABELS = {"address": "address", "phone": "phone number", "email_domain": "e-mail domain",
                  "bank_account": "bank account"}
# Webmail domains say nothing about who is behind a supplier.
COMMON_EMAIL_DOMAINS = frozenset({"gmail.com", "hotmail.com", "outlook.com", "yahoo.com", "live.se", "icloud.com"})


def network(db: sqlite_utils.Database, organisation_id: int) -> list[dict[str, Any]]:
    """Every other organisation linked to this one, with each shared element named."""
    links: dict[int, dict[str, Any]] = {}

    def link(other_id: int, name: str, element: str) -> None:
        entry = links.setdefault(other_id, {"organisation_id": other_id, "name": name, "shared": []})
        if element not in entry["shared"]:
            entry["shared"].append(element)

    for row in store.organisations_sharing_persons(db, organisation_id):
        link(row["organisation_id"], row["organisation_name"], f"key person {row['person_name']}")
    for column, value in store.normalised(db, organisation_id).items():
        if column == "email_domain" and value in COMMON_EMAIL_DOMAINS:
            continue
        for row in store.organisations_with(db, column, value, organisation_id):
            link(row["id"], row["name"], ELEMENT_LABELS[column])
    return sorted(links.values(), key=lambda entry: (-len(entry["shared"]), entry["name"]))


def shared_with_other_bidders(db: sqlite_utils.Database, procurement_id: int, organisation_id: int) -> list[str]:
    """Shared elements with other bidders in the same procurement (indicator of collusion)."""
    bidders = {p["organisation_id"] for p in procurement_store.participants(db, procurement_id)
               if p["role"] in ("bidder", "awarded") and p["organisation_id"] != organisation_id}
    return [f"{entry['name']}: {', '.join(entry['shared'])}" for entry in network(db, organisation_id)
            if entry["organisation_id"] in bidders]


def organisations_at_address(db: sqlite_utils.Database, organisation_id: int) -> int | None:
    """How many organisations share this one's address (itself included); None when no address is known."""
    value = store.normalised(db, organisation_id).get("address")
    if not value:
        return None
    return 1 + len(store.organisations_with(db, "address", value, organisation_id))


def staff_conflicts(db: sqlite_utils.Database, organisation_id: int) -> list[str]:
    """Key persons who match the agency's own staff conflict list (same name, and birth year where known)."""
    staff = risk_store.staff_conflicts(db)
    found = []
    for person in org_store.key_persons(db, organisation_id):
        for entry in staff:
            same_name = fold(entry["name"]) == fold(person["name"])
            same_year = not entry["birth_year"] or (person["birth_date"] or "")[:4] == entry["birth_year"]
            if same_name and same_year:
                found.append(f"{person['name']} ({entry['note'] or 'staff conflict list'})")
    return found


def person_failed_companies(db: sqlite_utils.Database, person_id: int, organisation_id: int) -> list[str]:
    """Other organisations of the person that a register reports bankrupt, in liquidation or deleted."""
    return [row["name"] for row in store.failed_engagements(db, person_id, organisation_id)]


def person_engagements(db: sqlite_utils.Database, person_id: int) -> int:
    """In how many organisations the person holds a key role."""
    return store.engagements(db, person_id)
