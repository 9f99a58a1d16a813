"""Markers of the security tests."""
from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "real_dummy_hash: keep the production-cost dummy hash for unknown user names")
