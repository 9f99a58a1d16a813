"""The register HTTP layer: allowlist, retries, Retry-After, breaker, rate limit, cache, evidence, HTML helpers."""
from __future__ import annotations

import hashlib
import socket
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from typing import Any

import pytest
import requests
import responses
from hypothesis import given, settings
from hypothesis import strategies as st

from checks.contract import Evidence
from checks.errors import CheckAbort, NotConfigured, SourceChanged, SourceUnavailable
from checks.html import select_all, select_one, soup, text_of
from checks.http import Fetched, HostPolicy, HttpClient

BASE = "https://data.brreg.no/enhetsregisteret/api"
ORG = f"{BASE}/enheter/923609016"
START = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)


class FakeTime:
    """A monotonic clock that only moves when the client sleeps (or the test advances it)."""

    def __init__(self) -> None:
        self.t = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.t += seconds

    def now(self) -> datetime:
        return START + timedelta(seconds=self.t - 1000.0)


@pytest.fixture
def ft() -> FakeTime:
    return FakeTime()


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def client(ft: FakeTime, **policy: Any) -> HttpClient:
    return HttpClient({"no.brreg": HostPolicy(BASE, **policy)}, clock=ft.clock, sleep=ft.sleep, now=ft.now)


# -- success and evidence -------------------------------------------------------------------------------------

def test_success_records_evidence(ft, rsps):
    body = b'{"organisasjonsnummer": "923609016", "navn": "EQUINOR ASA"}'
    rsps.get(ORG, body=body, content_type="application/json; charset=utf-8")
    fetched = client(ft).get("no.brreg", "enheter/923609016")
    assert fetched.json()["navn"] == "EQUINOR ASA"
    assert fetched.headers["content-type"] == "application/json; charset=utf-8"
    assert (fetched.status, fetched.from_cache) == (200, False)
    ev = fetched.evidence
    assert ev == Evidence(source="no.brreg", fetched_at=START, sha256=hashlib.sha256(body).hexdigest(), body=body,
                          url=ORG, http_status=200, media_type="application/json",
                          headers={"Content-Type": "application/json; charset=utf-8"}, received=len(body))
    assert ev.fetched_at.tzinfo is not None


def test_secrets_are_stripped_from_url_and_evidence(ft, rsps):
    rsps.get(f"{BASE}/sok", json={"hits": []})
    fetched = client(ft).get("no.brreg", "sok", params={"q": "Equinor", "api_key": "s3cret", "sessionid": "abc"},
                             secret_params=["SessionId"])
    assert "s3cret" in rsps.calls[0].request.url and "abc" in rsps.calls[0].request.url
    assert fetched.url == fetched.evidence.url == f"{BASE}/sok?q=Equinor"


def test_user_agent_is_always_sent(ft, rsps):
    rsps.get(ORG, json={})
    client(ft).get("no.brreg", ORG, headers={"User-Agent": "curl/8"})
    assert rsps.calls[0].request.headers["User-Agent"].startswith("vetting/0.1")


def test_404_is_returned_for_the_check_to_decide(ft, rsps):
    rsps.get(ORG, status=404, body=b"<html>Not found</html>", content_type="text/html")
    fetched = client(ft).get("no.brreg", "enheter/923609016")
    assert fetched.status == 404 and fetched.evidence.http_status == 404
    assert len(rsps.calls) == 1


def test_text_uses_the_declared_charset(ft, rsps):
    rsps.get(ORG, body="Åkeri Östlund".encode("cp1252"), content_type="text/plain; charset=windows-1252")
    assert client(ft).get("no.brreg", ORG, expect="any").text() == "Åkeri Östlund"


# -- failures ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("exc, reason", [
    (requests.exceptions.ConnectTimeout(), "connection timed out"),
    (requests.exceptions.ReadTimeout(), "timed out waiting for an answer"),
], ids=["connect", "read"])
def test_timeout_is_source_unavailable_after_retries(ft, rsps, exc, reason):
    rsps.get(ORG, body=exc)
    with pytest.raises(SourceUnavailable, match=f"no.brreg: {reason}.* after 4 attempts"):
        client(ft).get("no.brreg", ORG)
    assert len(rsps.calls) == 4 and len(ft.sleeps) == 3


def test_connection_refused_is_source_unavailable(ft, rsps):
    rsps.get(ORG, body=requests.exceptions.ConnectionError("[Errno 111] Connection refused"))
    with pytest.raises(SourceUnavailable, match="no.brreg: connection refused after 1 attempt$"):
        client(ft, retries=0).get("no.brreg", ORG)


def test_connection_refused_on_a_real_socket_reads_as_refused(ft):
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens on the port any more
    with requests.Session() as session:
        http = HttpClient({"local": HostPolicy(f"http://127.0.0.1:{port}", retries=0)}, session=session,
                          clock=ft.clock, sleep=ft.sleep, now=ft.now)
        with pytest.raises(SourceUnavailable, match="^local: connection refused after 1 attempt$"):
            http.get("local", "x", params={"api_key": "s3cret"})


def test_body_cut_off_on_a_real_socket_is_retried_then_unavailable(ft):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()

    def serve() -> None:
        for _ in range(2):  # the first attempt and its one retry
            conn, _ = server.accept()
            with conn:
                conn.recv(4096)
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")

    thread = threading.Thread(target=serve)
    thread.start()
    try:
        with requests.Session() as session:
            policy = HostPolicy(f"http://127.0.0.1:{server.getsockname()[1]}", retries=1, read_timeout=5)
            http = HttpClient({"local": policy}, session=session, clock=ft.clock, sleep=ft.sleep, now=ft.now)
            with pytest.raises(SourceUnavailable, match="^local: answer cut off mid-transfer after 2 attempts$"):
                http.get("local", "x")
    finally:
        thread.join(timeout=5)
        server.close()


def test_500_then_success_after_retry_with_backoff(ft, rsps):
    rsps.get(ORG, status=500)
    rsps.get(ORG, json={"ok": True})
    assert client(ft).get("no.brreg", ORG).json() == {"ok": True}
    assert len(rsps.calls) == 2
    assert len(ft.sleeps) == 1 and 0.5 <= ft.sleeps[0] <= 0.55  # backoff * 2**0 plus at most 10 % jitter


def test_backoff_is_exponential_and_capped(ft, rsps):
    rsps.get(ORG, status=502)
    with pytest.raises(SourceUnavailable, match="502 Bad Gateway after 5 attempts"):
        client(ft, retries=4, backoff=1.0, max_backoff=3.0).get("no.brreg", ORG)
    assert [int(s) for s in ft.sleeps] == [1, 2, 3, 3]


def test_503_retry_after_seconds_is_honoured(ft, rsps):
    rsps.get(ORG, status=503, headers={"Retry-After": "7"})
    rsps.get(ORG, json={})
    client(ft).get("no.brreg", ORG)
    assert ft.sleeps == [7.0]


def test_429_retry_after_http_date_is_honoured(ft, rsps):
    rsps.get(ORG, status=429, headers={"Retry-After": format_datetime(START + timedelta(seconds=12), usegmt=True)})
    rsps.get(ORG, json={})
    client(ft).get("no.brreg", ORG)
    assert ft.sleeps == [12.0]


def test_retry_after_too_long_is_not_waited_for(ft, rsps):
    rsps.get(ORG, status=503, headers={"Retry-After": "3600"})
    with pytest.raises(SourceUnavailable, match="retry in 3600 s, longer than the 60 s allowed"):
        client(ft).get("no.brreg", ORG)
    assert ft.sleeps == [] and len(rsps.calls) == 1


def test_429_after_retries_is_source_unavailable(ft, rsps):
    rsps.get(ORG, status=429)
    with pytest.raises(SourceUnavailable, match=r"^no.brreg: 429 Too Many Requests after 4 attempts$"):
        client(ft).get("no.brreg", ORG)
    assert len(rsps.calls) == 4


def test_post_is_not_retried_unless_idempotent(ft, rsps):
    rsps.post(f"{BASE}/sok", status=500)
    with pytest.raises(SourceUnavailable, match="after 1 attempt$"):
        client(ft).post("no.brreg", "sok", json={"q": "x"})
    with pytest.raises(SourceUnavailable, match="after 4 attempts$"):
        client(ft).post("no.brreg", "sok", json={"q": "x"}, idempotent=True)
    assert len(rsps.calls) == 5


def test_html_page_where_json_expected_is_source_changed(ft, rsps):
    rsps.get(ORG, body=b"<!DOCTYPE html><html><body>Vedlikehold</body></html>", content_type="text/html")
    with pytest.raises(SourceChanged, match=r"not JSON \(an HTML/XML page; text/html.*starts b'<!DOCTYPE html>"):
        client(ft).get("no.brreg", ORG)


def test_malformed_json_is_source_changed(ft, rsps):
    rsps.get(ORG, body=b'{"navn": EQUINOR}', content_type="application/json")
    with pytest.raises(SourceChanged, match="not JSON .malformed"):
        client(ft).get("no.brreg", ORG)


def test_truncated_json_is_source_changed(ft, rsps):
    rsps.get(ORG, body=b'{"organisasjonsnummer": "923609016", "navn": "EQUI', content_type="application/json")
    with pytest.raises(SourceChanged, match="not JSON .truncated JSON"):
        client(ft).get("no.brreg", ORG)


def test_html_expected_skips_the_json_check(ft, rsps):
    rsps.get(ORG, body=b"<html></html>", content_type="text/html")
    assert client(ft).get("no.brreg", ORG, expect="html").body == b"<html></html>"


@pytest.mark.parametrize("status", [401, 403])
def test_rejected_credentials_abort_the_source(ft, rsps, status):
    rsps.get(ORG, status=status)
    with pytest.raises(CheckAbort, match="credentials rejected or expired"):
        client(ft).get("no.brreg", ORG)
    assert len(rsps.calls) == 1


# -- circuit breaker ----------------------------------------------------------------------------------------------

def test_breaker_opens_and_fails_fast_without_a_request(ft, rsps):
    rsps.get(ORG, status=500)
    http = client(ft, retries=0, breaker_failures=3, breaker_reset=60)
    for _ in range(3):
        with pytest.raises(SourceUnavailable, match="500"):
            http.get("no.brreg", ORG)
    with pytest.raises(SourceUnavailable, match="circuit breaker open; the register has failed 3 times in a row, "
                                                "retry after 12:01:00 UTC"):
        http.get("no.brreg", ORG)
    assert len(rsps.calls) == 3


def test_breaker_half_open_trial_closes_it_on_success(ft, rsps):
    failing = rsps.get(ORG, status=500)
    http = client(ft, retries=0, breaker_failures=2, breaker_reset=60)
    for _ in range(2):
        with pytest.raises(SourceUnavailable):
            http.get("no.brreg", ORG)
    rsps.remove(failing)
    rsps.get(ORG, json={"ok": True})
    ft.t += 60
    assert http.get("no.brreg", ORG).json() == {"ok": True}
    assert http.get("no.brreg", ORG).status == 200
    assert len(rsps.calls) == 4


def test_breaker_failed_trial_is_one_request_and_reopens(ft, rsps):
    rsps.get(ORG, status=500)
    http = client(ft, retries=3, backoff=0, breaker_failures=1, breaker_reset=60)
    with pytest.raises(SourceUnavailable, match="after 4 attempts"):
        http.get("no.brreg", ORG)
    ft.t += 60
    with pytest.raises(SourceUnavailable, match="after 1 attempt$"):
        http.get("no.brreg", ORG)
    with pytest.raises(SourceUnavailable, match="circuit breaker open"):
        http.get("no.brreg", ORG)
    assert len(rsps.calls) == 5


# -- rate limit and cache -------------------------------------------------------------------------------------------

def test_rate_limit_waits_for_the_next_token(ft, rsps):
    rsps.get(ORG, json={})
    http = client(ft, per_minute=2)
    for _ in range(3):
        http.get("no.brreg", ORG)
    assert ft.sleeps == [pytest.approx(30.0)]


def test_cache_hit_returns_the_original_evidence(ft, rsps):
    rsps.get(ORG, json={"navn": "EQUINOR ASA"})
    http = client(ft, cache_ttl=300)
    first = http.get("no.brreg", ORG)
    ft.t += 100
    second = http.get("no.brreg", ORG)
    assert second.from_cache and not first.from_cache
    assert second.evidence == first.evidence and second.evidence.fetched_at == START
    assert len(rsps.calls) == 1


def test_cache_expires_after_ttl(ft, rsps):
    rsps.get(ORG, json={})
    http = client(ft, cache_ttl=300)
    http.get("no.brreg", ORG)
    ft.t += 300
    assert not http.get("no.brreg", ORG).from_cache
    assert len(rsps.calls) == 2


# -- allowlist, redirects, configuration ------------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "https://evil.example/enhetsregisteret/api/enheter",
    "https://data.brreg.no.evil.example/enhetsregisteret/api/enheter",
    "https://data.brreg.no/enhetsregisteret/api-internal/x",
    "https://data.brreg.no/other",
    "http://data.brreg.no/enhetsregisteret/api/enheter",
    "https://user@data.brreg.no/enhetsregisteret/api/enheter",
    "https://data.brreg.no:8443/enhetsregisteret/api/enheter",
    "//evil.example/x",
    "../../admin",
    "enheter/%2e%2e/%2E%2E/admin",
    "enheter\n/x",
])
def test_url_outside_base_url_is_refused(ft, rsps, url):
    with pytest.raises(ValueError):
        client(ft).get("no.brreg", url)
    assert len(rsps.calls) == 0


def test_redirect_off_host_is_source_changed(ft, rsps):
    rsps.get(ORG, status=302, headers={"Location": "https://evil.example/steal"})
    with pytest.raises(SourceChanged, match="redirected outside the register .302 to https://evil.example/steal"):
        client(ft).get("no.brreg", ORG)
    assert len(rsps.calls) == 1


def test_redirect_under_base_url_is_followed(ft, rsps):
    rsps.get(ORG, status=301, headers={"Location": "/enhetsregisteret/api/enheter/v2/923609016"})
    rsps.get(f"{BASE}/enheter/v2/923609016", json={"ok": True})
    fetched = client(ft).get("no.brreg", ORG)
    assert fetched.json() == {"ok": True} and fetched.evidence.url == f"{BASE}/enheter/v2/923609016"


def test_redirect_loop_is_source_changed(ft, rsps):
    rsps.get(ORG, status=307, headers={"Location": ORG})
    with pytest.raises(SourceChanged, match="more than 3 redirects"):
        client(ft).get("no.brreg", ORG)
    assert len(rsps.calls) == 4


def test_unknown_source_is_not_configured(ft, rsps):
    with pytest.raises(NotConfigured, match="se.bolagsverket"):
        client(ft).get("se.bolagsverket", "organisationer")


@pytest.mark.parametrize("base", ["http://data.brreg.no", "ftp://data.brreg.no", "https://data.brreg.no/api?key=1",
                                  "https://"])
def test_policy_requires_https_base_url(base):
    with pytest.raises(ValueError):
        HostPolicy(base)


def test_policy_allows_http_for_localhost():
    assert HostPolicy("http://127.0.0.1:8080/api").contains("http://127.0.0.1:8080/api/x")


# -- Fetched.json on anything -----------------------------------------------------------------------------------------

def _fetched(body: bytes) -> Fetched:
    ev = Evidence(source="t", fetched_at=START, sha256=Evidence.digest(body), body=body)
    return Fetched(source="t", url=BASE, status=200, headers={}, body=body, evidence=ev)


@settings(database=None, max_examples=300)  # no .hypothesis/ directory in the working tree
@given(st.one_of(st.binary(), st.text().map(str.encode), st.sampled_from([b"[" * 100_000, b"NaN", b"-Infinity"]),
                 st.builds(lambda a, b: a + b, st.sampled_from([b"{", b"[1,", b'"', b"\xef\xbb\xbf"]), st.binary())))
def test_json_on_arbitrary_bytes_only_raises_source_changed(body):
    try:
        _fetched(body).json()
    except SourceChanged as exc:
        assert "not JSON" in str(exc)


# -- HTML helpers ---------------------------------------------------------------------------------------------------

PAGE = "<html><body><h1 class='name'> Åkeri\n  Östlund&nbsp;AB </h1><ul><li>a</li><li>b</li></ul></body></html>"


def test_select_one_returns_the_element_and_text_is_normalised():
    assert text_of(select_one(soup(PAGE), "h1.name", "company name")) == "Åkeri Östlund AB"


def test_select_one_missing_element_is_source_changed():
    with pytest.raises(SourceChanged, match=r"page layout changed: company name not found \(h2.name\)"):
        select_one(soup(PAGE.encode()), "h2.name", "company name")


def test_select_all_empty_is_allowed_unless_required():
    assert [text_of(li) for li in select_all(soup(PAGE), "li", "items")] == ["a", "b"]
    assert select_all(soup(PAGE), "table tr", "rows") == []
    with pytest.raises(SourceChanged, match="rows not found"):
        select_all(soup(PAGE), "table tr", "rows", allow_empty=False)
