"""An audit entry's before/after as a readable table: field names in words, values in words.

The audit log stores JSON as the domain wrote it; nothing here changes what is stored (the hash chain
covers it). Only the reading is translated.
"""
from __future__ import annotations

import json
import re
from typing import Any

from ..translation import lazy_gettext as _l

from ..domain.identifiers import IDENTIFIER_TYPES
from ..formatting import when
from .basic import check_name, country_name, label, number, source_name, yes_no
from .words import BATCH_KINDS, KEY_ROLES

FIELDS = {
    "annual_value": _l("Estimated value per contract year"),
    "required_staff": _l("Staff the assignment needs (full-time equivalents)"),
    "labour_intensive": _l("Labour-intensive service"), "bid_price": _l("Evaluated tender price"),
    "explanation_id": _l("Request for an explanation"), "requested_on": _l("Requested on"),
    "deadline": _l("Reply by"), "received_on": _l("Reply received on"), "assessment": _l("Assessment"),
    "written": _l("Written"),
    "name": _l("Name"), "country": _l("Country"), "nationality": _l("Nationality"), "role": _l("Role"),
    "roles": _l("Roles"), "status": _l("Result"), "phase": _l("Phase"), "reference": _l("Reference number"),
    "title": _l("Title"), "description": _l("Description"), "cpv_code": _l("CPV code"), "category": _l("Category"),
    "risk_industry": _l("Risk-exposed industry"), "estimated_value": _l("Estimated value"), "currency": _l("Currency"),
    "protection_level": _l("Security protection level"), "responsible_user_id": _l("Responsible officer"),
    "organisation_id": _l("Organisation"), "procurement_id": _l("Procurement"), "person_id": _l("Person"),
    "participant_id": _l("Party"), "parent_id": _l("Main contractor"), "share_percent": _l("Share of the contract (%)"),
    "identifier": _l("Identifier"), "identifier_type": _l("Identifier type"), "address": _l("Address"),
    "industry_code": _l("Industry code (SNI)"), "birth_date": _l("Birth date"), "personnummer": _l("Personnummer"),
    "check": _l("Check"), "check_id": _l("Check"), "outcome_id": _l("Check result"), "score": _l("Score"),
    "level": _l("Level"), "format": _l("Format"), "filename": _l("File"), "username": _l("User name"),
    "display_name": _l("Name"), "reason": _l("Reason"), "source": _l("Source"), "version": _l("Version"),
    "rows": _l("Rows"), "organisations": _l("Organisations"), "persons": _l("Persons"),
    "personal_data": _l("Includes personal data"), "created_at": _l("Created"), "updated_at": _l("Changed"),
    "template": _l("Checkpoint"), "checkpoint_id": _l("Checkpoint"), "active": _l("Active"), "dataset": _l("Data set"),
    "listed_id": _l("Listed entry"), "list": _l("List"), "decision": _l("Decision"), "total": _l("Total"),
    "risk_level": _l("Risk level"), "interval_months": _l("Interval (months)"), "next_due": _l("Next due"),
    "assessment_id": _l("Risk assessment"), "subject_id": _l("Subject"), "kind": _l("Kind"), "id": _l("Id"),
    "due_at": _l("Due"), "due": _l("Due"), "from": _l("Taken from"), "checks": _l("Checks"), "task_id": _l("Task"),
    "batch_id": _l("Batch"), "subjects": _l("Subjects"),
    "published_basis": _l("Publication date taken from"), "published_at": _l("Published"),
    "event": _l("Event"), "what": _l("What"), "findings": _l("Findings"), "title": _l("Title"),
    "other_sessions_ended": _l("Other sessions ended"), "found": _l("Found"), "sole_trader": _l("Sole trader"),
    "planned_advertising": _l("Planned advertising"), "planned_opening": _l("Planned tender opening"),
    "planned_award": _l("Planned award decision"), "planned_contract_start": _l("Planned contract start"),
    "bank_account": _l("Bank account"), "email": _l("E-mail"), "phone": _l("Phone"),
    "responsible_name": _l("Responsible officer"), "below_threshold": _l("Below the threshold"),
    "case_id": _l("Exclusion case"), "grounds": _l("Exclusion grounds"), "declared": _l("Grounds declared"),
    "espd_id": _l("ESPD"), "declaration_id": _l("Truth declaration (sanningsförsäkran)"), "sha256": _l("SHA-256"),
    "identifier_compared": _l("Identifier compared with the register"), "signed_by": _l("Signed by (name and role)"),
    "signed_on": _l("Signed on"), "fired": _l("Indicators that fired"), "model": _l("Risk model"),
    "published": _l("Published"), "records": _l("Records"), "version_id": _l("List version"),
}
# A stored timestamp (``2026-12-02T10:00:00+00:00``): shown in the reader's time zone like every other date.
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
EVENTS = {"party_added": _l("New party"), "party_changed": _l("Party changed"), "extension": _l("Extension or option"),
          "periodic": _l("Periodic review"), "new_hit": _l("New hit")}
WHATS = {"key_person": _l("Key person"), "bidder": _l("Bidder"), "awarded": _l("Awarded supplier"),
         "subcontractor": _l("Subcontractor"), "capacity": _l("Entity whose capacity is relied on")}
_VOCABULARY_OF = {"status": "status", "phase": "phase", "role": "participant_role", "protection_level": "protection_level",
                  "risk_level": "risk_level", "kind": "subject_kind", "level": "control_level", "dataset": "dataset",
                  "action": "action", "criterion": "criterion"}


def field_label(key: str) -> str:
    """A stored field's name in words."""
    return str(FIELDS.get(key, key.replace("_", " ").capitalize()))


def field_value(key: str, value: Any) -> str:
    """A stored value in words: Ja/Nej, country names, phase and status names, numbers per locale."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return yes_no(value)
    if key in ("country", "nationality") and isinstance(value, str):
        return country_name(value)
    if key in ("check", "check_id") and isinstance(value, str):
        return check_name(value)
    if key == "event" and isinstance(value, str):
        return str(EVENTS.get(value, value.replace("_", " ")))
    if key == "what" and isinstance(value, str):
        from .changes import change_kind

        return str(WHATS[value]) if value in WHATS else change_kind(value)
    if key == "from" and isinstance(value, str):
        return field_label(value)  # names the field the value was derived from
    if key == "checks" and isinstance(value, list):
        return ", ".join(check_name(v) for v in value)
    if key == "published_basis" and isinstance(value, str):
        return str({"download": _l("the date of download (the file has none)"), "file": _l("the file")}.get(value, value))
    if key == "industry_code" and isinstance(value, str):
        return f"SNI {value}"  # a code as officers write it, not a number to group (plain text: the export too)
    if isinstance(value, str) and _TIMESTAMP.match(value):
        return when(value)
    if key in ("source", "list", "list_source") and isinstance(value, str):
        return source_name(value)
    if key == "identifier_type" and isinstance(value, str):
        return str(IDENTIFIER_TYPES.get(value, value))
    if key == "role" and value in KEY_ROLES:  # a key person's role (a party's role is below)
        return label("key_role", value)
    if key == "kind" and value in BATCH_KINDS:
        return label("batch_kind", value)
    if key in ("grounds", "declared") and isinstance(value, list):
        from .espd import ground_label

        return ", ".join(ground_label(v) for v in value) if value else "—"
    if key == "dataset" and isinstance(value, str):
        return label("dataset", value)
    if isinstance(value, str) and "." in value and value.split(".")[0] in ("sanctions", "debarment", "company", "tax",
                                                                            "debts", "vat", "lei", "workplace"):
        from .facts import fact_label
        return fact_label(value)
    if key in _VOCABULARY_OF and isinstance(value, str):
        return label(_VOCABULARY_OF[key], value)
    if key == "roles" and isinstance(value, list):
        return ", ".join(label("user_role", v) for v in value)
    if isinstance(value, (int, float)) and not key.endswith("_id") and key != "id":
        return number(value)
    if isinstance(value, list):
        return ", ".join(field_value(key, v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{field_label(k)}: {field_value(k, v)}" for k, v in value.items())
    return str(value)


def changes(before_json: str | None, after_json: str | None) -> list[tuple[str, str, str]]:
    """(field, before, after) for every field in either side; an unchanged field once with both values."""
    def load(text: str | None) -> dict[str, Any]:
        try:
            value = json.loads(text) if text else {}
        except ValueError:
            return {"": text}
        return value if isinstance(value, dict) else {"": value}

    before, after = load(before_json), load(after_json)
    keys = list(dict.fromkeys([*before, *after]))
    return [(field_label(k) if k else "", field_value(k, before.get(k)) if k in before else "",
             field_value(k, after.get(k)) if k in after else "") for k in keys]
