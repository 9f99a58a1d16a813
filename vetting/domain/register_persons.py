"""Officers that registers name (board, CEO, directors...) offered as key persons for the officer to confirm."""
from __future__ import annotations

from typing import Any

import sqlite_utils
from .message import _l

from ..store import organisations as org_store
from ..store import write_transaction
from .audit import Actor, record
from .errors import InvalidInput
from .organisations import add_key_person
from .text import fold
from .screening_status import newest_of

# Register role words (Swedish, Norwegian, English) → our key roles; anything else defaults to board member.
ROLE_WORDS = {
    "ceo": ("daglig leder", "verkstallande direktor", "vd", "chief executive", "managing director", "ceo"),
    "deputy": ("varamedlem", "suppleant", "styrelsesuppleant", "deputy", "alternate"),
    "signatory": ("signatur", "prokura", "firmatecknare", "signatory"),
    "beneficial_owner": ("reelle rettighetshavere", "verklig huvudman", "person with significant control",
                         "beneficial owner"),
    "contact": ("kontaktperson", "secretary", "sekreterare", "regnskapsforer", "revisor", "auditor", "accountant"),
    "board_member": ("styrets leder", "styremedlem", "nestleder", "ordforande", "styrelseledamot", "director",
                     "member", "board"),
}


# A vice VD acts in the CEO's place when the CEO cannot (ABL 8:36): authorised to sign, yet not the CEO.
DEPUTY_CEO_WORDS = ("vice verkstallande direktor", "vice vd", "deputy managing director", "deputy ceo")


def map_role(register_role: str) -> str:
    """Our key role for a role as a register or an annual report words it (no role: a board member)."""
    folded = fold(register_role)
    if any(word in folded for word in DEPUTY_CEO_WORDS):
        return "signatory"
    for role, words in ROLE_WORDS.items():
        if any(word in folded for word in words):
            return role
    return "board_member"


def _birth(value: Any) -> str | None:
    text = str(value or "")[:10]
    return text if len(text) in (4, 7, 10) and text[:4].isdigit() else None


def candidates(db: sqlite_utils.Database, organisation_id: int) -> list[dict[str, Any]]:
    """Officers in the newest register outcomes that are not yet key persons of the organisation."""
    known = {(fold(kp["name"]), kp["role"]) for kp in org_store.key_persons(db, organisation_id)}
    known_names = {fold(kp["name"]) for kp in org_store.key_persons(db, organisation_id)}
    out: list[dict[str, Any]] = []
    for outcome in newest_of(db, "organisation", organisation_id):
        for finding in outcome["findings"]:
            if finding["code"] != "company.officers" or not isinstance(finding["value"], list):
                continue
            for officer in finding["value"]:
                name = str(officer.get("name") or "").strip()
                role = map_role(str(officer.get("role") or ""))
                if not name or (fold(name), role) in known:
                    continue
                out.append({"key": f"{outcome['id']}:{len(out)}", "name": name, "register_role": officer.get("role"),
                            "role": role, "birth_date": _birth(officer.get("birth_date")),
                            "source": outcome["check_id"], "fetched": outcome["created_at"][:10],
                            "known_name": fold(name) in known_names})
    return out


def confirm(db: sqlite_utils.Database, actor: Actor, organisation_id: int, keys: list[str]) -> int:
    """Add the chosen register officers as key persons (source: the register and the date it said so)."""
    offered = {c["key"]: c for c in candidates(db, organisation_id)}
    chosen = [offered[k] for k in keys if k in offered]
    if not chosen:
        raise InvalidInput(_l("Choose at least one person to add."))
    with write_transaction(db):
        # Matched to a stored person by name within this organisation only: the register names no personnummer,
        # and whether one is stored for the person is neither used nor shown.
        same_name = {fold(kp["name"]): kp["id"] for kp in org_store.key_persons(db, organisation_id)}
        for person in chosen:
            birth = person["birth_date"] or ""
            written = str(person.get("register_role") or "").strip()
            source = f"{person['source']} {person['fetched']}" + (f" ({written})" if written else "")
            existing = same_name.get(fold(person["name"]))
            if existing is not None:
                if not org_store.find_key_role(db, organisation_id, existing, person["role"]):
                    org_store.insert_key_role(db, organisation_id, existing, person["role"], source)
                    record(db, actor, "key_person.add", "organisation", organisation_id,
                           after={"person_id": existing, "role": person["role"], "source": source})
                continue
            values = {"name": person["name"], "role": person["role"], "source": source,
                      "birth_date": birth[:4] if len(birth) == 7 else birth}
            add_key_person(db, actor, organisation_id, values)
        record(db, actor, "key_person.from_register", "organisation", organisation_id,
               after={"added": [p["name"] for p in chosen]})
    return len(chosen)
