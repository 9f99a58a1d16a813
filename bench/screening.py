"""Screening benchmark (issue: screening): list import per source, then matching speed and quality.

Runs `bench/lists_import.py` (import time and entries per source on ../shared/data) and
`bench/screening_matching.py` (index build, names/s on one core, peak memory, recall and
false-positive rate on variants built from the lists and on generated unlisted names, and the
brute-force rapidfuzz baseline in the same run), then the hit level (issue 21: a hit needs
corroboration): the share of name-only queries that end as "hit" (listed-name variants, common
names, exact weak aliases), recall at "hit" once a birth date or country agrees, and names/s
through the app's own path (database -> list index -> ListMatch) with start-up and steady state
apart. `--quick` for a short run.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))


def end_to_end(quick: bool) -> None:
    """Names per second through AppListIndex.screen, as the sanctions check calls it."""
    from checks import Subject
    from vetting.domain.lists import AppListIndex, entry_hash
    from vetting.lists import importers
    from vetting.matching import NameIndex, Thresholds

    data = HERE.parent.parent / "shared" / "data"
    if not data.is_dir():
        print("end to end: ../shared/data is not here; skipped")
        return
    version = importers.parse("ofac-sdn", [data / "ofac-sdn" / n for n in ("sdn.csv", "alt.csv", "add.csv")])
    un = importers.parse("un", [data / "un-sc" / "consolidated.xml"])
    pairs = [("ofac-sdn", e) for e in version.entries] + [("un", e) for e in un.entries]
    index = AppListIndex([{"source": "ofac-sdn", "published": None, "sha256": version.sha256, "record_count": version.count,
                           "imported_at": ""}], NameIndex(pairs),
                         {(k, e.source_id): entry_hash(e) for k, e in pairs}, Thresholds())
    names = [e.name for _k, e in pairs[:: 40 if quick else 8]]
    started = time.process_time()
    for i, name in enumerate(names):
        index.screen(Subject("person" if "," in name else "organisation", i, name))
    spent = time.process_time() - started
    print(f"end to end (Subject -> explained matches, UN + OFAC SDN, {len(pairs):,} entries): "
          f"{len(names) / spent:,.0f} names/s on one core ({len(names):,} listed names, every one a match to explain)")


def _lists(data: Path):
    from vetting.lists import importers

    ofac = importers.parse("ofac-sdn", [data / "ofac-sdn" / n for n in ("sdn.csv", "alt.csv", "add.csv")])
    un = importers.parse("un", [data / "un-sc" / "consolidated.xml"])
    return ofac, un


def hit_level(quick: bool) -> None:
    """How often a name alone ends as "hit", and how often a corroborated listed name does."""
    import random

    import screening_matching as sm
    from vetting.matching import NameIndex, Query, screen

    data = HERE.parent.parent / "shared" / "data"
    if not data.is_dir():
        print("hit level: ../shared/data is not here; skipped")
        return
    ofac, un = _lists(data)
    pairs = [("ofac-sdn", e) for e in ofac.entries] + [("un", e) for e in un.entries]
    index = NameIndex(pairs)
    rng = random.Random(11)
    pos = sm.build_positives(index, 200 if quick else 2_000, rng)
    kinds = {"person": "person", "organisation": "organisation"}

    def level_of(query: Query, target: int | None = None) -> str:
        found = screen(index, query, limit=10)
        if target is not None:
            found = [m for m in found if m.entry is index.entries[target][1]]
        return found[0].level() if found else "none"

    name_only = [level_of(Query(text, kinds.get(index.entries[t][1].kind))) for _v, text, t, _s in pos]
    corroborated = []
    for _v, text, t, _s in pos:
        entry = index.entries[t][1]
        if entry.kind == "person" and entry.birth_dates:
            corroborated.append(level_of(Query(text, "person", birth_date=entry.birth_dates[0]), t))
        elif entry.kind == "organisation" and entry.countries:
            corroborated.append(level_of(Query(text, "organisation", country=entry.countries[0]), t))
    common = [f"{a} {b}" for a in ("Mohammed", "Ahmed", "Ali", "Hassan", "Abdul", "Kim", "Li", "Ivan")
              for b in ("Ali", "Hassan", "Khan", "Ahmed", "Kim", "Wei", "Petrov", "Mohamed")] + ["Mohammed Ali"]
    common_levels = [level_of(Query(name, "person")) for name in common]
    weak = [(i, a) for i, (_k, e) in enumerate(index.entries) for a in e.weak_aliases][: 300 if quick else 3_000]
    weak_levels = [level_of(Query(alias, kinds.get(index.entries[i][1].kind)), i) for i, alias in weak]

    def share(levels: list[str], level: str = "hit") -> str:
        return f"{sum(x == level for x in levels) / max(1, len(levels)):.2%} (n={len(levels)})"

    print(f"name-only queries ending as hit: listed-name variants {share(name_only)}, common names {share(common_levels)}, "
          f"exact weak aliases {share(weak_levels)}; all name-only {share(name_only + common_levels + weak_levels)}")
    print(f"name-only listed-name variants still found at possible or above: "
          f"{sum(x != 'none' for x in name_only) / max(1, len(name_only)):.2%}")
    print(f"the same variants with the listed birth date (persons) or country (organisations): "
          f"hit {share(corroborated)}, possible {share(corroborated, 'possible')}")


def _twelve_thousand(pool: list[str], n: int) -> list[tuple[str, str]]:
    """The bench's file: a third listed names (each a match to explain), the rest generated unlisted people."""
    return [(pool[(i * 7919) % len(pool)] if i % 3 == 0 else f"Generated Person {i} Andersson",
             "organisation" if i % 2 else "person") for i in range(n)]


def startup_and_steady(quick: bool) -> None:
    """Names/s through the app's path: a database with UN and OFAC SDN, then ``flask screen`` on a file of 12,000.

    In process: start-up (the index persisted at import, loaded) and steady state timed apart (CPU).
    End to end: ``flask screen`` as an officer runs it, in a new process, start-up included (Python,
    the app, the index, reading and writing the files): its CPU time and its wall-clock time.
    """
    import csv
    import os
    import resource
    import subprocess
    import tempfile

    from checks import Subject
    from vetting.db import connect, upgrade
    from vetting.domain import consequences
    from vetting.domain import lists as lists_domain
    from vetting.domain import settings as domain_settings
    from vetting.domain.audit import SYSTEM
    from vetting.matching import Thresholds

    data = HERE.parent.parent / "shared" / "data"
    if not data.is_dir():
        return
    ofac, un = _lists(data)
    pool = [e.name for e in ofac.entries + un.entries]
    n = 1_200 if quick else 12_000
    rows = _twelve_thousand(pool, n)
    secret = "bench-secret-key-0123456789abcdef"
    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "bench.db"
        # As create_app installs it: the index is kept in the instance folder, signed with the secret key.
        domain_settings.configure(domain_settings.DomainSettings.from_config({"SECRET_KEY": secret}, Path(tmp)))
        db = connect(database)
        upgrade(db)
        consequences.assemble()  # the import's delta re-screen is subscribed by the app factory, not here
        lists_domain.import_list(db, SYSTEM, "un", [data / "un-sc" / "consolidated.xml"])
        lists_domain.import_list(db, SYSTEM, "ofac-sdn", [data / "ofac-sdn" / f for f in ("sdn.csv", "alt.csv", "add.csv")])
        started = time.process_time()
        lists_domain._build(db, lists_domain.store.active_versions(db))
        build = time.process_time() - started
        lists_domain._cache.clear()  # as after a start: the index kept at import is loaded
        started, wall = time.process_time(), time.perf_counter()
        index = lists_domain.list_index(db, Thresholds())
        startup, startup_wall = time.process_time() - started, time.perf_counter() - wall
        started = time.process_time()
        for i, (name, kind) in enumerate(rows):
            index.screen(Subject(kind, i, name))
        steady = time.process_time() - started
        db.conn.close()
        print(f"app path, {n:,} names (a third listed), UN + OFAC SDN: start-up (kept index loaded) {startup:.2f} s "
              f"CPU, {startup_wall:.2f} s on the clock (building it instead: {build:.2f} s CPU), steady state "
              f"{n / steady:,.0f} names/s, with start-up {n / (startup + steady):,.0f} names/s on one core (CPU)")
        source = Path(tmp) / "suppliers.csv"
        with source.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["name", "kind"])
            writer.writerows(rows)
        env = {**os.environ, "VETTING_DATABASE": str(database), "VETTING_SECRET_KEY": secret,
               "VETTING_LIST_INDEX_FOLDER": str(Path(tmp) / "list-index"),
               "VETTING_QUEUE_FILE": str(Path(tmp) / "queue.sqlite3"), "FLASK_APP": "vetting"}
        # An installed application has its bytecode compiled; a shell with PYTHONDONTWRITEBYTECODE would
        # compile every module again on each start, so the first run writes it and the second is measured.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        for label in ("first run (bytecode written)", "second run"):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "flask", "screen", str(source), "--output",
                                   str(Path(tmp) / "out.csv")], env=env, cwd=HERE.parent, capture_output=True,
                                  text=True, check=False)
            wall = time.perf_counter() - started
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            if done.returncode != 0:
                print(f"flask screen failed: {done.stderr.strip()[-500:]}")
                return
            print(f"end to end, `flask screen` on a file of {n:,} names in a new process (start-up included), {label}: "
                  f"{n / cpu:,.0f} names/s on its CPU time ({cpu:.2f} s), {n / wall:,.0f} names/s on the clock "
                  f"({wall:.2f} s; {done.stdout.strip().split(' → ')[0]})")


def main() -> int:
    import lists_import
    import screening_matching

    quick = "--quick" in sys.argv
    print("== list import per source ==")
    lists_import.main(["--quick"] if quick else [])
    print("\n== matching: speed and quality ==")
    screening_matching.main(["--quick"] if quick else [])
    print("\n== end to end ==")
    end_to_end(quick)
    print("\n== hit level: a name alone is never a hit ==")
    hit_level(quick)
    print("\n== start-up and steady state ==")
    startup_and_steady(quick)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
