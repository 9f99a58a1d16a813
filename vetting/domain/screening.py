"""Screening of organisations and key persons: run the checks, store outcomes, review matches."""
from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import sqlite_utils
from .message import _l

from checks import Check, Outcome, Subject, discover

from ..matching import Thresholds
from ..store import organisations as org_store
from ..store import outcomes as outcome_store
from ..store import reviews as review_store
from ..store import write_transaction
from .audit import Actor, record
from .errors import Conflict, InvalidInput, NotFound
from .lists import list_index
from .outcome_storing import store_outcome
from .runner import Batch, run_one

DECISIONS = ("confirmed", "dismissed")


@lru_cache(maxsize=1)
def all_checks() -> dict[str, Check]:
    """Every discovered check by id (built-ins and installed plugins), loaded once."""
    return discover()


def check_name(check_id: str) -> str:
    """The check's name in the reader's language (its id only if the check is gone), for the domain's words."""
    from .message import language

    check = all_checks().get(check_id)
    if check is None:
        return check_id
    return check.name.get(language()) or check.name.get("sv") or check_id


def subject_of(db: sqlite_utils.Database, kind: str, subject_id: int) -> Subject:
    """The Subject a check sees for an organisation or a person."""
    if kind == "organisation":
        return _subject(kind, subject_id, org_store.get(db, subject_id))
    if kind == "person":
        return _subject(kind, subject_id, org_store.get_person(db, subject_id))
    raise InvalidInput(_l("Unknown subject kind."))


def _subject(kind: str, subject_id: int, row: dict[str, Any] | None) -> Subject:
    """The Subject of a stored organisation or person row (NotFound when there is none)."""
    if kind == "organisation":
        if row is None:
            raise NotFound(_l("No such organisation."))
        identifiers = {row["identifier_type"]: row["identifier"]} if row["identifier"] else {}
        return Subject("organisation", row["id"], row["name"], row["country"], identifiers)
    if kind == "person":
        if row is None:
            raise NotFound(_l("No such person."))
        return Subject("person", row["id"], row["name"], row["nationality"], {}, row["birth_date"])
    raise InvalidInput(_l("Unknown subject kind."))


def thresholds_of(settings: Mapping[str, Any]) -> Thresholds:
    """Screening thresholds from configuration (the matcher's defaults where a setting is missing)."""
    return Thresholds(possible=float(settings.get("SCREENING_POSSIBLE_THRESHOLD", Thresholds.possible)),
                      hit=float(settings.get("SCREENING_HIT_THRESHOLD", Thresholds.hit)))


def _dismissed(decisions: dict[tuple[str, str], dict[str, Any]]) -> set[tuple[str, str, str]]:
    """Matches an officer said are not this subject; they stay quiet while the listed entry is unchanged."""
    return {(d["list_source"], d["listed_id"], d["entry_hash"]) for d in decisions.values() if d["decision"] == "dismissed"}


def screen_subject(db: sqlite_utils.Database, actor: Actor, kind: str, subject_id: int, settings: Mapping[str, Any],
                   check_ids: tuple[str, ...] | None = None, batch: Batch | None = None) -> list[int]:
    """Run every applicable check (or the given ones) on a subject; return the new outcome ids.

    No transaction is held while a check runs (it may wait on a register); each outcome is
    stored in its own short transaction.
    """
    subject, results = run_checks(db, kind, subject_id, settings, check_ids, batch)
    return [store_outcome(db, actor, subject, check, outcome) for check, outcome in results]


class Prefetched:
    """What running the checks on several subjects reads from the database, read for all of them at once.

    The subjects, their newest outcomes and the officers' decisions take a statement per kind of
    subject; the list index, each check's settings and the register client are had once. A
    background chunk of fifty subjects costs a handful of statements instead of a handful each.
    """

    def __init__(self, db: sqlite_utils.Database, subjects: list[tuple[str, int]], settings: Mapping[str, Any],
                 fresh: bool = False) -> None:
        self.db, self.settings, self.fresh = db, settings, fresh
        self.rows: dict[tuple[str, int], dict[str, Any] | None] = {}
        self.latest: dict[tuple[str, int], list[dict[str, Any]]] = {}
        self.decisions: dict[tuple[str, int], dict[tuple[str, str], dict[str, Any]]] = {}
        for kind in sorted({k for k, _i in subjects}):
            ids = sorted({i for k, i in subjects if k == kind})
            if kind not in ("organisation", "person"):
                raise InvalidInput(_l("Unknown subject kind."))
            found = org_store.get_many(db, ids) if kind == "organisation" else org_store.get_persons(db, ids)
            latest = outcome_store.latest_for_subjects(db, kind, ids)
            decisions = review_store.latest_decisions_for_subjects(db, kind, ids)
            for subject_id in ids:
                self.rows[(kind, subject_id)] = found.get(subject_id)
                self.latest[(kind, subject_id)] = latest[subject_id]
                self.decisions[(kind, subject_id)] = decisions[subject_id]
        self.lists = list_index(db, thresholds_of(settings))
        self._own: dict[str, dict[str, str]] = {}
        self._http: list[Any] = []

    def subject(self, kind: str, subject_id: int) -> Subject:
        return _subject(kind, subject_id, self.rows.get((kind, subject_id)))

    def own_settings(self, check: Check) -> dict[str, str]:
        """The check's stored settings (``check_context``), read once per check."""
        key = getattr(check, "settings_from", None) or check.id
        if key not in self._own:
            from .check_context import check_settings

            self._own[key] = check_settings(self.db, check)
        return self._own[key]

    def http(self) -> Any:
        """The register client, made when a register check first needs it (a list check needs none)."""
        if not self._http:
            from .check_context import http_for

            self._http.append(http_for(self.db, all_checks().values(), self.settings, self.fresh))
        return self._http[0]


def run_checks(db: sqlite_utils.Database, kind: str, subject_id: int, settings: Mapping[str, Any],
               check_ids: tuple[str, ...] | None = None,
               batch: Batch | None = None, fresh: bool = False) -> tuple[Subject, list[tuple[Check, Outcome]]]:
    """Run the applicable checks on a subject without storing anything (the caller stores the outcomes).

    Each check has REGISTER_CHECK_DEADLINE seconds for all its register calls and the subject's checks together
    REGISTER_BATCH_DEADLINE; a check whose register refused access (CheckAbort) is skipped for the rest of ``batch``.
    ``fresh``: a user asked to check now, so register answers are fetched again, never taken from the cache.
    """
    return run_prefetched(Prefetched(db, [(kind, subject_id)], settings, fresh), kind, subject_id, check_ids, batch)


def run_prefetched(pre: Prefetched, kind: str, subject_id: int, check_ids: tuple[str, ...] | None = None,
                   batch: Batch | None = None) -> tuple[Subject, list[tuple[Check, Outcome]]]:
    """``run_checks`` on one of the subjects ``pre`` read (a background chunk reads them all at once)."""
    from checks._budget import run_budget

    from .check_context import check_context

    subject = pre.subject(kind, subject_id)
    answered = {o["check_id"] for o in pre.latest[(kind, subject_id)] if o["status"] != "needs_manual_input"}
    # An officer's recorded answer to a manual check stands until someone records a new one; a manual check
    # recorded on request only (company facts from a document) is never asked for by a run.
    selected = [check for check_id, check in all_checks().items() if (not check_ids or check_id in check_ids)
                and check.applies(subject) and not (check.mode == "manual" and (
                    check_id in answered or getattr(check, "on_request_only", False)))]
    http = None
    if any(check.sources for check in selected):  # only register checks fetch (a list check needs no client)
        http = pre.http()
    inputs = {"dismissed": _dismissed(pre.decisions[(kind, subject_id)])}
    per_check = float(pre.settings.get("REGISTER_CHECK_DEADLINE") or 0) or None
    results = []
    with run_budget(float(pre.settings.get("REGISTER_BATCH_DEADLINE") or 0) or None):
        for check in selected:
            ctx = check_context(pre.db, check, http=http, lists=pre.lists, inputs=inputs, own=pre.own_settings(check))
            results.append((check, run_one(check, subject, ctx, total=per_check, batch=batch)))
    return subject, results


def screen_organisation_and_people(db: sqlite_utils.Database, actor: Actor, organisation_id: int,
                                   settings: Mapping[str, Any], check_ids: tuple[str, ...] | None = None,
                                   batch: Batch | None = None) -> int:
    """Screen an organisation and each of its key persons; return how many subjects were screened."""
    batch = batch if batch is not None else Batch()
    screen_subject(db, actor, "organisation", organisation_id, settings, check_ids, batch)
    people = {kp["id"] for kp in org_store.key_persons(db, organisation_id)}
    for person_id in sorted(people):
        screen_subject(db, actor, "person", person_id, settings, check_ids, batch)
    return 1 + len(people)


def screen_procurement(db: sqlite_utils.Database, actor: Actor, procurement_id: int, settings: Mapping[str, Any],
                       check_ids: tuple[str, ...] | None = None) -> int:
    """Screen every participant of a procurement (the whole subcontractor chain) and their key persons."""
    from ..store import procurements as procurement_store

    organisation_ids = sorted({p["organisation_id"] for p in procurement_store.participants(db, procurement_id)})
    batch = Batch()  # one refusal (expired credentials) is not repeated for every participant
    return sum(screen_organisation_and_people(db, actor, org_id, settings, check_ids, batch)
               for org_id in organisation_ids)


def _match_to_decide(db: sqlite_utils.Database, outcome_id: int, list_source: str,
                      listed_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    outcome = outcome_store.get(db, outcome_id)
    if outcome is None:
        raise NotFound(_l("No such screening result."))
    match = next((m for m in outcome["explanation"] if m.get("list") == list_source
                  and m.get("listed_id") == listed_id), None)
    if match is None:
        raise NotFound(_l("That match is not part of this screening result."))
    earlier = [r for r in review_store.for_outcome(db, outcome_id)
               if (r["list_source"], r["listed_id"]) == (list_source, listed_id)]
    if earlier:
        raise Conflict(_l("%(user)s already decided on this match.", user=earlier[-1]["decided_by"]))
    return outcome, match


def decide(db: sqlite_utils.Database, actor: Actor, outcome_id: int, list_source: str, listed_id: str, decision: str,
           reason: str) -> Any:
    """Record that a match is (confirmed) or is not (dismissed) the subject, with the reason; audited.

    Dismissing a match at or above the hit threshold needs four eyes: it returns a ``Proposed`` and takes
    effect when a second person confirms it (foureyes.py). Below the threshold it is one person's decision.
    """
    reason = (reason or "").strip()
    if decision not in DECISIONS:
        raise InvalidInput(_l("Choose whether it is the same entity."), "decision")
    if not reason:
        raise InvalidInput(_l("Give the reason for your decision."), "reason")
    outcome, match = _match_to_decide(db, outcome_id, list_source, listed_id)
    if decision == "dismissed" and match.get("level") == "hit":
        from .foureyes import propose

        return propose(db, actor, "match_dismissal", f"{outcome_id}:{list_source}:{listed_id}",
                       {"outcome_id": outcome_id, "list_source": list_source, "listed_id": listed_id,
                        "decision": decision, "score": match.get("score")},
                       reason, outcome["subject_kind"], outcome["subject_id"])
    return _write_decision(db, actor, outcome_id, list_source, listed_id, decision, reason, None)


def apply_decision(db: sqlite_utils.Database, proposer: Actor, confirmer: Actor, payload: dict[str, Any]) -> int:
    """Four eyes confirmed: the proposed match decision takes effect (caller holds the transaction)."""
    return _write_decision(db, proposer, payload["outcome_id"], payload["list_source"], payload["listed_id"],
                           payload["decision"], payload["reason"], confirmer)


def _write_decision(db: sqlite_utils.Database, actor: Actor, outcome_id: int, list_source: str, listed_id: str,
                    decision: str, reason: str, confirmer: Actor | None) -> int:
    with write_transaction(db):
        outcome, match = _match_to_decide(db, outcome_id, list_source, listed_id)
        review_id = review_store.insert(
            db, outcome_id=outcome_id, subject_kind=outcome["subject_kind"], subject_id=outcome["subject_id"],
            list_source=list_source, listed_id=listed_id, entry_hash=match.get("entry_hash", ""), decision=decision,
            reason=reason, decided_by=actor.username)
        record(db, actor, f"match.{decision}", outcome["subject_kind"], outcome["subject_id"],
               after={"outcome_id": outcome_id, "list": list_source, "listed_id": listed_id,
                      "score": match.get("score"), "entry_hash": match.get("entry_hash"),
                      "confirmed_by": confirmer.username if confirmer else None}, reason=reason)
        from .staleness import outcome_changed

        outcome_changed(db, outcome["subject_kind"], outcome["subject_id"], f"match.{decision}")
        if decision == "confirmed":
            from .prohibitions import hit_confirmed

            hit_confirmed(db, actor, outcome["subject_kind"], outcome["subject_id"], review_id)
    return review_id


def _counts(match: dict[str, Any]) -> bool:
    """Whether a stored match speaks for the status: expired debarments and PEP signals do not."""
    return not match.get("expired") and not match.get("pep")


def effective_status(outcome: dict[str, Any], decisions: dict[tuple[str, str], dict[str, Any]]) -> str:
    """A list outcome's status once officers' decisions count: all matches dismissed reads as clear, a match an
    officer confirmed as the same entity reads ``confirmed`` (its own state: decided, not waiting for review)."""
    if outcome["status"] not in ("hit", "possible_match") or outcome["check_id"] != "sanctions":
        return outcome["status"]
    open_levels = [m.get("level") for m in outcome["explanation"] if not m.get("dismissed_before") and _counts(m)
                   and decisions.get((m.get("list"), m.get("listed_id")), {}).get("decision") != "dismissed"]
    confirmed = any(decisions.get((m.get("list"), m.get("listed_id")), {}).get("decision") == "confirmed"
                    for m in outcome["explanation"])
    if confirmed:
        return "confirmed"
    if "hit" in open_levels:
        return "hit"
    return "possible_match" if open_levels else "clear"


def open_reviews(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Matches in the newest outcomes that nobody has decided on yet, most serious first.

    A match confirmed earlier stays confirmed across re-screens and is not queued again while the
    listed entry is unchanged; when the entry changed it is queued with the earlier decision and
    the entry's diff. Decisions and names are loaded for all outcomes at once (query budget).
    """
    outcomes = review_store.open_matches(db)
    decided_on = review_store.decided_for_outcomes(db, [o["id"] for o in outcomes])
    names, latest = {}, {}
    for kind in ("organisation", "person"):
        ids = [o["subject_id"] for o in outcomes if o["subject_kind"] == kind]
        names[kind] = org_store.names_of(db, kind, ids)
        latest[kind] = review_store.latest_decisions_for_subjects(db, kind, ids)
    items = []
    for outcome in outcomes:
        decided = decided_on[outcome["id"]]
        earlier = earlier_decisions(db, outcome, latest[outcome["subject_kind"]][outcome["subject_id"]])
        for match in outcome["explanation"]:
            key = (match["list"], match["listed_id"])
            if match.get("dismissed_before") or match.get("expired") or key in decided:
                continue
            before = earlier.get(key)
            if before and before["decision"] == "confirmed" and not before["changed"]:
                continue
            items.append({"outcome": outcome, "match": match,
                          "subject_name": names[outcome["subject_kind"]].get(outcome["subject_id"], "?"),
                          "earlier": before})
    return sorted(items, key=lambda i: (i["match"]["level"] != "hit", -i["match"]["score"]))


def earlier_decisions(db: sqlite_utils.Database, outcome: dict[str, Any],
                      latest: dict[tuple[str, str], dict[str, Any]] | None = None
                      ) -> dict[tuple[str, str], dict[str, Any]]:
    """For each match of an outcome, the newest decision taken on an earlier outcome of the same subject.

    Each holds who decided, when and why, whether the listed entry changed since (``changed``) and
    what changed (``diff``: ``(field, before, after)`` rows).
    """
    from ..store import lists as list_store

    if latest is None:  # the review queue hands in what it loaded for all subjects at once
        latest = review_store.latest_decisions(db, outcome["subject_kind"], outcome["subject_id"])
    out = {}
    for match in outcome.get("explanation") or ():
        key = (match.get("list"), match.get("listed_id"))
        decision = latest.get(key)
        if decision is None or decision["outcome_id"] == outcome["id"]:
            continue
        changed = decision["entry_hash"] != match.get("entry_hash", "")
        diff: list[tuple[str, str, str]] = []
        if changed:
            old = list_store.entry_by_hash(db, key[0], key[1], decision["entry_hash"]) or {}
            new = list_store.entry_by_hash(db, key[0], key[1], match.get("entry_hash", "")) or {}
            diff = entry_diff(old, new)
        out[key] = {**decision, "changed": changed, "diff": diff}
    return out


def entry_diff(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The fields of a listed entry that differ, as ``(field, before, after)`` with lists written out."""
    def shown(value: Any) -> str:
        if isinstance(value, (list, tuple)):
            return "; ".join(" ".join(map(str, v)) if isinstance(v, (list, tuple)) else str(v) for v in value)
        return "" if value is None else str(value)

    return [(name, shown(old.get(name)), shown(new.get(name))) for name in sorted(set(old) | set(new))
            if shown(old.get(name)) != shown(new.get(name))]


def worst_status(statuses: list[str]) -> str | None:
    """The most serious status among outcomes: a confirmed hit, a hit, then error, then possible match...

    An error accepted with four eyes (``error_accepted``) no longer blocks but was never an answer: it ranks
    above needs-input and clear, so a badge never turns green because a failure was accepted.
    """
    for status in ("confirmed", "hit", "error", "possible_match", "observation", "error_accepted", "needs_manual_input",
                   "clear", "not_applicable"):
        if status in statuses:
            return status
    return None


def decode_evidence_body(body: bytes) -> Any:
    """Evidence bodies of list checks are JSON; anything else is shown as text."""
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return body.decode("utf-8", "replace")


__all__ = ["Status", "all_checks", "decide", "earlier_decisions", "open_reviews", "screen_subject"]
