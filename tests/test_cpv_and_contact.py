"""CPV codes are checked with the check digit the EU publishes; phone numbers and bankgiro, plusgiro and IBAN
numbers are checked digit by digit and refused with a message, never stored as typed garbage."""
from __future__ import annotations

import pytest

from vetting.domain.contact import clean_bank_account, clean_phone
from vetting.domain.cpv import check_digit, clean_cpv
from vetting.domain.errors import InvalidInput

# Codes copied from the CPV 2008 list (Regulation (EC) 213/2008, Annex I) with the check digit printed there:
# divisions, groups, classes and categories across the vocabulary, including the renumbered 033/034/091–093 groups.
PUBLISHED = ["45000000-7", "90910000-9", "79710000-4", "03000000-1", "30000000-9", "48000000-8", "72000000-5",
             "71000000-8", "80000000-4", "85000000-9", "33000000-0", "34000000-7", "45210000-2", "72200000-7",
             "15000000-8", "44000000-0", "09000000-3", "98000000-3", "60000000-8", "66000000-0", "92000000-1",
             "03113100-7", "03113200-8", "18451000-5", "18453000-9", "71355000-1", "71355200-3", "48217100-3",
             "03221111-7", "03222118-3", "14212430-3", "22993400-1", "24311522-2", "24321226-0", "33193225-2",
             "33651690-1", "45112441-8", "45213353-2", "45214320-9", "44921210-7", "45233120-6", "55524000-9",
             "03300000-2", "03310000-5", "03311700-9", "03400000-4", "03419200-2", "03461100-0",
             "09100000-0", "09134231-5", "09211610-0", "09300000-2", "09344000-2"]


@pytest.mark.parametrize("code", PUBLISHED)
def test_every_published_code_is_accepted_as_printed(code):
    assert clean_cpv(code) == code
    assert check_digit(code[:8]) == int(code[-1])


@pytest.mark.parametrize("typed, digit", [("45000000-8", "8"), ("90910000-1", "1"), ("03300000-4", "4"),
                                          ("09100000-4", "4"), ("45210000-9", "9")])
def test_a_wrong_check_digit_is_refused_naming_the_right_one(typed, digit):
    with pytest.raises(InvalidInput) as caught:
        clean_cpv(typed)
    assert caught.value.field == "cpv_code"
    assert f"is {typed[:8] and check_digit(typed[:8])}, not {digit}" in str(caught.value.message)


def test_a_code_without_check_digit_is_kept_as_typed_not_completed():
    assert clean_cpv("45000000") == "45000000" and clean_cpv(" 45000000 - 7 ") == "45000000-7"
    assert clean_cpv("") is None and clean_cpv(None) is None


@pytest.mark.parametrize("typed", ["4500", "45000000-", "45000000-77", "4500000A-7", "CPV 45000000-7", "45 000 000-7"])
def test_what_is_not_a_cpv_code_is_refused(typed):
    with pytest.raises(InvalidInput, match="not a CPV code"):
        clean_cpv(typed)


@pytest.mark.parametrize("typed", ["08-123 456 78", "070-123 45 67", "0771-567 567", "+46 8 123 456 78",
                                   "+46 70 123 45 67", "+47 22 33 44 55", "+44 20 7946 0958", "0046 8 123 456 78"])
def test_real_phone_number_shapes_are_kept_as_typed(typed):
    assert clean_phone(typed) == typed


@pytest.mark.parametrize("typed, words", [("12345", "not a complete phone number"), ("08-12", "not a complete"),
                                          ("+46 08 123 456 78", "not a complete"), ("+1 23", "not a complete"),
                                          ("070-123 45 67 89 01", "not a complete"), ("ring växeln", "not a phone number"),
                                          ("08-123 456 78 ankn. 12", "not a phone number")])
def test_phone_garbage_is_refused(typed, words):
    with pytest.raises(InvalidInput, match=words) as caught:
        clean_phone(typed)
    assert caught.value.field == "phone"


# Check digits worked by hand (Luhn: from the right, double every second digit, sum the digits, total % 10 == 0):
# 5050-1055 is Skatteverket's published bankgiro; 5 0 5 0 1 0 5 5 -> 1+0+1+0+2+0+1+5 = 10.
# 90 01 90-0 -> 9+0+0+2+9+0+0 = 20.
@pytest.mark.parametrize("typed, stored", [
    ("5050-1055", "5050-1055"), ("BG 5050-1055", "BG 5050-1055"), ("bankgiro 5050-1055", "bankgiro 5050-1055"),
    ("PG 90 01 90-0", "PG 90 01 90-0"), ("SE45 5000 0000 0583 9825 7466", "SE45 5000 0000 0583 9825 7466"),
    ("se4550000000058398257466", "SE45 5000 0000 0583 9825 7466"),
    ("GB82 WEST 1234 5698 7654 32", "GB82 WEST 1234 5698 7654 32"),
])
def test_valid_bankgiro_plusgiro_and_iban_are_accepted(typed, stored):
    assert clean_bank_account(typed) == stored


@pytest.mark.parametrize("typed, words", [
    ("5050-1056", "check digit"), ("BG 50-1055", "7 or 8"), ("PG 90 01 90-1", "check digit"),
    ("SE45 5000 0000 0583 9825 7467", "not a valid IBAN"), ("SE45 5000", "not a valid IBAN"),
    ("8327-9 123 456 789-0", "given as IBAN"), ("konto hos SEB", "not a bankgiro"),
])
def test_wrong_account_numbers_are_refused(typed, words):
    with pytest.raises(InvalidInput, match=words) as caught:
        clean_bank_account(typed)
    assert caught.value.field == "bank_account"
