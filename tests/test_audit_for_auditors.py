"""Issue 16 item 5: an audit log an auditor can use: people by name, a partial-name user filter, a date range,
actions in words, before/after as a table, and an export that follows the same filters (audited), with the
chain still verifying."""
from __future__ import annotations

import csv
import io

import pytest

from vetting.domain import users
from vetting.domain.audit import SYSTEM, Actor, record
from vetting.store import audit as audit_store


@pytest.fixture
def log(db, monkeypatch):
    """Karin Holmström changed a procurement's title on 3 March, Per Ek signed in on 20 March."""
    karin = users.create_user(db, SYSTEM, username="kholm", password="tre kaniner i en blå hink", roles=["reviewer"],
                              display_name="Karin Holmström", hash_method="pbkdf2:sha256:1000")
    per = users.create_user(db, SYSTEM, username="pek", password="tre kaniner i en blå hink", roles=["reviewer"],
                            display_name="Per Ek", hash_method="pbkdf2:sha256:1000")
    monkeypatch.setattr(audit_store, "utcnow", lambda: "2026-03-03T09:15:00.000000+00:00")
    record(db, Actor(karin, "kholm", frozenset({"reviewer"})), "procurement.update", "procurement", 7,
           before={"title": "Städning"}, after={"title": "Städtjänster"})
    monkeypatch.setattr(audit_store, "utcnow", lambda: "2026-03-20T23:59:59.000000+00:00")
    record(db, Actor(per, "pek", frozenset({"reviewer"})), "auth.login", "user", per)
    monkeypatch.undo()
    return {"karin": karin, "per": per}


def _rows(page: str) -> int:
    return page.count('<td class="actor">')


def test_people_are_shown_by_name_and_actions_in_words(login_as, log):
    page = login_as("auditor").get("/audit/?actor=holm").get_data(as_text=True)
    assert "Karin Holmström" in page and "Per Ek" not in page
    assert "<td>Upphandling ändrad</td>" in page and "<td>procurement.update</td>" not in page
    assert '<th scope="row">Benämning</th><td>Städning</td><td>Städtjänster</td>' in page


@pytest.mark.parametrize("typed", ["holm", "Holmström", "kar", "KHOLM"])
def test_the_user_filter_takes_part_of_the_name_or_user_name(login_as, log, typed):
    page = login_as("auditor").get("/audit/", query_string={"actor": typed}).get_data(as_text=True)
    assert _rows(page) == 1 and "Karin Holmström" in page


def test_the_date_range_includes_both_days(login_as, log):
    client = login_as("auditor")
    march = client.get("/audit/?from=2026-03-03&to=2026-03-20").get_data(as_text=True)
    assert "Karin Holmström" in march and "Per Ek" in march
    late = client.get("/audit/?from=2026-03-04&to=2026-03-20").get_data(as_text=True)
    assert "Karin Holmström" not in late and "Per Ek" in late
    early = client.get("/audit/?from=2026-03-01&to=2026-03-19").get_data(as_text=True)
    assert "Karin Holmström" in early and "Per Ek" not in early


def test_a_day_that_is_not_a_date_is_said_not_a_500(login_as, log):
    response = login_as("auditor").get("/audit/?from=3%20mars")
    assert response.status_code == 400 and "är inte ett datum" in response.get_data(as_text=True)
    assert 'value="3 mars"' in response.get_data(as_text=True)


def test_the_export_follows_the_filters_in_words_and_is_audited(login_as, db, log):
    data = login_as("auditor").get("/reports/export/audit.csv?actor=holm&from=2026-03-01&to=2026-03-31").data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert len(body) == 1 and body[0][header.index("Namn")] == "Karin Holmström"
    assert body[0][header.index("Vad som hände")] == "Upphandling ändrad"
    assert "Benämning: Städning → Städtjänster" in body[0][header.index("Ändring")]
    assert len(body[0][-1]) == 64  # the hash, to verify the chain outside the app
    entry = next(db.query("SELECT after_json FROM audit_log WHERE action = 'export.download'"))["after_json"]
    assert '"from": "2026-03-01"' in entry and '"actor": "holm"' in entry and '"rows": 1' in entry


def test_the_chain_still_verifies(runner, log):
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0
