"""Communication before exclusion: the supplier is told what the agency relies on and given time to reply.

The duty does not come from 13 kap. 5 § (that section is self-cleaning): above the threshold it follows from
förvaltningslagen (2017:900) and general principles of EU law (the right to be heard); below the threshold
19 kap. LOU states it. An exclusion may be decided only once the reply has arrived or the deadline has passed.
"""
from __future__ import annotations

from datetime import date
from typing import Any

import sqlite_utils
from ..message import _l

from ...store import exclusion as store
from ...store import write_transaction
from .. import clock
from ..audit import Actor, record
from ..errors import Conflict, InvalidInput, NotFound
from .grounds import parse_date

MEANS = {"email": _l("E-mail"), "letter": _l("Letter"), "platform": _l("Message in the procurement system"),
         "meeting": _l("Meeting (with minutes)"), "other": _l("Other")}


def legal_basis(below_threshold: bool) -> Any:
    """Why the supplier must be heard, in words for the case page and the letter."""
    if below_threshold:
        return _l("LOU 19 kap.: the supplier shall be given the opportunity to comment before it is excluded.")
    return _l("Förvaltningslagen (2017:900) and general principles of EU law: the supplier is given the opportunity "
              "to comment on what the agency relies on before it is excluded.")


def heard(communications: list[dict[str, Any]], today: date) -> bool:
    """Whether the supplier has had its say: a communication was sent and its reply arrived or its deadline passed."""
    for item in communications:
        if item["legacy"]:
            continue  # a free text from before 0019 has no dates: it cannot show the supplier had time to reply
        deadline = parse_date(item["deadline"])
        if item["reply_on"] or (deadline is not None and today > deadline):
            return True
    return False


def send(db: sqlite_utils.Database, actor: Actor, case_id: int, sent_on: date | None, means: str,
         content: str, deadline: date | None) -> int:
    """Record that the supplier was sent what the agency relies on, how, and the deadline for its reply."""
    case = store.case(db, case_id)
    if case is None:
        raise NotFound(_l("No such exclusion assessment."))
    content, today = (content or "").strip(), clock.today()
    if sent_on is None:
        raise InvalidInput(_l("Enter the date it was sent."), "sent_on")
    if sent_on > today:
        raise InvalidInput(_l("The date cannot be in the future."), "sent_on")
    if means not in MEANS:
        raise InvalidInput(_l("Choose how it was sent."), "means")
    if not content:
        raise InvalidInput(_l("Describe what was communicated to the supplier."), "content")
    if deadline is None:
        raise InvalidInput(_l("Enter the deadline for the reply."), "deadline")
    if deadline < sent_on:
        raise InvalidInput(_l("The deadline cannot be before the day it was sent."), "deadline")
    with write_transaction(db):
        communication_id = store.insert_communication(db, case_id, sent_on.isoformat(), means, content,
                                                      deadline.isoformat(), actor.username)
        record(db, actor, "exclusion.communication", "procurement", case["procurement_id"],
               after={"case_id": case_id, "communication_id": communication_id, "sent_on": sent_on.isoformat(),
                      "means": means, "deadline": deadline.isoformat()})
    return communication_id


def reply(db: sqlite_utils.Database, actor: Actor, communication_id: int, reply_on: date | None,
          text: str, documents: str) -> None:
    """Record the supplier's reply: when it arrived, what it says, the documents it came with."""
    item = store.communication(db, communication_id)
    if item is None:
        raise NotFound(_l("No such communication."))
    text, documents, today = (text or "").strip(), (documents or "").strip(), clock.today()
    if reply_on is None:
        raise InvalidInput(_l("Enter the date the reply arrived."), "reply_on")
    if reply_on > today:
        raise InvalidInput(_l("The date cannot be in the future."), "reply_on")
    sent = parse_date(item["sent_on"])
    if sent is not None and reply_on < sent:
        raise InvalidInput(_l("The reply cannot have arrived before the communication was sent."), "reply_on")
    if not text:
        raise InvalidInput(_l("Write what the supplier replied."), "reply_text")
    case = store.case(db, item["case_id"]) or {}
    with write_transaction(db):
        if not store.record_reply(db, communication_id, reply_on.isoformat(), text, documents, actor.username):
            raise Conflict(_l("The reply is already recorded."))
        record(db, actor, "exclusion.reply", "procurement", case.get("procurement_id"),
               after={"case_id": item["case_id"], "communication_id": communication_id, "reply_on": reply_on.isoformat(),
                      "documents": documents})

