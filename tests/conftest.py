"""Shared fixtures: an app on a temporary database, users for every role, factories, no network.

The suite is sealed: no test may resolve a name or open a connection beyond this machine
(``no_network``), and the app's own sleeping (retry back-off, pauses: any ``time.sleep`` with
code of ``vetting/`` or ``checks/`` on the stack) stays under ``SLEEP_BUDGET`` seconds for the
whole run. It is accounted from before the app is imported, so a ``sleep=time.sleep`` default
argument is counted too. A test's own waiting for another process (a consumer, a server) is
reported beside it but is not back-off.
"""
from __future__ import annotations

import ipaddress
import os
import shutil
import smtplib
import socket
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

SLEEP_BUDGET = 5.0
SLEPT: Counter[str] = Counter()  # seconds the app slept, per test node id ("" outside tests)
WAITED: Counter[str] = Counter()  # seconds tests themselves slept waiting for another process
_current_test = {"id": ""}
_real_sleep = time.sleep
_APP_CODE = tuple(str(Path(__file__).resolve().parents[1] / part) + os.sep for part in ("vetting", "checks"))


def _accounted_sleep(seconds: float) -> None:
    frame, by_app = sys._getframe(1), False
    while frame is not None and not by_app:
        by_app = frame.f_code.co_filename.startswith(_APP_CODE)
        frame = frame.f_back
    (SLEPT if by_app else WAITED)[_current_test["id"]] += max(0.0, float(seconds))
    _real_sleep(seconds)


time.sleep = _accounted_sleep

# The queue module picks its file when imported: keep it out of the repository during tests.
os.environ.setdefault("VETTING_QUEUE_FILE", os.path.join(tempfile.mkdtemp(prefix="vetting-queue-"), "queue.sqlite3"))

import pytest  # noqa: E402
from flask import Flask  # noqa: E402
from flask.testing import FlaskClient

from vetting import create_app  # noqa: E402
from vetting.db import close_connections, connect, upgrade  # noqa: E402
from vetting.domain import consequences, organisations, procurements, users  # noqa: E402
from vetting.domain.audit import SYSTEM  # noqa: E402
from vetting.queue import huey  # noqa: E402
from register_server import RegisterServer, register_config, register_server  # noqa: E402

# Many tests call the domain without an app: they get the same subscriptions as the app factory gives.
consequences.assemble()

PASSWORD = "correct horse battery staple"
ROLES = ("procurement_officer", "security_officer", "reviewer", "auditor", "admin")
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture(autouse=True)
def immediate_queue() -> Iterator[None]:
    """Background tasks run at once, in the test's process (one test uses a real consumer instead)."""
    huey.immediate = True
    yield
    huey.immediate = False


# The guard's state lives on the socket module, not in this file: should this conftest be imported a second
# time under another name, both copies share one record and one set of real functions, so an attempt is
# never recorded where the no_network fixture does not look (seen: the seal tests failing in a whole run).
_STATE = socket.__dict__.setdefault("_vetting_test_guard", {
    "attempts": [],
    "real": {"getaddrinfo": socket.getaddrinfo, "gethostbyname": socket.gethostbyname,
             "gethostbyname_ex": socket.gethostbyname_ex, "gethostbyaddr": socket.gethostbyaddr,
             "connect": socket.socket.connect, "connect_ex": socket.socket.connect_ex},
    "sealed": False,
})
NETWORK_ATTEMPTS: list[str] = _STATE["attempts"]  # what tests tried to reach; the no_network fixture fails on any
_real = _STATE["real"]


def _local(host: Any) -> bool:
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str) or host.startswith("/") or host in ("", "localhost"):
        return isinstance(host, str)  # "" and "/path" (AF_UNIX) stay on this machine
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False  # a name: resolving it is a DNS lookup


def _refuse(what: str) -> OSError:
    NETWORK_ATTEMPTS.append(what)
    return socket.gaierror(socket.EAI_NONAME, f"test tried to reach the network: {what}")


def _guard_lookup(name: str) -> Callable[..., Any]:
    def guarded(host: Any, *args: Any, **kwargs: Any) -> Any:
        if not _local(host):
            raise _refuse(f"{name}({host!r})")
        return _real[name](host, *args, **kwargs)

    return guarded


def _guard_connect(name: str) -> Callable[..., Any]:
    def guarded(self: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else address
        if not _local(host):
            raise _refuse(f"{name}({address!r})")
        return _real[name](self, address)

    return guarded


def seal_network() -> None:
    """Block name lookups and connections beyond loopback for the whole run (all threads); once per process."""
    if _STATE["sealed"]:
        return
    _STATE["sealed"] = True
    for name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr"):
        setattr(socket, name, _guard_lookup(name))
    socket.socket.connect = _guard_connect("connect")  # type: ignore[method-assign]
    socket.socket.connect_ex = _guard_connect("connect_ex")  # type: ignore[method-assign]


def take_network_attempts() -> list[str]:
    """The attempts recorded since the last call (and forget them)."""
    attempts = NETWORK_ATTEMPTS[:]
    NETWORK_ATTEMPTS.clear()
    return attempts


seal_network()


@pytest.fixture(autouse=True)
def no_network(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail any test that tried to reach beyond this machine, even if the code swallowed the error.

    Registers are faked at the transport (``responses``) or served on 127.0.0.1.
    """
    take_network_attempts()
    _current_test["id"] = request.node.nodeid
    yield
    _current_test["id"] = ""
    attempts = take_network_attempts()
    if attempts:
        pytest.fail(f"test tried to reach the network ({len(attempts)} attempts): {attempts[:5]}", pytrace=False)


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    """Report the run's sleeping; over the budget the run fails (see pytest_sessionfinish)."""
    total = sum(SLEPT.values())
    terminalreporter.write_line(f"sleep budget: the app slept {total:.2f} s of {SLEEP_BUDGET:.0f} s in total; "
                                f"tests waited {sum(WAITED.values()):.2f} s for other processes")
    if total > SLEEP_BUDGET:
        for node, seconds in SLEPT.most_common(10):
            terminalreporter.write_line(f"  {seconds:6.2f} s  {node or '(outside tests)'}")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if sum(SLEPT.values()) > SLEEP_BUDGET and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


SHARED_DATA_REQUIRED = os.environ.get("VETTING_REQUIRE_SHARED_DATA") == "1"


def shared_data_file(path: Path) -> Path:
    """``path`` under ../shared/data; skip the test when it is absent, or fail it when CI requires the data."""
    if not path.exists():
        if SHARED_DATA_REQUIRED:
            pytest.fail(f"{path} is missing and VETTING_REQUIRE_SHARED_DATA=1", pytrace=False)
        pytest.skip(f"{path} is not present (set VETTING_REQUIRE_SHARED_DATA=1 to fail instead)")
    return path


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: Any) -> Iterator[None]:
    """With VETTING_REQUIRE_SHARED_DATA=1 a shared_data test never skips, whatever made it skip."""
    outcome = yield
    report = outcome.get_result()
    if SHARED_DATA_REQUIRED and report.skipped and item.get_closest_marker("shared_data") is not None:
        report.outcome = "failed"
        report.longrepr = f"shared_data test skipped although VETTING_REQUIRE_SHARED_DATA=1: {report.longrepr}"


PDF_TOOLS_REQUIRED = os.environ.get("VETTING_REQUIRE_PDF_TOOLS") == "1"


def require_pdf_tools(*tools: str) -> None:
    """Poppler's tools (``pdftotext``, ``pdftoppm``) read a report back. A fresh machine of the project's kind
    has none of them, so the test skips there and ``make test`` passes; CI installs poppler-utils and sets
    VETTING_REQUIRE_PDF_TOOLS=1, so a missing tool fails instead of hiding the report tests."""
    missing = [tool for tool in tools or ("pdftotext",) if shutil.which(tool) is None]
    if missing and PDF_TOOLS_REQUIRED:
        pytest.fail(f"{', '.join(missing)} missing and VETTING_REQUIRE_PDF_TOOLS=1", pytrace=False)
    if missing:
        pytest.skip(f"{', '.join(missing)} (poppler-utils) is not installed")


def make_app(tmp_path: Path, **overrides: Any) -> Flask:
    """An app on a fresh, migrated database in ``tmp_path``."""
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-0123456789abcdef",
        "DATABASE": str(tmp_path / "test.sqlite3"),
        # Each test keeps its list index apart, not in the checkout's shared instance folder.
        "LIST_INDEX_FOLDER": str(tmp_path / "list-index"),
        "WTF_CSRF_ENABLED": False,
        # Cheap hashing keeps the suite fast; production uses scrypt N=2^17 (see config.py).
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "SESSION_COOKIE_SECURE": False,
    }
    config.update(overrides)
    app = create_app(config)
    db = connect(config["DATABASE"])
    upgrade(db)
    db.conn.close()
    return app


@pytest.fixture
def server() -> Iterator[RegisterServer]:
    """A real HTTP server on 127.0.0.1 that answers as the registers do (``tests/register_server.py``)."""
    with register_server() as running:
        yield running


@pytest.fixture
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    """An app on a fresh database; a test marked ``registers`` gets one whose registers are the ``server``."""
    marked = request.node.get_closest_marker("registers") is not None
    app = make_app(tmp_path, **(register_config(request.getfixturevalue("server")) if marked else {}))
    yield app
    close_connections(app)  # each thread keeps its connection: closed now, not whenever the app is collected


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> Any:
    return app.test_cli_runner()


@pytest.fixture
def db(app: Flask) -> Iterator[Any]:
    """A connection of its own to the test database (as another process would have)."""
    conn = connect(app.config["DATABASE"])
    yield conn
    conn.conn.close()


@pytest.fixture
def accounts(db: Any) -> dict[str, int]:
    """One user per role, named after the role, all with PASSWORD."""
    return {role: users.create_user(db, SYSTEM, username=role, password=PASSWORD, roles=[role],
                                    display_name=role.replace("_", " ").title(), hash_method="pbkdf2:sha256:1000")
            for role in ROLES}


@pytest.fixture
def login_as(client: FlaskClient, accounts: dict[str, int]) -> Callable[[str], FlaskClient]:
    """Sign the test client in as the user of a role."""

    def login(role: str) -> FlaskClient:
        response = client.post("/login", data={"username": role, "password": PASSWORD})
        assert response.status_code == 302, response.data[:500]
        return client

    return login


@pytest.fixture
def sent_mail(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The messages the app hands to SMTP, kept here instead (nothing is sent)."""
    sent: list[Any] = []

    class FakeSMTP:
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            pass

        def __enter__(self) -> FakeSMTP:
            return self

        def __exit__(self, *exc: Any) -> bool:
            return False

        def send_message(self, message: Any) -> None:
            sent.append(message)

    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    return sent


@pytest.fixture
def create_org(db: Any) -> Callable[..., int]:
    """Factory: an organisation with sensible Swedish defaults."""
    counter = iter(range(1000))

    def create(**overrides: Any) -> int:
        values = {"name": f"Testbolaget {next(counter)} AB", "country": "SE", "address": "Storgatan 1"}
        values.update(overrides)
        return organisations.create(db, SYSTEM, values)

    return create


@pytest.fixture
def create_procurement(db: Any) -> Callable[..., int]:
    """Factory: a procurement with a unique reference."""
    counter = iter(range(1000))

    def create(**overrides: Any) -> int:
        values = {"reference": f"UH-2026-{next(counter):04d}", "title": "Städtjänster", "phase": "need"}
        values.update(overrides)
        return procurements.create(db, SYSTEM, values)

    return create
