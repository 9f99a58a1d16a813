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
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT))

from vetting.lists.model import ListEntry  # noqa: E402
from vetting.matching import NameIndex, Query, normalise_name, screen  # noqa: E402
from vetting.matching.features import PARTICLES  # noqa: E402
from vetting.matching.normalise import reorder_comma_name  # noqa: E402
from vetting.matching.score import THRESHOLDS  # noqa: E402

SOURCES = {  # importer source -> files under DATA
    "un": ["un-sc/consolidated.xml"],
    "ofac-sdn": ["ofac-sdn/sdn.csv", "ofac-sdn/alt.csv", "ofac-sdn/add.csv"],
    "ofac-xml": ["ofac-sdn/cons_consolidated.xml"],
    "eu": ["eu-fsf/xmlFullSanctionsList_1_1_subset_2026-08-05.xml"],
    "uk": ["uk-sanctions/UK-Sanctions-List_subset_2026-08-14.xml"],
    "opensanctions": ["opensanctions/yente_t1_entities.ftm.json"],
    "worldbank": ["worldbank-debarred/world_bank_listing_of_ineligible_firms_and_individuals.xlsx"],
}
DERIVED = {"eu-derived": "eu-fsf/derived/eu_names_aliases_parsed_2025-05.csv",
           "uk-derived": "uk-sanctions/derived/uk_names_aliases_parsed_2025-05.csv"}
_COUNTRIES = {"russia": "RU", "russian federation": "RU", "iran": "IR", "iran (islamic republic of)": "IR",
              "syria": "SY", "syrian arab republic": "SY", "iraq": "IQ", "afghanistan": "AF", "belarus": "BY",
              "north korea": "KP", "democratic people's republic of korea": "KP", "ukraine": "UA",
              "libya": "LY", "pakistan": "PK", "saudi arabia": "SA", "yemen": "YE", "sudan": "SD",
              "somalia": "SO", "lebanon": "LB", "china": "CN", "venezuela": "VE", "cuba": "CU"}


def _country(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(c for part in re.split(r",|;", text)
                               if (c := _COUNTRIES.get(part.strip().lower()))))


def load_un(path: Path) -> Iterator[tuple[str, ListEntry]]:
    """Minimal UN consolidated XML reader (names, aliases, birth years, nationality, documents)."""
    from defusedxml.ElementTree import parse
    root = parse(path).getroot()
    for rec in [*root.iter("INDIVIDUAL"), *root.iter("ENTITY")]:
        person = rec.tag == "INDIVIDUAL"
        parts = [rec.findtext(t) or "" for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
        name = " ".join(p.strip() for p in parts if p.strip())
        aliases = [a.findtext("ALIAS_NAME") or "" for a in rec.iter("INDIVIDUAL_ALIAS" if person else "ENTITY_ALIAS")]
        aliases.append(rec.findtext("NAME_ORIGINAL_SCRIPT") or "")
        dobs = [d.findtext("DATE") or d.findtext("YEAR") or "" for d in rec.iter("INDIVIDUAL_DATE_OF_BIRTH")]
        nats = ",".join(v.text or "" for v in rec.findall("NATIONALITY/VALUE"))
        docs = [(d.findtext("TYPE_OF_DOCUMENT") or "", d.findtext("NUMBER") or "")
                for d in rec.iter("INDIVIDUAL_DOCUMENT") if d.findtext("NUMBER")]
        yield "un", ListEntry(rec.findtext("REFERENCE_NUMBER") or "", "person" if person else "organisation",
                              name, tuple(a.strip() for a in aliases if a.strip()),
                              tuple(d[:10] for d in dobs if d), _country(nats), tuple(docs))


def load_ofac_csv(folder: Path) -> Iterator[tuple[str, ListEntry]]:
    """Minimal OFAC sdn.csv + alt.csv reader (DOB and passports from the remarks)."""
    aliases: dict[str, list[str]] = {}
    with open(folder / "alt.csv", encoding="latin-1", newline="") as fh:
        for row in csv.reader(fh):
            if len(row) >= 4:
                aliases.setdefault(row[0].strip(), []).append(row[3].strip())
    kinds = {"individual": "person", "vessel": "vessel", "aircraft": "aircraft"}
    with open(folder / "sdn.csv", encoding="latin-1", newline="") as fh:
        for row in csv.reader(fh):
            if len(row) < 12:
                continue
            remarks = row[11]
            dobs = tuple(m[2] for m in re.finditer(r"DOB (?:circa )?(\d{1,2} \w{3} )?(\d{4})", remarks))
            ids = tuple(("passport", m[1]) for m in re.finditer(r"Passport ([A-Z0-9]{5,})", remarks))
            yield "ofac-sdn", ListEntry(row[0], kinds.get(row[2].strip(), "organisation"), row[1].strip(),
                                        tuple(aliases.get(row[0], ())), dobs,
                                        _country(",".join(re.findall(r"nationality (\w[\w ]*)", remarks))), ids)


_ORG_WORDS = set("bank group trading company ministry corporation plant institute industries industry "
                 "shipping centre center agency exchange organisation organization party army front brigade "
                 "foundation association university committee council airlines airline enterprise factory "
                 "holding holdings services service hawala network movement navy force forces".split())


def load_derived(key: str, path: Path) -> Iterator[tuple[str, ListEntry]]:
    """The third-party name/alias CSVs (EU, UK): extra entries for scale, names only."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for i, row in enumerate(csv.DictReader(fh)):
            aliases = tuple(a.strip() for a in row["Alias"].split(", ") if a.strip())
            kind = "organisation" if row["Designation"] == "enterprise" else "person"
            if key == "uk-derived":  # designation is a job title or empty: guess from the names
                names = (row["Name"], *aliases)
                org = any(normalise_name(n).legal_forms or _ORG_WORDS & set(normalise_name(n).tokens) for n in names)
                kind = "organisation" if org else "person"
            yield key, ListEntry(f"{key}-{i}", kind, row["Name"].strip(), aliases, (), _country(row["Nationality"]))


def load_lists() -> tuple[list[tuple[str, ListEntry]], str]:
    """All entries: through vetting.lists.importers when it exists, else the minimal loaders."""
    pairs: list[tuple[str, ListEntry]] = []
    try:
        from vetting.lists.importers import parse  # type: ignore[import-not-found]
    except ImportError:
        parse = None
    if parse is not None:
        for source, files in SOURCES.items():
            paths = [DATA / f for f in files if (DATA / f).exists()]
            if paths:
                pairs += [(source, e) for e in parse(source, paths).entries]
        how = "vetting.lists.importers.parse"
    else:
        pairs += load_un(DATA / SOURCES["un"][0])
        pairs += load_ofac_csv(DATA / "ofac-sdn")
        how = "minimal loaders in this bench (UN XML, OFAC CSV)"
    for key, rel in DERIVED.items():
        if (DATA / rel).exists():
            pairs += load_derived(key, DATA / rel)
    return pairs, how


# ---------------------------------------------------------------- evaluation set
_RESPELL = [("mohammed", "muhammad"), ("muhammad", "mohamed"), ("mohammad", "mohamed"), ("ahmed", "ahmad"),
            ("ahmad", "ahmed"), ("abdul ", "abdel "), ("yusuf", "youssef"), ("aleksandr", "alexander"),
            ("sergei", "sergey"), ("ou", "u"), ("u", "ou"), ("ee", "i"), ("y", "i"), ("i", "y"), ("kh", "h"),
            ("q", "k"), ("dh", "d"), ("ph", "f"), ("j", "dj"), ("sh", "ch"), ("ov", "off"), ("ev", "eff"),
            ("iy", "y"), ("ks", "x"), ("x", "ks"), ("w", "v"), ("v", "w"), ("c", "k"), ("tch", "ch"), ("zh", "j")]
_CYR = [("shch", "щ"), ("sh", "ш"), ("ch", "ч"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("yu", "ю"), ("ya", "я"),
        ("yo", "ё"), ("a", "а"), ("b", "б"), ("v", "в"), ("g", "г"), ("d", "д"), ("e", "е"), ("z", "з"), ("i", "и"),
        ("y", "й"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"), ("r", "р"), ("s", "с"),
        ("t", "т"), ("u", "у"), ("f", "ф"), ("h", "х"), ("c", "к"), ("q", "к"), ("w", "в"), ("x", "кс"), ("j", "дж")]
_FORMS = {"llc": "L.L.C.", "ltd": "Limited", "limited": "Ltd", "jsc": "Joint Stock Company", "co": "Company",
          "inc": "Incorporated", "ooo": "LLC", "pjsc": "PJSC", "sa": "S.A.", "gmbh": "GmbH", "corp": "Corporation"}


def typo(name: str, rng: random.Random) -> str:
    """One random edit (substitution, deletion, insertion or swap) inside a word of five letters or more."""
    words = name.split()
    long_ = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not long_:
        return name
    i = rng.choice(long_)
    w, p = words[i], rng.randrange(1, len(words[i]) - 1)
    op = rng.randrange(4)
    letter = rng.choice("abcdefghijklmnopqrstuvwxyz")
    w = (w[:p] + letter + w[p + 1:], w[:p] + w[p + 1:], w[:p] + letter + w[p:], w[:p] + w[p + 1] + w[p] + w[p + 2:])[op]
    return " ".join(words[:i] + [w] + words[i + 1:])


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
        cyr = low
        for a, b in _CYR:
            cyr = cyr.replace(a, b)
        out.append(("cyrillic", cyr))
    forms = normalise_name(name).legal_forms
    if entry.kind == "organisation" and forms and forms[-1] in _FORMS:
        base = " ".join(normalise_name(name).tokens)
        out.append(("legal-form", f"{base} {_FORMS[forms[-1]]}"))
    return [(k, v) for k, v in out if v.strip() and v != name or k == "case"]


FIRST = {
    "en": "James John Robert Michael William David Richard Joseph Thomas Charles Mary Patricia Jennifer Linda "
          "Elizabeth Barbara Susan Jessica Sarah Karen Daniel Matthew Anthony Mark Donald Steven Paul Andrew "
          "Joshua Kenneth Emily Emma Olivia Sophia Grace Chloe Lucy Hannah Oliver George Harry Jack".split(),
    "sv": "Erik Lars Karl Anders Johan Per Nils Carl Mikael Jan Hans Olof Gustav Sven Fredrik Maria Anna "
          "Margareta Elisabeth Eva Kristina Birgitta Karin Marie Ingrid Lena Sara Emma Kerstin Linnea "
          "Astrid Elsa Maja Ebba Wilma Axel Hugo Oskar Viktor Björn".split(),
    "ar": "Mohammed Ahmed Ali Omar Youssef Khaled Hassan Hussein Ibrahim Mahmoud Mustafa Tariq Karim Nabil "
          "Samir Walid Faisal Hamza Bilal Rami Fatima Aisha Maryam Layla Noor Huda Zainab Salma Amal Rania "
          "Yasmin Samira Nadia Leila Abdullah Abdulrahman Saleh Jamal Adel Majid".split(),
    "ru": "Aleksandr Sergei Dmitri Andrei Aleksei Maksim Ivan Mikhail Nikolai Vladimir Pavel Yuri Igor Oleg "
          "Viktor Roman Anton Artem Kirill Denis Olga Tatiana Natalia Irina Elena Svetlana Anna Ekaterina "
          "Maria Yulia Anastasia Marina Ludmila Galina Vera Nina Daria Polina Ksenia Valentina".split(),
}
LAST = {
    "en": "Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore Martin Jackson "
          "Thompson White Harris Clark Lewis Robinson Walker Young Allen King Wright Scott Green Baker Adams "
          "Nelson Hill Campbell Mitchell Roberts Carter Phillips Evans Turner Parker Collins".split(),
    "sv": "Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Gustafsson "
          "Pettersson Jonsson Jansson Hansson Bengtsson Jönsson Lindberg Jakobsson Magnusson Lindström "
          "Olofsson Lindqvist Lindgren Berg Axelsson Bergström Lundberg Lind Lundgren Lundqvist Mattsson "
          "Berglund Fredriksson Sandberg Henriksson Forsberg Sjöberg Wallin Engström Eklund".split(),
    "ar": "Haddad Khoury Mansour Nasser Saleh Hamdan Darwish Khalil Aziz Farouk Rahman Qasim Yassin Habib "
          "Sabbagh Najjar Touma Jaber Shami Masri Halabi Tamimi Zoubi Ayoub Barakat Karam Sayegh Hakim "
          "Bakri Othman Suleiman Issa Jabbour Nassar Abboud Chamoun Fakhoury Haddadin Kanaan Rizk".split(),
    "ru": "Ivanov Smirnov Kuznetsov Popov Vasiliev Petrov Sokolov Mikhailov Novikov Fedorov Morozov Volkov "
          "Alekseev Lebedev Semenov Egorov Pavlov Kozlov Stepanov Nikolaev Orlov Andreev Makarov Nikitin "
          "Zakharov Zaitsev Soloviev Borisov Yakovlev Grigoriev Romanov Vorobiev Sergeev Frolov Aleksandrov "
          "Dmitriev Korolev Gusev Kiselev Ilyin".split(),
}
CO_WORDS = ("Nordic Svensk Skandinavisk Göta Norrland Väst Syd Öst Alfa Polar Fjäll Skog Sjö Berg Stads Bygg "
            "Transport Logistik Konsult Data Teknik El VVS Måleri Städ Fastighets Revision Vård Omsorg Mat "
            "Café Trä Metall Plåt Mark Anläggning Entreprenad Energi Solenergi Media Design Partner Invest "
            "Holding Service Handel Import Export Maskin Verkstad Lager Åkeri Taxi Bil Grus Betong Glas").split()
CO_FORMS = ["AB", "Aktiebolag", "HB", "KB", "Ltd", "AS", "Oy", "ApS", "GmbH", ""]


def negatives(count: int, rng: random.Random) -> Iterator[tuple[str, str]]:
    """Generated names of people and companies that are not listed (tagged by kind)."""
    cultures = list(FIRST)
    while True:
        r = rng.random()
        if r < 0.5:
            c = rng.choice(cultures)
            yield f"person-{c}", f"{rng.choice(FIRST[c])} {rng.choice(LAST[c])}"
        elif r < 0.65:
            c = rng.choice(cultures)
            yield f"person-{c}-3", f"{rng.choice(FIRST[c])} {rng.choice(FIRST[c])} {rng.choice(LAST[c])}"
        elif r < 0.8:
            yield "person-mixed", f"{rng.choice(FIRST[rng.choice(cultures)])} {rng.choice(LAST[rng.choice(cultures)])}"
        else:
            words = rng.sample(CO_WORDS, rng.choice((1, 2, 2, 3)))
            yield "company", f"{' '.join(words)} {rng.choice(CO_FORMS)}".strip()


# ---------------------------------------------------------------- measurement
def rss_mb() -> float:
    """Peak resident memory of this process so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def name_ok(tokens: tuple[str, ...]) -> bool:
    """Names worth testing: two or more words, or one long word (not "HAQ" or "IMAN")."""
    return len(tokens) >= 2 or (len(tokens) == 1 and len(tokens[0]) >= 7)


def build_positives(index: NameIndex, n: int, rng: random.Random) -> list[tuple[str, str, int, tuple[str, ...]]]:
    """(variant, query text, target entry id, source name tokens) from a sample of listed entries."""
    out = []
    by_entry: dict[int, list[int]] = {}
    for name_id, entry_id in enumerate(index.name_entry):
        by_entry.setdefault(entry_id, []).append(name_id)
    for entry_id in rng.sample(sorted(by_entry), min(n, len(by_entry))):
        names = [i for i in by_entry[entry_id] if name_ok(index.name_tokens[i])]
        if not names:
            continue
        name_id = rng.choice(names)
        _key, entry = index.entries[entry_id]
        for variant, text in variants(entry, index.name_text[name_id], rng):
            out.append((variant, text, entry_id, index.name_tokens[name_id]))
    return out


def cross_list(index: NameIndex, n: int, rng: random.Random) -> list[tuple[str, str, int, tuple[str, ...]]]:
    """Same party on two lists: query list A's own spelling, expect list B's entry."""
    from rapidfuzz import fuzz
    owners: dict[tuple[str, ...], set[int]] = {}
    for name_id, tokens in enumerate(index.name_tokens):
        if len(tokens) >= 2 and sum(min(index.bits(t), 16) for t in tokens) >= 24:
            owners.setdefault(tokens, set()).add(index.name_entry[name_id])
    pairs = {(a, b) for ids in owners.values() for a in ids for b in ids
             if index.entries[a][0] != index.entries[b][0]}
    names: dict[int, list[int]] = {}
    for name_id, entry_id in enumerate(index.name_entry):
        names.setdefault(entry_id, []).append(name_id)
    out = []
    for a, b in rng.sample(sorted(pairs), min(n, len(pairs))):
        b_names = {index.name_tokens[i] for i in names[b]}
        own = [i for i in names[a] if index.name_tokens[i] not in b_names and name_ok(index.name_tokens[i])
               and max(fuzz.token_sort_ratio(" ".join(index.name_tokens[i]), " ".join(t)) for t in b_names) >= 70]
        if own:
            i = rng.choice(own)
            out.append(("cross-list", index.name_text[i], b, ()))
    return out


def build_negatives(index: NameIndex, n: int, rng: random.Random) -> tuple[list[tuple[str, str]], int]:
    """Generated unlisted names, minus those whose words all occur in one listed name (true partial matches)."""
    token_sets: dict[str, list[int]] = {}
    for name_id, tokens in enumerate(index.name_tokens):
        for t in set(tokens):
            token_sets.setdefault(t, []).append(name_id)
    out, seen, excluded = [], set(), 0
    for kind, text in negatives(n, rng):
        if len(out) >= n:
            break
        tokens = normalise_name(text).tokens
        if text in seen:
            continue
        seen.add(text)
        if listed_alike(index, tokens, token_sets):
            excluded += 1
            continue
        out.append((kind, text))
    return out, excluded


def listed_alike(index: NameIndex, tokens: tuple[str, ...], token_sets: dict[str, list[int]]) -> bool:
    """True when one listed name holds every word, exactly or as a spelling variant (same sound,
    one edit: "natalia"/"natalya", "popov"/"popova"; or another transliteration: "youssef"/"yusuf"):
    such a name is listed, not a false positive."""
    from rapidfuzz.distance import OSA
    from vetting.matching.normalise import phonetic_key
    holders: set[int] | None = None
    for t in tokens:
        alike = {v for v, sim in index.token_matches(t)[0].items()
                 if sim >= 0.95 or (phonetic_key(v) == phonetic_key(t) and OSA.distance(v, t) <= 1)}
        names = {i for v in alike for i in token_sets.get(v, ())}
        holders = names if holders is None else holders & names
        if not holders:
            return False
    return bool(holders)


def found(index: NameIndex, matches: list, target: int, source: tuple[str, ...]) -> float:
    """Best score of a correct match: the target entry, or an entry listing the very same name."""
    best = -1.0
    target_entry = index.entries[target][1]
    for m in matches:
        if m.entry is target_entry or (source and normalise_name(m.matched_name, m.entry.kind != "person").tokens == source):
            best = max(best, m.score)
    return best


def rates(pos: list[float], neg: list[float], t: float) -> tuple[float, float]:
    return sum(s >= t for s in pos) / max(1, len(pos)), sum(s >= t for s in neg) / max(1, len(neg))


def baseline(index: NameIndex, pos: list, neg: list, n: int, rng: random.Random) -> None:
    """Brute force: rapidfuzz token_sort_ratio of the query against every indexed name."""
    from rapidfuzz import fuzz, process
    choices = [" ".join(t) for t in index.name_tokens]
    sample_p, sample_n = rng.sample(pos, min(n, len(pos))), rng.sample(neg, min(n, len(neg)))
    t0 = time.perf_counter()
    p_scores = []
    for _v, text, target, source in sample_p:
        res = process.extract(normalise_name(text).text, choices, scorer=fuzz.token_sort_ratio, limit=5)
        good = [s for _c, s, i in res if index.name_entry[i] == target or index.name_tokens[i] == source]
        p_scores.append(max(good, default=-1) / 100)
    n_scores = [process.extractOne(normalise_name(text).text, choices, scorer=fuzz.token_sort_ratio)[1] / 100
                for _k, text in sample_n]
    speed = (len(sample_p) + len(sample_n)) / (time.perf_counter() - t0)
    best_t = max((t / 100 for t in range(50, 101)), key=lambda t: rates(p_scores, n_scores, t)[0] - rates(p_scores, n_scores, t)[1])
    r, f = rates(p_scores, n_scores, best_t)
    print(f"baseline token_sort_ratio brute force over {len(choices):,} names: {speed:,.1f} names/s; "
          f"best threshold {best_t:.2f}: recall {r:.3f}, FP rate {f:.3%} (sample {len(sample_p)}+{len(sample_n)})")


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
    t0 = time.perf_counter()
    pairs, how = load_lists()
    print(f"loaded {len(pairs):,} entries with {how} in {time.perf_counter() - t0:.1f} s")
    gc.collect()
    rss0, t0 = rss_mb(), time.perf_counter()
    index = NameIndex(pairs)
    build = time.perf_counter() - t0
    print(f"indexed {len(index):,} entries / {index.name_count:,} names in {build:.2f} s; "
          f"peak RSS {rss_mb():.0f} MiB (+{rss_mb() - rss0:.0f} MiB while building)")
    pos = build_positives(index, n_entries, rng) + cross_list(index, n_cross, rng)
    neg, excluded = build_negatives(index, n_neg, rng)
    # The app knows whether it screens a company or a person: so does the bench.
    kinds = {"person": "person", "organisation": "organisation"}
    queries = ([Query(text, kinds.get(index.entries[t][1].kind)) for _v, text, t, _s in pos]
               + [Query(text, "organisation" if k == "company" else "person") for k, text in neg])
    t0 = time.process_time()
    results = [screen(index, q, limit=10, min_score=0.6) for q in queries]
    elapsed = time.process_time() - t0
    t1 = time.process_time()
    for q in queries[len(pos):]:
        screen(index, q, limit=5)
    neg_speed = len(neg) / (time.process_time() - t1)
    print(f"screened {len(queries):,} names in {elapsed:.2f} s CPU: {len(queries) / elapsed:,.0f} names/s on one core "
          f"(unlisted names only: {neg_speed:,.0f}/s); peak RSS {rss_mb():.0f} MiB")
    p_scores = [found(index, r, t, s) for (_v, _x, t, s), r in zip(pos, results)]
    n_scores = [max((m.score for m in r), default=0.0) for r in results[len(pos):]]
    th = THRESHOLDS
    for label, t in (("possible", th.possible), ("hit", th.hit)):
        r, f = rates(p_scores, n_scores, t)
        print(f"at {label} threshold {t:.2f}: recall {r:.4f} ({len(pos):,} variants), "
              f"false-positive rate {f:.3%} ({len(neg):,} unlisted names; {excluded} generated names left out "
              f"as spelling variants of a listed name)")
    by_kind: dict[str, list[float]] = {}
    for (k, _x), s in zip(neg, n_scores):
        by_kind.setdefault(k.split("-")[0] + ("-" + k.split("-")[1] if "-" in k else ""), []).append(s)
    print("FP rate at possible by generated kind: " + ", ".join(
        f"{k} {rates([], s, th.possible)[1]:.3%} (n={len(s)})" for k, s in sorted(by_kind.items())))
    by_variant: dict[str, list[float]] = {}
    for (v, _x, _t, _s), s in zip(pos, p_scores):
        by_variant.setdefault(v, []).append(s)
    print("recall at possible by variant: " + ", ".join(
        f"{v} {rates(s, [], th.possible)[0]:.3f} (n={len(s)})" for v, s in sorted(by_variant.items())))
    print("threshold sweep (recall / FP): " + "  ".join(
        f"{t / 100:.2f}: {rates(p_scores, n_scores, t / 100)[0]:.4f}/{rates(p_scores, n_scores, t / 100)[1]:.3%}"
        for t in range(70, 100, 3)))
    if "-v" in sys.argv:
        misses = [(v, x, index.entries[t][1].name, s) for (v, x, t, _s), s in zip(pos, p_scores) if s < th.possible]
        misses.sort(key=lambda m: m[0])
        fps = [(x, r[0].matched_name, r[0].score) for (_k, x), r in zip(neg, results[len(pos):]) if r and r[0].score >= th.possible]
        print("misses:", *misses[:150], sep="\n  ")
        print("false positives:", *fps[:60], sep="\n  ")
    baseline(index, pos, neg, n_base, rng)
    return 0


if __name__ == "__main__":
    sys.exit(main([a for a in sys.argv[1:] if a != "-v"]))
