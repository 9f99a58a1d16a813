"""In-memory index of listed names: finds candidate names for a query without scanning every name."""
from __future__ import annotations

import heapq
import math
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from itertools import combinations

from ..lists.model import ListEntry
from .features import identifier_value, prior_bits, token_similarity
from .normalise import NormalisedName, fold_spelling, is_initial, normalise_name, phonetic_key

# A query word whose matching listed words occur in more names than this is "common": it does not
# pull in candidates on its own (that would mean thousands), only together with another word.
COMMON_POSTINGS = 150
# Words this long or longer are also found through one-letter deletions (typos).
TYPO_MIN_LEN = 4
# Bounds of the per-query-word caches (a common word's name set can hold thousands of ids).
_CACHE_MAX = 20_000
_UNION_CACHE_MAX = 256


def word_bits(token: str, names_with_token: int, names: int) -> float:
    """Information a word carries, in bits, from how many of the indexed names hold it.

    Capped by ``prior_bits``, so "al" or "ali" never count as rare however few names hold them.
    """
    # A small index (tests, one short list) has too few names for counts to mean much:
    # counting as if there were 100,000 names leaves the built-in caps in charge.
    return min(math.log2(max(names, 100_000) / (names_with_token or 1)), prior_bits(token))


_token_similarity = token_similarity.__wrapped__


def _deletions(token: str) -> list[str]:
    return [token[:i] + token[i + 1:] for i in range(len(token))]


class LazyEntries:
    """``(list_key, ListEntry)`` pairs kept as their stored text and parsed (once) when first read.

    Most entries are never looked at in a run (only candidates' facts are), so a loaded index
    parses an entry the first time it is asked for: loading stays cheap.
    """

    def __init__(self, keys: list[str], texts: list[str], parse: Callable[[str], ListEntry]) -> None:
        self._keys = keys
        self._texts = texts
        self._parse = parse
        self._open: dict[int, tuple[str, ListEntry]] = {}

    def __len__(self) -> int:
        return len(self._texts)

    def __getitem__(self, entry_id: int) -> tuple[str, ListEntry]:
        found = self._open.get(entry_id)
        if found is None:
            found = self._open[entry_id] = (self._keys[entry_id], self._parse(self._texts[entry_id]))
        return found

    def __iter__(self) -> Iterator[tuple[str, ListEntry]]:
        return (self[i] for i in range(len(self._texts)))


class NameIndex:
    """Every name and alias of the listed entries, indexed for fast candidate retrieval.

    Built from ``(list_key, ListEntry)`` pairs, where ``list_key`` names the list ("un", "ofac-sdn").
    A query word finds listed words that are identical, spelt by another transliteration convention
    (``fold_spelling``), sound alike (``phonetic_key``) or are one typo away (deletion
    neighbourhoods); candidate names are those sharing informative words with the query, so swapped
    order, missing middle names, typos and transliteration variants are found without comparing
    the query with every name.
    """

    # Bump when the attributes change: a persisted index of another format is rebuilt, not loaded.
    FORMAT = 5

    def __init__(self, entries: Iterable[tuple[str, ListEntry]]) -> None:
        self.entries: list[tuple[str, ListEntry]] | LazyEntries = []
        self.name_entry: list[int] = []
        self.name_text: list[str] = []
        self.name_tokens: list[tuple[str, ...]] = []
        self.name_forms: list[tuple[str, ...]] = []
        # 1 where the name is an alias the publisher marks as weak (see ListEntry.weak_aliases).
        self.name_weak = bytearray()
        self._postings: dict[str, list[int]] = {}
        self._joined: dict[str, list[int]] = {}
        self._single: dict[str, list[int]] = {}
        self._ids: dict[str, list[int]] = {}
        self._token_cache: dict[str, tuple[dict[str, float], int]] = {}
        self._union_cache: dict[str, dict[int, float]] = {}
        self._weight_cache: dict[str, float] = {}
        # Filled by ``score.screen``: per queried name, its comparisons with the candidates (bounded there).
        self.compared_cache: dict[tuple[object, ...], dict[int, tuple[float, int, object]]] = {}
        interned: dict[str, str] = {}
        for list_key, entry in entries:
            self._add_entry(list_key, entry, interned)
        self._build_keys()

    def _add_entry(self, list_key: str, entry: ListEntry, interned: dict[str, str]) -> None:
        entry_id = len(self.entries)
        self.entries.append((list_key, entry))
        seen: set[tuple[str, ...]] = set()
        # A listed person's name is never a company, so "Ali Sa" keeps its "sa".
        strip = entry.kind != "person"
        strong = 1 + len(entry.aliases)
        for position, raw in enumerate((entry.name, *entry.aliases, *entry.weak_aliases)):
            norm = normalise_name(raw, strip) if raw else None
            if norm is None or not norm.tokens or norm.tokens in seen:
                continue
            seen.add(norm.tokens)
            tokens = tuple(interned.setdefault(t, t) for t in norm.tokens)
            name_id = len(self.name_tokens)
            self.name_entry.append(entry_id)
            self.name_text.append(raw)
            self.name_tokens.append(tokens)
            self.name_forms.append(norm.legal_forms)
            self.name_weak.append(position >= strong)
            for token in set(tokens):
                self._postings.setdefault(token, []).append(name_id)
            if len(tokens) > 1:
                self._joined.setdefault("".join(tokens), []).append(name_id)
            else:
                self._single.setdefault(tokens[0], []).append(name_id)
        for _kind, value in entry.identifiers:
            key = identifier_value(value)
            if len(key) >= 5:
                self._ids.setdefault(key, []).append(entry_id)

    def _build_keys(self) -> None:
        self._phonetic: dict[str, list[str]] = {}
        self._spelling: dict[str, list[str]] = {}
        self._deletes: dict[str, list[str] | str] = {}
        for token in self._postings:
            self._phonetic.setdefault(phonetic_key(token), []).append(token)
            folded = fold_spelling(token)
            if folded != token:
                self._spelling.setdefault(folded, []).append(token)
            if len(token) >= TYPO_MIN_LEN:
                for key in _deletions(token):
                    # Most keys have one token: store it bare to save a list per key.
                    have = self._deletes.get(key)
                    if have is None:
                        self._deletes[key] = token
                    elif isinstance(have, str):
                        if have != token:
                            self._deletes[key] = [have, token]
                    elif token not in have:
                        have.append(token)
        self._bits = {t: word_bits(t, len(p), len(self.name_tokens)) for t, p in self._postings.items()}
        # Every listed word's matches, worked out once per list version (and kept with the index): a
        # queried name is mostly made of words some list holds ("trading", "andersson", a listed
        # surname), and working out a word's matches is most of what screening a new name costs.
        self._listed_matches: dict[str, tuple[dict[str, float], int]] = {}
        self._listed_matches = {t: self._match(t) for t in self._postings}
        weight = {t: min(1.0, b / 12.0) for t, b in self._bits.items()}
        # Total weight of each name's words: ranks candidates by the share of the name matched.
        self._mass = array("d", (sum(weight[t] for t in tokens) for tokens in self.name_tokens))

    # Attributes written out by ``state`` and read back by ``from_state`` (the per-query caches are not).
    _STATE = ("name_entry", "name_text", "name_tokens", "name_forms", "name_weak", "_postings", "_joined",
              "_single", "_ids", "_phonetic", "_spelling", "_deletes", "_bits", "_mass", "_listed_matches")

    def state(self) -> dict[str, object]:
        """The index as plain JSON values (lists, dicts, strings, numbers), without its entries.

        Written beside the entries' own text by the caller, and read back by ``from_state``: a
        stored index is data, never code (unlike a pickle, loading it cannot run anything).
        """
        state: dict[str, object] = {name: getattr(self, name) for name in self._STATE}
        state["name_weak"] = self.name_weak.decode("latin-1")
        state["_mass"] = self._mass.tolist()
        return state

    @classmethod
    def from_state(cls, state: dict[str, object], entries: LazyEntries) -> NameIndex:
        """The index ``state`` wrote, over these entries; ``ValueError`` when the parts do not fit together."""
        index = cls.__new__(cls)
        for name in cls._STATE:
            setattr(index, name, state[name])
        # Tuples where the index compares or hashes names; JSON gives lists. JSON also gives each
        # occurrence of a word in a list its own string: the names' words share the index's again.
        share = {t: t for t in index._postings}.get
        index.name_tokens = [tuple([share(t, t) for t in tokens]) for tokens in index.name_tokens]
        index.name_forms = [tuple(forms) for forms in index.name_forms]
        index.name_weak = bytearray(index.name_weak.encode("latin-1"))
        index._mass = array("d", index._mass)
        index._listed_matches = {t: (matches, total) for t, (matches, total) in index._listed_matches.items()}
        count = len(index.name_tokens)
        if not (len(index.name_entry) == len(index.name_text) == len(index.name_forms) == len(index.name_weak)
                == len(index._mass) == count) or (count and not 0 <= index.name_entry[-1] < len(entries)):
            raise ValueError("the stored index does not fit its entries")
        index.entries = entries
        index._token_cache, index._union_cache, index._weight_cache, index.compared_cache = {}, {}, {}, {}
        return index

    def bits(self, token: str) -> float:
        """Information a word carries, in bits: rare listed words many, "al" or "mohammed" few."""
        found = self._bits.get(token)
        return found if found is not None else word_bits(token, 0, len(self.name_tokens))

    def similar(self, query_token: str, listed_token: str) -> float:
        """``token_similarity`` restricted to the listed words ``token_matches`` finds (fast, cached)."""
        if len(query_token) == 1 or len(listed_token) == 1:
            return token_similarity(query_token, listed_token)
        return self.token_matches(query_token)[0].get(listed_token, 0.0)

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def name_count(self) -> int:
        """How many distinct names (primary names and aliases) are indexed."""
        return len(self.name_tokens)

    def token_matches(self, token: str) -> tuple[dict[str, float], int]:
        """Listed words similar to ``token`` with their similarity, and how many names contain them."""
        hit = self._listed_matches.get(token)
        if hit is not None:
            return hit
        hit = self._token_cache.get(token)
        if hit is not None:
            return hit
        result = self._match(token)
        if len(self._token_cache) >= _CACHE_MAX:
            self._token_cache.clear()
        self._token_cache[token] = result
        return result

    def _match(self, token: str) -> tuple[dict[str, float], int]:
        """``token_matches`` worked out (not cached)."""
        found: set[str] = set()
        if token in self._postings:
            found.add(token)
        found.update(self._phonetic.get(phonetic_key(token), ()))
        folded = fold_spelling(token)
        found.update(self._spelling.get(folded, ()))
        if folded in self._postings:
            found.add(folded)
        if len(token) >= TYPO_MIN_LEN:
            for key in (token, *_deletions(token)):
                if key in self._postings:
                    found.add(key)
                near = self._deletes.get(key)
                if near is not None:
                    found.update((near,) if isinstance(near, str) else near)
        # The uncached function: each (token, listed word) pair is asked once here, and the result is kept.
        similarity = _token_similarity
        matches = {t: s for t in found if (s := similarity(token, t)) > 0.0}
        return matches, sum(len(self._postings[t]) for t in matches)

    def _names_with(self, token: str) -> dict[int, float]:
        """Names holding a word similar to ``token``, with the best similarity (cached: common words)."""
        hit = self._union_cache.get(token)
        if hit is None:
            hit = {}
            for listed, sim in sorted(self.token_matches(token)[0].items(), key=lambda item: item[1]):
                hit.update(dict.fromkeys(self._postings[listed], sim))  # best similarity written last
            if len(self._union_cache) >= _UNION_CACHE_MAX:
                self._union_cache.clear()
            self._union_cache[token] = hit
        return hit

    def _weight(self, token: str, matches: dict[str, float]) -> float:
        """How much a query word weighs in ranking candidates: its most informative listed match's weight."""
        found = self._weight_cache.get(token)
        if found is None:
            if len(self._weight_cache) >= _CACHE_MAX:
                self._weight_cache.clear()
            found = self._weight_cache[token] = max(min(1.0, self._bits[t] / 12.0) for t in matches)
        return found

    def candidates(self, query: NormalisedName, identifiers: Iterable[tuple[str, str]] = (),
                   limit: int = 40, min_share: float = 0.0) -> list[int]:
        """Ids of the listed names most worth comparing with ``query``, best first (at most ``limit``).

        Rare query words pull in every name that holds a similar word; common words ("mohammed",
        "trading") only pull in names that also hold another common query word. Names are ranked
        by the weighted share of both names' words that match (0..1, 1 for the same words);
        names below ``min_share`` are left out. A listed entry with an identical identifier is
        always included.
        """
        acc: dict[int, float] = {}
        common: list[tuple[float, str]] = []
        query_mass = 0.0
        for token in dict.fromkeys(query.tokens):
            if is_initial(token):
                continue
            matches, total = self.token_matches(token)
            if not matches:
                query_mass += 1.0
                continue
            weight = self._weight(token, matches)
            query_mass += weight
            if total > COMMON_POSTINGS:
                common.append((weight, token))
                continue
            # A name rarely holds two spellings of one word, so adding per spelling is fine.
            for listed, sim in matches.items():
                add = weight * sim
                for name_id in self._postings[listed]:
                    acc[name_id] = acc.get(name_id, 0.0) + add
        if common:
            # Common words add to names already found, and find names only in pairs:
            # "mohammed ali" finds names holding both, not every "ali".
            holders = [(weight, self._names_with(token)) for weight, token in common]
            found = set(acc)
            for (_w1, a), (_w2, b) in combinations(holders[:5], 2):
                found.update(a.keys() & b.keys())
            for weight, names in holders:
                for name_id in names.keys() & found:
                    acc[name_id] = acc.get(name_id, 0.0) + weight * names[name_id]
        if len(query.tokens) == 1:
            for listed, sim in self.token_matches(query.tokens[0])[0].items():
                for name_id in self._single.get(listed, ()):
                    acc[name_id] = max(acc.get(name_id, 0.0), sim)
        for name_id in self._joined.get("".join(query.tokens), ()):
            acc[name_id] = acc.get(name_id, 0.0) + query_mass
        mass = self._mass
        # Dice-like share of both names that matched, so "qadhafi" ranks the listed name
        # "QADHAFI" above "Aisha Muammar Muhammed Abu Minyar Qadhafi". A share of at least
        # min_share needs 2 * score >= min_share * query_mass: a cheap first cut.
        floor = min_share * query_mass / 2
        ranked = [(2 * score / (query_mass + mass[name_id]), name_id) for name_id, score in acc.items()
                  if score >= floor]
        top = [name_id for share, name_id in heapq.nlargest(limit, ranked) if share >= min_share]
        for entry_id in self.identifier_entries(identifiers):
            top.extend(self.names_of(entry_id)[:1])
        return top

    def postings(self, token: str) -> list[int]:
        """Ids of the names holding exactly this normalised word."""
        return self._postings.get(token, [])

    def identifier_entries(self, identifiers: Iterable[tuple[str, str]]) -> set[int]:
        """Ids of entries listing one of these identifier values (any type; features check the type)."""
        return {e for _kind, value in identifiers for e in self._ids.get(identifier_value(value), ())}

    def names_of(self, entry_id: int) -> list[int]:
        """Name ids of one entry, primary name first."""
        # name_entry never decreases (names are added entry by entry): binary search it.
        return list(range(bisect_left(self.name_entry, entry_id), bisect_right(self.name_entry, entry_id)))

    def entry(self, name_id: int) -> tuple[str, ListEntry]:
        """The ``(list_key, ListEntry)`` a name id belongs to."""
        return self.entries[self.name_entry[name_id]]
