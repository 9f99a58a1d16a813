"""Retention: what is due for erasure, and the audited purge that anonymises or deletes it.

A key person is due ``RETENTION_PERSONAL_DATA_YEARS`` after the latest of: the end of the last
procurement they are linked to (through an organisation's key role), the end or creation of
their last role, their registration. Anyone linked to a procurement that has not ended is
never due. Erasing a person anonymises the person row (key roles stay, so organisations'
history stays coherent) and strips their identifiers from the records built on them: screening
outcomes and evidence bodies, match-decision reasons, checkpoint texts and decisions, alerts.
Decisions keep their outcome, author, date and reason (redacted); the audit log is left as it is
(see :func:`erase_person`). Beyond the person's own records, ``erasure_related`` takes them out of
their organisations' register answers (annual-report ZIPs with signers' names included), the sole
trader whose number is theirs, and four-eyes proposals. A sole trader whose owner is no stored person is due
and erased by itself (``erasure_related``).
"""
from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from datetime import date, datetime, timedelta, timezone
from typing import Any

import sqlite_utils

from ..store import privacy as store
from ..store import reviews as review_store
from ..store import write_transaction
from .audit import Actor, record
from .erasure_files import erase_files
from .erasure_related import erase_sole_trader, firms_due, redact_checkpoints, redact_related, redact_risk
from .redaction import ERASED, identifying_terms, redact_text
from .retention_dates import Due, _day, add_years

# The erased person's name: stored data shown as it is on every page, PDF and export (and written into redacted
# texts), so in Swedish as an officer writes it, like the erased firm's (erasure_related.ANONYMISED_FIRM).
ANONYMISED_NAME = "Gallrad person {id}"
PERSON_FIELDS = ("name", "personnummer", "birth_date", "nationality")
# Explanation keys of a screening match that identify the listed entry, not the subject: kept.
_MATCH_KEYS = frozenset({"list", "list_version", "listed_id", "listed_kind", "score", "level", "programmes",
                         "entry_hash", "dismissed_before"})
_FEATURE_KEYS = frozenset({"feature", "value", "weight", "contribution"})


def _person_due(row: Mapping[str, Any], years: int, today: date) -> Due | None:
    """The person as a Due item when their period has run out, else None."""
    if row["running"]:
        return None
    dates = {"procurement_closed": row["procurement_closed_at"], "role_ended": row["role_ended_at"],
             "role_created": row["role_created_at"], "registered": row["created_at"]}
    basis, reference = max(((k, v) for k, v in dates.items() if v), key=lambda kv: kv[1])
    until = add_years(_day(reference), years)
    if until > today:
        return None
    return Due("person", row["id"], row["name"], basis, _day(reference).isoformat(), until.isoformat())


def due_for_erasure(db: sqlite_utils.Database, settings: Mapping[str, Any], today: date | None = None) -> list[Due]:
    """Everything whose retention period has run out on ``today`` (default: today, UTC)."""
    today = today or datetime.now(timezone.utc).date()
    years = int(settings["RETENTION_PERSONAL_DATA_YEARS"])
    due = [d for d in (_person_due(row, years, today) for row in store.retention_dates(db)) if d]
    due += firms_due(db, years, today)
    days = int(settings["RETENTION_PENDING_IMPORTS_DAYS"])
    cutoff = datetime.combine(today - timedelta(days=days), datetime.min.time(), timezone.utc).isoformat()
    for row in store.pending_imports_before(db, cutoff):
        due.append(Due("pending_import", row["id"], row["filename"], "uploaded", _day(row["created_at"]).isoformat(),
                       (_day(row["created_at"]) + timedelta(days=days)).isoformat()))
    return due


def purge(db: sqlite_utils.Database, actor: Actor, settings: Mapping[str, Any], today: date | None = None,
          only: Collection[tuple[str, int]] | None = None) -> list[Due]:
    """Erase everything due (or only the listed ``(kind, id)`` among it); one audit entry per record.

    Each record is erased in its own transaction and re-checked inside it, so a person who joined
    a running procurement meanwhile is left alone.
    """
    today = today or datetime.now(timezone.utc).date()
    years = int(settings["RETENTION_PERSONAL_DATA_YEARS"])
    done = []
    for item in due_for_erasure(db, settings, today):
        if only is not None and (item.kind, item.id) not in only:
            continue
        with write_transaction(db):
            if item.kind == "person":
                current = store.retention_dates(db, item.id)
                if not current or _person_due(current[0], years, today) is None:
                    continue
                erase_person(db, actor, item, years)
            elif item.kind == "sole_trader":
                if not firms_due(db, years, today, item.id):
                    continue
                erase_sole_trader(db, actor, item, years)
            else:
                store.delete_pending_import(db, item.id)
                record(db, actor, "pending_import.expire", "pending_import", item.id,
                       before={"filename": item.label, "uploaded": item.reference_date},
                       reason=f"retention: unconfirmed for {settings['RETENTION_PENDING_IMPORTS_DAYS']} days")
        done.append(item)
    if any(d.kind in ("person", "sole_trader") for d in done):
        from ..store.maintenance import checkpoint_truncate, drop_search_leftovers

        with write_transaction(db):
            drop_search_leftovers(db.conn)  # the search indexes' old segments still hold the erased words
        checkpoint_truncate(db.conn)  # the WAL's old page versions still hold what was erased
    return done


def _strip_findings(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Findings keep their code, evidence link and non-text values; text (detail, notes, names) goes."""
    out = []
    for f in findings:
        value = f.get("value")
        if isinstance(value, dict):
            value = {k: v for k, v in value.items() if not isinstance(v, str) or k in ("list", "listed_id")}
        elif isinstance(value, str):
            value = ERASED
        out.append({"code": f.get("code"), "value": value, "detail": ERASED, "evidence": f.get("evidence", 0)})
    return out


def _strip_explanation(explanation: list[Any]) -> list[Any]:
    """Matches keep the list entry they point at and the numbers; names and feature texts go."""
    out = []
    for match in explanation:
        if not isinstance(match, dict):
            continue
        kept = {k: v for k, v in match.items() if k in _MATCH_KEYS}
        if isinstance(match.get("features"), list):
            kept["features"] = [{k: v for k, v in f.items() if k in _FEATURE_KEYS} for f in match["features"]
                                if isinstance(f, dict)]
        out.append({**kept, "erased": True})
    return out


def erase_person(db: sqlite_utils.Database, actor: Actor, item: Due, years: int) -> dict[str, int]:
    """Anonymise one person and what identifies them elsewhere; return counts of rewritten records.

    Runs inside the caller's transaction. Outcomes, evidence and checkpoint decisions are immutable
    by trigger except while this person's erasure is open (migration ``0007_privacy``): it is
    opened and closed within this transaction. The audit log is not rewritten: it must stay
    verifiable, it never held a full personnummer, and the names in its ``key_person.add``
    entries are the authority's record of who was vetted, visible only to auditors and
    administrators and kept under the archive rules that govern the log; the entry written
    here names the erased fields, never their values.
    """
    from ..store import merges as merge_store
    from ..store import organisations as org_store

    person = org_store.get_person(db, item.id) or {}
    placeholder = ANONYMISED_NAME.format(id=item.id)
    terms = identifying_terms(person, placeholder)
    erasure_id = store.open_erasure(db, item.id, rule="RETENTION_PERSONAL_DATA_YEARS", basis=item.basis,
                                    reference_date=item.reference_date, erased_by=actor.username)
    store.anonymise_person(db, item.id, placeholder)
    counts = {"outcomes": 0, "evidence": 0, "match_reviews": 0, "checkpoints": 0, "checkpoint_decisions": 0,
              "alerts": 0}
    for outcome in store.person_outcomes(db, item.id):
        findings = json.dumps(_strip_findings(json.loads(outcome["findings"])), ensure_ascii=False)
        explanation = json.dumps(_strip_explanation(json.loads(outcome["explanation"])), ensure_ascii=False)
        if (findings, explanation) != (outcome["findings"], outcome["explanation"]):
            store.rewrite_outcome(db, outcome["id"], findings, explanation)
            counts["outcomes"] += 1
    # The person's own evidence is tombstoned with every other stored file by erase_files below.
    counts["evidence"] = len(store.person_evidence(db, item.id))
    for review in review_store.for_subject(db, "person", item.id):
        reason = redact_text(review["reason"], terms) or ""
        if reason != review["reason"]:
            store.set_match_review_reason(db, review["id"], reason)
            counts["match_reviews"] += 1
    counts["checkpoints"], counts["checkpoint_decisions"] = redact_checkpoints(
        db, store.organisations_of_person(db, item.id), terms)
    for alert in store.person_alerts(db, item.id):
        detail, note = redact_text(alert["detail"], terms) or "", redact_text(alert["handling_note"], terms)
        if (detail, note) != (alert["detail"], alert["handling_note"]):
            store.set_alert_texts(db, alert["id"], detail, note)
            counts["alerts"] += 1
    counts.update(redact_risk(db, store.organisations_of_person(db, item.id), terms))
    firms = store.sole_traders_of(db, person.get("personnummer"))  # before redact_related takes their numbers
    counts.update(redact_related(db, person, store.organisations_of_person(db, item.id), terms, erasure_id))
    counts.update(erase_files(db, actor, item.id, person, firms, store.organisations_of_person(db, item.id), terms,
                              erasure_id))
    counts["merge_queue"] = merge_store.erase_person(db, item.id)
    store.close_erasure(db, erasure_id, counts)
    record(db, actor, "person.erase", "person", item.id, before={"erased_fields": list(PERSON_FIELDS)},
           after={"erasure_id": erasure_id, "name": placeholder, "basis": item.basis,
                  "reference_date": item.reference_date, "rewritten": counts},
           reason=f"retention: {years} years after {item.basis.replace('_', ' ')} on {item.reference_date}")
    return counts
