"""Award notice, standstill (LOU 20 kap. 1 §) and requests for review, with a fake clock."""
from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from vetting.domain import clock, organisations, procurements, timeline, workflow
from vetting.domain.audit import SYSTEM
from vetting.domain.calendar import easter_sunday, is_working_day, public_holidays
from vetting.domain.errors import InvalidInput


@pytest.fixture
def awarded(db: Any, create_procurement: Any) -> tuple[int, list[int]]:
    """A procurement at the award decision with two bidders, one of them awarded."""
    pid = create_procurement(phase="award")
    orgs = [organisations.create(db, SYSTEM, {"name": f"Anbudsgivare {i} AB", "country": "SE"}) for i in range(2)]
    procurements.add_participant(db, SYSTEM, pid, orgs[0], "awarded")
    procurements.add_participant(db, SYSTEM, pid, orgs[1], "bidder")
    return pid, orgs


def notify(db: Any, pid: int, orgs: list[int], sent_on: date, method: str = "electronic") -> None:
    with clock.frozen(sent_on):
        timeline.record_notice(db, SYSTEM, pid, sent_on, method, "Lägsta pris bland kvalificerade anbud", orgs)


def signing_allowed(db: Any, pid: int, on: date) -> bool:
    """What the gate into "signed" says on that day (the gate advance() obeys)."""
    with clock.frozen(on):
        status = workflow.gate(db, pid)
    assert status.next_phase == "signed"
    return not status.holds


def to_standstill(db: Any, pid: int) -> None:
    from vetting.store import procurements as store

    store.update(db, pid, {"phase": "standstill"})
    db.conn.commit()


def test_electronic_notice_on_a_monday_holds_signing_through_the_tenth_day(db: Any, awarded: Any) -> None:
    pid, orgs = awarded
    notify(db, pid, orgs, date(2026, 3, 2))  # a Monday
    to_standstill(db, pid)
    assert not signing_allowed(db, pid, date(2026, 3, 2))
    assert not signing_allowed(db, pid, date(2026, 3, 12))  # the tenth day after the notice
    assert signing_allowed(db, pid, date(2026, 3, 13))


def test_a_standstill_ending_on_a_saturday_runs_to_monday(db: Any, awarded: Any) -> None:
    pid, orgs = awarded
    notify(db, pid, orgs, date(2026, 3, 4))  # Wednesday: day 10 is Saturday 14 March
    to_standstill(db, pid)
    assert timeline.standstill(db, pid).last_day == date(2026, 3, 16)
    assert not signing_allowed(db, pid, date(2026, 3, 16))
    assert signing_allowed(db, pid, date(2026, 3, 17))


def test_a_notice_by_post_needs_fifteen_days(db: Any, awarded: Any) -> None:
    pid, orgs = awarded
    notify(db, pid, orgs, date(2026, 3, 2), method="post")
    to_standstill(db, pid)
    assert not signing_allowed(db, pid, date(2026, 3, 13))
    assert not signing_allowed(db, pid, date(2026, 3, 17))
    assert signing_allowed(db, pid, date(2026, 3, 18))


def test_midsummer_eve_is_no_last_day(db: Any, awarded: Any) -> None:
    pid, orgs = awarded
    notify(db, pid, orgs, date(2026, 6, 9))  # day 10 is midsommarafton, Friday 19 June 2026
    assert timeline.standstill(db, pid).last_day == date(2026, 6, 22)


def test_a_request_for_review_holds_signing_until_the_decision_is_recorded(db: Any, awarded: Any) -> None:
    pid, orgs = awarded
    notify(db, pid, orgs, date(2026, 3, 2))
    to_standstill(db, pid)
    appeal = timeline.register_appeal(db, SYSTEM, pid, "Anbudsgivare 1 AB", "Förvaltningsrätten i Stockholm",
                                      "2026-03-10")
    assert not signing_allowed(db, pid, date(2026, 4, 20))
    timeline.decide_appeal(db, SYSTEM, appeal, "2026-04-21", "rejected", "Ansökan avslogs")
    assert signing_allowed(db, pid, date(2026, 4, 22))


def test_the_notice_must_reach_every_bidder(db: Any, awarded: Any) -> None:
    pid, orgs = awarded
    with pytest.raises(InvalidInput, match="Anbudsgivare 1 AB"):
        timeline.record_notice(db, SYSTEM, pid, date(2026, 3, 2), "electronic", "Lägsta pris", orgs[:1])
    assert timeline.standstill(db, pid) is None
    assert timeline.signing_holds(db, pid)  # no notice: no signing


def test_swedish_public_holidays_follow_easter_and_the_midsummer_week() -> None:
    assert [easter_sunday(y) for y in (2024, 2025, 2026, 2027)] == [
        date(2024, 3, 31), date(2025, 4, 20), date(2026, 4, 5), date(2027, 3, 28)]
    holidays = public_holidays(2026)
    assert holidays[date(2026, 4, 3)] == "långfredagen"
    assert holidays[date(2026, 5, 14)] == "Kristi himmelsfärdsdag"
    assert holidays[date(2026, 6, 20)] == "midsommardagen"
    assert holidays[date(2026, 10, 31)] == "alla helgons dag"
    assert not any(is_working_day(d) for d in (date(2026, 6, 19), date(2026, 12, 24), date(2026, 12, 31),
                                               date(2026, 4, 6), date(2026, 5, 1)))
    assert is_working_day(date(2026, 6, 18)) and is_working_day(date(2026, 12, 23))


def test_planned_dates_must_be_in_order(db: Any, create_procurement: Any) -> None:
    pid = create_procurement()
    with pytest.raises(InvalidInput):
        timeline.set_planned_dates(db, SYSTEM, pid, {"planned_advertising": "2026-05-01",
                                                     "planned_award": "2026-04-01"})
    timeline.set_planned_dates(db, SYSTEM, pid, {"planned_advertising": "2026-05-01"})
    with pytest.raises(InvalidInput):  # one date changed alone is checked against the stored ones
        timeline.set_planned_dates(db, SYSTEM, pid, {"planned_award": "2026-04-01"})


def test_officer_records_the_notice_and_a_review_on_the_page(login_as: Any, db: Any, awarded: Any) -> None:
    pid, orgs = awarded
    client = login_as("procurement_officer")
    page = client.get(f"/procurements/{pid}").get_data(as_text=True)
    assert "Registrera underrättelsen om tilldelningsbeslut" in page
    response = client.post(f"/procurements/{pid}/award-notice", data={
        "sent_on": date.today().isoformat(), "method": "post", "recipients": [str(o) for o in orgs],
        "reasons": "Lägsta pris"})
    assert response.status_code == 302
    notice = timeline.standstill(db, pid)
    assert notice is not None and notice.notice["method"] == "post" and notice.notice["standstill_days"] == 15
    client.post(f"/procurements/{pid}/appeals", data={"applicant": "Anbudsgivare 1 AB", "court": "Förvaltningsrätten i Malmö",
                                                      "filed_on": date.today().isoformat()})
    page = client.get(f"/procurements/{pid}").get_data(as_text=True)
    assert "Förvaltningsrätten i Malmö" in page and "Avtalsspärr till och med" in page
    appeal = timeline.open_appeals(db, pid)[0]
    client.post(f"/procurements/appeals/{appeal['id']}/decision", data={
        "decided_on": date.today().isoformat(), "outcome": "rejected", "note": ""})
    assert timeline.open_appeals(db, pid) == []


def test_the_standstill_starts_with_the_notice(db: Any, awarded: Any) -> None:
    pid, orgs = awarded
    assert workflow.gate(db, pid).next_phase == "standstill"
    assert workflow.gate(db, pid).holds  # no notice yet
    notify(db, pid, orgs, date.today())
    assert workflow.gate(db, pid).holds == []
