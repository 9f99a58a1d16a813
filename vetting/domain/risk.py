"""Risk assessments: the model applied to a case, questions, triage, overrides, model versions (exclusion: domain/exclusion/)."""
from __future__ import annotations

import hashlib
from collections import Counter
from functools import lru_cache
from typing import Any

import sqlite_utils
from .message import _l

from ..risk import Model, ModelError, evaluate, load_model, questions, score
from ..store import procurements as procurement_store
from ..store import risk as store
from ..store import write_transaction
from . import risk_facts
from .audit import SYSTEM, Actor, record
from .errors import Conflict, InvalidInput, NotFound
from .screening import all_checks

LEVELS = ("basic_done", "deepened_check", "joint_review", "exclusion_assessment")
ANSWERS = ("yes", "no", "unknown")


def manual_facts() -> frozenset[str]:
    """Finding codes only a manual check gives (an officer's answer): their absence is a question, not a risk."""
    return frozenset(code for check in all_checks().values() if check.mode == "manual" for code in check.FINDINGS)


def known_facts() -> set[str]:
    """Every finding code a discovered check declares (the model may only read facts that exist)."""
    return {code for check in all_checks().values() for code in check.FINDINGS}


@lru_cache(maxsize=1)
def default_model_text() -> str:
    """The model file shipped with the app as the default (vetting/risk/model.py DEFAULT_MODEL)."""
    from ..risk.model import DEFAULT_MODEL

    return DEFAULT_MODEL.read_text(encoding="utf-8")


@lru_cache(maxsize=8)
def _parse(text: str) -> Model:
    return load_model(text, known_facts())


def _newer(version: str, than: str) -> bool:
    """Shipped versions are numbered; anything else (an administrator's own naming) is never replaced."""
    return version.isdigit() and than.isdigit() and int(version) > int(than)


def current_model(db: sqlite_utils.Database) -> Model:
    """The published model in use. The shipped default is published the first time nothing is, and a newer
    shipped default replaces an older one that the system published (nobody chose it); a version an
    administrator published stays until an administrator publishes another. Stored versions never change."""
    active = store.active_model(db)
    text = default_model_text()
    shipped = _parse(text)
    if active is None or (active["published_by"] == SYSTEM.username and _newer(shipped.version, active["version"])
                          and store.model(db, shipped.version) is None):
        with write_transaction(db):
            now = store.active_model(db)
            if now is None or (now["published_by"] == SYSTEM.username and _newer(shipped.version, now["version"])
                               and store.model(db, shipped.version) is None):
                store.publish_model(db, shipped.version, hashlib.sha256(text.encode()).hexdigest(), text,
                                    SYSTEM.username)
                record(db, SYSTEM, "risk.model_publish", "risk_model", shipped.version,
                       after={"replaces": now["version"]} if now else None)
        active = store.active_model(db)
    return _parse(active["text"])  # type: ignore[index]


def assess(db: sqlite_utils.Database, actor: Actor, procurement_id: int, organisation_id: int) -> int:
    """Evaluate the model on everything known about the case; store it; open an exclusion case if a ground fired."""
    if not any(p["organisation_id"] == organisation_id for p in procurement_store.participants(db, procurement_id)):
        raise InvalidInput(_l("The organisation does not take part in this procurement."))
    model = current_model(db)
    case = risk_facts.build(db, procurement_id, organisation_id)
    assessment = evaluate(model, case)
    procurement = procurement_store.get(db, procurement_id) or {}
    risk_industry = assessment.risk_industry if assessment.risk_industry is not None else bool(procurement.get("risk_industry"))
    result = score(model, assessment, risk_industry, manual_facts())
    with write_transaction(db):
        previous = store.latest_assessment(db, procurement_id, organisation_id)
        assessment_id = store.insert_assessment(
            db, procurement_id=procurement_id, organisation_id=organisation_id, model_version=model.version,
            model_sha256=model.sha256, level=result.level, total=result.total, multiplier=result.multiplier,
            results=[r.__dict__ if hasattr(r, "__dict__") else _as_dict(r) for r in assessment.results],
            reasons=[{"sv": t.sv, "en": t.en} for t in result.reasons], facts=risk_facts.to_json(case),
            prepared_by=actor.username, prepared_by_id=actor.id)
        if previous and previous.get("override_level"):
            # A security officer's decision outlives a re-assessment; only another override changes it.
            store.insert_override(db, assessment_id, previous["override_level"], previous["override_reason"],
                                  previous["overridden_by"])
            record(db, actor, "risk.override_carried", "procurement", procurement_id,
                   after={"assessment_id": assessment_id, "level": previous["override_level"],
                          "from_assessment": previous["id"]})
        from .exclusion import cases as exclusion_cases

        # Grounds already in a case with unchanged facts stay where they are (decided ones stay decided).
        exclusion_cases.sync(db, actor, procurement_id, organisation_id, assessment_id, model, case,
                             list(result.exclusion_grounds))
        record(db, actor, "risk.assess", "procurement", procurement_id,
               after={"organisation_id": organisation_id, "assessment_id": assessment_id, "level": result.level,
                      "model": model.version, "fired": [r.id for r in assessment.results if r.state == "fired"]})
        from .triage import assessed

        assessed(db, actor, procurement_id, organisation_id, assessment_id)
    from .followup_risk import level_changed

    level_changed(db, actor, procurement_id)  # a signed contract's follow-up follows its level
    return assessment_id


def _as_dict(result: Any) -> dict[str, Any]:
    return {name: getattr(result, name) for name in result.__slots__}


def assess_procurement(db: sqlite_utils.Database, actor: Actor, procurement_id: int) -> int:
    """Assess every organisation in the procurement's chain; return how many."""
    organisation_ids = sorted({p["organisation_id"] for p in procurement_store.participants(db, procurement_id)})
    for organisation_id in organisation_ids:
        assess(db, actor, procurement_id, organisation_id)
    return len(organisation_ids)


def open_questions(db: sqlite_utils.Database, procurement_id: int, organisation_id: int) -> list[dict[str, Any]]:
    """The questions still needed for this case (answered ones and decided indicators ask nothing)."""
    if not any(p["organisation_id"] == organisation_id for p in procurement_store.participants(db, procurement_id)):
        raise InvalidInput(_l("The organisation does not take part in this procurement."))
    model = current_model(db)
    case = risk_facts.build(db, procurement_id, organisation_id)
    return [{"indicator": q.indicator_id, "fact": q.fact, "text": {"sv": q.text.sv, "en": q.text.en}}
            for q in questions(model, case)]


def answer(db: sqlite_utils.Database, actor: Actor, procurement_id: int, organisation_id: int,
           answers: dict[str, str], notes: dict[str, str] | None = None) -> int:
    """Record answers to the questionnaire and assess again; return the new assessment id."""
    notes = notes or {}
    asked = {q["fact"] for q in open_questions(db, procurement_id, organisation_id)}
    given = {fact: value for fact, value in answers.items() if value}
    unknown = set(given) - asked - set(store.answers(db, procurement_id, organisation_id))
    if unknown:
        raise InvalidInput(_l("These questions are not part of the case: %(facts)s", facts=", ".join(sorted(unknown))))
    if any(value not in ANSWERS for value in given.values()):
        raise InvalidInput(_l("Answer yes, no or don't know."))
    if not given:
        raise InvalidInput(_l("Answer at least one question."))
    with write_transaction(db):
        for fact, value in given.items():
            answer_id = store.insert_answer(db, procurement_id, organisation_id, fact, value,
                                            (notes.get(fact) or "").strip() or None, actor.username, actor.id)
            record(db, actor, "risk.answer", "procurement", procurement_id,
                   after={"organisation_id": organisation_id, "fact": fact, "value": value, "answer_id": answer_id})
    return assess(db, actor, procurement_id, organisation_id)


def effective_level(assessment: dict[str, Any] | None) -> str | None:
    """The level that counts: a security officer's override, else the model's."""
    if assessment is None:
        return None
    return assessment.get("override_level") or assessment["level"]


def override(db: sqlite_utils.Database, actor: Actor, assessment_id: int, level: str, reason: str) -> Any:
    """A security officer proposes another level, with a reason; never the person who prepared the case.

    Four eyes: it takes effect when a second security officer confirms it (foureyes.py).
    """
    reason = (reason or "").strip()
    if level not in LEVELS:
        raise InvalidInput(_l("Choose a level."), "level")
    if not reason:
        raise InvalidInput(_l("Give the reason for the override."), "reason")
    if not actor.has_role("security_officer"):
        raise InvalidInput(_l("Only a security officer may override the level."))
    assessment = store.assessment(db, assessment_id)
    if assessment is None:
        raise NotFound(_l("No such assessment."))
    if assessment["prepared_by_id"] == actor.id:
        raise InvalidInput(_l("Four eyes: you prepared this assessment, so someone else must override it."))
    from .foureyes import propose

    return propose(db, actor, "risk_override", str(assessment_id),
                   {"assessment_id": assessment_id, "level": level, "organisation_id": assessment["organisation_id"],
                    "procurement_id": assessment["procurement_id"]}, reason, "procurement", assessment["procurement_id"])


def apply_override(db: sqlite_utils.Database, proposer: Actor, confirmer: Actor, payload: dict[str, Any]) -> None:
    """Four eyes confirmed: the override takes effect (caller holds the transaction)."""
    assessment = store.assessment(db, payload["assessment_id"])
    if assessment is None:
        raise NotFound(_l("No such assessment."))
    if assessment["prepared_by_id"] is not None and assessment["prepared_by_id"] == confirmer.id:
        raise InvalidInput(_l("Four eyes: you prepared this assessment, so someone else must override it."))
    store.insert_override(db, payload["assessment_id"], payload["level"], payload["reason"], proposer.username)
    record(db, proposer, "risk.override", "procurement", assessment["procurement_id"],
           before={"level": assessment["level"]},
           after={"level": payload["level"], "assessment_id": payload["assessment_id"],
                  "organisation_id": assessment["organisation_id"], "confirmed_by": confirmer.username},
           reason=payload["reason"])
    from .triage import assessed

    assessed(db, proposer, assessment["procurement_id"], assessment["organisation_id"], payload["assessment_id"])
    from .followup_risk import level_changed

    level_changed(db, proposer, assessment["procurement_id"])  # a signed contract's follow-up follows its level


def validate_model(text: str) -> Model:
    """Parse and check a model file; a problem raises InvalidInput naming the line, the indicator and the error."""
    from .model_errors import explain

    try:
        # load_model reads a one-line string as a path: typed text is always text, never a file on the server.
        return load_model(text if "\n" in text else text + "\n", known_facts())
    except ModelError as exc:
        raise explain(exc) from None


def replay(db: sqlite_utils.Database, text: str) -> dict[str, Any]:
    """Run a candidate model on every case's stored facts; count the cases whose level would change."""
    candidate = validate_model(text)
    changes: Counter[tuple[str, str]] = Counter()
    total = 0
    for row in store.latest_assessments(db):
        case = risk_facts.from_json(row["facts"])
        procurement = procurement_store.get(db, row["procurement_id"]) or {}
        assessment = evaluate(candidate, case)
        industry = assessment.risk_industry if assessment.risk_industry is not None else bool(procurement.get("risk_industry"))
        new_level = score(candidate, assessment, industry, manual_facts()).level
        total += 1
        if new_level != row["level"]:
            changes[(row["level"], new_level)] += 1
    return {"version": candidate.version, "cases": total, "changed": sum(changes.values()),
            "transitions": sorted(((a, b, n) for (a, b), n in changes.items()), key=lambda t: -t[2])}


def publish(db: sqlite_utils.Database, actor: Actor, text: str, reason: str = "") -> Any:
    """Propose a validated model version for publishing; a second person confirms it (four eyes)."""
    model = validate_model(text)
    if store.model(db, model.version):
        raise Conflict(_l("Model version %(v)s exists already: give the new file a new version.", v=model.version))
    from .foureyes import propose

    return propose(db, actor, "model_publish", model.version, {"version": model.version, "text": text},
                   reason or f"Model {model.version}", "risk_model", model.version)


def apply_publish(db: sqlite_utils.Database, proposer: Actor, confirmer: Actor, payload: dict[str, Any]) -> str:
    """Four eyes confirmed: the model version is published as the one in use (caller holds the transaction)."""
    text = payload["text"]
    model = validate_model(text)
    if store.model(db, model.version):
        raise Conflict(_l("Model version %(v)s exists already: give the new file a new version.", v=model.version))
    store.publish_model(db, model.version, hashlib.sha256(text.encode()).hexdigest(), text, proposer.username)
    record(db, proposer, "risk.model_publish", "risk_model", model.version, after={"confirmed_by": confirmer.username})
    return model.version


def add_staff_conflict(db: sqlite_utils.Database, actor: Actor, name: str, birth_year: str, note: str) -> int:
    """Add an agency staff member (or declared relative) whose ties to suppliers must be flagged."""
    name, birth_year = (name or "").strip(), (birth_year or "").strip()
    if not name:
        raise InvalidInput(_l("Enter the name."), "name")
    if birth_year and not (birth_year.isdigit() and len(birth_year) == 4):
        raise InvalidInput(_l("The birth year is four digits."), "birth_year")
    with write_transaction(db):
        entry_id = store.insert_staff_conflict(db, name, birth_year or None, (note or "").strip() or None, actor.username)
        record(db, actor, "risk.staff_conflict_add", "staff_conflict", entry_id)
    return entry_id
