"""fold keeps every letter: Nordic, German, Polish, Turkish and Vietnamese names written in ASCII."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from vetting.domain.text import fold, fold_words

# The letters of each alphabet beyond plain ASCII, upper and lower case (oracle: the alphabets
# themselves, written out here, not taken from the code under test).
ALPHABETS = {
    "nordic": "ÅÄÖÆØåäöæøÐðÞþÉéÁáÍíÓóÚúÝý",
    "german": "ÄÖÜäöüß",
    "polish": "ĄĆĘŁŃÓŚŹŻąćęłńóśźż",
    "turkish": "ÇĞİÖŞÜçğıöşü",
    "vietnamese": "ĂÂĐÊÔƠƯăâđêôơưÀẢÃÁẠẰẲẴẮẶẦẨẪẤẬÈẺẼÉẸỀỂỄẾỆÌỈĨÍỊÒỎÕÓỌỒỔỖỐỘỜỞỠỚỢÙỦŨÚỤỪỬỮỨỰỲỶỸÝỴ"
                  "àảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ",
}
LETTERS = "".join(ALPHABETS.values()) + "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
word = st.text(alphabet=LETTERS, min_size=1, max_size=12)


@given(st.lists(word, min_size=1, max_size=4))
def test_fold_keeps_every_letter(words: list[str]) -> None:
    name = " ".join(words)
    folded = fold(name)
    assert folded.isascii()
    assert len(folded.split()) == len(words)  # no word vanishes
    for original, out in zip(words, folded.split()):
        assert len(out) >= len(original)  # each letter gives at least one letter
        assert out.isalpha()


def test_each_letter_of_each_alphabet_survives() -> None:
    for alphabet, letters in ALPHABETS.items():
        for letter in letters:
            assert fold(letter).isalpha() and fold(letter).isascii(), (alphabet, letter)


def test_known_names() -> None:
    assert fold("Ørsted Æbleø Straße Łódź") == "orsted aebleo strasse lodz"
    assert fold("  Şükrü   Iğdır ") == "sukru igdir"
    assert fold("Nguyễn Đức Thắng") == "nguyen duc thang"
    assert fold("Þórunn Sigurðardóttir") == "thorunn sigurdardottir"
    assert fold_words("Кузьменко, В.") == "kuzmenko v"
