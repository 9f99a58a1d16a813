"""A small, realistic demo data set: users for every role, Swedish and foreign suppliers, a
subcontractor chain three levels deep and key persons. All companies and people are fictitious."""
from __future__ import annotations

import secrets
from pathlib import Path
from collections.abc import Mapping
from typing import Any

import sqlite_utils

from .domain import organisations, procurements, users
from .domain.audit import SYSTEM
from .store import users as user_store
from .store import write_transaction

DEMO_USERS = {
    "upphandlare": (["procurement_officer"], "Anna Upphandlare"),
    "sakerhet": (["security_officer"], "Sven Säkerhet"),
    "granskare": (["reviewer"], "Greta Granskare"),
    "revisor": (["auditor"], "Rolf Revisor"),
    "admin": (["admin"], "Ada Administratör"),
}

ORGANISATIONS = [
    {"key": "bygg", "name": "Norrlands Bygg & Mark AB", "country": "SE", "identifier_type": "se_orgnr",
     "identifier": "556677-8899", "address": "Storgatan 12, 903 26 Umeå", "industry_code": "41200"},
    {"key": "stad", "name": "Städproffsen i Mälardalen AB", "country": "SE", "identifier_type": "se_orgnr",
     "identifier": "559012-3450", "address": "Box 442, 721 08 Västerås", "industry_code": "81210"},
    {"key": "bemanning", "name": "Snabb Bemanning Sverige AB", "country": "SE", "identifier_type": "se_orgnr",
     "identifier": "559321-9875", "address": "c/o Redovisningsbyrån, Kungsgatan 4, 111 43 Stockholm",
     "industry_code": "78200"},
    {"key": "el", "name": "Elinstallationer Syd AB", "country": "SE", "identifier_type": "se_orgnr",
     "identifier": "556123-4567", "address": "Industrivägen 3, 211 24 Malmö", "industry_code": "43210"},
    {"key": "norsk", "name": "Fjordbygg Entreprenør AS", "country": "NO", "identifier_type": "no_orgnr",
     "identifier": "987654325", "address": "Strandgata 5, 5013 Bergen", "industry_code": "41200"},
    {"key": "uk", "name": "Thames Security Services Ltd", "country": "GB", "identifier_type": "gb_company",
     "identifier": "06070408", "address": "1 River Street, London EC1A 1AA", "industry_code": "80100"},
    {"key": "de", "name": "Baustoffe Nord GmbH", "country": "DE", "identifier_type": "vat",
     "identifier": "DE136695976", "address": "Hafenstraße 8, 20457 Hamburg", "industry_code": "46730"},
]

PERSONS = [
    ("bygg", {"name": "Lars Öberg", "role": "ceo", "personnummer": "19700312-1238", "nationality": "SE"}),
    ("bygg", {"name": "Karin Lind", "role": "board_member", "personnummer": "19820704-5678", "nationality": "SE"}),
    ("stad", {"name": "Mikael Ström", "role": "ceo", "personnummer": "19651129-9874", "nationality": "SE"}),
    # The same person sits on two boards: a common denominator the tool should make visible.
    ("bemanning", {"name": "Karin Lind", "role": "board_member", "personnummer": "19820704-5678", "nationality": "SE"}),
    ("bemanning", {"name": "Jovan Petrović", "role": "beneficial_owner", "personnummer": "19770265-4323",
                   "nationality": "RS"}),
    ("el", {"name": "Emma Nilsson", "role": "signatory", "personnummer": "19901230-3450", "nationality": "SE"}),
    ("norsk", {"name": "Ola Nordmann", "role": "ceo", "birth_date": "1968-05-17", "nationality": "NO"}),
    ("uk", {"name": "James Whitfield", "role": "board_member", "birth_date": "1975", "nationality": "GB"}),
    # Resembles a (fictitious) entry on the demo UN list, so the demo shows a hit to review.
    ("de", {"name": "Karim Abdul Al-Testi", "role": "beneficial_owner", "birth_date": "1960-04-28",
            "nationality": "IQ"}),
]
DEMO_LISTS = {"un": ("un_demo.xml",), "ofac-sdn": ("ofac_sdn_demo.csv", "ofac_alt_demo.csv", "ofac_add_demo.csv")}


def load_demo(db: sqlite_utils.Database, config: Mapping[str, Any]) -> dict[str, tuple[list[str], str]]:
    """Create the demo users and records unless they exist; return {username: (roles, password)} created."""
    if user_store.get_by_username(db, "admin") is not None:
        return {}
    created: dict[str, tuple[list[str], str]] = {}
    with write_transaction(db):
        for username, (roles, display_name) in DEMO_USERS.items():
            password = secrets.token_urlsafe(12)
            users.create_user(db, SYSTEM, username=username, password=password, roles=roles,
                              display_name=display_name, hash_method=config["PASSWORD_HASH_METHOD"],
                              min_length=config["PASSWORD_MIN_LENGTH"])
            created[username] = (roles, password)
        officer = user_store.get_by_username(db, "upphandlare")
        org_ids = {o["key"]: organisations.create(db, SYSTEM, o) for o in ORGANISATIONS}
        for key, person in PERSONS:
            organisations.add_key_person(db, SYSTEM, org_ids[key], person)
        _procurements(db, org_ids, officer["id"] if officer else None)
    _lists_and_screening(db, config)
    return created


def _lists_and_screening(db: sqlite_utils.Database, config: Mapping[str, Any]) -> None:
    """Load the fictitious demo lists (unless real lists are loaded) and screen the demo procurements."""
    from .domain import lists, screening
    from .store import lists as list_store

    folder = Path(__file__).parent / "demo_data"
    for source, files in DEMO_LISTS.items():
        if list_store.active_version(db, source) is None:
            lists.import_list(db, SYSTEM, source, [folder / name for name in files], settings=config)
    # Lists and manual checks only: a demo machine may be offline, and registers need credentials.
    offline = tuple(cid for cid, check in screening.all_checks().items() if cid == "sanctions" or check.mode == "manual")
    from .domain import risk

    from .domain import followup

    for procurement_id in (1, 2, 3):
        screening.screen_procurement(db, SYSTEM, procurement_id, config, offline)
        risk.assess_procurement(db, SYSTEM, procurement_id)
    followup.set_schedule(db, SYSTEM, 3, "high", config)


def _procurements(db: sqlite_utils.Database, org: dict[str, int], officer_id: int | None) -> None:
    """Two procurements; the first has a chain bidder → subcontractor → sub-subcontractor → fourth level."""
    renovation = procurements.create(db, SYSTEM, {
        "reference": "UH-2026-0142", "title": "Ombyggnad av kontorslokaler, Umeå",
        "description": "Totalentreprenad för ombyggnad av myndighetens kontor.", "cpv_code": "45000000-7",
        "category": "Bygg", "risk_industry": True, "estimated_value": 18_500_000, "currency": "SEK",
        "protection_level": "sua2", "phase": "evaluation", "responsible_user_id": officer_id})
    bidder = procurements.add_participant(db, SYSTEM, renovation, org["bygg"], "bidder")
    level1 = procurements.add_participant(db, SYSTEM, renovation, org["el"], "subcontractor", bidder, 20.0)
    level2 = procurements.add_participant(db, SYSTEM, renovation, org["bemanning"], "subcontractor", level1, 8.0)
    procurements.add_participant(db, SYSTEM, renovation, org["de"], "subcontractor", level2, 2.5)
    procurements.add_participant(db, SYSTEM, renovation, org["norsk"], "bidder")
    cleaning = procurements.create(db, SYSTEM, {
        "reference": "UH-2026-0207", "title": "Lokalvård och bevakning, regionkontor",
        "description": "Städ- och bevakningstjänster för tre regionkontor.", "cpv_code": "90910000-9",
        "category": "Städ och bevakning", "risk_industry": True, "estimated_value": 4_200_000, "currency": "SEK",
        "protection_level": "sua1", "phase": "advertised", "responsible_user_id": officer_id})
    cleaner = procurements.add_participant(db, SYSTEM, cleaning, org["stad"], "bidder")
    _espd(db, cleaning, org["stad"])
    procurements.add_participant(db, SYSTEM, cleaning, org["uk"], "subcontractor", cleaner, 30.0)
    procurements.add_participant(db, SYSTEM, cleaning, org["bemanning"], "capacity")
    # A signed contract under follow-up, so the follow-up pages have something to show.
    guarding = procurements.create(db, SYSTEM, {
        "reference": "UH-2025-0311", "title": "Bevakning av huvudkontoret", "description": "Avtal tecknat 2025.",
        "cpv_code": "79710000-4", "category": "Bevakning", "risk_industry": True, "estimated_value": 2_900_000,
        "currency": "SEK", "protection_level": "sua2", "phase": "active", "responsible_user_id": officer_id})
    guard = procurements.add_participant(db, SYSTEM, guarding, org["uk"], "awarded")
    procurements.add_participant(db, SYSTEM, guarding, org["bemanning"], "subcontractor", guard, 15.0)


# A one-page PDF standing in for the scanned, signed sanningsförsäkran.
_SIGNED_PDF = b"%PDF-1.4\n% Sanningsforsakran, undertecknad av VD Mikael Strom (demo)\n%%EOF\n"


def _espd(db: sqlite_utils.Database, procurement_id: int, organisation_id: int) -> None:
    """The cleaning company's ESPD (no exclusion ground declared) and its signed truth declaration."""
    from .domain import clock, espd

    data = (Path(__file__).parent / "demo_data" / "espd_stadproffsen_demo.xml").read_bytes()
    espd.import_espd(db, SYSTEM, procurement_id, organisation_id, "espd_stadproffsen.xml", data)
    espd.record_truth_declaration(db, SYSTEM, procurement_id, organisation_id, "Mikael Ström, VD",
                                  clock.today().isoformat(),
                                  ("sanningsforsakran.pdf", _SIGNED_PDF))
