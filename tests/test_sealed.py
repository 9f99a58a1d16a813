"""The suite is sealed: the guard stops DNS lookups and connections, and tells on code that swallows the error."""
from __future__ import annotations

import socket

import pytest
import requests

from conftest import SHARED_DATA, shared_data_file, take_network_attempts


@pytest.mark.parametrize("lookup", [
    lambda: socket.getaddrinfo("ec.europa.eu", 443),
    lambda: socket.gethostbyname("www.av.se"),
    lambda: socket.gethostbyaddr("vm"),
    lambda: socket.create_connection(("93.184.216.34", 80), timeout=1),
])
def test_a_lookup_or_connection_beyond_loopback_is_refused_and_recorded(lookup):
    with pytest.raises(OSError, match="test tried to reach the network"):
        lookup()
    assert len(take_network_attempts()) == 1  # taken here, so this test itself passes


def test_requests_without_responses_is_refused_before_any_dns():
    with pytest.raises(requests.ConnectionError):
        requests.get("https://ec.europa.eu/taxation_customs/vies/rest-api/check-vat-number", timeout=1)
    assert any("ec.europa.eu" in attempt for attempt in take_network_attempts())


def test_swallowed_attempts_still_fail_the_test():
    """What the autouse fixture checks after each test: an attempt the code caught is still on record."""
    try:
        socket.getaddrinfo("www.av.se", 443)
    except OSError:
        pass  # as a register client that turns every failure into "source unavailable"
    assert take_network_attempts() == ["getaddrinfo('www.av.se')"]


def test_loopback_stays_open():
    assert socket.getaddrinfo("127.0.0.1", 80)
    assert socket.getaddrinfo("localhost", 80)
    assert take_network_attempts() == []


def test_missing_shared_data_skips_here_or_fails_when_required(monkeypatch):
    missing = SHARED_DATA / "no-such-list" / "file.xml"
    monkeypatch.setattr("conftest.SHARED_DATA_REQUIRED", False)  # as on a user's machine, whatever CI set
    with pytest.raises(pytest.skip.Exception):
        shared_data_file(missing)
    monkeypatch.setattr("conftest.SHARED_DATA_REQUIRED", True)
    with pytest.raises(pytest.fail.Exception, match="VETTING_REQUIRE_SHARED_DATA=1"):
        shared_data_file(missing)
