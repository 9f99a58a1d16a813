"""Shared fixtures: an app on a temporary database, users for every role, factories, no network."""
from __future__ import annotations

import os
import socket
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

# The queue module picks its file when imported: keep it out of the repository during tests.
os.environ.setdefault("VETTING_QUEUE_FILE", os.path.join(tempfile.mkdtemp(prefix="vetting-queue-"), "queue.sqlite3"))

import pytest  # noqa: E402
from flask import Flask  # noqa: E402
from flask.testing import FlaskClient

from vetting import create_app  # noqa: E402
from vetting.db import connect, upgrade  # noqa: E402
from vetting.domain import organisations, procurements, users  # noqa: E402
from vetting.domain.audit import SYSTEM  # noqa: E402
from vetting.queue import huey  # noqa: E402

PASSWORD = "correct horse battery staple"
ROLES = ("procurement_officer", "security_officer", "reviewer", "auditor", "admin")
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture(autouse=True)
def immediate_queue() -> Iterator[None]:
    """Background tasks run at once, in the test's process (one test uses a real consumer instead)."""
    huey.immediate = True
    yield
    huey.immediate = False


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any test that tries to reach beyond this machine (registers are faked at the transport)."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and not (host.startswith("127.") or host in ("localhost", "::1") or host.startswith("/")):
            raise RuntimeError(f"test tried to reach the network: {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


def make_app(tmp_path: Path, **overrides: Any) -> Flask:
    """An app on a fresh, migrated database in ``tmp_path``."""
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-0123456789abcdef",
        "DATABASE": str(tmp_path / "test.sqlite3"),
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
def app(tmp_path: Path) -> Flask:
    return make_app(tmp_path)


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
