"""Send one notification e-mail over SMTP; only the queue's worker calls this, never a request."""
from __future__ import annotations

import smtplib
from collections.abc import Mapping
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit


def send(settings: Mapping[str, Any], to: str, subject: str, text: str, link: str | None) -> bool:
    """Send the message; False when no SMTP server is configured. SMTP errors propagate (the task retries)."""
    if not settings.get("MAIL_SERVER"):
        return False
    base = str(settings.get("PUBLIC_URL") or "")
    message = EmailMessage()
    # A line break typed into a reason that ends up in the subject would be refused as a header (or,
    # in a lax mailer, start a new one): a subject is one line.
    message["From"], message["To"], message["Subject"] = settings["MAIL_FROM"], to, " ".join(subject.split())
    message.set_content(f"{text}\n\n{base}{link or ''}")
    # EHLO with the app's public host name: smtplib would otherwise look up this machine's name in DNS.
    ehlo = urlsplit(base).hostname or "localhost"
    with smtplib.SMTP(settings["MAIL_SERVER"], int(settings["MAIL_PORT"]), local_hostname=ehlo, timeout=10) as smtp:
        if settings.get("MAIL_USE_TLS"):
            smtp.starttls()
        if settings.get("MAIL_USERNAME"):
            smtp.login(settings["MAIL_USERNAME"], settings["MAIL_PASSWORD"])
        smtp.send_message(message)
    return True
