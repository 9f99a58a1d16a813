"""A real HTTP server on 127.0.0.1 that answers as the registers do, or in a chosen fault mode.

Routes map (method, path) to an Answer; the path is matched without its query string. ``drip`` sends the body a
few bytes at a time (slower than any deadline), ``hang`` sends nothing until the client gives up.
"""
from __future__ import annotations

import html
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: bytes
    mode: str = "normal"  # normal, drip or hang


class RegisterServer:
    """The server and its routing table; ``base(source)`` is the address to configure for a register."""

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], Answer | Callable[[dict[str, str]], Answer]] = {}
        self.requests: list[tuple[str, str]] = []
        self.stop = threading.Event()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def _answer(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                parts = urlsplit(self.path)
                path = parts.path
                owner.requests.append((method, self.path))
                answer = owner.routes.get((method, path)) or Answer(404, "text/plain", b"no such route")
                if callable(answer):  # an answer that depends on the query (paging)
                    answer = answer({k: v[0] for k, v in parse_qs(parts.query).items()})
                if answer.mode == "hang":
                    owner.stop.wait(10)  # never answers while the client waits
                    return
                try:
                    self.send_response(answer.status)
                    self.send_header("Content-Type", answer.content_type)
                    self.send_header("Content-Length", str(len(answer.body)))
                    self.end_headers()
                    if answer.mode == "drip":
                        for i in range(0, len(answer.body), 4):
                            if owner.stop.wait(0.05):
                                return
                            self.wfile.write(answer.body[i:i + 4])
                            self.wfile.flush()
                    else:
                        self.wfile.write(answer.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up: that is the point of the fault

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                self._answer("GET")

            def do_POST(self) -> None:  # noqa: N802
                self._answer("POST")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True

    def base(self, source: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}/{source}"


def screen_organisation(app: Any, login_as: Callable[[str], Any], server: RegisterServer,
                        routes: dict[tuple[str, str], Any], *, country: str, identifier: tuple[str, str],
                        check_id: str, settings: dict[str, str] | None = None) -> tuple[Any, int, int]:
    """Serve ``routes``, create a bidder with ``identifier`` in a procurement, press "Screen now" as a procurement
    officer; return (db, organisation id, procurement id)."""
    from vetting.db import connect
    from vetting.domain import organisations, procurements, register_settings
    from vetting.domain.audit import SYSTEM

    server.routes.update(routes)
    db = connect(app.config["DATABASE"])
    org = organisations.create(db, SYSTEM, {"name": "Leverantören AB", "country": country,
                                            "identifier_type": identifier[0], "identifier": identifier[1]})
    procurement = procurements.create(db, SYSTEM, {"reference": "UH-2026-0001", "title": "Städtjänster"})
    procurements.add_participant(db, SYSTEM, procurement, org, "bidder")
    for key, value in (settings or {}).items():
        register_settings.put(db, SYSTEM, check_id, key, value)
    response = login_as("procurement_officer").post(f"/screening/organisation/{org}/run")
    assert response.status_code == 302, response.data[:300]
    return db, org, procurement


def check_row(page: str, name: str) -> str:
    """The organisation page's row of one check (Registers and lists consulted), entities decoded."""
    page = html.unescape(page)
    row = page[page.index(f"<td>{name}</td>"):]
    return row[:row.index("</tr>")]


SOURCES = ("no.brreg", "gleif", "eu.vies", "eu.vies.soap", "gb.companies_house", "se.bolagsverket",
           "se.bolagsverket.token", "se.arbetsmiljoverket")


def register_config(server: RegisterServer) -> dict[str, Any]:
    """App settings pointing every register at the server, with short deadlines and no retries or cache."""
    return {"REGISTER_URLS": tuple(f"{s}={server.base(s)}" for s in SOURCES), "REGISTER_CACHE_TTL": 0,
            "REGISTER_RETRIES": 0, "REGISTER_READ_TIMEOUT": 5.0, "REGISTER_CHECK_DEADLINE": 1.0,
            "REGISTER_BATCH_DEADLINE": 8.0}


@contextmanager
def register_server() -> Iterator[RegisterServer]:
    server = RegisterServer()
    thread = threading.Thread(target=server.httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stop.set()
        server.httpd.shutdown()
        server.httpd.server_close()
        thread.join(timeout=5)
        time.sleep(0)  # let handler threads see the stop event
