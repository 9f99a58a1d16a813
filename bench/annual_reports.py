"""Time to read the annual reports in ../shared/data/bolagsverket/arsredovisningar (unzip, parse, interpret).

Prints one line per filing: size, facts, milliseconds (best of --repeat). Skips when the data is absent.
"""
from __future__ import annotations

import argparse
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from checks import arsredovisning  # noqa: E402
from checks.annual_reports import documents  # noqa: E402
from checks.ixbrl import parse  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "bolagsverket" / "arsredovisningar"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"{args.data} is absent; nothing to measure")
        return 0
    for path in sorted(args.data.iterdir()):
        if path.suffix not in (".zip", ".xhtml"):
            continue
        body = path.read_bytes()
        best = float("inf")
        for _ in range(args.repeat):
            start = time.perf_counter()
            docs = documents(body) if zipfile.is_zipfile(path) else [parse(body)]
            report = arsredovisning.read(docs)
            best = min(best, time.perf_counter() - start)
        facts = sum(len(d.facts) for d in docs)
        print(f"{path.name[:60]:60} {len(body):>8} B {facts:>4} facts {len(report.years)} years "
              f"{best * 1000:7.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
