"""Name normalisation: folding, transliteration, legal forms, tokens, keys; idempotent on any text."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vetting.matching.normalise import (
    canonical_legal_form, fold_spelling, fold_to_ascii, initials, is_initial, legal_form_family,
    normalise_name, normalise_text, phonetic_key, reorder_comma_name, split_legal_forms, tokenise,
)


@pytest.mark.parametrize(("raw", "folded"), [
    ("Åkeri Östberg", "akeri ostberg"),
    ("Straße", "strasse"),
    ("Усама бен Ладен", "usama ben laden"),
    ("Μουαμμάρ", "mouammar"),
    ("ﬁnance", "finance"),
])
def test_fold_to_ascii(raw: str, folded: str) -> None:
    assert fold_to_ascii(raw) == folded


def test_syllabic_scripts_are_spaced_per_syllable() -> None:
    assert normalise_name("習近平").tokens == ("xi", "jin", "ping")
    assert normalise_name("김정은").tokens == ("gim", "jeong", "eun")


def test_arabic_script_keeps_vowels_the_latin_spellings_have() -> None:
    assert normalise_name("أسامة بن لادن").tokens == ("asama", "bn", "ladn")


def test_comma_names_are_put_in_natural_order() -> None:
    assert reorder_comma_name("BIN LADEN, Usama") == "Usama BIN LADEN"
    assert reorder_comma_name("Acme, Ltd.") == "Acme, Ltd."
    assert normalise_name("QADHAFI, Muammar").tokens == ("muammar", "qadhafi")


def test_tokenise_joins_dotted_abbreviations_and_drops_apostrophes() -> None:
    assert tokenise("acme trading l.l.c.") == ["acme", "trading", "llc"]
    assert tokenise("o'brien al-qaddafi") == ["obrien", "al", "qaddafi"]


@pytest.mark.parametrize(("raw", "tokens", "forms"), [
    ("Acme Trading LLC", ("acme", "trading"), ("llc",)),
    ("ACME TRADING L.L.C.", ("acme", "trading"), ("llc",)),
    ("Nordic Bygg AB", ("nordic", "bygg"), ("ab",)),
    ("Nordic Bygg Aktiebolag", ("nordic", "bygg"), ("ab",)),
    ("ООО «Ромашка»", ("romashka",), ("ooo",)),
    ("OBSHCHESTVO S OGRANICHENNOI OTVETSTVENNOSTYU 'ROMASHKA'", ("romashka",), ("ooo",)),
    ("PJSC Gazprom", ("gazprom",), ("pao",)),
    ("Fiat S.p.A.", ("fiat",), ("spa",)),
    ("Anglo-Caribbean Co., Ltd.", ("anglo", "caribbean"), ("ltd",)),
    ("Volvo AB (publ)", ("volvo",), ("publ",)),
    ("Polska Sp. z o.o.", ("polska",), ("llc",)),
    ("JOINT STOlK COMPANY TULATOCHMASH", ("tulatochmash",), ("jsc",)),  # typo in the form
    ("AB", ("ab",), ()),  # a company called just "AB" keeps its name
])
def test_legal_forms_are_split_off(raw: str, tokens: tuple[str, ...], forms: tuple[str, ...]) -> None:
    name = normalise_name(raw)
    assert (name.tokens, name.legal_forms) == (tokens, forms)


def test_legal_forms_kept_when_asked() -> None:
    assert normalise_name("Ali Sa", strip_legal_forms=False).tokens == ("ali", "sa")


def test_legal_form_helpers() -> None:
    assert canonical_legal_form("Aktiebolag") == "ab"
    assert canonical_legal_form("L.L.C.") == "llc"
    assert canonical_legal_form("Hello") is None
    assert legal_form_family("ooo") == legal_form_family("ab") == "private"
    assert legal_form_family("plc") == "public"
    assert split_legal_forms(["nordic", "bygg", "aktiebolag"]) == (("nordic", "bygg"), ("ab",))


def test_stopwords_dropped_unless_nothing_else() -> None:
    assert normalise_text("The Bank and Trust") == "bank trust"
    assert normalise_text("The") == "the"


def test_initials() -> None:
    assert initials(("john", "ronald", "smith")) == "jrs"
    assert is_initial("j") and not is_initial("1") and not is_initial("jo")


@pytest.mark.parametrize("pair", [("qadhafi", "gaddafi"), ("usama", "osama"), ("muammar", "moammar"),
                                  ("ivanov", "ivanoff"), ("shamil", "chamil")])
def test_phonetic_key_groups_transliterations(pair: tuple[str, str]) -> None:
    assert phonetic_key(pair[0]) == phonetic_key(pair[1])


def test_phonetic_key_keeps_leading_vowel_apart() -> None:
    assert phonetic_key("ahmed") != phonetic_key("mohamed")


@pytest.mark.parametrize("pair", [("khadzhi", "hadji"), ("youssef", "yousef"), ("ljulevitj", "lyulevich"),
                                  ("sjchagosjev", "shkhagoshev"), ("dzhose", "jose"), ("coric", "korik")])
def test_fold_spelling_unifies_conventions(pair: tuple[str, str]) -> None:
    assert fold_spelling(pair[0]) == fold_spelling(pair[1])


@settings(max_examples=300, deadline=None, database=None)
@given(st.text())
def test_normalisation_is_idempotent_and_never_raises(text: str) -> None:
    once = normalise_text(text)
    assert normalise_text(once) == once
    assert once.isascii()
    for token in normalise_name(text).tokens:
        phonetic_key(token)
        fold_spelling(token)


@settings(max_examples=200, deadline=None, database=None)
@given(st.text(alphabet=st.sampled_from("abc ,.-'LtdABllcOOO&ÅöЖжأب習")))
def test_idempotent_on_name_like_text(text: str) -> None:
    once = normalise_text(text)
    assert normalise_text(once) == once
