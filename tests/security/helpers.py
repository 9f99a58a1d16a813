"""Small tools the ASVS tests share: an HTML inspector, CSRF tokens, sign-in, the session token in a cookie."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from conftest import PASSWORD

# Attributes whose value the browser follows or runs as a URL.
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"})


@dataclass
class Inspected:
    """What a browser would run in a page (``active``) and what it would show as text or attribute values."""

    active: list[str] = field(default_factory=list)
    text: str = ""
    attribute_values: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)

    def shows(self, value: str) -> bool:
        """True when ``value`` appears as inert text or inside an attribute value, exactly as stored."""
        return value in self.text or any(value in v for v in self.attribute_values)


class _Inspector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.result = Inspected()
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and not values.get("src"):
            self.result.active.append("<script> without src")
        if tag in ("iframe", "object", "embed", "base"):
            self.result.active.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.result.active.append(f"<{tag} {name}=…>")
            if value is None:
                continue
            self.result.attribute_values.append(value)
            if name in URL_ATTRIBUTES:
                self.result.urls.append(value)
                if re.sub(r"[\s\x00-\x1f]", "", value).lower().startswith(("javascript:", "vbscript:", "data:text/html")):
                    self.result.active.append(f"<{tag} {name}={value[:40]}>")

    handle_startendtag = handle_starttag

    def handle_data(self, data: str) -> None:
        self._text.append(data)

    def close(self) -> None:
        super().close()
        self.result.text = "".join(self._text)


def inspect_html(html: str) -> Inspected:
    """Parse a page the way a browser tokenises it (close enough for finding injected markup)."""
    parser = _Inspector()
    parser.feed(html)
    parser.close()
    return parser.result


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on the page."""
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or \
        re.search(r'value="([^"]+)"[^>]*name="csrf_token"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def sign_in(client: FlaskClient, username: str, password: str = PASSWORD, **kwargs: Any) -> Any:
    """POST the sign-in form (without CSRF: the test apps switch it off unless a test turns it on)."""
    return client.post("/login", data={"username": username, "password": password}, **kwargs)


def cookie_session(app: Flask, client: FlaskClient) -> dict[str, Any]:
    """The decoded contents of the client's session cookie (empty when it has none)."""
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    if cookie is None:
        return {}
    return dict(app.session_interface.get_signing_serializer(app).loads(cookie.value))  # type: ignore[attr-defined]
