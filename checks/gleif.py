"""The Global LEI Index (GLEIF): registration status of a Legal Entity Identifier, the entity and its parents."""
from __future__ import annotations

import re
from typing import Any, ClassVar

from . import schema
from .contract import Check, CheckContext, Evidence, Finding, Outcome, Status, Subject
from .errors import NotConfigured, SourceChanged, SubjectRejected

SOURCE = "gleif"
_LEI = re.compile(r"^[A-Z0-9]{20}$")
# Registration statuses that mean the record is no longer maintained (GLEIF's RegistrationStatus code list).
_NOT_MAINTAINED = frozenset({"LAPSED", "RETIRED", "ANNULLED", "MERGED", "DUPLICATE", "TRANSFERRED"})


class GleifCheck(Check):
    """Reads lei-records/{lei}; follows the direct and ultimate parent links when the record has them."""

    id = "gleif"
    version = "1"
    name = {"sv": "GLEIF (LEI-registret)", "en": "GLEIF (Legal Entity Identifier index)"}
    applies_to = frozenset({"organisation"})
    sources: ClassVar[dict[str, str]] = {SOURCE: "https://api.gleif.org/api/v1"}
    sample_subject = Subject("organisation", 0, "GLEIF", "CH", {"lei": "506700GE1G29325QX363"})
    STATUSES = frozenset({Status.CLEAR, Status.NEEDS_MANUAL_INPUT})
    ADVERSE = {"lei.lapsed": bool, "lei.entity_status": lambda value: value != "ACTIVE"}
    FINDINGS = {
        "lei.status": "Registration status of the LEI (ISSUED, LAPSED, RETIRED, ANNULLED, PENDING_TRANSFER...).",
        "lei.lapsed": "The LEI was not renewed (LAPSED): the reference data may be stale.",
        "lei.entity_status": "Status of the legal entity itself (ACTIVE or INACTIVE).",
        "lei.legal_name": "The legal name on the LEI record.",
        "lei.jurisdiction": "Jurisdiction of the entity (ISO country or subdivision).",
        "lei.registered_as": "The entity's number in its business register, as recorded by GLEIF.",
        "lei.next_renewal_date": "When the LEI must next be renewed (ISO).",
        "lei.parent": "Direct and ultimate parents ({kind, lei, name}), or reporting exceptions.",
        "lei.not_found": "GLEIF does not know this LEI.",
    }

    def applies(self, subject: Subject) -> bool:
        """Only organisations with an LEI."""
        return subject.kind == "organisation" and bool(subject.identifiers.get("lei"))

    def run(self, subject: Subject, ctx: CheckContext) -> Outcome:
        """GET lei-records/{lei}, plus direct-parent and ultimate-parent when the record links a parent record."""
        if ctx.http is None:
            raise NotConfigured("no HTTP client is configured for register checks", code="no_http_client")
        lei = re.sub(r"\s", "", subject.identifiers["lei"]).upper()
        if not _LEI.match(lei):
            # Never put arbitrary text into the URL path.
            raise SubjectRejected(f"{lei!r} is not a well-formed LEI", code="not_lei", source=SOURCE, identifier=lei)
        record = ctx.http.get(SOURCE, f"lei-records/{lei}", expect="json")
        evidence: list[Evidence] = [record.evidence]
        if record.status in (400, 404):
            schema.documented_error(record, SOURCE)  # GLEIF's {"errors": [...]}; an HTML page is not "unknown"
            return Outcome(Status.NEEDS_MANUAL_INPUT,
                           (Finding("lei.not_found", True, f"GLEIF has no record {lei} (HTTP {record.status})", 0),),
                           tuple(evidence), "the register does not know this number; verify it")
        if record.status != 200:
            raise SourceChanged(f"{SOURCE}: unexpected HTTP {record.status} for lei-records/{lei}",
                                code="unexpected_status", source=SOURCE, status=record.status, what=f"lei-records/{lei}")
        data = _data(record.json(), lei)
        findings = record_findings(data)
        parents: list[dict[str, Any]] = []
        # Every record states its parents (a link to the parent or a reporting exception); none stated is not "none".
        relationships = schema.field(data, "relationships", dict, SOURCE)
        for kind in ("direct-parent", "ultimate-parent"):
            links = schema.field(schema.field(relationships, kind, dict, SOURCE), "links", dict, SOURCE)
            if "lei-record" not in links and "reporting-exception" not in links:
                raise SourceChanged(f"{SOURCE}: {kind} saknar både länk till moderbolag och rapporteringsundantag",
                                    code="part_missing", source=SOURCE, what=f"{kind}/links")
            if "lei-record" in links:
                parent = ctx.http.get(SOURCE, f"lei-records/{lei}/{kind}")
                evidence.append(parent.evidence)
                if parent.status == 200:
                    attributes = _data(parent.json(), None)["attributes"]
                    parents.append({"kind": kind, "lei": attributes.get("lei"),
                                    "name": _dict(_dict(attributes.get("entity")).get("legalName")).get("name"),
                                    "evidence": len(evidence) - 1})
                elif parent.status == 404:
                    schema.documented_error(parent, SOURCE)
                else:
                    raise SourceChanged(f"{SOURCE}: unexpected HTTP {parent.status} for the {kind}",
                                        code="unexpected_status", source=SOURCE, status=parent.status, what=kind)
            elif "reporting-exception" in links:
                # The entity declared why it reports no parent; the reason itself is a further call we do not need.
                parents.append({"kind": kind, "lei": None, "name": None, "reporting_exception": True, "evidence": 0})
        detail = "; ".join(f"{p['kind']}: {p['name']} ({p['lei']})" if p["lei"] else f"{p['kind']}: reporting exception"
                           for p in parents) or "No parent relationship in the record"
        first = next((p["evidence"] for p in parents if p["lei"]), 0)
        findings.append(Finding("lei.parent", [{k: v for k, v in p.items() if k != "evidence"} for p in parents],
                                detail, first))
        return Outcome(Status.CLEAR, tuple(findings), tuple(evidence))


def _dict(value: Any) -> dict[str, Any]:
    """An optional JSON object of the answer; anything else (absent, or a changed schema) reads as empty."""
    return value if isinstance(value, dict) else {}


def _data(document: Any, lei: str | None) -> dict[str, Any]:
    """The ``data`` object of a lei-records answer, checked for the shape this parser knows."""
    data = document.get("data") if isinstance(document, dict) else None
    if not isinstance(data, dict) or data.get("type") != "lei-records" or not isinstance(data.get("attributes"), dict):
        raise SourceChanged(f"{SOURCE}: svaret är inte ett lei-records-dokument", code="not_expected_document",
                            source=SOURCE, what="lei-records")
    if lei is not None:
        schema.echoed(SOURCE, data["attributes"].get("lei"), lei)
    return data


def record_findings(data: dict[str, Any]) -> list[Finding]:
    """Findings from one lei-records ``data`` object (evidence 0)."""
    attributes = data["attributes"]
    entity = schema.field(attributes, "entity", dict, SOURCE)
    registration = schema.field(attributes, "registration", dict, SOURCE)
    status = schema.field(registration, "status", str, SOURCE)
    schema.field(entity, "status", str, SOURCE)  # ACTIVE or INACTIVE; absent is not "active"
    name = _dict(entity.get("legalName")).get("name")
    renewal = registration.get("nextRenewalDate")
    renewal = renewal[:10] if isinstance(renewal, str) and renewal else None
    findings = [
        Finding("lei.status", status, f"LEI registration status {status}", 0),
        Finding("lei.lapsed", status in _NOT_MAINTAINED,
                f"Not renewed since {renewal}" if status == "LAPSED" else f"Registration status {status}", 0),
        Finding("lei.entity_status", entity.get("status"), f"Entity status {entity.get('status')}", 0),
        Finding("lei.legal_name", name, f"Legal name: {name}", 0),
        Finding("lei.jurisdiction", entity.get("jurisdiction"), f"Jurisdiction {entity.get('jurisdiction')}", 0),
        Finding("lei.registered_as", entity.get("registeredAs"),
                f"Registered as {entity.get('registeredAs')} at {_dict(entity.get('registeredAt')).get('id')}", 0),
    ]
    if renewal:
        findings.append(Finding("lei.next_renewal_date", renewal, f"Next renewal {renewal}", 0))
    return findings
