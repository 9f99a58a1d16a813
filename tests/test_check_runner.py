"""The runner's side of the contract: CheckAbort skips that check for the rest of a batch, SubjectRejected is a
finding once the register answered, a failure keeps the capped evidence, the total budget holds across retries;
and a write that cannot take the database lock is a 503 "try again" page in Swedish, never a 500."""
from __future__ import annotations

import sqlite3
from typing import Any, ClassVar

import pytest
import responses

from checks import Check, CheckAbort, CheckContext, Finding, Outcome, Status, Subject, SubjectRejected
from checks._budget import FAILURE_BODY_CAP, run_budget
from checks.errors import SourceUnavailable
from checks.http import HttpClient
from checks.policy import HostPolicy
from conftest import make_app
from vetting.domain.runner import ABORTED, Batch, run_one

BASE = "https://register.example.org/api"
ORG = Subject("organisation", 1, "Leverantören AB", "SE", {"se_orgnr": "5566778899"})


class Counting(Check):
    """A register check whose behaviour the test picks; counts its runs."""

    id = "test.register"
    name: ClassVar = {"sv": "Testregister", "en": "Test register"}
    applies_to = frozenset({"organisation"})
    sources: ClassVar = {"test.register": BASE}
    FINDINGS: ClassVar = {"test.fact": "A fact."}
    runs = 0

    def __init__(self, behaviour: str) -> None:
        self.behaviour = behaviour

    def run(self, subject: Subject, ctx: CheckContext) -> Outcome:
        Counting.runs += 1
        fetched = ctx.http.get("test.register", "thing")
        if self.behaviour == "abort":
            raise CheckAbort("401 Unauthorized: credentials rejected or expired")
        if self.behaviour == "rejected":
            raise SubjectRejected("the register says the number is not valid")
        if self.behaviour == "changed":
            fetched.json()
        return Outcome(Status.CLEAR, (Finding("test.fact", True, "fine"),), (fetched.evidence,))


def _ctx() -> CheckContext:
    return CheckContext(http=HttpClient({"test.register": HostPolicy(BASE, retries=0)}, sleep=lambda s: None))


@responses.activate
def test_check_abort_skips_that_check_for_the_rest_of_the_batch():
    responses.get(f"{BASE}/thing", json={"ok": True})
    Counting.runs = 0
    batch = Batch()
    outcomes = [run_one(Counting("abort"), ORG, _ctx(), batch=batch) for _ in range(3)]
    assert [o.status for o in outcomes] == [Status.ERROR] * 3
    assert Counting.runs == 1 and len(responses.calls) == 1  # asked once, not once per subject
    assert all(o.reason.startswith(ABORTED) and "credentials" in o.reason for o in outcomes)


@responses.activate
def test_the_skipped_runs_of_a_batch_say_the_refusal_as_coded_as_the_first():
    # The page words a refusal from its fault code; the subjects skipped after it must carry the same code, not
    # only the first one (else they read as the check's English note).
    responses.get(f"{BASE}/thing", json={"error": "Invalid Authorization"}, status=401)
    batch = Batch()
    outcomes = [run_one(Counting("plain"), ORG, _ctx(), batch=batch) for _ in range(3)]
    assert len(responses.calls) == 1
    assert [[(f.code, f.value, f.params) for f in o.findings] for o in outcomes] == \
        [[("source.fault", "credentials_rejected", {"source": "test.register", "status": 401})]] * 3


@responses.activate
def test_subject_rejected_by_the_register_is_a_finding_with_the_answer_as_evidence():
    responses.get(f"{BASE}/thing", json={"error": "INVALID_INPUT"}, status=400)
    outcome = run_one(Counting("rejected"), ORG, _ctx())
    assert outcome.status is Status.NEEDS_MANUAL_INPUT
    assert [(f.code, f.value) for f in outcome.findings] == [("source.rejected_identifier", True)]
    assert outcome.evidence and outcome.evidence[0].http_status == 400


def test_subject_rejected_before_asking_is_an_error():
    class Malformed(Counting):
        def run(self, subject: Subject, ctx: CheckContext) -> Outcome:
            raise SubjectRejected("'12' is not a Swedish organisation number")

    outcome = run_one(Malformed("x"), ORG, _ctx())
    assert outcome.status is Status.ERROR and not outcome.findings


@responses.activate
def test_a_failed_check_keeps_what_was_received_capped_with_its_digest():
    page = b"<html>" + b"x" * (FAILURE_BODY_CAP * 2) + b"</html>"
    responses.get(f"{BASE}/thing", body=page, status=200, content_type="text/html", headers={"Server": "proxy"})
    outcome = run_one(Counting("changed"), ORG, _ctx())
    assert outcome.status is Status.ERROR
    kept = outcome.evidence[0]
    assert len(kept.body) == FAILURE_BODY_CAP and kept.received == len(page)
    assert kept.sha256 == kept.digest(page) and kept.http_status == 200
    assert kept.headers["Server"] == "proxy" and kept.url == f"{BASE}/thing"


@responses.activate
def test_retries_never_wait_past_the_total_budget():
    responses.get(f"{BASE}/thing", status=503)
    slept: list[float] = []
    http = HttpClient({"test.register": HostPolicy(BASE, retries=5, backoff=2.0)}, sleep=slept.append)
    with run_budget(1.0):
        try:
            http.get("test.register", "thing")
        except SourceUnavailable as exc:
            reason = str(exc)
    assert "total limit of 1 s" in reason and slept == []  # the first back-off (2 s) would overrun: no wait at all
    assert len(responses.calls) == 1


def _locked(app: Any) -> sqlite3.Connection:
    holder = sqlite3.connect(app.config["DATABASE"], isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock for longer than we wait
    return holder


@pytest.fixture
def app(tmp_path: Any) -> Any:
    """The app waiting only briefly for the write lock (the accounts fixture builds on this one)."""
    return make_app(tmp_path, DATABASE_BUSY_TIMEOUT=0.05, DATABASE_WRITE_RETRIES=1)


def test_a_write_that_cannot_take_the_lock_is_a_503_try_again_page_in_swedish(app, login_as):
    client = login_as("procurement_officer")
    holder = _locked(app)
    try:
        response = client.post("/organisations/new", data={"name": "Låst AB", "country": "SE"})
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert "försök igen" in response.get_data(as_text=True)
    assert client.post("/organisations/new", data={"name": "Låst AB", "country": "SE"}).status_code == 302
