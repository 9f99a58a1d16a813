"""The summary per control area: one status each; manual answers that show a problem are never green."""
from __future__ import annotations

import pytest

from vetting.domain import manual, procurements
from vetting.domain.audit import SYSTEM
from vetting.domain.control_areas import organisation_areas

CLEAN_DEBTS = {"has_debts": "no", "reply_date": "2026-11-02"}


@pytest.fixture
def org(create_org):
    return create_org(name="Norrlands Bygg AB", identifier_type="se_orgnr", identifier="5566778899")


def _area(db, org_id, area):
    return next(a for a in organisation_areas(db, org_id) if a.area == area)


def test_nothing_checked_is_not_checked_never_ok(db, org):
    assert {a.status for a in organisation_areas(db, org)} == {"ej_kontrollerad"}


def test_a_clean_answer_is_ok_with_its_date(db, org):
    manual.record_answer(db, SYSTEM, "organisation", org, "se.kronofogden", CLEAN_DEBTS, None)
    debts = _area(db, org, "debts")
    assert debts.status == "ok" and debts.checked_at and debts.outcome_id


@pytest.mark.parametrize("answer, expected", [
    ({"has_debts": "yes", "public_claims": "5000", "reply_date": "2026-11-02"}, "observera"),
    ({"has_debts": "no", "public_claims": "1 234,50", "reply_date": "2026-11-02"}, "utred"),  # contradictory
])
def test_debts_in_a_manual_answer_are_never_green(db, org, answer, expected):
    manual.record_answer(db, SYSTEM, "organisation", org, "se.kronofogden", answer, None)
    assert _area(db, org, "debts").status == expected


def test_no_f_tax_is_investigated(db, org):
    manual.record_answer(db, SYSTEM, "organisation", org, "se.skatteverket",
                         {"f_skatt": "no", "vat_registered": "yes", "employer_registered": "yes",
                          "reply_date": "2026-11-02"}, None)
    assert _area(db, org, "taxes").status == "utred"


def test_pages_show_the_summary_in_words(login_as, db, org, create_procurement):
    manual.record_answer(db, SYSTEM, "organisation", org, "se.kronofogden",
                         {"has_debts": "yes", "public_claims": "5000", "reply_date": "2026-11-02"}, None)
    pid = create_procurement()
    procurements.add_participant(db, SYSTEM, pid, org, "bidder")
    client = login_as("procurement_officer")
    for url in (f"/organisations/{org}", f"/procurements/{pid}"):
        page = client.get(url).get_data(as_text=True)
        assert "Sammanfattning per kontrollområde" in page, url
        assert "Skulder och ekonomi" in page and "Observera" in page and "Ej kontrollerad" in page, url
