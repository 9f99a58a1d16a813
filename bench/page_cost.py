"""CPU cost of single requests to the main pages: CPU ms, SQL statements, SQLite instructions, Python calls.

Load figures on a shared machine say little; one user in a loop through the Flask test client, on a
database filled the way bench/load.py fills it, shows what a change saves. CPU ms still varies with the
neighbours' load; SQLite's instructions (hundreds, counted by a progress handler) and Python function calls
per request do not, so compare those. `--profile PAGE` prints the top of a cProfile of that page.

    python bench/page_cost.py [--quick] [--organisations 10000] [--persons 50000] [--procurements 300] [--repeat 10]
    python bench/page_cost.py --profile inbox
    python bench/page_cost.py --freeze   # as the production workers run (gc.freeze, deploy/gunicorn.conf.py)
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import load  # noqa: E402  (the same fill and the same URLs as the load run)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small database, few requests (make bench)")
    parser.add_argument("--organisations", type=int, default=None)
    parser.add_argument("--persons", type=int, default=None)
    parser.add_argument("--procurements", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=None, help="requests per page (after one warm-up)")
    parser.add_argument("--database", type=Path, default=None, help="reuse (or fill once) this database file")
    parser.add_argument("--profile", default=None, help="a page name: print its cProfile instead")
    parser.add_argument("--sort", default="cumulative", help="cProfile order: cumulative or tottime")
    parser.add_argument("--callees", default=None, help="with --profile: what functions matching this call")
    parser.add_argument("--pages", default=",".join(load.PAGES))
    parser.add_argument("--freeze", action="store_true",
                        help="freeze the loaded app out of the garbage collector after sign-in, as the gunicorn workers"
                             " do (deploy/gunicorn.conf.py); without it full collections of the app count in")
    args = parser.parse_args(argv)
    args.organisations = args.organisations or (500 if args.quick else 10_000)
    args.persons = args.persons or (2_500 if args.quick else 50_000)
    args.procurements = args.procurements or (20 if args.quick else 300)
    args.repeat = args.repeat or (3 if args.quick else 10)

    from vetting import create_app
    import vetting.db

    with tempfile.TemporaryDirectory() as tmp:
        database = args.database or Path(tmp) / "bench.sqlite3"
        if not database.exists():
            started = time.perf_counter()
            counts = load.fill(database, args.organisations, args.persons, args.procurements)
            print(f"filled in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        db = vetting.db.connect(database)
        counts = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("organisations", "persons", "procurements")}
        db.conn.close()
        app = create_app({"DATABASE": str(database), "SECRET_KEY": "bench-secret-key-0123456789abcdef",
                          "WTF_CSRF_ENABLED": False, "SESSION_COOKIE_SECURE": False,
                          "QUEUE_FILE": str(Path(tmp) / "queue.sqlite3")})
        statements: list[str] = []
        steps = [0]  # hundreds of SQLite virtual-machine instructions: the database's work, whatever the load
        real_connect = vetting.db.connect

        def step() -> int:
            steps[0] += 1
            return 0

        def connect(*a, **k):
            conn = real_connect(*a, **k)
            conn.conn.set_trace_callback(statements.append)
            conn.conn.set_progress_handler(step, 100)
            return conn

        vetting.db.connect = connect
        client = app.test_client()
        response = client.post("/login", data={"username": "bench", "password": load.PASSWORD})
        assert response.status_code == 302, response.status_code
        pages = args.pages.split(",") if not args.profile else [args.profile]
        if args.freeze:
            import gc

            gc.collect()
            gc.freeze()
        print(f"{'page':<22}{'CPU ms p50':>11}{'min':>7}{'SQL':>6}{'SQL hops':>10}{'Py calls':>10}")
        for page in pages:
            rng = random.Random(7)
            urls = [load.url_for_page(page, rng, counts) for _ in range(args.repeat)]
            client.get(urls[0])  # warm-up: templates compiled, catalogue loaded
            profile = cProfile.Profile()  # Python function calls per request: the app's work, whatever the load
            profile.enable()
            for url in urls:
                client.get(url)
            profile.disable()
            calls = pstats.Stats(profile).total_calls / len(urls)
            if args.profile:
                stats = pstats.Stats(profile).sort_stats(args.sort)
                stats.print_stats(45)
                if args.callees:
                    stats.print_callees(args.callees)
            spent, counted, vm = [], [], []
            for url in urls:
                statements.clear()
                steps[0] = 0
                started = time.process_time()  # CPU of this process (SQLite runs in it): others' load does not count
                response = client.get(url)
                spent.append((time.process_time() - started) * 1000)
                counted.append(len(statements))
                vm.append(steps[0])
                assert response.status_code == 200, (url, response.status_code)
            print(f"{page:<22}{statistics.median(spent):>11.1f}{min(spent):>7.1f}{statistics.median(counted):>6.0f}"
                  f"{statistics.median(vm):>10.0f}{calls:>10.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
