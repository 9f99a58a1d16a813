"""Alerts and notifications are stored as a code and its parameters and worded when shown, in the reader's
language; rows written before that (English text) stay readable."""
from __future__ import annotations

import json

from flask_babel import force_locale

from vetting import mail
from vetting.domain import changes, notify, stored_text
from vetting.domain.message import _l
from vetting.vocabulary import change_text, notification_text


def _outcome(status, findings=(), explanation=(), check_id="se.bolagsverket"):
    return {"id": 1, "check_id": check_id, "status": status, "findings": list(findings), "explanation": list(explanation)}


def test_a_change_is_stored_as_code_and_parameters_not_words():
    before = _outcome("clear", [{"code": "company.bankrupt", "value": False}])
    after = _outcome("observation", [{"code": "company.bankrupt", "value": True}])
    stored = [json.loads(c.detail) for c in changes.compare(before, after)]
    assert {"code": "status", "params": {"before": "clear", "after": "observation"}} in stored
    assert {"code": "fact", "params": {"fact": "company.bankrupt", "before": False, "after": True}} in stored
    assert not any("changed" in c.detail or "→" in c.detail for c in changes.compare(before, after))


def test_a_stored_change_is_worded_in_the_readers_language(app):
    before = _outcome("clear", [{"code": "company.bankrupt", "value": False}])
    after = _outcome("observation", [{"code": "company.bankrupt", "value": True}])
    details = [c.detail for c in changes.compare(before, after)]
    with app.test_request_context(), force_locale("sv"):
        swedish = [change_text(d).striptags() for d in details]
    with app.test_request_context(), force_locale("en"):
        english = [change_text(d).striptags() for d in details]
    assert "Resultatet ändrades från Utan anmärkning till Anmärkning" in swedish
    assert "Försatt i konkurs: Nej → Ja" in swedish
    assert "Result changed from Clear to Observation" in english


def test_a_new_match_keeps_the_listed_name_marked_as_another_language(app):
    match = {"list": "ofac-sdn", "listed_id": "1234", "listed_name": "TEST BANK PJSC", "level": "hit", "score": 0.97}
    detail = changes.compare(_outcome("clear", check_id="sanctions"),
                             _outcome("hit", explanation=[match], check_id="sanctions"))[0].detail
    with app.test_request_context(), force_locale("sv"):
        words = str(change_text(detail))
    assert words == 'Ny träff: <span lang="en">TEST BANK PJSC</span> (OFAC SDN 1234), poäng 0,97'


def test_a_notification_is_stored_as_its_message_and_parameters(app, db, accounts):
    notify.tell_user(db, accounts["reviewer"], _l("Checkpoint %(cp)s of %(ref)s waits for your sign-off.", cp="CP3",
                                                   ref="UH-2026-0001"), "/checkpoints/1")
    row = next(db.query("SELECT text FROM notifications WHERE user_id = ?", [accounts["reviewer"]]))
    assert json.loads(row["text"]) == {"code": "message", "params": {
        "msgid": "Checkpoint %(cp)s of %(ref)s waits for your sign-off.", "params": {"cp": "CP3", "ref": "UH-2026-0001"}}}
    with app.test_request_context(), force_locale("sv"):
        assert notification_text(row["text"]) == "Avstämningspunkt CP3 i UH-2026-0001 väntar på ditt beslut."
    with app.test_request_context(), force_locale("en"):
        assert notification_text(row["text"]) == "Checkpoint CP3 of UH-2026-0001 waits for your sign-off."


def test_an_alert_notification_names_the_contract_and_the_change(app):
    change = stored_text.encode("status", before="clear", after="hit")
    with app.test_request_context(), force_locale("sv"):
        words = str(notification_text(stored_text.encode("alert", reference="UH-2026-0007", change=change)))
    assert words == "UH-2026-0007: Resultatet ändrades från Utan anmärkning till Säker träff"


def test_rows_written_before_the_format_are_still_read(app):
    with app.test_request_context(), force_locale("sv"):
        assert change_text("Status changed from clear to hit").striptags() == \
            "Resultatet ändrades från Utan anmärkning till Säker träff"
        assert notification_text("Checkpoint CP3 of UH-1 waits for your sign-off.") == \
            "Avstämningspunkt CP3 i UH-1 väntar på ditt beslut."


def test_the_mail_is_worded_by_the_worker(app, monkeypatch):
    from vetting.tasks import send_email

    sent = []
    monkeypatch.setattr(mail, "send", lambda config, to, subject, text, link: sent.append((subject, text)) or True)
    stored = stored_text.of(_l("Checkpoint %(cp)s of %(ref)s waits for your sign-off.", cp="CP3", ref="UH-1"))
    with app.app_context():  # the worker's app context, no request: the agency's language
        send_email.call_local("anna@myndighet.example", stored, stored, "/checkpoints/1")
    assert sent == [("Avstämningspunkt CP3 i UH-1 väntar på ditt beslut.",) * 2]
