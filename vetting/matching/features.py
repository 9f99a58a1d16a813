"""Screening features: each compares one aspect of a query with a listed entry and explains itself."""
from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, JaroWinkler

# The features that compare facts other than the name live in their own module.
from .facts import (  # noqa: F401
    APPROXIMATE_YEARS, Feature, birth_date, country, identifier, identifier_family, identifier_value,
)
from .normalise import fold_spelling, is_initial, legal_form_family, phonetic_key

# Two words count as the same name part from this similarity on (0..1).
TOKEN_MIN = 0.80
# Words that differ only in transliteration convention ("khadzhi"/"hadji", "youssef"/"yusef").
SAME_SPELLING = 0.95
# Words that sound alike (same phonetic key) get their similarity pulled halfway up to this.
SOUND_ALIKE = 0.92
# A word without vowels (Arabic script, "mhmd") that sounds like the other ("muhammad").
VOWELLESS_ALIKE = 0.85
_VOWEL = re.compile("[aeiou]")
# An initial ("j") stands for any word that starts with that letter.
INITIAL_SIMILARITY = 0.85
# Unmatched listed words cost this fraction of their weight: lists often add patronymics,
# middle names and tribal names that a supplier's register entry leaves out.
LISTED_EXTRA_COST = 0.6
# Least weight of a query word missing from the listed name (0..1).
QUERY_EXTRA_MIN = 0.5
# Information (in bits) the matched words must carry when the listed name has more parts;
# below it the common-name guard lowers the score ("ali" alone says little).
GUARD_BITS = 16.0
# Words so common in names that they identify nobody on their own, whatever the loaded lists say.
COMMON_TOKENS = frozenset("""
al el ul bin ben ibn bint abu abou abd abdul abdel abdal ab aba bn mohammad muhammad mohammed mohamed
muhammed mohamad mohamud ahmad ahmed ali hassan hasan hussein husain hussain husayn ibrahim abdullah
abdallah khan haji hajji mullah mulla sheikh shaikh sayed sayyed syed said omar umar osman othman
yusuf youssef yousef mahmoud mahmud mustafa mostafa salem saleh salah khalid khaled karim rahman
john james david michael robert william richard thomas mary anna maria peter paul mark daniel
erik eric karl carl lars anders johan per nils olof jan hans maria eva karin kristina lena
ivan sergei sergey aleksandr alexander vladimir andrei andrey dmitri dmitry nikolai alexei aleksei
igor oleg viktor yuri olga elena tatiana natalia irina
li lee wang zhang chen liu yang huang zhao wu zhou xu sun ma zhu hu guo he lin kim park choi jung
nguyen tran le pham
de da di del della der den van von la le los las du dos das do y e i a o u s
""".split())
# Particles carry almost nothing: a matching "al" or "bin" is no evidence.
PARTICLES = frozenset("al el ul bin ben ibn bint abu abou bn de da di del della der den van von la le "
                      "los las du dos das do y e i a o u s".split())
COMMON_BITS = 4.0
PARTICLE_BITS = 1.0


@lru_cache(maxsize=1 << 16)
def token_similarity(a: str, b: str) -> float:
    """How alike two normalised words are, 0..1; below ``TOKEN_MIN`` they count as different.

    Identical words score 1, words written in another transliteration convention 0.95
    ("khadzhi"/"hadji"). Short words (three letters or fewer) only match when they sound alike
    ("bin"/"ben"). Longer words use Jaro-Winkler and edit-distance similarity, lifted when they
    sound alike ("qadhafi"/"gaddafi"). Particles ("al", "abu") only match particles, and a
    patronymic ("pavlovna") never matches a surname ("pavlov").
    """
    if a == b:
        return 1.0
    # is_initial, written out: this function runs for every candidate word of every query word.
    if (len(a) == 1 and a.isalpha()) or (len(b) == 1 and b.isalpha()):
        return INITIAL_SIMILARITY if a[0] == b[0] else 0.0
    fa, fb = fold_spelling(a), fold_spelling(b)
    if fa == fb:
        return SAME_SPELLING
    if (a in PARTICLES) != (b in PARTICLES) or _patronymic(a) * _patronymic(b) < 0:
        return 0.0  # "abou" is not "ayoub"; "pavlovna" is not "pavlov"
    same_sound = phonetic_key(a) == phonetic_key(b)
    shorter = min(len(fa), len(fb))
    if shorter <= 3:
        return 0.9 if same_sound and len(fa) == len(fb) and OSA.distance(fa, fb) <= 1 else 0.0
    # Jaro-Winkler forgives too much on short words ("amal"/"ahmad" 0.81): average it with the
    # edit-distance similarity, which counts a swap of two letters as one edit.
    sim = max(_edit_similarity(a, b), _edit_similarity(fa, fb))
    # Sounding alike lifts the score only for a spelling difference or two ("korolev" and
    # "krylov" sound alike but are different names); one for short words.
    if same_sound and OSA.distance(fa, fb) <= (1 if shorter <= 5 else 2):
        sim = max(sim, (sim + SOUND_ALIKE) / 2)
    elif same_sound and not (_VOWEL.search(a) and _VOWEL.search(b)):
        # Arabic script gives words without vowels ("mhmd"): same consonants is all one can ask.
        sim = max(sim, VOWELLESS_ALIKE)
    return sim if sim >= TOKEN_MIN else 0.0


def _edit_similarity(a: str, b: str) -> float:
    # On short words one wrong letter matters more ("mary"/"mark"): weigh edits double there.
    edits = 2 if min(len(a), len(b)) <= 5 else 1
    return (JaroWinkler.normalized_similarity(a, b) + edits * OSA.normalized_similarity(a, b)) / (1 + edits)


_PATRONYMIC = ("ovich", "evich", "ovych", "evych", "ovna", "evna", "ivna", "ichna", "ovic", "evic", "ovitj",
               "evitj")
_SURNAME = ("ov", "ev", "ova", "eva", "in", "ina", "ko", "uk", "yk", "sky", "skiy", "skaya", "ski", "ska")


@lru_cache(maxsize=1 << 16)
def _patronymic(token: str) -> int:
    """1 for a Russian-style patronymic ("sergeevich"), -1 for a surname ending ("sergeev"), else 0."""
    if token.endswith(_PATRONYMIC):
        return 1
    return -1 if token.endswith(_SURNAME) else 0


def prior_bits(token: str) -> float:
    """Most information (bits) a word can carry whatever the lists say: little for "al", "ali", "li"."""
    if token in PARTICLES or is_initial(token):
        return PARTICLE_BITS
    if token in COMMON_TOKENS:
        return COMMON_BITS
    return math.inf


class NameComparison(NamedTuple):
    """How two token lists align: which words paired up, how well, and what was left over.

    A named tuple rather than a frozen dataclass: one is made per compared name, and a tuple is
    made several times faster.
    """

    similarity: float
    pairs: tuple[tuple[str, str, float], ...]
    unmatched_query: tuple[str, ...]
    unmatched_listed: tuple[str, ...]
    matched_bits: float
    joined_similarity: float  # 0 when the joined names could not be alike enough to count (``_may_join``)


def compare_names(query: Sequence[str], listed: Sequence[str],
                  bits: Callable[[str], float],
                  similar: Callable[[str, str], float] = token_similarity,
                  full_bits: float = 12.0,
                  rows: Sequence[Mapping[str, float] | None] | None = None) -> NameComparison:
    """Align the words of two names and score the alignment, 0..1.

    Each query word is paired with its most similar unused listed word (order does not matter,
    so "LADEN, Usama bin" aligns with "Usama bin Laden"). Words weigh by how informative they
    are (``bits``: rare surnames weigh much more than "al" or "mohammed"). Unmatched query words
    cost their full weight; unmatched listed words cost less (lists carry more name parts). The
    names run together are also compared, so "abdulrahman" still matches "abdul rahman".

    ``rows``, when given, holds per query word its similarity to the listed words of more than
    one letter (absent: 0), or None for a word ``similar`` is asked about; one-letter listed
    words are always asked. It gives the same result as ``similar`` would, looked up faster.
    """
    cands = []
    for i, q in enumerate(query):
        row = rows[i] if rows is not None else None
        if row is None:
            for j, l in enumerate(listed):
                s = similar(q, l)
                if s > 0.0:
                    cands.append((s, i, j))
        else:
            for j, l in enumerate(listed):
                s = row.get(l, 0.0) if len(l) > 1 else similar(q, l)
                if s > 0.0:
                    cands.append((s, i, j))
    cands.sort(reverse=True)
    used_q: set[int] = set()
    used_l: set[int] = set()
    pairs: list[tuple[int, str, str, float]] = []
    num = den = matched_bits = 0.0
    left = min(len(query), len(listed))
    for s, i, j in cands:
        if i in used_q or j in used_l:
            continue
        used_q.add(i)
        used_l.add(j)
        q, l = query[i], listed[j]
        if (len(q) == 1 or len(l) == 1) and is_initial(q) != is_initial(l):
            # An initial explains only an initial's worth of the full word it stands for:
            # "Maria E" says little about "Maria Eklund".
            w_full = min(1.0, bits(l if is_initial(q) else q) / full_bits)
            w_init = PARTICLE_BITS / full_bits
            num += s * 2 * w_init
            den += w_init + w_full
            matched_bits += s * PARTICLE_BITS
        else:
            b_listed = bits(l)
            weight = 2 * min(1.0, b_listed / full_bits)
            num += s * weight
            den += weight
            matched_bits += s * b_listed
        pairs.append((i, q, l, s))
        left -= 1
        if not left:
            break  # every word of the shorter name is paired: no candidate pair is left to take
    unmatched_q = tuple(q for i, q in enumerate(query) if i not in used_q)
    unmatched_l = tuple(l for j, l in enumerate(listed) if j not in used_l)
    # A query part the listed name lacks counts at least half: "Anna Fedorov" is not just "Fedorov".
    for q in unmatched_q:
        den += max(QUERY_EXTRA_MIN, min(1.0, bits(q) / full_bits))
    for l in unmatched_l:
        den += LISTED_EXTRA_COST * min(1.0, bits(l) / full_bits)
    aligned = num / den if den else 0.0
    joined = 0.0
    if aligned < 0.95 and (unmatched_q or unmatched_l) and _may_join(query, listed):
        # Joined spelling only helps when nearly identical: "abdulrahman" = "abdul rahman".
        joined = max(fuzz.ratio("".join(query), "".join(listed)),
                     fuzz.ratio("".join(sorted(query)), "".join(sorted(listed)))) / 100.0
    similarity = aligned
    if joined >= 0.92 and joined - 0.05 > aligned:
        similarity = joined - 0.05
        matched_bits = max(matched_bits, sum(bits(l) for l in listed))
    ordered = tuple((q, l, s) for _i, q, l, s in sorted(pairs))  # in the query's word order
    return NameComparison(similarity, ordered, unmatched_q, unmatched_l, matched_bits, joined)


def _may_join(query: Sequence[str], listed: Sequence[str]) -> bool:
    """Whether the names run together could reach the 0.92 where joined spelling counts.

    ``fuzz.ratio`` is at most 2 * shorter / (both lengths): strings of very different length are
    never that alike, so they are not compared (most pairs; the margin keeps rounding out of it).
    """
    a, b = sum(map(len, query)), sum(map(len, listed))
    return 2 * min(a, b) >= 0.919 * (a + b)


def _quote(tokens: Iterable[str]) -> str:
    return ", ".join(f'"{t}"' for t in tokens)


def name_similarity(cmp: NameComparison) -> Feature:
    """How similar the names are, after aligning their parts and weighing rare parts more."""
    parts = "; ".join(f'"{q}" ~ "{l}" {s:.2f}' for q, l, s in cmp.pairs) or "no parts match"
    extra = []
    if cmp.unmatched_query:
        extra.append(f"not in the listed name: {_quote(cmp.unmatched_query)}")
    if cmp.unmatched_listed:
        extra.append(f"listed name parts not in the query: {_quote(cmp.unmatched_listed)}")
    tail = f" ({'; '.join(extra)})" if extra else ""
    return Feature("name", cmp.similarity,
                   f"Name parts compared: {parts}{tail}; name similarity {cmp.similarity:.2f}.")


def guard_shortfall(cmp: NameComparison, name_only: bool = False) -> float:
    """How far (0..1) the matched name parts fall short of ``GUARD_BITS`` when either name has
    other parts that are not particles, or when nothing but the name speaks for the match
    (``name_only``: a common name alone fits many people); 0 when the guard does not apply."""
    if not cmp.pairs or cmp.matched_bits >= GUARD_BITS:
        return 0.0
    if not name_only and not any(prior_bits(t) > PARTICLE_BITS for t in (*cmp.unmatched_listed, *cmp.unmatched_query)):
        return 0.0
    return 1.0 - cmp.matched_bits / GUARD_BITS


def common_name_guard(cmp: NameComparison, name_only: bool = False) -> Feature:
    """Lowers the score when only common name parts match and either name has more parts, or
    when the name is all there is (``name_only``).

    "Ali" or "Mohamed" alone says nothing about "Ali Mohamed Hassan": too many people share it;
    nor does "Mohammed Ali" without a birth date, nationality or identifier.
    """
    shortfall = guard_shortfall(cmp, name_only)
    if not shortfall:
        return Feature("common_name", 0.0, "The matching name parts are distinctive enough.")
    if guard_shortfall(cmp) == 0.0:
        return Feature("common_name", -shortfall,
                       f"The name is common ({_quote(q for q, _, _ in cmp.pairs)}) and nothing else agrees: "
                       f"many people share such a name.")
    extra_l = [t for t in cmp.unmatched_listed if prior_bits(t) > PARTICLE_BITS]
    extra_q = [t for t in cmp.unmatched_query if prior_bits(t) > PARTICLE_BITS]
    other = (f"the listed name has other parts ({_quote(extra_l)})" if extra_l
             else f"the query has other parts ({_quote(extra_q)})")
    return Feature("common_name", -shortfall,
                   f"Only common name parts match ({_quote(q for q, _, _ in cmp.pairs)}) and {other}: "
                   f"many people share such a name.")


def initials_compatibility(query: Sequence[str], listed: Sequence[str]) -> Feature:
    """Checks that initials on either side ("J. Smith") stand for a name part the other side has."""
    q_init = [t for t in query if is_initial(t)]
    l_init = [t for t in listed if is_initial(t)]
    if not q_init and not l_init:
        return Feature("initials", 0.0, "No initials to compare.")
    l_first = {t[0] for t in listed if not is_initial(t)} | set(l_init)
    q_first = {t[0] for t in query if not is_initial(t)} | set(q_init)
    unexplained = [t for t in q_init if t not in l_first] + [t for t in l_init if t not in q_first]
    if unexplained:
        return Feature("initials", -1.0, f"Initial(s) {_quote(unexplained)} match no name part on the other side.")
    return Feature("initials", 1.0, f"Initial(s) {_quote(q_init + l_init)} fit the other side's name parts.")


def legal_form_compatibility(query_forms: Sequence[str], listed_forms: Sequence[str],
                             query_kind: str | None, listed_kind: str) -> Feature:
    """Compares company legal forms: same form helps a little, a person never matches a company form.

    "LLC" and "L.L.C." are the same form; "AB" and "Aktiebolag" too. Forms of the same family
    (limited companies: AB, Ltd, GmbH, OOO...) are compatible; different families count against.
    """
    if query_kind == "person" and (listed_forms or listed_kind == "organisation") and listed_kind != "person":
        return Feature("legal_form", -1.0, "The query is a person but the listed name is a company.")
    if query_forms and listed_kind == "person":
        return Feature("legal_form", -1.0,
                       f"The query has a company form ({_quote(query_forms)}) but the listed party is a person.")
    if not query_forms or not listed_forms:
        return Feature("legal_form", 0.0, "Legal form not given on both sides.")
    same = [form for form in query_forms if form in listed_forms]  # in the query's order: the same text every run
    if same:
        return Feature("legal_form", 1.0, f"Same legal form ({_quote(same)}).")
    q_fam = {legal_form_family(f) for f in query_forms} - {"generic"}
    l_fam = {legal_form_family(f) for f in listed_forms} - {"generic"}
    if not q_fam or not l_fam or q_fam & l_fam:
        return Feature("legal_form", 0.3, f"Compatible legal forms ({_quote(query_forms)} / {_quote(listed_forms)}).")
    return Feature("legal_form", -0.5, f"Different kinds of company ({_quote(query_forms)} / {_quote(listed_forms)}).")


def kind_mismatch(query_kind: str | None, listed_kind: str) -> Feature:
    """A person never matches an organisation, vessel or aircraft, and the reverse."""
    if not query_kind or listed_kind in ("", "other"):
        return Feature("kind", 0.0, "Kind of party not given on both sides.")
    if (query_kind == "person") != (listed_kind == "person"):
        return Feature("kind", -1.0, f"The query is a {query_kind} but the listed party is a {listed_kind}.")
    return Feature("kind", 0.0, f"Both are of the same kind ({listed_kind}).")

