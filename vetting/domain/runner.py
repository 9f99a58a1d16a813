"""The only place that calls ``Check.run``: exceptions become statuses, never ``clear``; adverse facts never green.

Every run has a wall-clock budget (``total`` seconds for all its register calls, slow drips included) and keeps
the evidence of every answer it received, so an error outcome shows what the register actually said.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace

from checks import Check, CheckContext, Evidence, Finding, Outcome, Status, Subject
from checks._budget import capped, received_so_far, run_budget
from checks.errors import CheckAbort, CheckError, NotConfigured, SourceChanged, SourceUnavailable, SubjectRejected

log = logging.getLogger(__name__)

# Findings the runner itself may add to any check's outcome (declared here, not in every check's FINDINGS).
RUNNER_FINDINGS = {"source.rejected_identifier": "The register answered that it does not accept the identifier.",
                   "source.fault": "Why the check has no answer (unreadable, no answer, refused, not configured, an "
                                   "identifier it cannot ask about, a bug in the check): the code and parameters."}
# Reason prefixes stored with error outcomes (the officer reads them; Swedish like the rest of the UI).
SOURCE_CHANGED = "Registrets svar har inte den form som kontrollen känner till, så det kan inte läsas som ett svar"
UNAVAILABLE = "Registret gav inget användbart svar"
ABORTED = "Registret nekade åtkomst; kontrollen hoppas över för resten av körningen"
REJECTED = "Identifieraren kan inte användas för att fråga registret"


@dataclass
class Batch:
    """State shared by the runs of one batch: a check whose source refused us (CheckAbort) is not asked again."""

    aborted: dict[str, CheckAbort] = field(default_factory=dict)


def run_one(check: Check, subject: Subject, ctx: CheckContext, *, total: float | None = None,
            batch: Batch | None = None) -> Outcome:
    """Run a check on a subject within ``total`` seconds and return its outcome, whatever happens inside it."""
    if not check.applies(subject):
        return Outcome(Status.NOT_APPLICABLE, reason="The check does not apply to this subject.")
    if batch is not None and check.id in batch.aborted:
        refused = batch.aborted[check.id]  # said as the first refusal was, coded fault included
        return _error(f"{ABORTED}: {str(refused) or type(refused).__name__}", refused)
    with run_budget(total) as received:
        outcome = _run(check, subject, ctx, batch)
        if outcome.status is Status.ERROR and not outcome.evidence and received:
            outcome = replace(outcome, evidence=tuple(capped(e) for e in received))
    undeclared = [f.code for f in outcome.findings if f.code not in check.FINDINGS and f.code not in RUNNER_FINDINGS]
    if undeclared:
        log.error("Check %s returned undeclared findings %s", check.id, undeclared)
        return _failed("undeclared_findings", f"Check {check.id} returned undeclared findings: {', '.join(undeclared)}",
                       outcome.evidence)
    if outcome.status is Status.CLEAR and check.adverse(outcome.findings):
        # The register answered properly and what it says is adverse: shown as an observation, never green.
        return replace(outcome, status=Status.OBSERVATION)
    return outcome


def _run(check: Check, subject: Subject, ctx: CheckContext, batch: Batch | None) -> Outcome:
    try:
        return check.run(subject, ctx)
    except NotConfigured as exc:
        return replace(_error(f"Not configured: {exc}", exc), status=Status.NOT_APPLICABLE)
    except SourceChanged as exc:
        return _error(f"{SOURCE_CHANGED}: {exc}", exc)
    except SubjectRejected as exc:
        return _rejected(exc)
    except CheckAbort as exc:
        if batch is not None:
            batch.aborted[check.id] = exc
        return _error(f"{ABORTED}: {exc}", exc)
    except SourceUnavailable as exc:
        return _error(f"{UNAVAILABLE}: {exc}", exc)
    except CheckError as exc:
        return _error(str(exc) or type(exc).__name__, exc)
    except Exception:  # a bug in a check must never read as "clear"
        log.exception("Check %s failed on %s %s", check.id, subject.kind, subject.id)
        return _failed("internal_error", f"Internal error in check {check.id}; the error has been logged.")


def _failed(code: str, reason: str, evidence: tuple[Evidence, ...] = ()) -> Outcome:
    """An error of the app's own (a bug in the check): coded like a register's fault so the page says it in the
    reader's language; the reason keeps the English note for logs (and names the codes the check did not declare,
    which the page does not show)."""
    return Outcome(Status.ERROR, (Finding("source.fault", code, reason, 0),), evidence, reason)


def _error(reason: str, exc: CheckError) -> Outcome:
    """An error outcome (or a not-configured one: the caller sets the status); what the check coded about it (``code``, ``params``) is kept as the ``source.fault``
    finding, which the app says in the reader's language. The reason keeps the check's own text."""
    code = getattr(exc, "code", None)
    findings = (Finding("source.fault", code, str(exc), 0, dict(getattr(exc, "params", {}) or {})),) if code else ()
    return Outcome(Status.ERROR, findings, reason=reason)


def _rejected(exc: SubjectRejected) -> Outcome:
    """Rejected before asking (a malformed identifier) is an error to fix; rejected by the register is a finding."""
    answers = received_so_far()
    if not answers:
        return _error(f"{REJECTED}: {str(exc) or type(exc).__name__}", exc)
    return Outcome(Status.NEEDS_MANUAL_INPUT, (Finding("source.rejected_identifier", True, str(exc), len(answers) - 1),),
                   tuple(answers), "The register does not accept the identifier; verify it.")
