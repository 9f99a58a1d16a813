"""Busy database: 16 users writing at once on the production server, and why a write waits.

Issue 19's goal: 0 server errors (500 or "database is locked") and p99 < 1 s at 16 users for 60 s. The
database and the server are bench/load.py's (10,000 organisations, 50,000 persons, gunicorn as in production);
the mix is write-heavy: every user alternates the pages an officer edits from (an organisation, a procurement)
with writes (a new organisation, a new key person, an edit of the organisation), half the requests each.

Two parts:
1. HTTP, 16 users for --seconds: p50/p95/p99 per kind, answers by status, server errors, the WAL's size after
   the run (a WAL that keeps growing means checkpoints are starved by long readers).
2. In-process, one user, no load: per write, the milliseconds the write lock is held (BEGIN IMMEDIATE to
   COMMIT) and the statements run inside it. These do not depend on how busy the machine is: a write waits
   for the writes ahead of it, so hold time × writers is what queues.

    python bench/busy_db.py [--quick] [--users 16] [--seconds 60] [--workers 4]
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from load import PASSWORD, fill, report, signed_in_session, start_server, timed_writes  # noqa: E402


def write_heavy(base: str, sessions: list[Any], seconds: float, counts: dict[str, int]) -> dict[str, Any]:
    """Half reads of the pages an editor works from, half writes; answers counted by status."""
    def send(session: Any, token: str, rng: random.Random, n: int, i: int) -> tuple[str, Any]:
        org = rng.randint(1, counts["organisations"])
        pick = rng.random()
        if pick < 0.30:
            return "organisation_page", session.get(f"{base}/organisations/{org}", timeout=60)
        if pick < 0.50:
            return "procurement_page", session.get(
                f"{base}/procurements/{rng.randint(1, counts['procurements'])}", timeout=60)
        if pick < 0.70:
            return "create_organisation", session.post(
                f"{base}/organisations/new", allow_redirects=False, timeout=60,
                data={"name": f"Skrivbolaget {n:02d}-{i:05d} AB", "country": "SE", "csrf_token": token})
        if pick < 0.90:
            return "add_key_person", session.post(
                f"{base}/organisations/{org}/key-persons", allow_redirects=False, timeout=60,
                data={"name": f"Ledamot {n}-{i}", "role": "board_member", "birth_date": "1980-02-03", "csrf_token": token})
        return "edit_organisation", session.post(
            f"{base}/organisations/{org}/edit", allow_redirects=False, timeout=60,
            data={"name": f"Omdöpt {n:02d}-{i:05d} AB", "country": "SE", "address": "Storgatan 1", "csrf_token": token})

    return timed_writes(base, sessions, seconds, ("organisation_page", "procurement_page", "create_organisation",
                                                  "add_key_person", "edit_organisation"), 5000, send)


def lock_holds(database: Path, counts: dict[str, int], rounds: int) -> dict[str, tuple[float, float, int]]:
    """Per write kind: (median ms, max ms) the write lock is held and the statements inside, one user, in-process."""
    import os

    os.environ.setdefault("VETTING_SECRET_KEY", "bench-secret-key-0123456789abcdef")
    from vetting import create_app, store

    app = create_app({"DATABASE": str(database), "WTF_CSRF_ENABLED": False, "SESSION_COOKIE_SECURE": False,
                      "QUEUE_FILE": str(database.parent / "queue-inprocess.sqlite3"),
                      "LOGIN_MAX_FAILURES_PER_ADDRESS": 1000})
    holds: list[tuple[float, int]] = []
    real = store.write_transaction

    @contextmanager
    def measured(db: Any) -> Any:
        if db.conn.in_transaction:  # a savepoint inside an outer write: counted with the outer one
            with real(db) as inner:
                yield inner
            return
        statements = [0]
        db.conn.set_trace_callback(lambda _sql: statements.__setitem__(0, statements[0] + 1))
        started = time.perf_counter()
        try:
            with real(db) as inner:
                yield inner
        finally:
            db.conn.set_trace_callback(None)
            holds.append(((time.perf_counter() - started) * 1000, statements[0]))

    for module in list(sys.modules.values()):  # every module that imported the name gets the measured one
        if getattr(module, "write_transaction", None) is real:
            module.write_transaction = measured
    client = app.test_client()
    if client.post("/login", data={"username": "bench", "password": PASSWORD}).status_code != 302:
        # Signed out, every write below is a redirect to the login page and only sign-in would be measured.
        raise SystemExit("lock_holds: the bench user could not sign in")
    results: dict[str, list[tuple[float, int]]] = {"sign_in": list(holds)}
    rng = random.Random(7)
    for kind in ("create_organisation", "add_key_person", "edit_organisation"):
        results[kind] = []
        for i in range(rounds):
            holds.clear()
            org = rng.randint(1, counts["organisations"])
            if kind == "create_organisation":
                client.post("/organisations/new", data={"name": f"Låsbolaget {i} AB", "country": "SE"})
            elif kind == "add_key_person":
                client.post(f"/organisations/{org}/key-persons",
                            data={"name": f"Ledamot L{i}", "role": "board_member", "birth_date": "1980-02-03"})
            else:
                client.post(f"/organisations/{org}/edit", data={"name": f"Låsomdöpt {i} AB", "country": "SE",
                                                                 "address": "Storgatan 1"})
            results[kind].extend(holds)
    return {kind: (statistics.median(h for h, _ in rows), max(h for h, _ in rows), max(n for _, n in rows))
            for kind, rows in results.items() if rows}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small database, 10 s")
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--seconds", type=float, default=None)
    parser.add_argument("--workdir", type=Path, default=None, help="where the temporary database goes")
    args = parser.parse_args(argv)
    seconds = args.seconds or (10.0 if args.quick else 60.0)
    sizes = (500, 2_500, 20) if args.quick else (10_000, 50_000, 300)

    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        database = Path(tmp) / "bench.sqlite3"
        started = time.perf_counter()
        counts = fill(database, *sizes)
        print(f"filled in {time.perf_counter() - started:.1f} s: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()))
        process, base = start_server(database, args.workers)
        wal = database.with_name(database.name + "-wal")
        try:
            sessions = [signed_in_session(base) for _ in range(args.users)]
            result = write_heavy(base, sessions, seconds, counts)
            wal_bytes = wal.stat().st_size if wal.exists() else 0  # before the server closes (and checkpoints)
        finally:
            process.terminate()
            process.wait(timeout=30)
        report(f"write-heavy, {args.users} users, gunicorn {args.workers} workers, {seconds:g} s:",
               result["latencies"], sum(n for s, n in result["status"].items() if s not in (200, 302)),
               result["elapsed"])
        print(f"answers by status: {dict(sorted(result['status'].items()))}; server errors (500 or 'database is "
              f"locked'): {result['server_errors']}; p99 over all requests: {result['p99']:.0f} ms; "
              f"WAL at the end of the run: {wal_bytes:,} bytes")
        print("\nwrite lock held per request (in-process, one user):")
        print(f"{'write':<22}{'median ms':>10}{'max ms':>9}{'statements':>11}")
        for kind, (median, most, statements) in lock_holds(database, counts, 5 if args.quick else 20).items():
            print(f"{kind:<22}{median:>10.1f}{most:>9.1f}{statements:>11}")
    return 1 if result["server_errors"] or result["p99"] >= 1000 else 0


if __name__ == "__main__":
    sys.exit(main())
