"""Amounts are read exactly as Swedish and English users write them, or refused with a message."""
from __future__ import annotations

from decimal import Decimal

import pytest

from vetting.domain.amounts import parse_exact_amount
from vetting.domain.errors import InvalidInput
from vetting.domain.procurements import parse_amount


@pytest.mark.parametrize("raw, expected", [
    ("1 234,50", "1234.50"), ("1\u00a0234,50", "1234.50"), ("1\u202f234\u202f567", "1234567"),
    ("1234.50", "1234.50"), ("1234,50", "1234.50"), ("1.234.567", "1234567"), ("1,234,567", "1234567"),
    ("1.234.567,25", "1234567.25"), ("1,234,567.25", "1234567.25"), ("12,5", "12.5"), ("0", "0"),
    ("5000", "5000"), ("1 250 000 kr", "1250000"), ("1234,567", "1234.567"), ("", None), ("  ", None),
])
def test_the_listed_notations_are_read_exactly(raw, expected):
    assert parse_exact_amount(raw) == (None if expected is None else Decimal(expected))


@pytest.mark.parametrize("raw", ["abc", "1,2,3", "12 34", "1 2345", "1..5", "1,234.567.8", "-5", "1e5", "NaN",
                                 "1.234,5.6", "12,34,56", "1 234.50", "∞", "١٢٣", "0x10", "1_000"])
def test_garbage_is_refused_with_a_message(raw):
    with pytest.raises(InvalidInput) as caught:
        parse_exact_amount(raw, "tax_arrears")
    assert caught.value.field == "tax_arrears" and str(caught.value.message)


@pytest.mark.parametrize("raw", ["1,234", "1.234", "12.500"])
def test_a_separator_before_three_digits_is_ambiguous_and_refused(raw):
    with pytest.raises(InvalidInput, match="two amounts"):
        parse_exact_amount(raw)


def test_whole_unit_amounts_round_only_the_ore():
    assert parse_amount("1 234,50") == 1235 and parse_amount("1.234.567") == 1234567


def test_a_subcontractor_share_above_its_parents_or_above_the_whole_is_refused(db, create_org, create_procurement):
    from vetting.domain import procurements as domain
    from vetting.domain.audit import SYSTEM

    pid = create_procurement()
    bidder = domain.add_participant(db, SYSTEM, pid, create_org(), "bidder")
    main = domain.add_participant(db, SYSTEM, pid, create_org(), "subcontractor", bidder, 20.0)
    with pytest.raises(InvalidInput, match="larger than the share"):
        domain.add_participant(db, SYSTEM, pid, create_org(), "subcontractor", main, 25.0)
    domain.add_participant(db, SYSTEM, pid, create_org(), "subcontractor", main, 12.5)
    with pytest.raises(InvalidInput, match="Together with"):
        domain.add_participant(db, SYSTEM, pid, create_org(), "subcontractor", main, 10.0)
    domain.add_participant(db, SYSTEM, pid, create_org(), "subcontractor", bidder, 80.0)
    with pytest.raises(InvalidInput, match="Together with"):
        domain.add_participant(db, SYSTEM, pid, create_org(), "subcontractor", bidder, 1.0)


def test_a_share_typed_with_a_decimal_comma_is_twelve_and_a_half(login_as, db, create_org, create_procurement):
    from vetting.domain import procurements as domain
    from vetting.domain.audit import SYSTEM

    pid = create_procurement()
    bidder = domain.add_participant(db, SYSTEM, pid, create_org(name="Huvudbolaget AB"), "bidder")
    create_org(name="Underbolaget AB")
    client = login_as("procurement_officer")
    response = client.post(f"/procurements/{pid}/participants", data={
        "existing": "Underbolaget AB", "role": "subcontractor", "parent_id": bidder, "share_percent": "12,5"})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    shares = [p["share_percent"] for p in db.query("SELECT share_percent FROM participants WHERE parent_id = ?", [bidder])]
    assert shares == [12.5]
    response = client.post(f"/procurements/{pid}/participants", data={
        "existing": "Underbolaget AB", "role": "subcontractor", "parent_id": bidder, "share_percent": "12 34"})
    assert response.status_code == 400 and "12 34" in response.get_data(as_text=True)
