"""Notifications: in the app always, by e-mail when an SMTP server is configured."""
from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

import sqlite_utils
from flask import current_app, has_app_context

from ..store import checkpoints as store
from ..store import users as user_store
from ..store import write_transaction

log = logging.getLogger(__name__)


def _send_mail(to: str, subject: str, body: str) -> None:
    """Send one e-mail; a mail failure is logged and never breaks the action that caused it."""
    if not has_app_context() or not current_app.config.get("MAIL_SERVER"):
        return
    cfg = current_app.config
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = cfg["MAIL_FROM"], to, subject
    message.set_content(body)
    try:
        with smtplib.SMTP(cfg["MAIL_SERVER"], int(cfg["MAIL_PORT"]), timeout=10) as smtp:
            if cfg.get("MAIL_USE_TLS"):
                smtp.starttls()
            if cfg.get("MAIL_USERNAME"):
                smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException):
        log.exception("Could not send notification e-mail to %s", to)


def tell_user(db: sqlite_utils.Database, user_id: int | None, text: object, link: str | None) -> None:
    """Notify one user in the app and by e-mail."""
    if user_id is None:
        return
    user = user_store.get(db, user_id)
    if user is None or not user["active"]:
        return
    with write_transaction(db):
        store.notify(db, user_id, str(text), link)
    if user["email"]:
        base = current_app.config.get("PUBLIC_URL", "") if has_app_context() else ""
        _send_mail(user["email"], str(text)[:120], f"{text}\n\n{base}{link or ''}")


def tell_role(db: sqlite_utils.Database, role: str, text: object, link: str | None, exclude_user: int | None = None) -> None:
    """Notify every active user holding a role (except the one who caused it)."""
    for user in user_store.users_with_role(db, role):
        if user["id"] != exclude_user:
            tell_user(db, user["id"], text, link)
