"""Screening features: token similarity, name alignment and each explainable feature."""
from __future__ import annotations

import pytest

from vetting.matching import features as F


def bits(token: str) -> float:
    """Bits as a large index would give them: common words low, the rest rare."""
    return min(16.0, F.prior_bits(token))


@pytest.mark.parametrize(("a", "b"), [
    ("qadhafi", "gaddafi"), ("muammar", "moammar"), ("mohammed", "muhammad"), ("laden", "ladem"),
    ("usama", "osama"), ("bin", "ben"), ("khadzhi", "hadji"), ("aleksandr", "alexander"), ("sergei", "sergej"),
])
def test_transliteration_and_typo_variants_are_similar(a: str, b: str) -> None:
    assert F.token_similarity(a, b) >= F.TOKEN_MIN


@pytest.mark.parametrize(("a", "b"), [
    ("mohamed", "ahmed"), ("li", "ali"), ("hassan", "hussein"), ("amal", "ahmad"), ("mary", "mark"),
    ("abou", "ayoub"), ("pavlovna", "pavlov"), ("korolev", "krylov"), ("bygg", "bke"),
])
def test_different_names_are_not_similar(a: str, b: str) -> None:
    assert F.token_similarity(a, b) == 0.0


def test_initials_match_words_with_that_letter() -> None:
    assert F.token_similarity("j", "john") == F.INITIAL_SIMILARITY
    assert F.token_similarity("j", "smith") == 0.0


def test_compare_names_ignores_order_and_tolerates_missing_middle_names() -> None:
    swapped = F.compare_names(["laden", "usama", "bin"], ["usama", "bin", "laden"], bits)
    assert swapped.similarity == pytest.approx(1.0)
    missing = F.compare_names(["usama", "bin", "laden"], ["usama", "muhammed", "awad", "bin", "laden"], bits)
    assert missing.similarity > 0.8
    assert set(missing.unmatched_listed) == {"muhammed", "awad"}


def test_compare_names_joins_split_words() -> None:
    cmp = F.compare_names(["abdulrahman", "zaid"], ["abdul", "rahman", "zaid"], bits)
    assert cmp.similarity > 0.9


def test_an_initial_explains_little_of_a_full_word() -> None:
    assert F.compare_names(["maria", "eklund"], ["maria", "e"], bits).similarity < 0.7


def test_common_name_guard() -> None:
    ali = F.compare_names(["ali"], ["ali", "mohamed", "hassan"], bits)
    assert F.common_name_guard(ali).value < -0.5
    assert "common" in F.common_name_guard(ali).explanation
    rare = F.compare_names(["usama", "laden"], ["usama", "bin", "laden"], bits)
    assert F.common_name_guard(rare).value == 0.0


def test_name_similarity_explains_the_parts() -> None:
    feature = F.name_similarity(F.compare_names(["moammar", "gaddafi"], ["muammar", "qadhafi"], bits))
    assert '"gaddafi" ~ "qadhafi"' in feature.explanation
    assert feature.value > 0.85


def test_birth_date() -> None:
    assert F.birth_date("1957-03-10", ["1957-03-10"]).value == 1.0
    assert F.birth_date("1957", ["1957-03-10"]).value == 0.7
    assert F.birth_date("1958", ["1957-03-10"]).value == -0.4
    # A year only (or a range, or "circa") is approximate: up to three years off lowers it a little.
    assert -0.4 < F.birth_date("1960", ["1957"]).value < 0
    assert -0.4 < F.birth_date("1960", ["1957-03-10"], approximate=True).value < 0
    assert F.birth_date("1961", ["1957"]).value == -1.0
    contradiction = F.birth_date("1970", ["1957-03-10", "1956"])
    assert contradiction.value == -1.0 and "contradicts" in contradiction.explanation
    assert F.birth_date(None, ["1957"]).value == 0.0
    assert F.birth_date("1957", []).value == 0.0
    assert F.birth_date("1957-04-01", ["1957-03-10"]).value == 0.0
    assert F.birth_date("1957", ["1960", "1957"]).value == 0.7  # the closest listed date counts


def test_country() -> None:
    assert F.country("se", ["SE", "NO"]).value == 1.0
    assert -1.0 < F.country("SE", ["IR"]).value < 0
    assert F.country("SE", ["IR"], single_nationality=True).value == -1.0
    assert F.country("SE", ["IR", "IQ"], single_nationality=True).value > -1.0
    assert F.country(None, ["IR"]).value == 0.0


def test_identifier() -> None:
    hit = F.identifier([("passport", "C 123-456")], [("Passport", "c123456")])
    assert hit.value == 1.0 and "C123456".lower() in hit.explanation.lower()
    assert F.identifier([("passport", "C123456")], [("registration number", "C123456")]).value == 0.0
    assert F.identifier([("other", "C123456")], [("imo", "C123456")]).value == 1.0
    assert F.identifier([("passport", "1234")], [("passport", "1234")]).value == 0.0  # too short
    assert F.identifier([], [("passport", "C123456")]).value == 0.0
    assert F.identifier_family("IMO number") == "imo"
    assert F.identifier_family("National ID No.") == "national_id"


def test_kind_mismatch() -> None:
    assert F.kind_mismatch("person", "organisation").value == -1.0
    assert F.kind_mismatch("organisation", "vessel").value == 0.0
    assert F.kind_mismatch("person", "person").value == 0.0
    assert F.kind_mismatch(None, "person").value == 0.0


def test_legal_form_compatibility() -> None:
    assert F.legal_form_compatibility(["llc"], ["llc"], "organisation", "organisation").value == 1.0
    assert F.legal_form_compatibility(["ab"], ["ooo"], None, "organisation").value > 0
    assert F.legal_form_compatibility(["hb"], ["plc"], None, "organisation").value < 0
    assert F.legal_form_compatibility([], ["ltd"], "person", "organisation").value == -1.0
    assert F.legal_form_compatibility(["ab"], [], None, "person").value == -1.0
    assert F.legal_form_compatibility([], [], None, "organisation").value == 0.0


def test_initials_compatibility() -> None:
    assert F.initials_compatibility(["j", "smith"], ["john", "smith"]).value == 1.0
    assert F.initials_compatibility(["k", "smith"], ["john", "smith"]).value == -1.0
    assert F.initials_compatibility(["john", "smith"], ["john", "smith"]).value == 0.0
