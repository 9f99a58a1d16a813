"""Browser tests: Debian's chromium driven by Playwright against a live server on loopback.

``tests/browser`` is a package (``__init__.py``) so that ``conftest`` below still names
``tests/conftest.py`` (``make_app``, ``PASSWORD``, ``ROLES``), as in the other test modules.

Without /usr/bin/chromium every test here is skipped, unless VETTING_REQUIRE_BROWSER=1 (CI),
in which case each of them fails with a message saying why.
"""
from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect
from werkzeug.serving import make_server

from conftest import PASSWORD, ROLES, make_app
from vetting.db import connect
from vetting.domain import users
from vetting.domain.audit import SYSTEM

CHROMIUM = Path("/usr/bin/chromium")
HERE = Path(__file__).resolve().parent
BROWSER_REQUIRED = os.environ.get("VETTING_REQUIRE_BROWSER") == "1"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # No network on the test machines: without these chromium keeps trying to reach Google.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium_missing() -> bool:
    return not (CHROMIUM.exists() and os.access(CHROMIUM, os.X_OK))


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test of this directory `browser`; skip them when there is no chromium (unless required)."""
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is not installed (set VETTING_REQUIRE_BROWSER=1 to fail instead)")
    for item in items:
        if HERE in item.path.resolve().parents:
            item.add_marker(pytest.mark.browser)
            if _chromium_missing() and not BROWSER_REQUIRED:
                item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def _chromium_present() -> None:
    """Runs before Playwright's session fixtures launch anything: fail loudly when CI needs the browser."""
    if _chromium_missing():
        if BROWSER_REQUIRED:
            pytest.fail(f"VETTING_REQUIRE_BROWSER=1 but {CHROMIUM} is missing or not executable: "
                        "install Debian's chromium (apt-get install chromium).", pytrace=False)
        pytest.skip(f"{CHROMIUM} is not installed")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """pytest-playwright's launch options (--headed, --slowmo...) plus Debian's chromium and quiet flags."""
    headed = browser_type_launch_args.get("headless") is False  # --headed
    args = [arg for arg in CHROMIUM_ARGS if not (headed and arg.startswith("--headless"))]
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": args}


@pytest.fixture(scope="session", autouse=True)
def _patient_expect() -> None:
    """Assertions wait up to 10 s (default 5 s): the suite shares the machine with other work."""
    expect.set_options(timeout=10_000)


@pytest.fixture(scope="session")
def base_url(pytestconfig: pytest.Config) -> str | None:
    """Same value as pytest-playwright's own fixture, which it defines as a method of a plugin
    object: pytest 9 warns about that (PytestRemovedIn10Warning) and `filterwarnings = error`
    turns the warning into an error in every browser test."""
    return pytestconfig.getoption("--base-url", None) or pytestconfig.getini("base_url") or None


@pytest.fixture
def live_app(tmp_path: Path) -> Flask:
    """The app on a fresh database, CSRF on (real forms), one user per role named after it with PASSWORD."""
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    db = connect(app.config["DATABASE"])
    try:
        for role in ROLES:
            users.create_user(db, SYSTEM, username=role, password=PASSWORD, roles=[role],
                              display_name=role.replace("_", " ").title(), hash_method="pbkdf2:sha256:1000")
    finally:
        db.conn.close()
    return app


@pytest.fixture
def live_server(live_app: Flask) -> Iterator[str]:
    """Serve ``live_app`` on 127.0.0.1 (a free port) in a daemon thread; yield the base URL."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="live-server",
                              daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
