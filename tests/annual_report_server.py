"""A real HTTP server on 127.0.0.1 that answers like Bolagsverket's API (token, dokumentlista, dokument)."""
from __future__ import annotations

import io
import json
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures" / "se.bolagsverket.arsredovisning"


def package(*members: tuple[str, bytes]) -> bytes:
    """A dokument ZIP holding the given members."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in members:
            archive.writestr(name, body)
    return buffer.getvalue()


def fixture_zip(*names: str) -> bytes:
    return package(*((n, (FIXTURES / n).read_bytes()) for n in names))


class FakeBolagsverket:
    """Routes: POST /token, POST /api/dokumentlista, GET /api/dokument/{id}; answers set per test."""

    def __init__(self) -> None:
        self.listing: tuple[int, bytes] = (200, (FIXTURES / "dokumentlista.json").read_bytes())
        self.documents: dict[str, tuple[int, bytes, str]] = {}
        self.requests: list[tuple[str, str, dict[str, str], bytes]] = []

    def document(self, ident: str, body: bytes, status: int = 200, media: str = "application/zip") -> None:
        self.documents[ident] = (status, body, media)

    def handle(self, method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes, str]:
        self.requests.append((method, path, headers, body))
        if path == "/token":
            return 200, json.dumps({"access_token": "tok", "expires_in": 3600}).encode(), "application/json"
        if headers.get("authorization") != "Bearer tok":
            return 401, b"{}", "application/json"
        if method == "POST" and path == "/api/dokumentlista":
            return self.listing[0], self.listing[1], "application/json"
        if method == "GET" and path.startswith("/api/dokument/"):
            return self.documents.get(path.rpartition("/")[2], (404, b'{"title":"Not found"}', "application/json"))
        return 404, b"{}", "application/json"


def run_check(fake: "FakeBolagsverket", orgnr: str = "5566778899", today: date = date(2020, 10, 1),
              subject_id: int = 1) -> Any:
    """Run the annual-report check on an organisation against the fake; returns its Outcome."""
    from checks import CheckContext, Subject
    from checks.annual_reports import AnnualReportsCheck
    from checks.http import HostPolicy, HttpClient
    from vetting.domain.runner import run_one

    with serve(fake) as base:
        hosts = {"se.bolagsverket": HostPolicy(f"{base}/api", retries=0),
                 "se.bolagsverket.token": HostPolicy(f"{base}/token", retries=0)}
        ctx = CheckContext(settings={"client_id": "c", "client_secret": "s"},
                           http=HttpClient(hosts, sleep=lambda s: None),
                           now=lambda: datetime(today.year, today.month, today.day, 9, tzinfo=timezone.utc))
        return run_one(AnnualReportsCheck(), Subject("organisation", subject_id, "Fixturbygg AB", "SE",
                                                     {"se_orgnr": orgnr}), ctx)


def single(ident: str, period_end: str, registered: str) -> bytes:
    """A dokumentlista answer listing one document."""
    return json.dumps({"dokument": [{"dokumentId": ident, "filformat": "application/zip",
                                     "rapporteringsperiodTom": period_end,
                                     "registreringstidpunkt": registered}]}).encode()


@contextmanager
def serve(fake: FakeBolagsverket) -> Iterator[str]:
    """Run the fake on a free port; yields the base URL."""

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, payload, media = fake.handle(self.command, self.path, headers, body)
            self.send_response(status)
            self.send_header("Content-Type", media)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = _answer

        def log_message(self, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        httpd.server_close()
