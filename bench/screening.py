"""Screening benchmark (issue: screening): list import per source, then matching speed and quality.

Runs `bench/lists_import.py` (import time and entries per source on ../shared/data) and
`bench/screening_matching.py` (index build, names/s on one core, peak memory, recall and
false-positive rate on variants built from the lists and on generated unlisted names, and the
brute-force rapidfuzz baseline in the same run), then an end-to-end figure through the app's
own screening path (Subject -> list index -> explained match dicts). `--quick` for a short run.
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
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
