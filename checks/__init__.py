"""Register and list checks behind one contract. This package never imports ``vetting``."""
from .contract import Check, CheckContext, Evidence, Finding, ListIndex, Outcome, Status, Subject
from .errors import CheckAbort, CheckError, NotConfigured, SourceChanged, SourceUnavailable, SubjectRejected
from .registry import discover

__all__ = ["Check", "CheckAbort", "CheckContext", "CheckError", "Evidence", "Finding", "ListIndex", "NotConfigured",
           "Outcome", "SourceChanged", "SourceUnavailable", "Status", "Subject", "SubjectRejected", "discover"]
