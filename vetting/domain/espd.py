"""The supplier's ESPD as evidence: import a response per (procurement, organisation), record the signed truth
declaration (sanningsförsäkran), and give each exclusion ground its answers and facts.

An ESPD belongs to one organisation in one procurement (the bidder, each entity relied on, each
subcontractor answers its own); a new file is a new row, the old one stays readable. A file that cannot be
read, is of a version we do not know or speaks for another economic operator is refused and nothing changes.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlite_utils

from ..espd import EspdError, EspdResponse, parse
from ..espd.criteria import thirteen_one
from ..risk import Fact
from ..store import espd as store
from ..store import organisations as org_store
from ..store import procurements as procurement_store
from ..store import write_transaction
from . import clock
from .audit import Actor, record
from .errors import InvalidInput, NotFound
from .identifiers import is_sole_trader, mask_identifier, mask_personnummer_in_text
from .manual import clean_document
from .message import Message, _l

# Why a file is refused, in the user's words (reason codes from vetting.espd.EspdError).
REFUSALS = {
    "too_large": _l("The ESPD file is larger than %(limit_mb)s MB."),
    "empty": _l("The ESPD file is empty."),
    "truncated": _l("The ESPD file is cut short (it ends on line %(line)s before the document is complete). "
                    "Ask the supplier for the whole file."),
    "malformed": _l("The ESPD file is not well-formed XML (error on line %(line)s)."),
    "encoding": _l("The ESPD file declares a character encoding that cannot be read."),
    "forbidden": _l("The ESPD file contains a DTD or entity declarations, which an ESPD never has; it was refused."),
    "not_espd": _l("The file is not an ESPD response (ESPD-EDM XML)."),
    "request": _l("The file is the buyer's ESPD request, not the supplier's response."),
    "unknown_version": _l("ESPD version “%(version)s” cannot be read; versions 2.1.1, 3.3.0 and 4.1.0 can."),
    "no_operator": _l("The ESPD names no economic operator."),
    "no_criteria": _l("The ESPD contains no exclusion criteria."),
}


def refusal(exc: EspdError) -> Message:
    """The message for a refused file, in the reader's language."""
    template = REFUSALS.get(exc.reason, REFUSALS["not_espd"])
    return _l(template.msgid, **exc.params)  # still lazy: translated where it is shown


def _compact(value: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", value.upper())


def identifier_forms(identifier_type: str | None, identifier: str | None) -> set[str]:
    """The ways an organisation's identifier may be written in an ESPD (compacted): the number itself, and for a
    Swedish or Norwegian organisation number also its VAT number (SE…01, NO…MVA)."""
    if not identifier:
        return set()
    value = _compact(identifier)
    forms = {value}
    if identifier_type == "se_orgnr":
        forms |= {f"SE{value}01", f"SE{value}"}
    elif identifier_type == "no_orgnr":
        forms |= {f"NO{value}MVA", f"NO{value}"}
    elif identifier_type == "vat" and len(value) > 2:
        forms.add(value[2:])
    return forms


def _participant(db: sqlite_utils.Database, procurement_id: int, organisation_id: int) -> dict[str, Any]:
    if procurement_store.get(db, procurement_id) is None:
        raise NotFound(_l("No such procurement."))
    mine = [p for p in procurement_store.participants(db, procurement_id) if p["organisation_id"] == organisation_id]
    if not mine:
        raise InvalidInput(_l("The organisation does not take part in this procurement."))
    return mine[0]


def read(data: bytes) -> EspdResponse:
    """The parsed ESPD, or InvalidInput with the reason in words."""
    try:
        return parse(data)
    except EspdError as exc:
        raise InvalidInput(refusal(exc), "file") from None


def import_espd(db: sqlite_utils.Database, actor: Actor, procurement_id: int, organisation_id: int,
                filename: str, data: bytes) -> int:
    """Read and store an ESPD response as evidence of the organisation in the procurement; return its id.

    Refused, with nothing stored, when the file cannot be read or its economic operator's identifier differs
    from the organisation's. An organisation without an identifier is stored flagged "not compared".
    """
    _participant(db, procurement_id, organisation_id)
    organisation = org_store.get(db, organisation_id) or {}
    espd = read(data)
    ours = identifier_forms(organisation.get("identifier_type"), organisation.get("identifier"))
    theirs = {_compact(i) for i in espd.operator.identifiers}
    if ours and not theirs:
        raise InvalidInput(_l("The ESPD gives no identifier for its economic operator, so it cannot be shown to be "
                              "%(name)s's.", name=organisation.get("name")), "file")
    if ours and not ours & theirs:
        raise InvalidInput(_l("The ESPD is for another economic operator: it gives %(theirs)s, %(name)s has %(ours)s.",
                              theirs=mask_personnummer_in_text(", ".join(espd.operator.identifiers)[:80]),
                              name=organisation.get("name"),
                              ours=mask_identifier(organisation.get("identifier_type"), organisation.get("identifier"))),
                           "file")
    with write_transaction(db):
        espd_id = store.insert_response(
            db, procurement_id=procurement_id, organisation_id=organisation_id, version=espd.version,
            profile=espd.profile, document_id=espd.document_id, contract_folder_id=espd.contract_folder_id,
            issued=espd.issued, operator_name=espd.operator.name, operator_identifiers=list(espd.operator.identifiers),
            operator_country=espd.operator.country, identifier_compared=bool(ours),
            filename=(filename or "espd.xml")[:200], sha256=hashlib.sha256(data).hexdigest(), body=data,
            uploaded_by=actor.username)
        for position, a in enumerate(espd.answers):
            store.insert_answer(db, espd_id, position, uuid=a.uuid, code=a.code, name=a.name, ground=a.ground,
                                indicator=a.indicator, declared=a.declared,
                                details=[{"question": d.question, "kind": d.kind, "value": d.value} for d in a.details])
        record(db, actor, "espd.import", "organisation", organisation_id,
               after={"procurement_id": procurement_id, "espd_id": espd_id, "version": espd.version,
                      "sha256": hashlib.sha256(data).hexdigest(), "identifier_compared": bool(ours),
                      "declared": sorted({a.ground for a in espd.answers if a.declared})})
        _reassess(db, organisation_id, "espd.import")
    return espd_id


def record_truth_declaration(db: sqlite_utils.Database, actor: Actor, procurement_id: int, organisation_id: int,
                             signed_by: str, signed_on: str, document: tuple[str, bytes] | None) -> int:
    """Record the supplier's signed truth declaration: who signed, when, and the signed document."""
    _participant(db, procurement_id, organisation_id)
    signer = " ".join((signed_by or "").split())[:200]
    if not signer:
        raise InvalidInput(_l("Enter who signed the truth declaration."), "signed_by")
    try:
        day = date.fromisoformat((signed_on or "").strip())
    except ValueError:
        raise InvalidInput(_l("“%(value)s” is not a date: write YYYY-MM-DD.", value=(signed_on or "")[:20]),
                           "signed_on") from None
    if day > clock.today():
        raise InvalidInput(_l("The date cannot be in the future."), "signed_on")
    if not document or not document[1]:
        raise InvalidInput(_l("Attach the signed truth declaration."), "document")
    doc = clean_document(*document)
    with write_transaction(db):
        declaration_id = store.insert_truth_declaration(
            db, procurement_id=procurement_id, organisation_id=organisation_id, signed_by=signer,
            signed_on=day.isoformat(), filename=doc["filename"], media_type=doc["media_type"], sha256=doc["sha256"],
            body=doc["body"], recorded_by=actor.username)
        record(db, actor, "espd.truth_declaration", "organisation", organisation_id,
               after={"procurement_id": procurement_id, "declaration_id": declaration_id, "signed_by": signer,
                      "signed_on": day.isoformat(), "sha256": doc["sha256"]})
        _reassess(db, organisation_id, "espd.truth_declaration")
    return declaration_id


def _reassess(db: sqlite_utils.Database, organisation_id: int, why: str) -> None:
    """New evidence: the organisation's assessed cases are stale and assessed again (as a new outcome does)."""
    from .staleness import outcome_changed

    outcome_changed(db, "organisation", organisation_id, why)


@dataclass(frozen=True)
class GroundAnswer:
    """One ESPD answer for the exclusion case page: the criterion, yes/no/open, details, and its evidence."""

    ground: str
    criterion: str         # the type code as the ESPD writes it (long in 2.1.1, short in 3.x/4.x)
    name: str
    indicator: str | None
    declared: bool | None
    details: tuple[dict[str, Any], ...]
    dates: tuple[str, ...]
    amounts: tuple[dict[str, str], ...]
    descriptions: tuple[str, ...]
    espd_id: int
    sha256: str
    evidence: str          # the reference risk results carry: "espd:<id>"
    uuid: str = ""         # the criterion's UUID (the same in every version)


def answers_for(db: sqlite_utils.Database, procurement_id: int, organisation_id: int) -> dict[str, list[GroundAnswer]]:
    """The seam for the exclusion case: the newest ESPD's answers per LOU ground ("13:1", "13:2", "13:3p1"…
    see ``vetting.espd.criteria.GROUNDS``), each with the ESPD as its evidence; empty without an ESPD."""
    espd = store.latest_response(db, procurement_id, organisation_id)
    if espd is None:
        return {}
    out: dict[str, list[GroundAnswer]] = {}
    for a in store.answers(db, espd["id"]):
        details = tuple(a["details"])
        periods = [d["value"] for d in details if d["kind"] == "period"]
        dates = tuple([d["value"] for d in details if d["kind"] == "date"]
                      + [v for p in periods for v in (p.get("start"), p.get("end")) if v])
        out.setdefault(a["ground"], []).append(GroundAnswer(
            a["ground"], a["criterion_code"], a["name"], a["indicator"], a["declared"], details, dates,
            tuple(d["value"] for d in details if d["kind"] == "amount"),
            tuple(d["value"] for d in details if d["kind"] == "description"), espd["id"], espd["sha256"],
            f"espd:{espd['id']}", a["criterion_uuid"]))
    return out


def risk_facts(db: sqlite_utils.Database, procurement_id: int, organisation_id: int) -> dict[str, Fact]:
    """The ESPD and the truth declaration as facts of the case, each pointing at its evidence.

    ``espd.exclusion_declared``: the supplier declares any exclusion ground (as the model reads it). Each answer
    stands in for its indicator's question: "yes" always (a declared ground is a ground); "no" only under a signed
    truth declaration, and for 13:1 only when every one of its six criteria is answered "no".
    """
    facts: dict[str, Fact] = {}
    truth = store.latest_truth_declaration(db, procurement_id, organisation_id)
    tref = (f"truth_declaration:{truth['id']}",) if truth else ()
    if truth:
        facts["espd.truth_declaration_signed"] = Fact(True, tref)
    grounds = answers_for(db, procurement_id, organisation_id)
    if not grounds:
        return facts
    every = [a for answers in grounds.values() for a in answers]
    ref = (every[0].evidence,)
    if any(a.declared for a in every):
        facts["espd.exclusion_declared"] = Fact(True, ref)
    elif all(a.declared is False for a in every):
        facts["espd.exclusion_declared"] = Fact(False, ref)
    by_fact: dict[str, list[GroundAnswer]] = {}
    criteria = {c.uuid: c for c in thirteen_one()}
    for a in every:
        fact = next((c.answer_fact for c in _criteria_of(a)), None)
        if fact:
            by_fact.setdefault(fact, []).append(a)
    for fact, answers in by_fact.items():
        if any(a.declared for a in answers):
            facts[fact] = Fact("yes", ref)
        elif truth and all(a.declared is False for a in answers):
            if fact == "answer.EX-01" and len({a.uuid for a in answers}) < len(criteria):
                continue  # a 13:1 criterion is missing from the ESPD: not every conviction ground is answered
            facts[fact] = Fact("no", ref + tref)
    return facts


def _criteria_of(answer: GroundAnswer) -> tuple[Any, ...]:
    from ..espd import criterion_of

    found = criterion_of(answer.uuid, answer.criterion)
    return (found,) if found else ()


def _shown(row: dict[str, Any] | None, organisation: dict[str, Any]) -> dict[str, Any] | None:
    """An ESPD row for a page: a sole trader's identifiers (a personnummer, also inside its VAT number) masked."""
    kind, number = organisation.get("identifier_type"), organisation.get("identifier")
    if row is None or not is_sole_trader(kind, number):
        return row

    def masked(shown: str) -> str:
        if str(number) in re.sub(r"\D", "", shown):  # the number itself, or the VAT number made from it
            return mask_identifier(kind, number)
        return mask_personnummer_in_text(shown)

    return {**row, "operator_identifiers": [masked(i) for i in row["operator_identifiers"]]}


def party(db: sqlite_utils.Database, procurement_id: int, organisation_id: int) -> dict[str, Any]:
    """Everything the ESPD page of one party shows: the newest ESPD with its answers per ground, earlier files,
    the truth declaration, and the entities relied on and subcontractors under it (each answers its own ESPD)."""
    participant = _participant(db, procurement_id, organisation_id)
    below = [p for p in procurement_store.participants(db, procurement_id)
             if p["parent_id"] is not None and p["parent_id"] == participant["id"]]
    latest = {p["organisation_id"]: store.latest_response(db, procurement_id, p["organisation_id"]) for p in below}
    organisation = org_store.get(db, organisation_id) or {}
    return {"procurement": procurement_store.get(db, procurement_id), "organisation": organisation,
            "participant": participant,
            "espd": _shown(store.latest_response(db, procurement_id, organisation_id), organisation),
            "grounds": answers_for(db, procurement_id, organisation_id),
            "earlier": [r for r in store.responses_of_organisation(db, organisation_id)
                        if r["procurement_id"] == procurement_id][1:],
            "truth": store.latest_truth_declaration(db, procurement_id, organisation_id),
            "related": [{**p, "espd": latest[p["organisation_id"]]} for p in below]}


def of_organisation(db: sqlite_utils.Database, organisation_id: int) -> list[dict[str, Any]]:
    """The organisation's ESPDs in every procurement, newest first, each with its answers per ground."""
    out = []
    seen: set[int] = set()
    organisation = org_store.get(db, organisation_id) or {}
    for row in (_shown(r, organisation) or r for r in store.responses_of_organisation(db, organisation_id)):
        if row["procurement_id"] in seen:
            continue  # only the newest per procurement counts; the party page lists the earlier ones
        seen.add(row["procurement_id"])
        out.append({**row, "grounds": answers_for(db, row["procurement_id"], organisation_id)})
    return out


def _audit_download(db: sqlite_utils.Database, actor: Actor, organisation_id: int, personal_data: bool,
                    what: dict[str, Any]) -> None:
    from .downloads import Forbidden
    from .identifiers import is_sole_trader

    organisation = org_store.get(db, organisation_id) or {}
    if is_sole_trader(organisation.get("identifier_type"), organisation.get("identifier")) and not personal_data:
        raise Forbidden(_l("This evidence holds personal data; your role may not download it."))
    with write_transaction(db):
        record(db, actor, "espd.download", "organisation", organisation_id, after=what)


def response_file(db: sqlite_utils.Database, actor: Actor, espd_id: int, *, personal_data: bool) -> dict[str, Any]:
    """The ESPD file as it was uploaded, for a download; audited (it names the supplier's representatives)."""
    row = store.response_file(db, espd_id)
    if row is None:
        raise NotFound(_l("No such ESPD."))
    from .downloads import refuse_if_erased

    refuse_if_erased(db, "espd_response", espd_id)
    _audit_download(db, actor, row["organisation_id"], personal_data, {"espd_id": espd_id, "sha256": row["sha256"]})
    return row


def truth_declaration_file(db: sqlite_utils.Database, actor: Actor, declaration_id: int, *,
                           personal_data: bool) -> dict[str, Any]:
    """The signed truth declaration as recorded, for a download; audited."""
    row = store.truth_declaration_file(db, declaration_id)
    if row is None:
        raise NotFound(_l("No such truth declaration."))
    from .downloads import refuse_if_erased

    refuse_if_erased(db, "truth_declaration", declaration_id)
    _audit_download(db, actor, row["organisation_id"], personal_data,
                    {"declaration_id": declaration_id, "sha256": row["sha256"]})
    return row


def case_evidence(db: sqlite_utils.Database, procurement_id: int, organisation_id: int) -> dict[str, Any]:
    """What the risk case page shows of the ESPD: the newest file, its answers per ground, the truth declaration."""
    return {"espd": _shown(store.latest_response(db, procurement_id, organisation_id),
                           org_store.get(db, organisation_id) or {}),
            "grounds": answers_for(db, procurement_id, organisation_id),
            "truth": store.latest_truth_declaration(db, procurement_id, organisation_id)}
