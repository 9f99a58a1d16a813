"""Benchmark: import time and entry count of each list importer on the real files in ../shared/data."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT))  # run as a plain script from anywhere, without installing the package

from vetting.lists import importers  # noqa: E402
from vetting.lists.model import ListFormatError  # noqa: E402

OFAC = DATA / "ofac-sdn"
CASES: list[tuple[str, list[Path]]] = [
    ("un", [DATA / "un-sc" / "consolidated.xml"]),
    ("ofac-sdn", [OFAC / "sdn.csv", OFAC / "alt.csv", OFAC / "add.csv", OFAC / "sdn_comments.csv"]),
    ("ofac-xml", [OFAC / "cons_consolidated.xml"]),
    ("ofac-xml", [OFAC / "CONS_ENHANCED.XML"]),
    ("ofac-xml", [OFAC / "CONS_ENHANCED.ZIP"]),
    ("eu", [DATA / "eu-fsf" / "xmlFullSanctionsList_1_1_subset_2026-08-05.xml"]),
    ("uk", [DATA / "uk-sanctions" / "UK-Sanctions-List_subset_2026-08-14.xml"]),
    ("opensanctions", [DATA / "opensanctions" / "yente_t1_entities.ftm.json"]),
    ("opensanctions", [DATA / "opensanctions" / "targets.simple_eu_cor_members_2022-07-25.csv"]),
    ("worldbank", [DATA / "worldbank-debarred" / "world_bank_listing_of_ineligible_firms_and_individuals.xlsx"]),
    ("worldbank", [DATA / "worldbank-debarred" / "debarred_firms_scraped_2024-10.csv"]),
]


def main(argv: list[str] | None = None) -> int:
    """Print one line per file set: first and best time over ``--repeat`` runs, entries, publication date."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3, help="runs per file set; the best time is shown")
    parser.add_argument("--quick", action="store_true", help="one run per file set")
    args = parser.parse_args(argv)
    if not DATA.is_dir():
        print(f"Skipped: the real list files are not available in {DATA}.")
        return 0
    print(f"{'source':<14} {'file':<62} {'first s':>8} {'best s':>8} {'entries':>8}  published")
    for source, paths in CASES:
        label = ", ".join(p.name for p in paths)
        if not all(p.is_file() for p in paths):
            print(f"{source:<14} {label[:62]:<62} {'missing':>8}")
            continue
        times: list[float] = []
        try:
            for _ in range(1 if args.quick else max(1, args.repeat)):
                started = time.perf_counter()
                version = importers.parse(source, paths)
                times.append(time.perf_counter() - started)
        except ListFormatError as err:
            print(f"{source:<14} {label[:62]:<62} {'refused':>8}  {err}")
            continue
        print(f"{source:<14} {label[:62]:<62} {times[0]:8.3f} {min(times):8.3f} {version.count:8d}  "
              f"{version.published or '-'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
