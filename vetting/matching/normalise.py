"""Name normalisation for screening: ASCII folding, transliteration, tokens, legal forms, phonetic keys."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii
from rapidfuzz.distance import OSA

__all__ = [
    "NormalisedName",
    "LEGAL_FORMS",
    "canonical_legal_form",
    "fix_form_word",
    "fold_spelling",
    "fold_to_ascii",
    "initials",
    "is_initial",
    "legal_form_family",
    "normalise_name",
    "normalise_text",
    "phonetic_key",
    "reorder_comma_name",
    "split_legal_forms",
    "tokenise",
]

# Letters that anyascii drops or writes differently from the lists' Latin spellings: Arabic
# letters the lists write as a vowel ("Usama", "Hamza"), Cyrillic yo.
_PRE_TRANSLIT = str.maketrans({
    "\u0627": "a", "\u0623": "a", "\u0625": "i", "\u0622": "a", "\u0629": "a", "\u0649": "a",
    "\u0624": "u", "\u0626": "i", "\u0621": "", "\u0639": "",
    "\u0451": "yo", "\u0401": "Yo",  # Cyrillic yo: lists write "yo" where anyascii writes "e"
})
# The Arabic article is written joined to its word; Latin spellings write "al-" apart.
_ARABIC_ARTICLE = re.compile(r"(?<![\u0600-\u06ff])\u0627\u0644(?=[\u0600-\u06ff]{2})")
# Greek "ου" is "ou" in Latin spellings; anyascii writes "oy".
_GREEK_OU = re.compile(r"[οΟ][υύΥ]")
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
# One character per syllable in Chinese, Japanese kana and Korean; anyascii glues syllables
# together ("XiJinPing"), so each character is transliterated on its own and spaced.
_SYLLABIC = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_DOTTED = re.compile(r"(?<![a-z0-9])((?:[a-z]\s?\.\s?){2,})")
_APOSTROPHES = re.compile(r"[\u0027\u2018\u2019\u02bc\u02bb`\u00b4]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")

# Words dropped before comparing because lists add or omit them freely.
STOPWORDS = frozenset({"the", "and", "och", "und", "et"})

# Legal forms: spelling (as tokens) -> canonical form. Multi-word forms are tuples of tokens.
LEGAL_FORMS: dict[tuple[str, ...], str] = {}
_FAMILIES: dict[str, str] = {}


def _forms(family: str, canonical: str, *spellings: str) -> None:
    _FAMILIES[canonical] = family
    for spelling in (canonical, *spellings):
        LEGAL_FORMS[tuple(spelling.split())] = canonical


_forms("private", "ab", "aktiebolag", "aktiebolaget")
_forms("private", "ltd", "limited", "co ltd", "company limited", "pvt ltd", "private limited",
       "pty ltd", "pte ltd", "ltda", "limitada")
_forms("private", "llc", "l l c", "limited liability company", "tov", "fzllc", "fz llc",
       "fze", "fzco", "fzc", "sp z oo", "spzoo")
_forms("private", "gmbh", "gesellschaft mit beschrankter haftung")
_forms("private", "bv", "besloten vennootschap")
_forms("private", "sarl", "srl", "sro", "doo", "kft", "eood", "ood")
_forms("private", "oy", "osakeyhtio")
_forms("private", "as", "aksjeselskap", "aktieselskab")
_forms("private", "aps", "anpartsselskab")
_forms("public", "plc", "public limited company")
_forms("private", "ooo", "obshchestvo s ogranichennoi otvetstvennostyu",
       "obshchestvo s ogranichennoy otvetstvennostyu", "obshchestvo s ogranichennoj otvetstvennostju")
_forms("public", "jsc", "joint stock company", "aktsionernoe obshchestvo", "aktsionernoye obshchestvo")
_forms("public", "ao")
_forms("public", "zao", "cjsc", "closed joint stock company", "zakrytoe aktsionernoe obshchestvo")
_forms("public", "oao", "ojsc", "open joint stock company", "otkrytoe aktsionernoe obshchestvo")
_forms("public", "pao", "pjsc", "public joint stock company", "publichnoe aktsionernoe obshchestvo")
_forms("public", "sa", "societe anonyme", "sociedad anonima", "sa de cv", "sab de cv", "saog", "saoc")
_forms("public", "spa", "societa per azioni")
_forms("public", "ag", "aktiengesellschaft")
_forms("public", "nv", "naamloze vennootschap")
_forms("public", "asa", "allmennaksjeselskap")
_forms("public", "oyj")
_forms("public", "publ", "ab publ")
_forms("public", "inc", "incorporated", "corp", "corporation")
_forms("public", "pt", "tbk", "pt tbk", "bhd", "sdn bhd", "berhad")
_forms("partnership", "hb", "handelsbolag")
_forms("partnership", "kb", "kommanditbolag")
_forms("partnership", "llp", "lp", "limited partnership", "kg", "gmbh co kg", "ohg", "snc")
_forms("generic", "co", "company", "cie")
_forms("cooperative", "ek for", "ekonomisk forening", "coop", "cooperative")

# Forms that can stand before the name (Russian "OOO Romashka", Indonesian "PT Bank ...").
_LEADING_TOKENS = frozenset({"ooo", "ao", "zao", "oao", "pao", "jsc", "pjsc", "ojsc", "cjsc", "tov", "llc", "pt"})
_LEADING_FORMS = frozenset({"ooo", "jsc", "zao", "oao", "pao", "llc"})
_MAX_FORM_LEN = max(len(key) for key in LEGAL_FORMS)


@dataclass(frozen=True, slots=True)
class NormalisedName:
    """A name ready for comparison.

    :param original: the name as given.
    :param tokens: lower-case ASCII words of the name, legal forms removed, in the original order.
    :param legal_forms: canonical legal forms found at either end (``("ab",)``, ``("llc",)``).
    """

    original: str
    tokens: tuple[str, ...]
    legal_forms: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The tokens joined by single spaces: the normalised name as one string."""
        return " ".join(self.tokens)


def _transliterate_syllable(match: re.Match[str]) -> str:
    return " " + anyascii(match.group(0)) + " "


def fold_to_ascii(text: str) -> str:
    """Lower-case the text and write it in plain ASCII letters.

    Accents are dropped ("Åkeri" -> "akeri"), other scripts are transliterated
    ("Усама бен Ладен" -> "usama ben laden", "習近平" -> "xi jin ping").
    """
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii():
        # Syllabic scripts first: NFKD would split Hangul syllables into letters.
        text = _ARABIC_ARTICLE.sub("\u0627\u0644 ", _SYLLABIC.sub(_transliterate_syllable, text))
        text = text.translate(_PRE_TRANSLIT)
        text = _GREEK_OU.sub(lambda m: "OU" if m.group(0)[0].isupper() else "ou", text)
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
        if not text.isascii():
            text = anyascii(text)
    return text.lower()


def _undot(match: re.Match[str]) -> str:
    return " " + re.sub(r"[\s.]", "", match.group(1)) + " "


def reorder_comma_name(text: str) -> str:
    """Turn "LAST, First" into "First LAST"; leave other names (and "Acme, Ltd") as they are."""
    if text.count(",") != 1:
        return text
    before, after = (part.strip() for part in text.split(","))
    after_tokens = tuple(_NON_ALNUM.split(_DOTTED.sub(_undot, after.lower())))
    after_tokens = tuple(tok for tok in after_tokens if tok)
    if not before or not after_tokens or _is_all_forms(after_tokens):
        return text
    return f"{after} {before}"


def _is_all_forms(tokens: tuple[str, ...]) -> bool:
    rest = tokens
    while rest:
        for size in range(min(_MAX_FORM_LEN, len(rest)), 0, -1):
            if rest[:size] in LEGAL_FORMS:
                rest = rest[size:]
                break
        else:
            return False
    return True


def tokenise(text: str) -> list[str]:
    """Split an ASCII, lower-case name into words.

    Dotted abbreviations are joined ("l.l.c." -> "llc"), apostrophes vanish ("o'brien" -> "obrien"),
    every other punctuation mark separates words ("al-qaddafi" -> "al", "qaddafi").
    """
    text = _APOSTROPHES.sub("", _DOTTED.sub(_undot, text))
    return [tok for tok in _NON_ALNUM.split(text) if tok]


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


# Longer words of legal forms ("joint", "limited", "aktiebolag"), findable with one typo.
_FORM_WORDS = {w for key in LEGAL_FORMS for w in key if len(w) >= 5}
_FORM_TYPOS: dict[str, set[str]] = {}
for _word in _FORM_WORDS:
    for _key in _deletions(_word) | {_word}:
        _FORM_TYPOS.setdefault(_key, set()).add(_word)


@lru_cache(maxsize=1 << 16)
def fix_form_word(token: str) -> str:
    """The legal-form word ``token`` is one typo away from ("limted" -> "limited"), else ``token``."""
    if len(token) < 4 or token in _FORM_WORDS:
        return token
    near = {w for key in _deletions(token) | {token} for w in _FORM_TYPOS.get(key, ())}
    near = {w for w in near if OSA.distance(token, w) <= 1}
    return near.pop() if len(near) == 1 else token


def split_legal_forms(tokens: list[str] | tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Take company legal forms off both ends of a name, forgiving one typo in long form words.

    Returns the remaining words and the canonical forms found, e.g.
    ``["nordic", "bygg", "aktiebolag"]`` -> ``(("nordic", "bygg"), ("ab",))``.
    At least one word is always left, so a company called just "AB" keeps its name.
    """
    fixed = tuple(fix_form_word(t) for t in tokens)
    start, end = 0, len(fixed)
    found: list[str] = []
    changed = True
    while changed and end - start > 1:
        changed = False
        for size in range(min(_MAX_FORM_LEN, end - start - 1), 0, -1):
            form = LEGAL_FORMS.get(fixed[end - size:end])
            if form is not None:
                found.insert(0, form)
                end, changed = end - size, True
                break
        if changed or end - start < 2:
            continue
        for size in range(min(_MAX_FORM_LEN, end - start - 1), 0, -1):
            form = LEGAL_FORMS.get(fixed[start:start + size])
            if form is not None and (fixed[start] in _LEADING_TOKENS if size == 1 else form in _LEADING_FORMS):
                found.insert(0, form)
                start, changed = start + size, True
                break
    return tuple(tokens[start:end]), tuple(dict.fromkeys(found))


def canonical_legal_form(form: str) -> str | None:
    """The canonical spelling of a legal form ("Aktiebolag" -> "ab", "L.L.C." -> "llc"), or None."""
    return LEGAL_FORMS.get(tuple(tokenise(fold_to_ascii(form))))


def legal_form_family(form: str) -> str:
    """Which kind of company a canonical form denotes: private, public, partnership, cooperative, generic."""
    return _FAMILIES.get(form, "generic")


def _drop_stopwords(tokens: tuple[str, ...]) -> tuple[str, ...]:
    kept = tuple(tok for tok in tokens if tok not in STOPWORDS)
    return kept or tokens


def normalise_name(name: str, strip_legal_forms: bool = True) -> NormalisedName:
    """Normalise a person's or company's name for comparison.

    Folds case and accents, transliterates other scripts, puts "LAST, First" in natural order,
    drops punctuation and filler words ("the", "and") and, unless ``strip_legal_forms`` is False,
    moves company legal forms (AB, Ltd, LLC, OOO...) into ``legal_forms``.
    """
    text = reorder_comma_name(fold_to_ascii(name))
    # Filler words go first, so "Acme Ltd The" still ends in its legal form.
    tokens = _drop_stopwords(tuple(tokenise(text)))
    forms: tuple[str, ...] = ()
    if strip_legal_forms:
        tokens, forms = split_legal_forms(tokens)
    return NormalisedName(name, tokens, forms)


def normalise_text(name: str) -> str:
    """The normalised name as one string ("ACME TRADING L.L.C." -> "acme trading")."""
    return normalise_name(name).text


def is_initial(token: str) -> bool:
    """True for a one-letter word, which stands for a name written as an initial ("J." in "J. Smith")."""
    return len(token) == 1 and token.isalpha()


def initials(tokens: tuple[str, ...] | list[str]) -> str:
    """The first letter of every word ("john ronald smith" -> "jrs")."""
    return "".join(tok[0] for tok in tokens)


# Spellings that transliteration conventions (English, French, German, Swedish) write differently
# for the same sound; folded to one spelling before comparing words, vowels kept.
_SPELLING_SUBS = {
    "shch": "shch", "sjtj": "shch", "dzh": "j", "dj": "j", "zh": "j", "zj": "j", "kh": "h", "tsch": "ch",
    "tch": "ch", "tj": "ch", "sch": "sh", "sj": "sh", "ph": "f", "th": "t", "dh": "d", "gh": "g", "ck": "k",
    "q": "k", "ch": "h", "c": "k", "ou": "u", "oo": "u", "ee": "i", "y": "i", "j": "i", "w": "v", "x": "ks",
}
_SPELLING_RE = re.compile("|".join(sorted(_SPELLING_SUBS, key=len, reverse=True)))


@lru_cache(maxsize=1 << 16)
def fold_spelling(token: str) -> str:
    """One spelling for transliteration variants of a word, vowels kept.

    "khadzhi" and "hadji" both give "hai", "youssef" and "yusef" give "iusef", "ljulevitj" (Swedish)
    and "lyulevich" (English) give "liulevih". Only for comparing: the result is not meant to be read.
    """
    # Repeat until nothing changes: a pass can form new digraphs ("dzhosepkh" -> "joseph" -> "iosef").
    for _ in range(4):
        folded = _REPEATS.sub(r"\1", _SPELLING_RE.sub(_spelling_sub, token))
        if folded == token:
            break
        token = folded
    return token


def _spelling_sub(match: re.Match[str]) -> str:
    return _SPELLING_SUBS[match.group(0)]


# Spellings that transliterations swap for one another, folded to one letter (longest first).
_PHONETIC_SUBS = {
    "tsch": "s", "dzh": "j", "sch": "s", "tch": "s", "ch": "s", "sh": "s", "zh": "j", "dj": "j",
    "kh": "h", "ph": "f", "th": "t", "dh": "d", "gh": "k", "ck": "k", "ks": "x",
    "q": "k", "c": "k", "g": "k", "z": "s", "w": "f", "v": "f", "x": "x",
}
_PHONETIC_RE = re.compile("|".join(sorted(_PHONETIC_SUBS, key=len, reverse=True)))
_VOWELS = re.compile(r"[aeiouyh]+")
_REPEATS = re.compile(r"(.)\1+")


@lru_cache(maxsize=131072)
def phonetic_key(token: str) -> str:
    """A rough sound-alike key for one word, so transliteration variants share it.

    "qadhafi", "gaddafi" and "kadafi" all give "kdf"; "usama" and "osama" give "asm".
    Vowels are dropped except that a leading vowel is kept as "a".
    """
    if not token.isalpha():
        return token
    folded = _PHONETIC_RE.sub(lambda m: _PHONETIC_SUBS[m.group(0)], token)
    folded = _REPEATS.sub(r"\1", folded)
    lead = "a" if folded[0] in "aeiouyh" and folded.lstrip("h")[:1] in "aeiouy" else ""
    return lead + _VOWELS.sub("", folded) or "a"
