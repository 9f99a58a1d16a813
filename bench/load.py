"""Page latency under load: p50/p95/p99 of the main pages with 10,000 organisations and 50,000 key persons.

Fills a temporary database quickly with SQL through the migrated schema, serves the app on the
production server (gunicorn with deploy/gunicorn.conf.py, several worker processes) on 127.0.0.1,
signs in 16 concurrent users (client threads) and drives each page in turn, then a mixed run for
throughput. Goal: p95 < 150 ms on every main page. `--quick` uses a small database and short runs.

    python bench/load.py [--quick] [--users 16] [--workers 4] [--seconds 8] [--organisations 10000]
    python bench/load.py --writers 16 --seconds 60   # 16 users reading and writing at once (busy-database run)
"""
from __future__ import annotations

import argparse
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "Granitfjäll uthållig 2026"  # passes the common-password and not-your-name checks
WORDS = ("Norrlands", "Bygg", "Städ", "Mälardalens", "Konsult", "El", "Transport", "Säkerhet", "Fastighets", "Data",
         "Vatten", "Skog", "Måleri", "Ventilation", "Bevakning", "Logistik", "Teknik", "Gruppen", "Service", "Miljö")
FIRST = ("Anna", "Lars", "Karin", "Erik", "Maria", "Johan", "Eva", "Per", "Sara", "Nils", "Ingrid", "Olof")
LAST = ("Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Öberg", "Lindqvist", "Berg", "Ek")
KEY_ROLES = ("board_member", "deputy", "ceo", "signatory", "beneficial_owner", "contact")
PAGES = ("start", "procurements", "procurement", "organisations_search", "organisation", "person", "dashboard",
         "inbox", "review_queue")


def luhn_digit(digits: str) -> str:
    """The Luhn check digit Swedish organisation and personal numbers end with."""
    total = 0
    for i, ch in enumerate(digits):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return str((10 - total % 10) % 10)


def fill(database: Path, organisations: int, persons: int, procurements: int) -> dict[str, Any]:
    """Create the schema and bulk-insert records with plain SQL in one transaction per table."""
    from vetting.db import connect, upgrade
    from vetting.domain import consequences, users
    from vetting.domain.audit import SYSTEM

    rng = random.Random(2026)
    db = connect(database)
    upgrade(db)
    consequences.assemble()  # no app here: the domain's consequences are subscribed as create_app does
    users.create_user(db, SYSTEM, username="bench", password=PASSWORD, display_name="Bench Användare",
                      roles=["procurement_officer", "security_officer", "reviewer", "auditor", "admin"])
    now = datetime.now(timezone.utc)
    stamp = now.isoformat(timespec="microseconds")
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    org_rows = []
    for n in range(organisations):
        base = f"556{n:06d}"
        name = f"{rng.choice(WORDS)} {rng.choice(WORDS)} {n} AB"
        org_rows.append((n + 1, name, "SE", "se_orgnr", base + luhn_digit(base), f"Storgatan {n % 200 + 1}", "41200",
                         stamp, stamp))
    conn.executemany("INSERT INTO organisations (id, name, country, identifier_type, identifier, address, industry_code,"
                     " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", org_rows)
    person_rows, role_rows = [], []
    born = datetime(1950, 1, 1)
    for n in range(persons):
        day = (born + timedelta(days=n % 18000)).strftime("%Y%m%d")
        serial = f"{100 + 7 * (n // 18000):03d}"  # (day, serial) is unique for every n
        pnr = day + serial + luhn_digit(day[2:] + serial)
        person_rows.append((n + 1, f"{rng.choice(FIRST)} {rng.choice(LAST)}", pnr, day[:4] + "-" + day[4:6] + "-" + day[6:],
                            "SE", stamp, stamp))
        role_rows.append((n % organisations + 1, n + 1, KEY_ROLES[(n // organisations) % len(KEY_ROLES)], "manual", stamp))
        if n % 10 == 0:  # one in ten also sits in another organisation's board (common denominators)
            role_rows.append(((n * 7 + 3) % organisations + 1, n + 1, "board_member", "manual", stamp))
    conn.executemany("INSERT OR IGNORE INTO persons (id, name, personnummer, birth_date, nationality, created_at,"
                     " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)", person_rows)
    conn.executemany("INSERT OR IGNORE INTO key_roles (organisation_id, person_id, role, source, created_at)"
                     " VALUES (?, ?, ?, ?, ?)", role_rows)
    outcome_rows = [("organisation", n + 1, "sanctions", "1", "clear", None, "[]", "[]", "bench", stamp)
                    for n in range(organisations)]
    conn.executemany("INSERT INTO outcomes (subject_kind, subject_id, check_id, check_version, status, reason, findings,"
                     " explanation, run_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", outcome_rows)
    conn.execute("COMMIT")
    from vetting.domain import procurements as procurement_domain

    for n in range(procurements):  # through the domain: checkpoints are opened as in real use
        procurement_domain.create(db, SYSTEM, {"reference": f"UH-2026-{n:05d}", "title": f"{rng.choice(WORDS)}tjänster {n}",
                                               "protection_level": "sua2" if n % 5 == 0 else "none"})
    conn.execute("BEGIN IMMEDIATE")
    participant_rows = []
    for n in range(procurements):
        for k in range(5):
            participant_rows.append((n + 1, (n * 37 + k * 101) % organisations + 1, "bidder", stamp))
    conn.executemany("INSERT OR IGNORE INTO participants (procurement_id, organisation_id, role, created_at)"
                     " VALUES (?, ?, ?, ?)", participant_rows)
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    counts = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("organisations", "persons", "key_roles", "procurements", "participants", "outcomes")}
    conn.close()
    return counts


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(database: Path, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    """gunicorn as in production (CSRF on, scrypt, JSON logs discarded), plain HTTP on 127.0.0.1."""
    import requests

    port = free_port()
    env = {**os.environ, "VETTING_DATABASE": str(database), "VETTING_SECRET_KEY": "bench-secret-key-0123456789abcdef",
           "VETTING_QUEUE_FILE": str(database.parent / "queue.sqlite3"), "VETTING_SESSION_COOKIE_SECURE": "0",
           "VETTING_LOGIN_MAX_FAILURES_PER_ADDRESS": "1000", "VETTING_LOG_FORMAT": "json",
           "VETTING_BIND": f"127.0.0.1:{port}", "VETTING_WEB_WORKERS": str(workers)}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen([str(gunicorn), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "--access-logfile",
                                os.devnull, "vetting:create_app()"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and process.poll() is None:
            try:
                if requests.get(f"{base}/health", timeout=30).status_code == 200:
                    return process, base
            except requests.RequestException:  # not listening yet, or the workers still booting
                pass
            time.sleep(0.2)
    except BaseException:
        process.kill()  # never leave a server behind (Ctrl-C while waiting, too)
        raise
    process.kill()
    raise SystemExit("gunicorn did not start (is it installed? `make setup`)")


def signed_in_session(base: str) -> Any:
    """A requests session signed in through the real form (with its CSRF token)."""
    import requests

    session = requests.Session()
    page = session.get(f"{base}/login", timeout=30).text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"', page)
    data = {"username": "bench", "password": PASSWORD,
            "csrf_token": next(g for g in token.groups() if g) if token else ""}
    response = session.post(f"{base}/login", data=data, allow_redirects=False, timeout=60)
    if response.status_code != 302:
        raise SystemExit(f"sign-in failed: {response.status_code}")
    return session


def url_for_page(page: str, rng: random.Random, counts: dict[str, int]) -> str:
    """A URL of the page kind, on a random record."""
    if page == "start":
        return "/"
    if page == "procurements":
        return "/procurements/"
    if page == "procurement":
        return f"/procurements/{rng.randint(1, counts['procurements'])}"
    if page == "organisations_search":
        return f"/organisations/?q={rng.choice(WORDS)}+{rng.choice(WORDS)}"
    if page == "organisation":
        return f"/organisations/{rng.randint(1, counts['organisations'])}"
    if page == "dashboard":
        return "/dashboard/"
    if page == "inbox":
        return "/checkpoints/"
    if page == "review_queue":
        return "/screening/review"
    return f"/persons/{rng.randint(1, counts['persons'])}"


def drive(base: str, sessions: list[Any], pages: tuple[str, ...], seconds: float,
          counts: dict[str, int]) -> tuple[dict[str, list[float]], int, float]:
    """Every thread requests pages from ``pages`` until time is up; return latencies (ms) per page, errors, elapsed."""
    latencies: dict[str, list[float]] = {p: [] for p in pages}
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def work(n: int) -> None:
        rng = random.Random(n)
        session = sessions[n]
        while time.monotonic() < deadline:
            page = rng.choice(pages)
            started = time.perf_counter()
            response = session.get(base + url_for_page(page, rng, counts), timeout=60)
            spent = (time.perf_counter() - started) * 1000
            with lock:
                latencies[page].append(spent)
                if response.status_code != 200:
                    errors[0] += 1

    return latencies, errors[0], run_users(len(sessions), seconds, work)


def run_users(users: int, seconds: float, work: Callable[[int], None]) -> float:
    """Run ``work(n)`` for every user n, each in its own thread, for about ``seconds``; return the seconds taken."""
    started = time.monotonic()
    threads = [threading.Thread(target=work, args=(n,)) for n in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    return time.monotonic() - started


def csrf_token(session: Any, base: str) -> str:
    """The session's CSRF token, from a form page (Flask-WTF keeps one per session)."""
    page = session.get(f"{base}/organisations/new", timeout=60).text
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"', page)
    return next(g for g in found.groups() if g) if found else ""


Send = Callable[[Any, str, random.Random, int, int], tuple[str, Any]]


def timed_writes(base: str, sessions: list[Any], seconds: float, kinds: tuple[str, ...], seed: int,
                 send: Send) -> dict[str, Any]:
    """Every user n repeats ``send(session, csrf token, rng, n, i)`` -> (kind, response) until time is up.

    Returns the latencies (ms) per kind, the answers by status, the server errors, the elapsed seconds and the
    p99 of all. A 500 (or a "database is locked" page) is a server error, a 503 is the app's deliberate "try
    again" answer for a write that could not take the lock after its retries.
    """
    tokens = [csrf_token(s, base) for s in sessions]
    latencies: dict[str, list[float]] = {kind: [] for kind in kinds}
    status: dict[int, int] = {}
    server_errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def work(n: int) -> None:
        rng = random.Random(seed + n)
        session, token, i = sessions[n], tokens[n], 0
        while time.monotonic() < deadline:
            i += 1
            started = time.perf_counter()
            kind, response = send(session, token, rng, n, i)
            spent = (time.perf_counter() - started) * 1000
            with lock:
                latencies[kind].append(spent)
                status[response.status_code] = status.get(response.status_code, 0) + 1
                if response.status_code == 500 or "database is locked" in response.text:
                    server_errors[0] += 1

    elapsed = run_users(len(sessions), seconds, work)
    everything = [v for values in latencies.values() for v in values]
    return {"latencies": latencies, "status": status, "server_errors": server_errors[0], "elapsed": elapsed,
            "p99": percentile(everything, 99) if everything else 0.0}


def write_mix(base: str, sessions: list[Any], seconds: float, counts: dict[str, int]) -> dict[str, Any]:
    """Every user mixes reads (70 %) with writes: new organisations and key persons, each a write transaction."""
    def send(session: Any, token: str, rng: random.Random, n: int, i: int) -> tuple[str, Any]:
        pick = rng.random()
        org = rng.randint(1, counts["organisations"])
        if pick < 0.70:
            return "read", session.get(base + url_for_page(rng.choice(PAGES), rng, counts), timeout=60)
        if pick < 0.85:
            return "create_organisation", session.post(
                f"{base}/organisations/new", allow_redirects=False, timeout=60,
                data={"name": f"Lastbolaget {n:02d}-{i:05d} AB", "country": "SE", "csrf_token": token})
        return "add_key_person", session.post(
            f"{base}/organisations/{org}/key-persons", allow_redirects=False, timeout=60,
            data={"name": f"Ledamot {n}-{i}", "role": "board_member", "birth_date": "1980-02-03", "csrf_token": token})

    return timed_writes(base, sessions, seconds, ("read", "create_organisation", "add_key_person"), 1000, send)


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100) by nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(q / 100 * len(ordered) + 0.5)) - 1))]


def report(title: str, latencies: dict[str, list[float]], errors: int, elapsed: float) -> None:
    print(f"\n{title}")
    print(f"{'page':<22}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'req/s':>8}")
    for page, values in latencies.items():
        if values:
            print(f"{page:<22}{len(values):>9}{statistics.median(values):>9.1f}{percentile(values, 95):>9.1f}"
                  f"{percentile(values, 99):>9.1f}{len(values) / elapsed:>8.1f}")
    total = sum(len(v) for v in latencies.values())
    print(f"total: {total} requests in {elapsed:.1f} s = {total / elapsed:.1f} requests/s; non-200 answers: {errors}")
    print("machine load (1/5/15 min, {} cores): {:.2f} {:.2f} {:.2f}".format(os.cpu_count(), *os.getloadavg()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small database, short runs")
    parser.add_argument("--users", type=int, default=16, help="concurrent signed-in users (client threads)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--seconds", type=float, default=None, help="seconds per page (and for the mixed run)")
    parser.add_argument("--organisations", type=int, default=None)
    parser.add_argument("--persons", type=int, default=None)
    parser.add_argument("--procurements", type=int, default=None)
    parser.add_argument("--workdir", type=Path, default=None, help="where the temporary database goes")
    parser.add_argument("--writers", type=int, default=0,
                        help="instead of the page runs: this many users reading and writing for --seconds")
    args = parser.parse_args(argv)
    organisations = args.organisations or (500 if args.quick else 10_000)
    persons = args.persons or (2_500 if args.quick else 50_000)
    procurement_count = args.procurements or (20 if args.quick else 300)
    seconds = args.seconds or (1.5 if args.quick else 8.0)
    threads = 4 if args.quick and args.users == 16 else args.users

    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        database = Path(tmp) / "bench.sqlite3"
        started = time.perf_counter()
        counts = fill(database, organisations, persons, procurement_count)
        print(f"filled in {time.perf_counter() - started:.1f} s: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()))
        process, base = start_server(database, args.workers)
        try:
            if args.writers:
                sessions = [signed_in_session(base) for _ in range(args.writers)]
                result = write_mix(base, sessions, seconds, counts)
                report(f"reads and writes, {args.writers} users, {seconds:g} s:", result["latencies"], 0,
                       result["elapsed"])
                print(f"answers by status: {dict(sorted(result['status'].items()))}; server errors (500 or "
                      f"'database is locked'): {result['server_errors']}; p99 over all requests: "
                      f"{result['p99']:.0f} ms")
                return 1 if result["server_errors"] else 0
            sessions = [signed_in_session(base) for _ in range(threads)]
            # Warm-up, not measured: every worker process compiles its templates and loads the catalogue once.
            drive(base, sessions, PAGES, min(seconds, 3.0), counts)
            per_page: dict[str, list[float]] = {}
            errors, busy = 0, 0.0
            for page in PAGES:
                latencies, page_errors, elapsed = drive(base, sessions, (page,), seconds, counts)
                per_page[page] = latencies[page]
                errors += page_errors
                busy += elapsed
            report(f"one page at a time, {threads} users, gunicorn {args.workers} workers, {seconds:g} s each:",
                   per_page, errors, busy)
            latencies, errors, elapsed = drive(base, sessions, PAGES, seconds, counts)
            report(f"all pages mixed, {threads} users, gunicorn {args.workers} workers, {seconds:g} s:",
                   latencies, errors, elapsed)
        finally:
            process.terminate()
            process.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
