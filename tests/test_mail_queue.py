"""Notification e-mail goes through the queue: the request only enqueues it."""
from __future__ import annotations

import smtplib

from vetting.domain import notify
from vetting.queue import huey


def test_telling_a_user_enqueues_the_mail_and_sends_nothing_in_the_request(app, db, accounts, monkeypatch):
    db.execute("UPDATE users SET email = 'anna@myndighet.example' WHERE id = ?", [accounts["reviewer"]])
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=2525)
    opened = []
    monkeypatch.setattr(smtplib, "SMTP", lambda *a, **k: opened.append(a))
    huey.immediate = False  # as in production: a consumer process sends it
    huey.flush()
    with app.app_context():
        notify.tell_user(db, accounts["reviewer"], "Larm: ny träff på sanktionslistan", "/followup/alerts/1")
    assert opened == []
    queued = [huey.deserialize_task(data) for data in huey.storage.enqueued_items()]
    assert [task.name for task in queued] == ["send_email"]
    assert queued[0].args[:2] == ("anna@myndighet.example", "Larm: ny träff på sanktionslistan")
    huey.flush()
