"""A query budget: the main pages issue a bounded number of SQL statements, whatever the number of parties.

Each page is requested with 10 and with 100 parties (organisations in the procurement, each with
three key persons and screening outcomes); the number of statements SQLite executes for the
request must be the same for both and under the budget. An N+1 loop shows as a count that grows.
"""
from __future__ import annotations

import pytest

import vetting.db
from conftest import PASSWORD
from factories import screened_procurement

# Statements per page request, independent of the number of parties. Reads run without sqlite-utils'
# SAVEPOINT/RELEASE (store.Database), and the detail pages read the screening read model once for the
# badges and the control areas (was 100 with both).
BUDGET = 30
# The procurement page reads the procurement and its checkpoints once for the gate, the checkpoint list and
# the timeline, and the bidders for the award notice only in the award phases (was 27 within BUDGET).
PROCUREMENT_BUDGET = 23
# The lists, the dashboard and the inbox: a list reads the screening read model once for its rows (control
# areas reuse it; reading it twice cost 49 statements), the inbox reads counts and one page per box in one
# statement (was 35).
LIST_BUDGET = 15
DETAIL_PAGES = ("procurement", "organisation")


class Counter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, statement: str) -> None:
        self.statements.append(statement)


@pytest.fixture
def counted(monkeypatch):
    """Every request connection traces its statements into one counter."""
    counter = Counter()
    real_connect = vetting.db.connect

    def connect(*args, **kwargs):
        db = real_connect(*args, **kwargs)
        db.conn.set_trace_callback(counter)
        return db

    monkeypatch.setattr(vetting.db, "connect", connect)
    return counter


def statements_for(client, counted, url: str) -> int:
    counted.statements.clear()
    response = client.get(url)
    assert response.status_code == 200, url
    return len(counted.statements)


def pages(case) -> dict[str, str]:
    return {"procurement": f"/procurements/{case['procurement']}",
            "organisation": f"/organisations/{case['organisations'][0]}",
            "dashboard": "/dashboard/",
            "inbox": "/checkpoints/",
            "follow-up": "/followup/",
            "review queue": "/screening/review",
            "procurement list": "/procurements/", "organisation list": "/organisations/",
            "procurements with a hit": "/procurements/?show=match", "organisations with a blocker": "/organisations/?show=blocker"}


@pytest.fixture
def measured(app, db, accounts, counted):
    def measure(parties: int) -> dict[str, int]:
        case = screened_procurement(db, parties=parties, key_persons=3)
        client = app.test_client()
        client.post("/login", data={"username": "security_officer", "password": PASSWORD})
        return {name: statements_for(client, counted, url) for name, url in pages(case).items()}

    return measure


def test_pages_cost_the_same_statements_for_10_and_100_parties(measured):
    small = measured(10)
    large = measured(100)
    budget = {"procurement": PROCUREMENT_BUDGET}
    assert {page: n for page, n in small.items()
            if n > budget.get(page, BUDGET if page in DETAIL_PAGES else LIST_BUDGET)} == {}, \
        (small, large)
    grown = {page: (small[page], large[page]) for page in small if large[page] != small[page]}
    assert grown == {}, "statements grow with the number of parties (10 vs 100): N+1"
