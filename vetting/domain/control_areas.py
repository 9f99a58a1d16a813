"""One status per control area, as an ID06 Bolagsdeklaration or a credit report shows it.

Each area gathers the checks that answer it; its status is the worst of their newest outcomes, where a
"clear" outcome whose facts show a problem (debts, no F-tax, contradictory answers, bankruptcy) is not ok.
Statuses, worst first: ``hinder`` (blocker), ``fel`` (a check failed: unknown, never clear), ``utred``
(investigate), ``observera`` (note), ``ej_kontrollerad`` (not checked), ``ok``.
The words are in vetting/vocabulary (AREA_NAMES, AREA_STATUSES); this module returns codes only.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from ..store import organisations as org_store

ORDER = ("hinder", "fel", "utred", "observera", "ej_kontrollerad", "ok")  # worst first
# Area → the checks that answer it, on the organisation ("org") or on its key persons ("person").
AREAS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("registration", ("se.bolagsverket", "no.brreg", "gb.companies_house", "gleif", "eu.vies"), ()),
    ("taxes", ("se.skatteverket",), ()),
    ("debts", ("se.kronofogden", "se.poit", "se.annual_report", "se.bolagsverket_annual_report"), ()),
    ("sanctions", ("sanctions",), ()),
    ("key_persons", ("se.naringsforbud",), ("sanctions", "se.kronofogden", "se.naringsforbud")),
    ("work_environment", ("se.arbetsmiljoverket",), ()),
    ("exclusion", ("espd",), ()),
    ("security", ("security", "se.sapo"), ()),
)
# Facts whose value shows a problem: code → (status when the fact says yes, when it says no).
_YES_BAD = {
    "debts.any": "observera", "company.bankrupt": "utred", "company.liquidation": "utred",
    "company.reconstruction": "utred", "company.forcibly_dissolved": "hinder", "company.deleted": "hinder",
    "company.not_found": "utred", "company.officer_disqualified": "hinder", "person.trading_prohibition": "hinder",
    "espd.exclusion_declared": "utred", "workplace.injunctions": "observera", "workplace.sanction_fees": "observera",
    "lei.lapsed": "observera", "company.filings_overdue": "observera", "company.insolvency_cases": "utred",
    "poit.notice": "observera", "vat.invalid_input": "observera",
}
_NO_BAD = {
    "tax.f_skatt": "utred", "tax.vat_registered": "observera", "tax.employer_registered": "observera",
    "vat.valid": "observera", "espd.truth_declaration_signed": "utred", "company.operating": "utred",
}
_AMOUNTS = ("tax.arrears_amount", "debts.public_amount", "debts.private_amount")


@dataclass(frozen=True)
class AreaStatus:
    """One control area: its status code, when it was last checked, and the outcome to link to."""

    area: str
    status: str
    checked_at: str | None
    subject_kind: str | None = None
    subject_id: int | None = None
    outcome_id: int | None = None


def _worst(statuses: Iterable[str]) -> str:
    found = set(statuses)
    for status in ORDER:  # a plain loop: a list page asks this 600 times
        if status in found:
            return status
    return "ej_kontrollerad"


def _truth(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value > 0
    if isinstance(value, (list, tuple, dict)):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        return True if word in ("yes", "ja", "true") else False if word in ("no", "nej", "false") else None
    return None


def findings_status(findings: Iterable[Mapping[str, Any]]) -> str:
    """The status a clear outcome's facts give: ok, or observera/utred/hinder when they show a problem."""
    facts = {f.get("code"): f.get("value") for f in findings}
    statuses = ["ok"]
    for code, value in facts.items():
        truth = _truth(value)
        if truth is True and code in _YES_BAD:
            statuses.append(_YES_BAD[code])
        if truth is False and code in _NO_BAD:
            statuses.append(_NO_BAD[code])
    amounts = [facts.get(code) for code in _AMOUNTS if isinstance(facts.get(code), (int, float))]
    if any(a > 0 for a in amounts):
        statuses.append("observera")
    # Contradictory answers: "no debts" beside an amount owed is something to look into, not green.
    if _truth(facts.get("debts.any")) is False and any(a > 0 for a in amounts):
        statuses.append("utred")
    return _worst(statuses)


def outcome_status(outcome: Mapping[str, Any]) -> str:
    """One check outcome as an area status, read as officers decided it (``effective``: a dismissed match is
    clear, a confirmed one is a blocker) when the outcome carries it."""
    return _rated(outcome.get("effective") or outcome["status"], outcome)


def _rated(status: str, outcome: Mapping[str, Any]) -> str:
    """``outcome_status`` with the status after officers' decisions given apart (no copy of the outcome)."""
    if status == "error_accepted":  # accepted with four eyes: no longer blocks, never an answer
        return "observera"
    if status == "error":
        return "observera" if outcome.get("override") else "fel"
    if status in ("hit", "confirmed"):
        return "hinder"
    if status == "possible_match":
        return "utred"
    if status == "observation":  # a register answer with adverse facts (never green)
        return _worst(["observera", findings_status(outcome.get("findings") or ())])
    if status == "clear":
        return findings_status(outcome.get("findings") or ())
    return "ej_kontrollerad"  # needs_manual_input, not_applicable


# Check id → the indexes in AREAS of the areas it answers, on the organisation and on its key persons: each
# outcome is looked at once, not once per area (the procurement list rates 125 organisations per page).
_ORG_AREAS: dict[str, tuple[int, ...]] = {}
_PERSON_AREAS: dict[str, tuple[int, ...]] = {}
for _index, (_name, _org_checks, _person_checks) in enumerate(AREAS):
    for _check in _org_checks:
        _ORG_AREAS[_check] = (*_ORG_AREAS.get(_check, ()), _index)
    for _check in _person_checks:
        _PERSON_AREAS[_check] = (*_PERSON_AREAS.get(_check, ()), _index)

# One rated outcome of an area: (area status, subject kind, subject id, outcome).
_Rated = tuple[str, str, int, Mapping[str, Any]]


# An area no check answered, one (immutable) instance per area: most areas of most rows in a list are such.
_NOT_CHECKED = {name: AreaStatus(name, "ej_kontrollerad", None) for name, _o, _p in AREAS}


def _area(area: str, rated: list[_Rated]) -> AreaStatus:
    if not rated:
        return _NOT_CHECKED[area]
    status = _worst(r[0] for r in rated)
    checked = [r[3]["created_at"] for r in rated if r[0] != "ej_kontrollerad"]
    worst = next(r for r in rated if r[0] == status)
    return AreaStatus(area, status, max(checked) if checked else None, worst[1], worst[2], worst[3]["id"])


def _areas(organisation_id: int, own: Iterable[Any], persons: Iterable[tuple[int, Iterable[Any]]],
           rated: dict[int, str]) -> list[AreaStatus]:
    """An organisation's areas from its own checks and its key persons' (``CheckStatus`` lines); ``rated`` keeps
    the status of outcomes already rated (a person in several organisations)."""
    chosen = _chosen(organisation_id, own, persons, rated)
    return [_area(name, chosen[index]) for index, (name, _o, _p) in enumerate(AREAS)]


def _overall(organisation_id: int, own: Iterable[Any], persons: Iterable[tuple[int, Iterable[Any]]],
             rated: dict[int, str]) -> str:
    """``overall(_areas(...))`` without building the areas: the worst rated outcome over every area, and "not
    checked" when an area has none (a list shows only this per row, for 125 organisations a page)."""
    chosen = _chosen(organisation_id, own, persons, rated)
    return _worst([r[0] for area in chosen for r in area] + (["ej_kontrollerad"] if not all(chosen) else []))


def _chosen(organisation_id: int, own: Iterable[Any], persons: Iterable[tuple[int, Iterable[Any]]],
            rated: dict[int, str]) -> list[list[_Rated]]:
    """The rated outcomes of each area (in AREAS order) of one organisation."""
    chosen: list[list[_Rated]] = [[] for _ in AREAS]
    for check in own:
        for index in _ORG_AREAS.get(check.check_id, ()):
            chosen[index].append((_rated(check.effective, check.outcome), "organisation", organisation_id,
                                  check.outcome))
    for person_id, checks in persons:
        for check in checks:
            indexes = _PERSON_AREAS.get(check.check_id, ())
            if indexes:
                oid = check.outcome["id"]
                status = rated.get(oid)
                if status is None:
                    status = rated[oid] = _rated(check.effective, check.outcome)
                for index in indexes:
                    chosen[index].append((status, "person", person_id, check.outcome))
    return chosen


def organisations_areas(db: sqlite_utils.Database, organisation_ids: list[int],
                        screened: Mapping[int, Mapping[str, Any]] | None = None) -> dict[int, list[AreaStatus]]:
    """The summary per control area for many organisations at once (three statements, query budget).

    ``screened`` is ``screening_status.organisations`` for the same ids when the caller has it already
    (the lists): the same read model, so it is not loaded and computed a second time.
    """
    rated: dict[int, str] = {}
    if screened is not None:
        return {oid: _areas(oid, screened[oid]["checks"],
                            ((pid, status.checks) for pid, status in screened[oid]["persons"].items()), rated)
                for oid in organisation_ids}
    from .screening_status import subjects

    people_of = org_store.key_person_ids(db, organisation_ids)
    # The newest outcomes as the screening read model gives them: the status after officers' decisions.
    own = subjects(db, "organisation", organisation_ids)
    persons = subjects(db, "person", sorted({p for ids in people_of.values() for p in ids}))
    return {oid: _areas(oid, own[oid].checks, ((pid, persons[pid].checks) for pid in people_of[oid]), rated)
            for oid in organisation_ids}


def organisations_overall(screened: Mapping[int, Mapping[str, Any]]) -> dict[int, str]:
    """Per organisation of ``screened`` (``screening_status.organisations``): the overall status of its summary
    per control area, ``overall(organisations_areas(...)[id])`` at a fraction of the cost (the lists)."""
    rated: dict[int, str] = {}
    return {oid: _overall(oid, s["checks"], ((pid, status.checks) for pid, status in s["persons"].items()), rated)
            for oid, s in screened.items()}


def organisation_areas(db: sqlite_utils.Database, organisation_id: int) -> list[AreaStatus]:
    """The summary per control area for one organisation (its own checks and its key persons')."""
    return organisations_areas(db, [organisation_id])[organisation_id]


def combined(per_organisation: Mapping[int, list[AreaStatus]]) -> list[AreaStatus]:
    """The worst status per area over several organisations (a procurement's chain), linking to the worst."""
    result = []
    for index, (area, _o, _p) in enumerate(AREAS):
        rows = [areas[index] for areas in per_organisation.values()]
        if not rows:
            result.append(_NOT_CHECKED[area])
            continue
        status = _worst(r.status for r in rows)
        worst = next(r for r in rows if r.status == status)
        dates = [r.checked_at for r in rows if r.checked_at]
        checked = max(dates) if dates else None
        if worst.checked_at == checked:  # the worst row is the newest as well (a single party, say): it is the answer
            result.append(worst)
            continue
        result.append(AreaStatus(area, status, checked, worst.subject_kind, worst.subject_id, worst.outcome_id))
    return result


def overall(areas: Iterable[AreaStatus]) -> str:
    """The overall status of a summary: its worst area."""
    return _worst(a.status for a in areas)


def worst_of(statuses: Iterable[str]) -> str:
    """The worst of several area statuses ("not checked" when there are none): a chain's overall status from its
    organisations' overall statuses."""
    return _worst(statuses)
