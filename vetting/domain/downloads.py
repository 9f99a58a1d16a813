"""Stored files leaving the system (evidence bodies, checkpoint documents): who may, and the audit of each.

A file erased at retention (``erasure_files``) is not handed out: its tombstone is shown as a page
(``FileErased``, HTTP 410) saying when it was erased and what proves what it was.

Evidence about a person (and about a sole trader, whose organisation number is a personnummer)
is personal data: only the roles with the personal-data right get it. Everything else goes to
the roles that work the case. Each download is audited where the person's access log finds it:
under the person when the subject is one, otherwise under the organisation or procurement, which
the access log reads as "may have included the person".
"""
from __future__ import annotations

from typing import Any

import sqlite_utils
from .message import _l

from ..store import checkpoints as checkpoint_store
from ..store import erased_files as erased_store
from ..store import outcomes as outcome_store
from ..store import write_transaction
from .audit import Actor, record
from .errors import DomainError, NotFound
from .identifiers import is_sole_trader


class Forbidden(DomainError):
    """The actor's roles do not cover this file."""

    http_status = 403


class FileErased(DomainError):
    """The file was erased at retention; ``tombstone`` is what is kept of it (``erased_files``)."""

    http_status = 410

    def __init__(self, tombstone: dict[str, Any]) -> None:
        super().__init__(_l("This file was erased at retention on %(date)s.", date=tombstone["erased_on"]))
        self.tombstone = tombstone


def refuse_if_erased(db: sqlite_utils.Database, kind: str, file_id: int) -> None:
    """Raise ``FileErased`` when the file's body is a tombstone."""
    tombstone = erased_store.erased(db, kind, file_id)
    if tombstone is not None:
        raise FileErased(tombstone)


def evidence(db: sqlite_utils.Database, actor: Actor, evidence_id: int, *, personal_data: bool) -> dict[str, Any]:
    """The evidence row with its body, for a download; audited.

    :param personal_data: may the actor see personal data (the view's permission check)
    """
    row = outcome_store.evidence_body(db, evidence_id)
    if row is None:
        raise NotFound(_l("No such evidence."))
    subject = outcome_store.subject_of_evidence(db, evidence_id)
    personal = subject["subject_kind"] == "person" or is_sole_trader(subject.get("identifier_type"),
                                                                       subject.get("identifier"))
    if personal and not personal_data:
        raise Forbidden(_l("This evidence holds personal data; your role may not download it."))
    refuse_if_erased(db, "evidence", evidence_id)
    with write_transaction(db):
        record(db, actor, "evidence.download" if subject["subject_kind"] == "organisation" else "person.evidence_download",
               subject["subject_kind"], subject["subject_id"],
               after={"evidence_id": evidence_id, "sha256": row["sha256"], "source": row["source"]})
    return row


def document(db: sqlite_utils.Database, actor: Actor, document_id: int) -> dict[str, Any]:
    """A checkpoint document with its body, for a download; audited under its procurement."""
    row = checkpoint_store.document(db, document_id)
    if row is None:
        raise NotFound(_l("No such document."))
    refuse_if_erased(db, "checkpoint_document", document_id)
    procurement_id = checkpoint_store.procurement_of_checkpoint(db, row["checkpoint_id"])
    with write_transaction(db):
        record(db, actor, "checkpoint.document_download", "procurement", procurement_id,
               after={"document_id": document_id, "checkpoint_id": row["checkpoint_id"], "sha256": row["sha256"]})
    return row
