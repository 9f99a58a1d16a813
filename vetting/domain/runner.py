"""The only place that calls ``Check.run``: exceptions become statuses, never ``clear``."""
from __future__ import annotations

import logging

from checks import Check, CheckContext, Outcome, Status, Subject
from checks.errors import CheckAbort, CheckError, NotConfigured, SourceChanged, SourceUnavailable, SubjectRejected

log = logging.getLogger(__name__)


def run_one(check: Check, subject: Subject, ctx: CheckContext) -> Outcome:
    """Run a check on a subject and return its outcome, whatever happens inside it."""
    if not check.applies(subject):
        return Outcome(Status.NOT_APPLICABLE, reason="The check does not apply to this subject.")
    try:
        outcome = check.run(subject, ctx)
    except NotConfigured as exc:
        return Outcome(Status.NOT_APPLICABLE, reason=f"Not configured: {exc}")
    except SourceChanged as exc:
        return Outcome(Status.ERROR, reason=f"The source's answer has changed shape (page layout changed): {exc}")
    except (SourceUnavailable, CheckAbort, SubjectRejected, CheckError) as exc:
        return Outcome(Status.ERROR, reason=str(exc) or type(exc).__name__)
    except Exception:  # a bug in a check must never read as "clear"
        log.exception("Check %s failed on %s %s", check.id, subject.kind, subject.id)
        return Outcome(Status.ERROR, reason=f"Internal error in check {check.id}; the error has been logged.")
    undeclared = [f.code for f in outcome.findings if f.code not in check.FINDINGS]
    if undeclared:
        log.error("Check %s returned undeclared findings %s", check.id, undeclared)
        return Outcome(Status.ERROR, reason=f"Check {check.id} returned undeclared findings: {', '.join(undeclared)}")
    return outcome
