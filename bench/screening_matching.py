"""Benchmark of vetting.matching on the real sanctions lists: speed, memory, recall and false positives."""
from __future__ import annotations

import argparse
import csv
import gc
import random
import re
import resource
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT))

from vetting.lists.model import ListEntry  # noqa: E402
from vetting.matching import Match, NameIndex, Query, normalise_name, screen  # noqa: E402
from vetting.matching.features import PARTICLES  # noqa: E402
from vetting.matching.normalise import phonetic_key, reorder_comma_name  # noqa: E402
from vetting.matching.score import THRESHOLDS  # noqa: E402

SOURCES = {  # importer source -> files under DATA
    "un": ["un-sc/consolidated.xml"], "ofac-xml": ["ofac-sdn/cons_consolidated.xml"],
    "ofac-sdn": ["ofac-sdn/sdn.csv", "ofac-sdn/alt.csv", "ofac-sdn/add.csv", "ofac-sdn/sdn_comments.csv"],
    "eu": ["eu-fsf/xmlFullSanctionsList_1_1_subset_2026-08-05.xml"],
    "uk": ["uk-sanctions/UK-Sanctions-List_subset_2026-08-14.xml"],
    "opensanctions": ["opensanctions/yente_t1_entities.ftm.json"],
    "worldbank": ["worldbank-debarred/world_bank_listing_of_ineligible_firms_and_individuals.xlsx"]}
DERIVED = {"eu-derived": "eu-fsf/derived/eu_names_aliases_parsed_2025-05.csv",
           "uk-derived": "uk-sanctions/derived/uk_names_aliases_parsed_2025-05.csv"}
def load_un(path: Path) -> Iterator[tuple[str, ListEntry]]:
    """Minimal UN consolidated XML reader (names, aliases, birth dates, nationality, documents)."""
    from defusedxml.ElementTree import parse
    for rec in (r for tag in ("INDIVIDUAL", "ENTITY") for r in parse(path).getroot().iter(tag)):
        person, text = rec.tag == "INDIVIDUAL", lambda e, t: (e.findtext(t) or "").strip()
        name = " ".join(p for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME") if (p := text(rec, t)))
        aliases = [text(a, "ALIAS_NAME") for a in rec.iter(f"{rec.tag}_ALIAS")] + [text(rec, "NAME_ORIGINAL_SCRIPT")]
        dobs = [(text(d, "DATE") or text(d, "YEAR"))[:10] for d in rec.iter("INDIVIDUAL_DATE_OF_BIRTH")]
        docs = [(text(d, "TYPE_OF_DOCUMENT"), text(d, "NUMBER")) for d in rec.iter("INDIVIDUAL_DOCUMENT")]
        yield "un", ListEntry(text(rec, "REFERENCE_NUMBER"), "person" if person else "organisation", name,
                              tuple(a for a in aliases if a), tuple(d for d in dobs if d),
                              (), tuple(d for d in docs if d[1]))


def load_ofac_csv(folder: Path) -> Iterator[tuple[str, ListEntry]]:
    """Minimal OFAC sdn.csv + alt.csv reader (birth years and passports from the remarks)."""
    aliases: dict[str, list[str]] = {}
    with open(folder / "alt.csv", encoding="latin-1", newline="") as fh:
        for row in (r for r in csv.reader(fh) if len(r) >= 4):
            aliases.setdefault(row[0].strip(), []).append(row[3].strip())
    kinds = {"individual": "person", "vessel": "vessel", "aircraft": "aircraft"}
    with open(folder / "sdn.csv", encoding="latin-1", newline="") as fh:
        for row in (r for r in csv.reader(fh) if len(r) >= 12):
            dobs = tuple(m[2] for m in re.finditer(r"DOB (?:circa )?(\d{1,2} \w{3} )?(\d{4})", row[11]))
            ids = tuple(("passport", m[1]) for m in re.finditer(r"Passport ([A-Z0-9]{5,})", row[11]))
            yield "ofac-sdn", ListEntry(row[0], kinds.get(row[2].strip(), "organisation"), row[1].strip(),
                                        tuple(aliases.get(row[0], ())), dobs, (), ids)


_ORG_WORDS = set("bank group trading company ministry corporation plant institute industries industry shipping "
                 "centre center agency exchange organisation organization party army front brigade foundation "
                 "association university committee council airlines enterprise factory holding services hawala".split())


def load_derived(key: str, path: Path) -> Iterator[tuple[str, ListEntry]]:
    """The third-party name/alias CSVs (EU, UK): extra entries for scale, names only."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for i, row in enumerate(csv.DictReader(fh)):
            aliases = tuple(a.strip() for a in row["Alias"].split(", ") if a.strip())
            norms = [normalise_name(n) for n in (row["Name"], *aliases)]
            # The UK file's designation is a job title or empty: guess companies from their names.
            org = row["Designation"] == "enterprise" or key == "uk-derived" and any(
                n.legal_forms or _ORG_WORDS & set(n.tokens) for n in norms)
            yield key, ListEntry(f"{key}-{i}", "organisation" if org else "person", row["Name"].strip(), aliases)


def load_lists() -> tuple[list[tuple[str, ListEntry]], str]:
    """All entries: through vetting.lists.importers when it exists, else the minimal loaders."""
    try:
        from vetting.lists.importers import parse
    except ImportError:
        pairs = [*load_un(DATA / SOURCES["un"][0]), *load_ofac_csv(DATA / "ofac-sdn")]
        how = "minimal loaders in this bench (UN XML, OFAC CSV)"
    else:
        pairs = [(source, e) for source, files in SOURCES.items()
                 if (paths := [DATA / f for f in files if (DATA / f).exists()]) for e in parse(source, paths).entries]
        how = "vetting.lists.importers.parse"
    pairs += [p for key, rel in DERIVED.items() if (DATA / rel).exists() for p in load_derived(key, DATA / rel)]
    return pairs, how


# ---------------------------------------------------------------- evaluation sets
_RESPELL = [("mohammed", "muhammad"), ("muhammad", "mohamed"), ("mohammad", "mohamed"), ("ahmed", "ahmad"),
            ("ahmad", "ahmed"), ("abdul ", "abdel "), ("yusuf", "youssef"), ("aleksandr", "alexander"),
            ("sergei", "sergey"), ("ou", "u"), ("u", "ou"), ("ee", "i"), ("y", "i"), ("i", "y"), ("kh", "h"),
            ("q", "k"), ("dh", "d"), ("ph", "f"), ("j", "dj"), ("sh", "ch"), ("ov", "off"), ("ev", "eff"),
            ("iy", "y"), ("ks", "x"), ("x", "ks"), ("w", "v"), ("v", "w"), ("c", "k"), ("tch", "ch"), ("zh", "j")]
_CYR_DIGRAPHS = {"shch": "щ", "sh": "ш", "ch": "ч", "zh": "ж", "kh": "х", "ts": "ц", "yu": "ю", "ya": "я",
                 "yo": "ё", "x": "кс", "j": "дж"}
_CYR = str.maketrans("abvgdeziyklmnoprstufhcqw", "абвгдезийклмнопрстуфхккв")
_FORMS = {"llc": "L.L.C.", "ltd": "Limited", "limited": "Ltd", "jsc": "Joint Stock Company", "co": "Company",
          "inc": "Incorporated", "ooo": "LLC", "pjsc": "PJSC", "sa": "S.A.", "gmbh": "GmbH", "corp": "Corporation"}


def typo(name: str, rng: random.Random) -> str:
    """One random edit (substitution, deletion, insertion or swap) inside a word of five letters or more."""
    words = name.split()
    if not (long_ := [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]):
        return name
    i = rng.choice(long_)
    w, p, c = words[i], rng.randrange(1, len(words[i]) - 1), rng.choice("abcdefghijklmnopqrstuvwxyz")
    words[i] = rng.choice((w[:p] + c + w[p + 1:], w[:p] + w[p + 1:], w[:p] + c + w[p:],
                           w[:p] + w[p + 1] + w[p] + w[p + 2:]))
    return " ".join(words)


def variants(entry: ListEntry, name: str, rng: random.Random) -> list[tuple[str, str]]:
    """Hard but fair variants of a listed name, each tagged with what was done to it."""
    words = re.sub(r"[,]", " ", name).split()
    out = [("case", name.lower() if rng.random() < .5 else name.title()), ("typo", typo(name, rng))]
    if len(words) >= 2:
        out.append(("swap", f"{words[-1].upper()}, {' '.join(words[:-1])}"))
    natural = reorder_comma_name(name).replace(",", " ").split()  # "LAST, First Middle" -> natural order
    middle = [i for i in range(1, len(natural) - 1) if normalise_name(natural[i]).text not in PARTICLES]
    if len(natural) >= 3 and middle and entry.kind == "person":
        drop = rng.choice(middle)
        out.append(("drop-middle", " ".join(natural[:drop] + natural[drop + 1:])))
    low = name.lower()
    base = set(normalise_name(name, entry.kind != "person").tokens)  # respell names, not legal forms
    spots = [(a, b, w.start() + m.start()) for w in re.finditer(r"[^\s,]+", low)
             if re.sub(r"[^a-z]", "", w.group()) in base
             for a, b in _RESPELL for m in re.finditer(re.escape(a), w.group())]
    if spots:
        a, b, start = rng.choice(spots)
        out.append(("respell", low[:start] + b + low[start + len(a):]))
    if entry.kind == "person" and low.isascii():
        out.append(("cyrillic", re.sub("|".join(_CYR_DIGRAPHS), lambda m: _CYR_DIGRAPHS[m[0]], low).translate(_CYR)))
    if entry.kind == "organisation" and (form := normalise_name(name).legal_forms[-1:]) and form[0] in _FORMS:
        out.append(("legal-form", f"{normalise_name(name).text} {_FORMS[form[0]]}"))
    return [(k, v) for k, v in out if v.strip() and v != name or k == "case"]


NAMES = {  # culture: (first names, family names) for generated unlisted people
    "en": ("James John Robert Michael William David Richard Joseph Thomas Charles Mary Patricia Jennifer Linda "
           "Elizabeth Susan Jessica Sarah Daniel Matthew Mark Steven Paul Andrew Emily Emma Grace Chloe Hannah",
           "Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore Martin Jackson "
           "Thompson White Harris Clark Lewis Robinson Walker Young Allen King Wright Scott Green Baker Turner"),
    "sv": ("Erik Lars Karl Anders Johan Per Nils Carl Mikael Jan Hans Olof Gustav Sven Fredrik Maria Anna Eva "
           "Margareta Elisabeth Kristina Birgitta Karin Ingrid Lena Sara Kerstin Linnea Astrid Elsa Ebba Axel",
           "Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Gustafsson Jonsson "
           "Pettersson Hansson Bengtsson Jönsson Lindberg Jakobsson Magnusson Lindström Olofsson Lindqvist "
           "Lindgren Berg Axelsson Bergström Lundberg Lundqvist Mattsson Berglund Sandberg Sjöberg Eklund"),
    "ar": ("Mohammed Ahmed Ali Omar Youssef Khaled Hassan Hussein Ibrahim Mahmoud Mustafa Tariq Karim Nabil "
           "Samir Walid Faisal Hamza Bilal Rami Fatima Aisha Maryam Layla Noor Huda Zainab Salma Amal Rania",
           "Haddad Khoury Mansour Nasser Saleh Hamdan Darwish Khalil Aziz Farouk Rahman Qasim Yassin Habib "
           "Sabbagh Najjar Touma Jaber Shami Masri Halabi Tamimi Zoubi Ayoub Barakat Karam Sayegh Hakim Bakri"),
    "ru": ("Aleksandr Sergei Dmitri Andrei Aleksei Maksim Ivan Mikhail Nikolai Vladimir Pavel Yuri Igor Oleg "
           "Viktor Roman Anton Kirill Olga Tatiana Natalia Irina Elena Svetlana Anna Ekaterina Yulia Marina",
           "Ivanov Smirnov Kuznetsov Popov Vasiliev Petrov Sokolov Mikhailov Novikov Fedorov Morozov Volkov "
           "Alekseev Lebedev Semenov Egorov Pavlov Kozlov Stepanov Nikolaev Orlov Andreev Makarov Nikitin"),
}
CO_WORDS = ("Nordic Svensk Skandinavisk Göta Norrland Väst Syd Öst Alfa Polar Fjäll Skog Sjö Berg Stads Bygg "
            "Transport Logistik Konsult Data Teknik El VVS Måleri Städ Fastighets Revision Vård Omsorg Mat "
            "Café Trä Metall Plåt Mark Anläggning Entreprenad Energi Solenergi Media Design Partner Invest "
            "Holding Service Handel Import Export Maskin Verkstad Lager Åkeri Taxi Bil Grus Betong Glas").split()
CO_FORMS = ["AB", "Aktiebolag", "HB", "KB", "Ltd", "AS", "Oy", "ApS", "GmbH", ""]


def negatives(rng: random.Random) -> Iterator[tuple[str, str]]:
    """Generated names of people and companies that are not listed (tagged by kind)."""
    cultures = {c: (first.split(), last.split()) for c, (first, last) in NAMES.items()}
    while True:
        r, c = rng.random(), rng.choice(list(cultures))
        (first, last), other = cultures[c], cultures[rng.choice(list(cultures))][1]
        if r < 0.5:
            yield f"person-{c}", f"{rng.choice(first)} {rng.choice(last)}"
        elif r < 0.65:
            yield f"person-{c}", f"{rng.choice(first)} {rng.choice(first)} {rng.choice(last)}"
        elif r < 0.8:
            yield "person-mixed", f"{rng.choice(first)} {rng.choice(other)}"
        else:
            words = rng.sample(CO_WORDS, rng.choice((1, 2, 2, 3)))
            yield "company", f"{' '.join(words)} {rng.choice(CO_FORMS)}".strip()


Positive = tuple[str, str, int, tuple[str, ...]]  # variant, query text, target entry id, source name tokens


def name_ok(tokens: tuple[str, ...]) -> bool:
    """Names worth testing: two or more words, or one long word (not "HAQ" or "IMAN")."""
    return len(tokens) >= 2 or (len(tokens) == 1 and len(tokens[0]) >= 7)


def build_positives(index: NameIndex, n: int, rng: random.Random) -> list[Positive]:
    """Variants of one name (primary or alias) of each of ``n`` sampled entries."""
    out = []
    for entry_id in rng.sample(range(len(index)), min(n, len(index))):
        names = [i for i in index.names_of(entry_id) if name_ok(index.name_tokens[i])]
        if names:
            name_id = rng.choice(names)
            for variant, text in variants(index.entries[entry_id][1], index.name_text[name_id], rng):
                out.append((variant, text, entry_id, index.name_tokens[name_id]))
    return out


def spelled_alike(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Most words alike by rapidfuzz ratio (>= 60): spellings, not translations, of one name."""
    from rapidfuzz import fuzz
    a_ok = sum(any(fuzz.ratio(x, y) >= 60 for y in b) for x in a)
    b_ok = sum(any(fuzz.ratio(x, y) >= 60 for y in a) for x in b)
    return a_ok * 3 >= len(a) * 2 and b_ok * 2 >= len(b)


def cross_list(index: NameIndex, n: int, rng: random.Random) -> list[Positive]:
    """Same party on lists A and B (sharing a rare name): query A's own spelling, expect B's entry."""
    owners: dict[tuple[str, ...], set[int]] = {}
    for name_id, tokens in enumerate(index.name_tokens):
        if len(tokens) >= 2 and sum(min(index.bits(t), 16) for t in tokens) >= 24:
            owners.setdefault(tokens, set()).add(index.name_entry[name_id])
    pairs = sorted({(a, b) for ids in owners.values() for a in ids for b in ids
                    if index.entries[a][0] != index.entries[b][0]})
    out: list[Positive] = []
    for a, b in rng.sample(pairs, min(n, len(pairs))):
        b_names = {index.name_tokens[i] for i in index.names_of(b)}
        own = [i for i in index.names_of(a) if index.name_tokens[i] not in b_names and name_ok(index.name_tokens[i])
               and any(spelled_alike(index.name_tokens[i], t) for t in b_names)]
        if own:
            out.append(("cross-list", index.name_text[rng.choice(own)], b, ()))
    return out


def build_negatives(index: NameIndex, n: int, rng: random.Random) -> tuple[list[tuple[str, str]], int]:
    """Generated unlisted names, minus spelling variants of a listed name (those are hits, not FPs)."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    excluded = 0
    for kind, text in negatives(rng):
        if len(out) >= n:
            break
        if text not in seen:
            seen.add(text)
            if listed_alike(index, normalise_name(text).tokens):
                excluded += 1
            else:
                out.append((kind, text))
    return out, excluded


def listed_alike(index: NameIndex, tokens: tuple[str, ...]) -> bool:
    """One listed name holds every word or spelling variant ("natalya", "popova", "yusuf"), or every
    word of a listed name of two or more words is in the generated one: a partial match, not an FP."""
    from rapidfuzz.distance import OSA
    covered: Counter[int] = Counter()
    for t in tokens:
        alike = {v for v, sim in index.token_matches(t)[0].items()
                 if sim >= 0.95 or (phonetic_key(v) == phonetic_key(t) and OSA.distance(v, t) <= 1)}
        covered.update({i for v in alike for i in index.postings(v)})
    return any(n == len(tokens) or n == len(index.name_tokens[i]) > 1 for i, n in covered.items())


# ---------------------------------------------------------------- measurement
def rss_mb() -> float:  # peak resident memory so far, in MiB (Linux reports KiB)
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def found(index: NameIndex, matches: list[Match], target: int, source: tuple[str, ...]) -> float:
    """Best score of a correct match: the target entry, or an entry listing the very same name."""
    return max((m.score for m in matches if m.entry is index.entries[target][1] or (
        source and normalise_name(m.matched_name, m.entry.kind != "person").tokens == source)), default=-1.0)


def rates(pos: list[float], neg: list[float], t: float) -> tuple[float, float]:
    """Recall among positives and false-positive rate among negatives at threshold ``t``."""
    return sum(s >= t for s in pos) / max(1, len(pos)), sum(s >= t for s in neg) / max(1, len(neg))


def timed(index: NameIndex, queries: list[Query]) -> tuple[list[list[Match]], list[float]]:
    """Screen each query (limit 10, scores from 0.7 kept for the sweep); CPU seconds per query."""
    results, cpu = [], []
    for q in queries:
        t0 = time.process_time()
        results.append(screen(index, q, limit=10, min_score=0.7))
        cpu.append(time.process_time() - t0)
    return results, cpu


def baseline(index: NameIndex, pos: list[Positive], neg: list[tuple[str, str]], n: int, rng: random.Random) -> None:
    """Brute force: rapidfuzz token_sort_ratio of the query against every indexed name."""
    from rapidfuzz import fuzz, process
    choices = [" ".join(t) for t in index.name_tokens]
    sample_p, sample_n = rng.sample(pos, min(n, len(pos))), rng.sample(neg, min(n, len(neg)))
    t0 = time.process_time()
    p_scores = []
    for _v, text, target, source in sample_p:
        res = process.extract(normalise_name(text).text, choices, scorer=fuzz.token_sort_ratio, limit=10)
        good = [s for _c, s, i in res if index.name_entry[i] == target or index.name_tokens[i] == source]
        p_scores.append(max(good, default=-1) / 100)
    n_scores = [process.extractOne(normalise_name(text).text, choices, scorer=fuzz.token_sort_ratio)[1] / 100
                for _k, text in sample_n]
    speed = (len(sample_p) + len(sample_n)) / (time.process_time() - t0)
    sweep = {t / 100: rates(p_scores, n_scores, t / 100) for t in range(50, 101)}
    best = max(sweep, key=lambda t: sweep[t][0] - sweep[t][1])  # Youden: recall minus FP rate
    r, f = sweep[best]
    print(f"baseline (brute-force rapidfuzz token_sort_ratio over all {len(choices):,} names, same run): "
          f"{speed:,.1f} names/s; at its best threshold {best:.2f}: recall {r:.3f}, FP rate {f:.2%} "
          f"(sample {len(sample_p)} variants + {len(sample_n)} unlisted)")


def scaled(pairs: list[tuple[str, ListEntry]], queries: list[Query], target: int, rng: random.Random) -> None:
    """Grow the lists to ``target`` entries (copies whose names end in another listed name's last word,
    so word frequencies stay real) and measure build time, index memory and speed."""
    last = [n.split()[-1] for _k, e in pairs for n in (e.name, *e.aliases) if n.split()]

    def swap(name: str) -> str:
        return " ".join(name.split()[:-1] + [rng.choice(last)])
    extra = []
    while len(pairs) + len(extra) < target:
        key, e = pairs[len(extra) % len(pairs)]
        extra.append((key, replace(e, source_id=f"{e.source_id}~{len(extra)}", name=swap(e.name),
                                   aliases=tuple(swap(a) for a in e.aliases))))
    gc.collect()
    t0 = time.perf_counter()
    index = NameIndex(pairs + extra)
    build = time.perf_counter() - t0
    cpu = timed(index, queries)[1]
    del index
    gc.collect()
    tracemalloc.start()  # a second build, to weigh the index (tracemalloc slows building down)
    index = NameIndex(pairs + extra)
    size = tracemalloc.get_traced_memory()[0] / 2**20
    tracemalloc.stop()
    print(f"scaled to {len(index):,} entries / {index.name_count:,} names (recombined copies added): built in "
          f"{build:.2f} s, index holds {size:.0f} MiB (tracemalloc); {len(queries) / sum(cpu):,.0f} names/s "
          f"on one core ({len(queries):,} of the names above)")


def report(index: NameIndex, pos: list[Positive], neg: list[tuple[str, str]], excluded: int,
           results: list[list[Match]]) -> None:
    """Recall and false-positive rates at both thresholds, per variant and kind, and a sweep."""
    p_scores = [found(index, r, t, s) for (_v, _x, t, s), r in zip(pos, results)]
    n_scores = [max((m.score for m in r), default=0.0) for r in results[len(pos):]]
    th = THRESHOLDS
    for label, t in (("possible", th.possible), ("hit", th.hit)):
        (r, f), same = rates(p_scores, n_scores, t), [s for (v, *_), s in zip(pos, p_scores) if v != "cross-list"]
        print(f"at the {label} threshold {t:.2f}: recall {r:.4f} of {len(pos):,} variants "
              f"({rates(same, [], t)[0]:.4f} without cross-list), false-positive rate {f:.3%} of {len(neg):,} "
              f"unlisted names ({excluded:,} generated names left out as spelling variants of listed ones)")
    for label, keys, scores, col in (("recall at possible by variant", [p[0] for p in pos], p_scores, 0),
                                     ("FP rate at possible by generated kind", [k for k, _ in neg], n_scores, 1)):
        groups: dict[str, list[float]] = {}
        for k, s in zip(keys, scores):
            groups.setdefault(k, []).append(s)
        print(f"{label}: " + ", ".join(f"{k} {rates(s, s, th.possible)[col]:.2%} (n={len(s)})"
                                       for k, s in sorted(groups.items())))
    print("threshold sweep (recall / FP rate): " + "  ".join(
        "{:.2f}: {:.4f}/{:.3%}".format(t / 100, *rates(p_scores, n_scores, t / 100)) for t in range(70, 100, 3)))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="small samples, under 30 seconds")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    if not DATA.exists():
        print(f"No shared data at {DATA}: nothing to benchmark.")
        return 0
    rng = random.Random(args.seed)
    n_entries, n_cross, n_neg, n_base = (300, 60, 2_000, 30) if args.quick else (3_000, 600, 30_000, 200)
    pairs, how = load_lists()
    print(f"loaded {len(pairs):,} entries with {how}")
    gc.collect()
    rss0, t0 = rss_mb(), time.perf_counter()
    index = NameIndex(pairs)
    print(f"indexed {len(index):,} entries / {index.name_count:,} names in {time.perf_counter() - t0:.2f} s; "
          f"peak RSS {rss_mb():.0f} MiB (+{rss_mb() - rss0:.0f} MiB while building)")
    pos = build_positives(index, n_entries, rng) + cross_list(index, n_cross, rng)
    neg, excluded = build_negatives(index, n_neg, rng)
    kinds = {"person": "person", "organisation": "organisation"}  # the app knows what it screens: so does the bench
    queries = ([Query(text, kinds.get(index.entries[t][1].kind)) for _v, text, t, _s in pos]
               + [Query(text, "organisation" if k == "company" else "person") for k, text in neg])
    results, cpu = timed(index, queries)
    print(f"screened {len(queries):,} names in {sum(cpu):.2f} s CPU: {len(queries) / sum(cpu):,.0f} names/s on one "
          f"core (listed-name variants {len(pos) / sum(cpu[:len(pos)]):,.0f}/s, unlisted names "
          f"{len(neg) / sum(cpu[len(pos):]):,.0f}/s); peak RSS {rss_mb():.0f} MiB")
    report(index, pos, neg, excluded, results)
    baseline(index, pos, neg, n_base, rng)
    if not args.quick:
        scaled(pairs, rng.sample(queries, 5_000), 40_000, rng)
    return 0


if __name__ == "__main__":
    sys.exit(main())
