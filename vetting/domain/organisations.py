"""Organisations and their key persons: validation, changes, personal-data reveal."""
from __future__ import annotations

from typing import Any

import sqlite_utils
from .message import _l

from ..store import organisations as store
from ..store import write_transaction
from . import events
from .audit import Actor, changes, record
from .contact import clean_bank_account, clean_phone
from .errors import Conflict, InvalidInput, NotFound
from .identifiers import (IDENTIFIER_TYPES, birth_date_of, format_personnummer, holds_personnummer, mask_personnummer,
                          validate_birth_date, validate_country, validate_identifier, validate_personnummer)

KEY_ROLES = ("board_member", "deputy", "ceo", "signatory", "beneficial_owner", "contact")
# Identifier types that only make sense for organisations registered in one country.
_IDENTIFIER_COUNTRY = {"se_orgnr": "SE", "no_orgnr": "NO", "gb_company": "GB"}


def clean_organisation(values: dict[str, Any]) -> dict[str, Any]:
    """Validate an organisation's fields; return them normalised or raise InvalidInput."""
    name = (values.get("name") or "").strip()
    if not name:
        raise InvalidInput(_l("Enter the organisation's name."), "name")
    country = validate_country(values.get("country") or "")
    data: dict[str, Any] = {"name": name, "country": country, "address": (values.get("address") or "").strip(),
                            "industry_code": (values.get("industry_code") or "").strip() or None,
                            "identifier_type": None, "identifier": None}
    id_type = (values.get("identifier_type") or "").strip()
    raw = (values.get("identifier") or "").strip()
    if raw and not id_type:
        raise InvalidInput(_l("Choose what kind of identifier this is."), "identifier_type")
    if id_type and raw:
        identifier = validate_identifier(id_type, raw)
        expected = _IDENTIFIER_COUNTRY.get(id_type)
        if expected and expected != country:
            raise InvalidInput(_l("%(type)s: only for organisations in %(country)s.", type=IDENTIFIER_TYPES[id_type],
                                  country=expected), "country")
        data["identifier_type"], data["identifier"] = identifier.type, identifier.value
    data["phone"] = clean_phone(values.get("phone"))
    data["bank_account"] = clean_bank_account(values.get("bank_account"))
    email = (values.get("email") or "").strip()
    if len(email) > 200:
        raise InvalidInput(_l("The e-mail address is longer than 200 characters."), "email")
    data["email"] = email or None
    if data["email"] and "@" not in data["email"]:
        raise InvalidInput(_l("“%(value)s” is not an e-mail address.", value=data["email"][:60]), "email")
    code = data["industry_code"]
    if code and not code.replace(".", "").isdigit():
        raise InvalidInput(_l("The industry code (SNI/NACE) is digits, e.g. 41200 or 43.11."), "industry_code")
    return data


def create(db: sqlite_utils.Database, actor: Actor, values: dict[str, Any]) -> int:
    """Register an organisation; refuse a duplicate identifier."""
    from . import merges

    data = clean_organisation(values)
    with write_transaction(db):
        queued = _must_queue(db, actor, data, None)
        organisation_id = store.insert(db, {**data, "identifier": None} if queued else data)
        if queued:
            merges.queue_organisation(db, actor, organisation_id, data)
        record(db, actor, "organisation.create", "organisation", organisation_id, after=data)
    return organisation_id


def _must_queue(db: sqlite_utils.Database, actor: Actor, data: dict[str, Any], own_id: int | None) -> bool:
    """Refuse an identifier another organisation has, or say it must wait in the merge queue.

    A sole trader's number is a personnummer: refusing it (with the holder's name) would tell a role
    that may not see personnummer that it is stored. Such a role gets the organisation stored under the
    name typed, answered exactly as for an unknown number, and the match goes to a security officer.
    """
    from . import merges

    if not data["identifier"]:
        return False
    existing = store.find_by_identifier(db, data["identifier_type"], data["identifier"])
    if not existing or existing["id"] == own_id:
        return False
    if holds_personnummer(data["identifier_type"], data["identifier"]) and not merges.links_at_once(actor):
        return True
    raise Conflict(_l("%(name)s already has this identifier.", name=existing["name"]), "identifier")


def update(db: sqlite_utils.Database, actor: Actor, organisation_id: int, values: dict[str, Any]) -> None:
    """Change an organisation; the audit entry holds what changed."""
    from . import merges

    data = clean_organisation(values)
    with write_transaction(db):
        before = get(db, organisation_id)
        queued = _must_queue(db, actor, data, organisation_id)
        store.update(db, organisation_id, {**data, "identifier": None} if queued else data)
        if queued:
            merges.queue_organisation(db, actor, organisation_id, data)
        else:
            merges.withdraw_organisation(db, organisation_id)
        old, new = changes(before, data)
        record(db, actor, "organisation.update", "organisation", organisation_id, before=old, after=new)


def get(db: sqlite_utils.Database, organisation_id: int) -> dict[str, Any]:
    """The organisation, or NotFound."""
    row = store.get(db, organisation_id)
    if row is None:
        raise NotFound(_l("No such organisation."))
    return row


def clean_person(values: dict[str, Any]) -> dict[str, Any]:
    """Validate a key person's fields: a name, and a personnummer or a birth date."""
    name = (values.get("name") or "").strip()
    if not name:
        raise InvalidInput(_l("Enter the person's name."), "name")
    role = values.get("role") or ""
    if role not in KEY_ROLES:
        raise InvalidInput(_l("Choose the person's role."), "role")
    pnr_raw = (values.get("personnummer") or "").strip()
    birth_raw = (values.get("birth_date") or "").strip()
    personnummer = validate_personnummer(pnr_raw) if pnr_raw else None
    birth_date = validate_birth_date(birth_raw) if birth_raw else None
    if personnummer:
        implied = birth_date_of(personnummer)
        if birth_date and birth_date != implied and birth_date != implied[:4]:
            raise InvalidInput(_l("The birth date does not agree with the personnummer."), "birth_date")
        birth_date = implied
    source = values.get("source") or "manual"
    # A person typed in or imported needs an identity; one named by a register is kept as the register gave it.
    if not personnummer and not birth_date and source in ("manual", "import"):
        raise InvalidInput(_l("Enter a personnummer or samordningsnummer, or at least a birth date."), "personnummer")
    nationality_raw = (values.get("nationality") or "").strip()
    nationality = validate_country(nationality_raw, "nationality") if nationality_raw else None
    return {"name": name, "role": role, "personnummer": personnummer, "birth_date": birth_date,
            "nationality": nationality, "source": source}


def _person_for_audit(data: dict[str, Any]) -> dict[str, Any]:
    """What the audit log keeps of a person: never the full personnummer."""
    return {k: (mask_personnummer(v) if k == "personnummer" else v) for k, v in data.items()}


def add_key_person(db: sqlite_utils.Database, actor: Actor, organisation_id: int, values: dict[str, Any]) -> int:
    """Give a person a role in an organisation; the person is stored once per personnummer.

    Only an actor who may see personnummer (the security department, the system) is linked to the
    stored person at once. Anyone else gets a new person under the name typed, answered exactly as
    for an unknown number, and a stored number goes to the merge queue (``merges``): otherwise the
    page would show the stored name, and guessing numbers would recover them (finding 1).
    """
    from . import merges

    data = clean_person(values)
    with write_transaction(db):
        get(db, organisation_id)
        person = store.find_person_by_personnummer(db, data["personnummer"]) if data["personnummer"] else None
        if person is None:
            person_id = store.insert_person(db, data)
        elif merges.links_at_once(actor):
            person_id = person["id"]
        else:
            person_id = merges.queue(db, actor, data)
        if store.find_key_role(db, organisation_id, person_id, data["role"]):
            raise Conflict(_l("This person already has that role in the organisation."), "role")
        key_role_id = store.insert_key_role(db, organisation_id, person_id, data["role"], data["source"])
        record(db, actor, "key_person.add", "organisation", organisation_id,
               after={"person_id": person_id, **_person_for_audit(data)})
        events.publish(db, events.KeyPersonAdded(actor, organisation_id, data["name"]))
    return key_role_id


def remove_key_role(db: sqlite_utils.Database, actor: Actor, key_role_id: int, reason: str = "") -> None:
    """End a person's role in an organisation (the person record stays for other roles and the history)."""
    with write_transaction(db):
        row = store.get_key_role(db, key_role_id)
        if row is None:
            raise NotFound(_l("No such key person."))
        store.delete_key_role(db, key_role_id)
        record(db, actor, "key_person.remove", "organisation", row["organisation_id"],
               before={"person_id": row["person_id"], "role": row["role"]}, reason=reason or None)


def get_person(db: sqlite_utils.Database, actor: Actor, person_id: int) -> dict[str, Any]:
    """A person with the personnummer masked; the view itself is audited."""
    person = store.get_person(db, person_id)
    if person is None:
        raise NotFound(_l("No such person."))
    person["personnummer_masked"] = mask_personnummer(person["personnummer"])
    person["has_personnummer"] = bool(person["personnummer"])
    person.pop("personnummer")
    with write_transaction(db):
        record(db, actor, "person.view", "person", person_id)
    return person


def reveal_personnummer(db: sqlite_utils.Database, actor: Actor, person_id: int, reason: str,
                        ticket_hash: str | None = None) -> str:
    """The full personnummer, for a role allowed to see it; the reveal and its reason are audited.

    With ``ticket_hash`` the number is not meant for this response: a one-time ticket for the page
    shown after the redirect is stored in the same transaction (see ``domain/reveals.py``).
    """
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_l("Say why you need to see the personnummer."), "reason")
    with write_transaction(db):
        person = store.get_person(db, person_id)
        if person is None or not person["personnummer"]:
            raise NotFound(_l("No personnummer is stored for this person."))
        audit_id = record(db, actor, "person.reveal_personnummer", "person", person_id, reason=reason)
        if ticket_hash is not None and actor.id is not None:
            from ..store import reveals as reveal_store

            reveal_store.insert(db, ticket_hash, actor.id, person_id, audit_id)
    return format_personnummer(person["personnummer"])


def masked_key_persons(db: sqlite_utils.Database, organisation_id: int) -> list[dict[str, Any]]:
    """Key persons of an organisation, personnummer replaced by its masked form."""
    rows = store.key_persons(db, organisation_id)
    for row in rows:
        row["personnummer_masked"] = mask_personnummer(row.pop("personnummer"))
    return rows


def masked_key_persons_of(db: sqlite_utils.Database, organisation_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """``masked_key_persons`` for many organisations at once (one statement), by organisation id."""
    by_organisation = store.key_persons_of(db, organisation_ids)
    for rows in by_organisation.values():
        for row in rows:
            row["personnummer_masked"] = mask_personnummer(row.pop("personnummer"))
    return by_organisation


def resolve(db: sqlite_utils.Database, text: str, field: str = "existing", actor: Actor | None = None) -> int:
    """The one registered organisation with this identifier (any type) or exact name; InvalidInput otherwise.

    A sole trader's number (a personnummer) typed by a role that may not see personnummer is never looked
    up: linking the stored firm would show its name. The answer is the one for an unknown number, and the
    typist registers it as a new one (``create`` then queues the match).
    """
    from . import merges

    text = (text or "").strip()
    compact = "".join(ch for ch in text if ch.isalnum()).upper()
    personal = holds_personnummer("se_orgnr", compact) or holds_personnummer("vat", compact)
    rows = [] if personal and actor is not None and not merges.links_at_once(actor) else \
        store.find_by_identifier_or_name(db, compact, text)
    if len(rows) == 1:
        return rows[0]["id"]
    if not rows:
        raise InvalidInput(_l("No registered organisation has that identifier or name; add it as a new one below."),
                           field)
    raise InvalidInput(_l("Several organisations have that name; give the identifier instead."), field)
