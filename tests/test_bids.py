"""Tender prices per bidder (typed on the participant page or imported) make BD-01, abnormally low tender, decidable;
the 16 kap. 7 § LOU request for an explanation is a tracked step: asked, deadline, reply, assessment."""
from __future__ import annotations

import re
from datetime import date

import pytest

from vetting.domain import bid_import, bids, clock, procurements, risk
from vetting.domain.audit import SYSTEM
from vetting.domain.errors import Conflict, InvalidInput
from vetting.store import risk as risk_store


@pytest.fixture
def tender(db, create_org, create_procurement):
    """A procurement estimated at 1.1 MSEK with three bidders and a subcontractor."""
    pid = create_procurement(estimated_value=1_100_000)
    orgs = [create_org(name=name, identifier_type="se_orgnr", identifier=nr) for name, nr in (
        ("Billigast AB", "5566778899"), ("Mitten AB", "5560160680"), ("Dyrast AB", "5561234567"))]
    parts = [procurements.add_participant(db, SYSTEM, pid, org, "bidder") for org in orgs]
    sub = procurements.add_participant(db, SYSTEM, pid, create_org(name="Under AB"), "subcontractor", parts[1])
    return pid, orgs, parts, sub


def _bd01(db, pid: int, org: int) -> str:
    assessment = risk_store.assessment(db, risk.assess(db, SYSTEM, pid, org))
    return next(r["state"] for r in assessment["results"] if r["id"] == "BD-01")


def _text(response) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", " ", response.get_data(as_text=True))


def test_prices_typed_on_the_participant_page_decide_bd01(login_as, db, tender):
    pid, orgs, parts, _sub = tender
    client = login_as("procurement_officer")
    for part, price in zip(parts, ("600 000", "1 000 000", "1 100 000 kr")):
        assert client.post(f"/procurements/participants/{part}/bid-price", data={"bid_price": price}).status_code == 302
    assert [procurements.store.get_participant(db, p)["bid_price"] for p in parts] == [600_000, 1_000_000, 1_100_000]
    page = _text(client.get(f"/procurements/participants/{parts[0]}"))
    assert "Utvärderat anbudspris</dt><dd>600 000 SEK" in page and "Median av anbudspriserna</dt><dd>1 000 000 SEK" in page
    # 600 000 is 40 % below the median of 1 000 000 (more than 25 %): abnormally low. 1 000 000 is the median itself.
    assert (_bd01(db, pid, orgs[0]), _bd01(db, pid, orgs[1])) == ("fired", "not_fired")


def test_without_prices_bd01_is_undecided(db, tender):
    pid, orgs, _parts, _sub = tender
    assert _bd01(db, pid, orgs[0]) == "insufficient_data"


def test_a_price_that_cannot_be_read_is_refused_and_kept(login_as, db, tender):
    _pid, _orgs, parts, _sub = tender
    client = login_as("procurement_officer")
    client.post("/language", data={"lang": "en"})
    response = client.post(f"/procurements/participants/{parts[0]}/bid-price", data={"bid_price": "1,234"})
    assert response.status_code == 400
    assert "could mean two amounts" in _text(response) and 'value="1,234"' in _text(response)
    assert procurements.store.get_participant(db, parts[0])["bid_price"] is None


def test_a_subcontractor_has_no_tender_price(db, tender):
    *_rest, sub = tender
    with pytest.raises(InvalidInput):
        bids.set_bid_price(db, SYSTEM, sub, "500 000")


def test_the_explanation_request_is_a_tracked_step(db, tender):
    _pid, _orgs, parts, _sub = tender
    low = parts[0]
    with pytest.raises(InvalidInput):  # nothing to explain before there is a price
        bids.request_explanation(db, SYSTEM, low, "2026-11-02", "2026-11-16", "Priset och personalkostnaderna")
    bids.set_bid_price(db, SYSTEM, low, "600 000")
    with clock.frozen(date(2026, 11, 10)):
        with pytest.raises(InvalidInput):  # the deadline must come after the request
            bids.request_explanation(db, SYSTEM, low, "2026-11-02", "2026-11-02", "Priset")
        eid = bids.request_explanation(db, SYSTEM, low, "2026-11-02", "2026-11-16", "Priset och personalkostnaderna")
        with pytest.raises(Conflict):  # one open request at a time
            bids.request_explanation(db, SYSTEM, low, "2026-11-03", "2026-11-17", "Igen")
        assert bids.explanations(db, low)[0]["state"] == "awaiting_reply"
        with pytest.raises(InvalidInput):  # no assessment before the reply or the deadline
            bids.assess(db, SYSTEM, eid, "rejected", "Inget svar")
        with pytest.raises(InvalidInput):  # a reply cannot come before the request
            bids.record_reply(db, SYSTEM, eid, "2026-11-01", "Vi har egen personal")
        bids.record_reply(db, SYSTEM, eid, "2026-11-09", "Lönerna följer kollektivavtalet; bifogar kalkyl.")
        assert bids.explanations(db, low)[0]["state"] == "replied"
        with pytest.raises(InvalidInput):  # an assessment needs its reasons
            bids.assess(db, SYSTEM, eid, "accepted", " ")
        bids.assess(db, SYSTEM, eid, "accepted", "Kalkylen visar löner enligt kollektivavtal.")
    step = bids.explanations(db, low)[0]
    assert (step["state"], step["reply_received_on"], step["assessed_on"]) == ("accepted", "2026-11-09", "2026-11-10")
    with pytest.raises(Conflict):
        bids.assess(db, SYSTEM, eid, "rejected", "Ändrat oss")
    actions = [r["action"] for r in db.query("SELECT action FROM audit_log WHERE action LIKE 'bid.%' ORDER BY id")]
    assert actions == ["bid.explanation_request", "bid.explanation_reply", "bid.explanation_assessment"]


def test_after_the_deadline_without_a_reply_the_tender_may_be_rejected(db, tender):
    _pid, _orgs, parts, _sub = tender
    bids.set_bid_price(db, SYSTEM, parts[0], 600_000)
    with clock.frozen(date(2026, 11, 3)):
        eid = bids.request_explanation(db, SYSTEM, parts[0], "2026-11-02", "2026-11-16", "Priset")
    with clock.frozen(date(2026, 11, 16)):  # the last day to reply: still waiting
        with pytest.raises(InvalidInput):
            bids.assess(db, SYSTEM, eid, "rejected", "Inget svar")
    with clock.frozen(date(2026, 11, 17)):
        assert bids.explanations(db, parts[0])[0]["state"] == "overdue"
        bids.assess(db, SYSTEM, eid, "rejected", "Inget svar inom svarstiden.")
    assert bids.explanations(db, parts[0])[0]["state"] == "rejected"


def test_the_step_is_worked_on_the_participant_page(login_as, db, tender):
    _pid, _orgs, parts, _sub = tender
    client = login_as("procurement_officer")
    client.post(f"/procurements/participants/{parts[0]}/bid-price", data={"bid_price": "600 000"})
    today = clock.today().isoformat()
    response = client.post(f"/procurements/participants/{parts[0]}/explanations",
                           data={"requested_on": today, "deadline": "2099-01-01", "what": "Personalkostnaderna"})
    assert response.status_code == 302
    eid = bids.explanations(db, parts[0])[0]["id"]
    assert client.post(f"/procurements/explanations/{eid}/reply",
                       data={"received_on": today, "reply_text": "Kalkyl bifogad"}).status_code == 302
    page = _text(client.get(f"/procurements/participants/{parts[0]}"))
    assert "Svar mottaget, ska bedömas" in page and "Kalkyl bifogad" in page
    response = client.post(f"/procurements/explanations/{eid}/assessment", data={"assessment": "accepted",
                                                                                 "assessment_reason": ""})
    assert response.status_code == 400 and bids.explanations(db, parts[0])[0]["assessment"] is None
    client.post(f"/procurements/explanations/{eid}/assessment",
                data={"assessment": "accepted", "assessment_reason": "Godtagbar kalkyl"})
    assert "Förklaringen godtagen" in _text(client.get(f"/procurements/participants/{parts[0]}"))


CSV = "Organisationsnummer;Anbudspris\n556677-8899;600 000\n556016-0680;1 000 000\n556123-4567;1 100 000,00\n"


def test_prices_are_imported_from_the_evaluation_file(login_as, db, tender):
    import io

    pid, orgs, parts, _sub = tender
    client = login_as("procurement_officer")
    response = client.post(f"/procurements/{pid}/bid-prices", data={"file": (io.BytesIO(CSV.encode()), "priser.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    assert [procurements.store.get_participant(db, p)["bid_price"] for p in parts] == [600_000, 1_000_000, 1_100_000]
    assert _bd01(db, pid, orgs[0]) == "fired"


def test_one_bad_row_writes_no_price_and_says_why(login_as, db, tender):
    import io

    pid, _orgs, parts, _sub = tender
    bad = CSV + "559999-0000;500 000\n556677-8899;700 000\n"
    result = bid_import.read(db, pid, bad.encode(), "priser.csv")
    assert [r["row"] for r in result.rejected] == [5, 6]
    client = login_as("procurement_officer")
    response = client.post(f"/procurements/{pid}/bid-prices", data={"file": (io.BytesIO(bad.encode()), "priser.csv")},
                           content_type="multipart/form-data")
    page = _text(response)
    assert response.status_code == 400 and "Inget pris sparades" in page
    assert "Ingen anbudsgivare i upphandlingen har identiteten 559999-0000" in page
    assert [procurements.store.get_participant(db, p)["bid_price"] for p in parts] == [None, None, None]
