"""Vetting reports: gather what a PDF report shows of a procurement, or of one organisation in it.

Personal data follows the reader's role: personnummer are always masked; key persons' names,
birth dates and their own check results appear only when ``personal_data`` is granted (the
security department); other readers see how many key persons there are and how their checks
came out. Every download is audited (``report.download``) and the report cites that entry.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import sqlite_utils
from .message import _l

from ..store import checkpoints as checkpoint_store
from ..store import conditions as condition_store
from ..store import followup as followup_store
from ..store import organisations as org_store
from ..store import reports as store
from ..store import write_transaction
from . import procurements
from .audit import Actor, record
from .errors import NotFound
from .exclusion.view import case_view
from .identifiers import mask_personnummer, mask_personnummer_in_text
from . import screening_status
from .screening import worst_status

# Register findings that name people (officers, disqualified directors): withheld without personal data.
PERSONAL_FINDINGS = frozenset({"company.officers", "company.officer_disqualified"})
# Audit entries that record looking rather than vetting are not cited as the report's basis.
NOT_CITED = ("person.view", "person.reveal", "report.", "export.")
# Where stored risk assessments will be read from (see ``risk_assessment``).


@dataclass(frozen=True)
class RiskSummary:
    """A risk assessment as the report prints it: level and reasons in Swedish and English."""

    level: str
    reasons: tuple[Mapping[str, str], ...] = ()
    assessed_at: str | None = None
    model_version: str = ""


@dataclass
class CheckLine:
    """One check's newest outcome on a subject: source, time, result, facts, evidence, audit entry."""

    check_id: str
    status: str
    effective_status: str
    created_at: str
    run_by: str
    reason: str | None
    # The findings the reader may see, as stored (codes, values, parameters): the template words them through
    # the vocabulary in the reader's language, as the pages do (vocabulary.outcomes.finding_line).
    findings: list[dict[str, Any]]
    withheld: bool  # findings about persons left out for a reader without personal-data rights
    masked: bool  # personnummer in the findings' words are masked (the same reader)
    evidence: list[dict[str, Any]]
    decisions: list[dict[str, Any]]
    override: dict[str, Any] | None
    audit_id: int | None


@dataclass
class PersonSection:
    """A key person as a reader with personal-data rights sees them (personnummer masked)."""

    name: str
    role: str
    birth_date: str | None
    personnummer_masked: str
    nationality: str | None
    checks: list[CheckLine]


@dataclass
class OrganisationSection:
    """An organisation in the procurement's chain with its checks, key persons and risk."""

    participant: dict[str, Any]
    organisation: dict[str, Any]
    depth: int
    parent_name: str | None
    checks: list[CheckLine]
    person_count: int
    person_statuses: dict[str, int]
    persons: list[PersonSection] = field(default_factory=list)
    risk: RiskSummary | None = None
    audit_ids: list[int] = field(default_factory=list)
    exclusion: list[dict[str, Any]] = field(default_factory=list)  # exclusion cases (domain/exclusion/view.py)

    @property
    def worst(self) -> str | None:
        """The most serious effective status of the organisation's own checks."""
        return worst_status([c.effective_status for c in self.checks])

    @property
    def worst_people(self) -> str | None:
        """The most serious effective status among its key persons' checks."""
        return worst_status(list(self.person_statuses))


@dataclass
class Report:
    """Everything one PDF shows; ``organisation_id`` is set for a single organisation's report."""

    procurement: dict[str, Any]
    organisation_id: int | None
    sections: list[OrganisationSection]
    checkpoints: list[dict[str, Any]]
    schedule: dict[str, Any] | None
    reviews: list[dict[str, Any]]
    audit_ids: list[int]
    personal_data: bool
    generated_at: str
    generated_by: str
    download_entry: int | None = None
    conditions: list[dict[str, Any]] = field(default_factory=list)  # sign-off conditions and their fulfilment


def risk_assessment(db: sqlite_utils.Database, procurement_id: int, organisation_id: int,
                    personal_data: bool = True) -> RiskSummary | None:
    """The newest assessment of an organisation in a procurement (override applied), or None when not assessed.

    The reasons name the indicators that fired and why, never weights or thresholds (method secrecy:
    a report travels further than the roles allowed to see them); without ``personal_data`` the
    key persons they name are "a key person".
    """
    from ..store import organisations as org_store
    from ..store import risk as risk_store
    from .redaction import redact_text

    row = risk_store.latest_assessment(db, procurement_id, organisation_id)
    if not row:
        return None
    level = row.get("override_level") or row["level"]
    from ..risk.secrecy import without_method

    names = [] if personal_data else [p["name"] for p in org_store.key_persons(db, organisation_id)]
    placeholders = {"sv": "en nyckelperson", "en": "a key person"}

    def line(result: dict[str, Any], language: str) -> str:
        text = f"{result['id']}: {without_method(result['detail'])}"
        return redact_text(text, {n: placeholders[language] for n in names if len(n) >= 3}) or ""

    reasons = [{"sv": line(r, "sv"), "en": line(r, "en")} for r in row["results"] if r["state"] == "fired"]
    if row.get("override_level"):
        reasons.append({"sv": f"Nivån ändrad av {row['overridden_by']}: {row['override_reason']}",
                        "en": f"Level overridden by {row['overridden_by']}: {row['override_reason']}"})
    return RiskSummary(level=level, reasons=tuple(reasons), assessed_at=row["created_at"], model_version=row["model_version"])


def shown_reason(outcome: dict[str, Any]) -> str | None:
    """The reason a reader is shown beside the findings: none when a coded fault (``source.fault``) says the same
    in words, as on the organisation page; the reason is then only the check's English note of it."""
    if any(f.get("code") == "source.fault" for f in outcome["findings"]):
        return None
    return outcome["reason"] or None


def _check_lines(db: sqlite_utils.Database, kind: str, subject_ids: list[int],
                 personal_data: bool) -> dict[int, list[CheckLine]]:
    """Newest outcome per check for many subjects, with evidence, decisions and audit entries."""
    outcomes = screening_status.newest_outcomes(db, kind, subject_ids)
    ids = [o["id"] for o in outcomes]
    evidence, decisions = store.evidence_of(db, ids), store.match_decisions(db, ids)
    overrides, audit = store.overrides(db, ids), store.check_run_entries(db, kind, subject_ids)
    out: dict[int, list[CheckLine]] = {sid: [] for sid in subject_ids}
    for o in outcomes:
        taken = decisions.get(o["id"], [])
        findings = [f for f in o["findings"] if personal_data or f["code"] not in PERSONAL_FINDINGS]
        reason = shown_reason(o)
        if not personal_data and reason:  # a sole trader's number (a personnummer) in a register's words
            reason = mask_personnummer_in_text(reason) or None
        out[o["subject_id"]].append(CheckLine(
            check_id=o["check_id"], status=o["status"], effective_status=o["effective"],
            created_at=o["created_at"], run_by=o["run_by"], reason=reason, findings=findings,
            withheld=len(findings) < len(o["findings"]), masked=not personal_data,
            evidence=evidence.get(o["id"], []), decisions=taken, override=overrides.get(o["id"]),
            audit_id=audit.get(o["id"])))
    return out


def _sections(db: sqlite_utils.Database, procurement_id: int, organisation_id: int | None,
              personal_data: bool) -> list[OrganisationSection]:
    """One section per participant (depth-first through the subcontractor tree)."""
    nodes = procurements.flatten(procurements.participant_tree(db, procurement_id))
    names = {n.participant["id"]: n.participant["organisation_name"] for n in nodes}
    if organisation_id is not None:
        nodes = [n for n in nodes if n.participant["organisation_id"] == organisation_id]
    org_ids = list(dict.fromkeys(n.participant["organisation_id"] for n in nodes))
    org_checks = _check_lines(db, "organisation", org_ids, personal_data)
    people = store.key_persons(db, org_ids)
    person_ids = list(dict.fromkeys(p["person_id"] for p in people))
    person_checks = _check_lines(db, "person", person_ids, personal_data)
    org_audit = store.entries_about(db, "organisation", org_ids, NOT_CITED)
    person_audit = store.entries_about(db, "person", person_ids, NOT_CITED)
    by_org: dict[int, list[dict[str, Any]]] = {}
    for person in people:
        by_org.setdefault(person["organisation_id"], []).append(person)
    sections = []
    for node in nodes:
        org_id = node.participant["organisation_id"]
        persons = by_org.get(org_id, [])
        statuses = Counter(c.effective_status for p in persons for c in person_checks.get(p["person_id"], []))
        cited = set(org_audit.get(org_id, [])).union(*(person_audit.get(p["person_id"], []) for p in persons))
        section = OrganisationSection(
            participant=node.participant, organisation=org_store.get(db, org_id) or {}, depth=node.depth,
            parent_name=names.get(node.participant["parent_id"]), checks=org_checks.get(org_id, []),
            person_count=len(persons), person_statuses=dict(statuses),
            risk=risk_assessment(db, procurement_id, org_id, personal_data), audit_ids=sorted(cited),
            exclusion=case_view(db, procurement_id, org_id)["cases"])
        if personal_data:
            section.persons = [PersonSection(
                name=p["name"], role=p["role"], birth_date=p["birth_date"],
                personnummer_masked=mask_personnummer(p["personnummer"]), nationality=p["nationality"],
                checks=person_checks.get(p["person_id"], [])) for p in persons]
        sections.append(section)
    return sections


def _checkpoints(db: sqlite_utils.Database, procurement_id: int) -> list[dict[str, Any]]:
    """The procurement's checkpoints, each with its sign-off decisions and their conditions."""
    rows = checkpoint_store.for_procurement(db, procurement_id)
    for row in rows:
        row["decisions"] = [{k: v for k, v in d.items() if k != "snapshot"}
                            for d in checkpoint_store.decisions(db, row["id"])]
    return rows


def build(db: sqlite_utils.Database, actor: Actor, procurement_id: int, organisation_id: int | None = None, *,
          personal_data: bool, generated_by: str = "") -> Report:
    """Gather a procurement's report (or one organisation's within it) and audit the download.

    :param personal_data: the reader may see key persons' names and birth dates
        (``Permission.EXPORT_PERSONAL_DATA``); personnummer stay masked either way.
    :param generated_by: the reader's name as printed on the report.
    :raises NotFound: no such procurement, or the organisation takes no part in it.
    """
    procurement = procurements.get(db, procurement_id)
    sections = _sections(db, procurement_id, organisation_id, personal_data)
    if organisation_id is not None and not sections:
        raise NotFound(_l("The organisation takes no part in this procurement."))
    cited = store.entries_about(db, "procurement", [procurement_id], NOT_CITED).get(procurement_id, [])
    report = Report(procurement=procurement, organisation_id=organisation_id, sections=sections,
                    checkpoints=_checkpoints(db, procurement_id), schedule=followup_store.schedule(db, procurement_id),
                    reviews=followup_store.reviews(db, procurement_id), audit_ids=cited, personal_data=personal_data,
                    generated_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
                    generated_by=generated_by or actor.username,
                    conditions=condition_store.for_procurement(db, procurement_id))
    subject = ("organisation", organisation_id) if organisation_id is not None else ("procurement", procurement_id)
    with write_transaction(db):
        report.download_entry = record(
            db, actor, "report.download", *subject,
            after={"procurement_id": procurement_id, "organisation_id": organisation_id, "format": "pdf",
                   "personal_data": personal_data, "organisations": len(sections)})
    return report


def id_ranges(ids: list[int]) -> str:
    """Audit entry ids compactly: ``3, 7–9, 12`` (consecutive runs joined by an en dash)."""
    runs: list[list[int]] = []
    for i in sorted(set(ids)):
        if runs and i == runs[-1][1] + 1:
            runs[-1][1] = i
        else:
            runs.append([i, i])
    return ", ".join(f"{a}" if a == b else f"{a}\u2013{b}" for a, b in runs)


def signoff(report: Report) -> dict[str, Any]:
    """Who prepared and who decided, and when: the newest checkpoint decision of the procurement, if any."""
    decided = [(d, c) for c in report.checkpoints for d in c.get("decisions") or []]
    prepared = [c for c in report.checkpoints if c.get("prepared_by")]
    last_decision, checkpoint = max(decided, key=lambda dc: dc[0].get("decided_at") or "") if decided else (None, None)
    last_prepared = max(prepared, key=lambda c: c.get("prepared_at") or "") if prepared else None
    return {"prepared_by": (last_prepared or {}).get("prepared_by"), "prepared_at": (last_prepared or {}).get("prepared_at"),
            "decided_by": (last_decision or {}).get("decided_by"), "decided_at": (last_decision or {}).get("decided_at"),
            "checkpoint": (checkpoint or {}).get("template_id")}
