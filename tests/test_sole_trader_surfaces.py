"""Finding 2 on every surface: a sole trader's organisation number is Lars Öberg's personnummer.

A sole trader (Öbergs Måleri, 700312-1238) bids in a procurement; a register answer about it is stored
with the number in its address and its text, and it has a risk assessment. For every role without the
right to personal data the test walks every page it may open (and the links on them), downloads the
exports (CSV and XLSX) and the PDF reports, and searches each answer, each address and the server's log
for the last four digits with what precedes them. The oracle is the number's digits, not the masking code.
"""
from __future__ import annotations

import io
import logging
import re
import zipfile
from datetime import datetime, timezone
from urllib.parse import urldefrag, urlparse

import pytest
from bs4 import BeautifulSoup

from checks import Evidence, Finding, Outcome, Status
from vetting.domain import organisations, procurements, risk
from vetting.domain.audit import SYSTEM
from vetting.domain.screening import all_checks, store_outcome, subject_of
from vetting.web.access import PUBLIC, allowed

ORGNR = "7003121238"
# Any way the hidden part can be written: "3121238", "12-1238", "12 1238", "121238".
HIDDEN = re.compile(r"12\s?[-+]?\s?1238")
UNPRIVILEGED = ("procurement_officer", "reviewer", "auditor", "admin")
SKIP = {"auth.logout", "auth.login", "static", "i18n.set_language"}


@pytest.fixture
def sole_trader(app, db, accounts):
    org = organisations.create(db, SYSTEM, {"name": "Öbergs Måleri", "country": "SE", "identifier_type": "se_orgnr",
                                            "identifier": ORGNR, "address": "Storgatan 1, Luleå"})
    organisations.add_key_person(db, SYSTEM, org, {"name": "Lars Öberg", "role": "ceo", "personnummer": "19" + ORGNR})
    pid = procurements.create(db, SYSTEM, {"reference": "UH-2026-0017", "title": "Målning", "phase": "need"})
    procurements.add_participant(db, SYSTEM, pid, org, "bidder")
    body = f'{{"organisationsnummer": "{ORGNR}", "namn": "Öbergs Måleri"}}'.encode()
    evidence = Evidence(source="se.bolagsverket", fetched_at=datetime.now(timezone.utc), sha256=Evidence.digest(body),
                        body=body, url=f"https://gw.api.bolagsverket.se/vardefulla-datamangder/v1/organisationer/{ORGNR}",
                        http_status=200, media_type="application/json")
    finding = Finding("company.name", "Öbergs Måleri", f"Registered name: Öbergs Måleri ({ORGNR[:6]}-{ORGNR[6:]})", 0)
    store_outcome(db, SYSTEM, subject_of(db, "organisation", org), all_checks()["se.bolagsverket"],
                  Outcome(Status.CLEAR, (finding,), (evidence,)))
    risk.assess(db, SYSTEM, pid, org)
    return {"org": org, "pid": pid}


def _ids(db, sole_trader) -> dict[str, list]:
    def first(table):
        return [r[0] for r in db.execute(f"SELECT id FROM {table} ORDER BY id LIMIT 2")] or [1]
    return {"procurement_id": [sole_trader["pid"]], "organisation_id": [sole_trader["org"]], "subject_id": [sole_trader["org"]],
            "person_id": first("persons"), "participant_id": first("participants"), "user_id": first("users"),
            "outcome_id": first("outcomes"), "evidence_id": first("evidence"), "check_id": ["se.bolagsverket"],
            "kind": ["organisation"], "fmt": ["csv", "xlsx"], "assessment_id": first("risk_assessments")}


def _start(app, role, params):
    for rule in app.url_map.iter_rules():
        declared = getattr(app.view_functions[rule.endpoint], "access", None)
        if "GET" not in rule.methods or rule.endpoint in SKIP or declared is None:
            continue
        if declared != PUBLIC and not allowed({role}, declared):
            continue
        for fmt in params["fmt"] if "fmt" in rule.arguments else [None]:
            values = {a: (fmt if a == "fmt" else (params.get(a) or [1])[0]) for a in rule.arguments}
            try:
                yield rule.build(values)[1]
            except Exception:  # noqa: BLE001 - a converter refusing the value: the link walk finds the page
                continue


def _text_of(response) -> str:
    data = response.get_data()
    if response.content_type.startswith("application/vnd.openxmlformats"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    if response.content_type == "application/pdf":
        import shutil
        import subprocess

        if shutil.which("pdftotext") is None:
            return data.decode("latin-1")
        return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, timeout=120).stdout.decode()
    return data.decode("utf-8", "replace")


@pytest.mark.parametrize("role", UNPRIVILEGED)
def test_no_page_export_report_address_or_log_line_shows_it(app, db, login_as, sole_trader, role, caplog):
    caplog.set_level(logging.DEBUG)
    client = login_as(role)
    queue, seen, leaks, kinds = list(_start(app, role, _ids(db, sole_trader))), set(), [], set()
    adapter = app.url_map.bind("localhost")
    while queue and len(seen) < 400:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        try:
            endpoint, _ = adapter.match(urlparse(url).path, method="GET")
        except Exception:  # noqa: BLE001 - not a GET route of ours
            continue
        if endpoint in SKIP:
            continue
        response = client.get(url)
        if HIDDEN.search(response.headers.get("Location", "")):
            leaks.append(f"Location of {url}")
        if response.status_code != 200:
            continue
        kinds.add(response.content_type.split(";")[0])
        text = _text_of(response)
        if HIDDEN.search(text):
            leaks.append(f"{url}: …{text[max(0, HIDDEN.search(text).start() - 60):HIDDEN.search(text).end()]}…")
        if "text/html" in response.content_type:
            for link in BeautifulSoup(text, "html.parser").find_all(["a", "form"]):
                href = urldefrag(link.get("href") or link.get("action") or "")[0]
                if href.startswith("/") and not href.startswith("//") and href not in seen:
                    queue.append(href)
    logged = [r.getMessage() for r in caplog.records if HIDDEN.search(r.getMessage())]
    assert not leaks and not logged, "\n".join(leaks[:30] + logged[:5])
    assert {"text/html", "text/csv"} <= kinds and len(seen) > 20, (kinds, len(seen))


def test_the_security_officer_sees_it_in_full(login_as, sole_trader):
    page = login_as("security_officer").get(f"/organisations/{sole_trader['org']}").get_data(as_text=True)
    assert "700312-1238" in page


@pytest.mark.parametrize("typed", ["700312123", "0031212", "7003121238", "700312-1238"])
def test_searching_digits_of_it_finds_nothing_the_officer_could_use(login_as, sole_trader, typed):
    """A prefix search of nine digits, then a tenth, would spell the number out digit by digit."""
    client = login_as("procurement_officer")
    for path in ("/organisations/", "/search/"):
        page = client.get(path, query_string={"q": typed}, follow_redirects=True).get_data(as_text=True)
        assert "Öbergs Måleri" not in page, (path, typed)


def test_the_visible_date_part_still_finds_it(login_as, sole_trader):
    client = login_as("procurement_officer")
    for path in ("/organisations/", "/search/"):
        assert "Öbergs Måleri" in client.get(path, query_string={"q": "700312"}).get_data(as_text=True), path


def test_the_security_officer_finds_it_by_the_posted_number(login_as, sole_trader):
    page = login_as("security_officer").post("/search/personnummer", data={"personnummer": "19700312-1238"})
    assert page.status_code == 200 and "Öbergs Måleri" in page.get_data(as_text=True)


def test_no_log_line_holds_a_full_personnummer(app, caplog):
    """A register's address for a sole trader in a retry message, and in a traceback."""
    caplog.set_level(logging.INFO)
    log = logging.getLogger("checks.http")
    log.info("%s: %s (attempt %d of %d)", "se.bolagsverket", f"timeout for /organisationer/{ORGNR}", 1, 3)
    try:
        raise RuntimeError(f"register refused 19{ORGNR[:6]}-{ORGNR[6:]}")
    except RuntimeError:
        logging.getLogger("vetting.domain.runner").exception("Check failed on %s", ORGNR)
    text = caplog.text
    assert "700312-****" in text and not HIDDEN.search(text), text


def test_the_access_log_leaves_the_query_string_out():
    from pathlib import Path

    conf = {}
    exec((Path(__file__).resolve().parents[1] / "deploy" / "gunicorn.conf.py").read_text(), conf)  # noqa: S102
    assert "%(U)s" in conf["access_log_format"]
    assert not any(atom in conf["access_log_format"] for atom in ("%(r)s", "%(q)s", "%(f)s"))
