"""Finding 3: where a threshold lies is method (metodsekretess): only roles allowed to see the risk model's
weights see limits in pages and PDFs; others are told what fired."""
from __future__ import annotations

import re

import pytest

from vetting.domain import procurements, reports, risk
from vetting.domain.audit import Actor

LIMIT = re.compile(r"limit \d|gräns \d|\(above \d|from \d|från \d|poäng\)|points\)")


@pytest.fixture
def case(db, accounts, create_org, create_procurement):
    officer = Actor(accounts["procurement_officer"], "procurement_officer", frozenset({"procurement_officer"}))
    pid = create_procurement(cpv_code="45000000-7")
    org = create_org(name="Bygg AB", address="Lådvägen 5")
    for n in range(5):  # five more at the same address: CO-09's count fires
        create_org(name=f"Brevlåda {n} AB", address="Lådvägen 5")
    procurements.add_participant(db, officer, pid, org, "bidder")
    risk.assess(db, officer, pid, org)
    return pid, org


def test_the_fired_indicator_is_stored_with_its_limit(db, case):
    # The oracle for the tests below: the stored explanation does name the threshold.
    details = db.execute("SELECT results FROM risk_assessments").fetchone()[0]
    assert "graph.organisations_at_address: 6 (limit 5)" in details


@pytest.mark.parametrize("role", ["procurement_officer", "reviewer", "auditor"])
def test_the_case_page_says_what_fired_not_where_the_limit_is(login_as, case, role):
    pid, org = case
    client = login_as(role)
    client.post("/language", data={"lang": "en"})
    page = client.get(f"/risk/procurements/{pid}/organisations/{org}").get_data(as_text=True)
    assert re.search(r"address: 6", page)  # what fired, in words (vocabulary), without the limit
    assert not LIMIT.search(page), LIMIT.search(page).group(0)


def test_the_security_officer_still_sees_the_limit(login_as, case):
    pid, org = case
    client = login_as("security_officer")
    client.post("/language", data={"lang": "en"})
    assert "(limit 5)" in client.get(f"/risk/procurements/{pid}/organisations/{org}").get_data(as_text=True)


def test_the_report_carries_no_method_details(db, case):
    pid, org = case
    summary = reports.risk_assessment(db, pid, org)
    text = " ".join(r["sv"] + " " + r["en"] for r in summary.reasons)
    assert "organisations_at_address: 6" in text and not LIMIT.search(text)
