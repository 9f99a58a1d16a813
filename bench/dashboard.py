"""Dashboard benchmark (issue: reports, dashboard and exports): p50/p95/p99 of the dashboard page.

Fills a temporary database with 10,000 organisations, 50,000 key persons, screening outcomes
(re-screened history, possible matches, hits over a year, register errors, reviews and
overrides), procurements with bidders, follow-up schedules and checkpoints. Then serves the
app with werkzeug on 127.0.0.1, signs in as each role and requests the dashboard N times.
Target: p95 under 150 ms. `--quick` for a short run (fewer requests, same data size).
"""
from __future__ import annotations

import json
import logging
import random
import statistics
import sys
import tempfile
import threading
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import requests
from werkzeug.serving import make_server

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ORGANISATIONS = 10_000
PERSONS_PER_ORG = 5
PROCUREMENTS = 600
PASSWORD = "bench password 0123456789"
ROLES = ("procurement_officer", "security_officer", "reviewer", "auditor", "admin")
LISTS = ("un", "ofac-sdn", "eu", "uk", "worldbank")
PHASES = ("need", "documents", "advertised", "evaluation", "award", "standstill", "signed", "active", "ended")
REGISTERS = ("se.bolagsverket", "eu.vies", "gleif")
RISK_LEVELS = ("basic_done", "basic_done", "deepened_check", "joint_review", "exclusion_assessment")


def fill(db, rng: random.Random) -> dict[str, int]:
    """Bulk-load the data with plain SQL (the search triggers run as they would in production)."""
    now = datetime.now(timezone.utc)
    stamp = now.isoformat()
    conn = db.conn
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO organisations (id, name, country, identifier_type, identifier, address, created_at, updated_at)"
        " VALUES (?, ?, 'SE', 'se_orgnr', ?, '', ?, ?)",
        [(i, f"Leverantör {i} {rng.choice(('Bygg', 'Städ', 'IT', 'Konsult', 'Transport'))} AB", f"55{i:08d}", stamp, stamp)
         for i in range(1, ORGANISATIONS + 1)])
    persons = ORGANISATIONS * PERSONS_PER_ORG
    conn.executemany(
        "INSERT INTO persons (id, name, personnummer, birth_date, nationality, created_at, updated_at)"
        " VALUES (?, ?, NULL, ?, 'SE', ?, ?)",
        [(i, f"{rng.choice(('Anna', 'Lars', 'Karin', 'Erik', 'Maria', 'Johan'))} Person{i}",
          str(rng.randint(1940, 2000)), stamp, stamp) for i in range(1, persons + 1)])
    conn.executemany(
        "INSERT INTO key_roles (organisation_id, person_id, role, source, created_at) VALUES (?, ?, ?, 'manual', ?)",
        [((p - 1) // PERSONS_PER_ORG + 1, p, ("ceo", "board_member", "board_member", "signatory", "beneficial_owner")
          [(p - 1) % PERSONS_PER_ORG], stamp) for p in range(1, persons + 1)])

    outcomes = []
    subjects = [("organisation", i) for i in range(1, ORGANISATIONS + 1)] + [("person", i) for i in range(1, persons + 1)]
    for kind, sid in subjects:
        rounds = 2 if rng.random() < 0.3 else 1  # some subjects were re-screened (history the queries must skip)
        for r in range(rounds):
            created = (now - timedelta(days=rng.randint(0, 360) if r == 0 else rng.randint(0, 30))).isoformat()
            roll = rng.random()
            if roll < 0.01:
                status, listed = "possible_match", rng.choice(LISTS)
            elif roll < 0.013:
                status, listed = "hit", rng.choice(LISTS)
            else:
                status, listed = "clear", None
            explanation, findings = [], []
            if listed:
                level = "hit" if status == "hit" else "possible"
                explanation = [{"list": listed, "listed_id": f"{listed}-{sid}", "listed_name": f"Listed {sid}",
                                "level": level, "score": 0.95 if level == "hit" else 0.8, "entry_hash": "x",
                                "dismissed_before": False}]
                family = "debarment" if listed == "worldbank" else "sanctions"
                findings = [{"code": f"{family}.{'listed' if level == 'hit' else 'possible_match'}",
                             "value": {"list": listed, "listed_id": f"{listed}-{sid}", "score": 0.9}, "detail": "",
                             "evidence": 0}]
            outcomes.append((kind, sid, "sanctions", status, None, json.dumps(findings), json.dumps(explanation), created))
        if kind == "organisation":
            for check in REGISTERS:
                status = "error" if rng.random() < 0.04 else "clear"
                outcomes.append((kind, sid, check, status, "timeout" if status == "error" else None, "[]", "[]",
                                 (now - timedelta(days=rng.randint(0, 200))).isoformat()))
    outcomes.sort(key=lambda o: o[7])  # ids grow with time, as in production
    conn.executemany(
        "INSERT INTO outcomes (subject_kind, subject_id, check_id, check_version, status, reason, findings, explanation,"
        " run_by, created_at) VALUES (?, ?, ?, '1', ?, ?, ?, ?, 'bench', ?)", outcomes)
    # Decisions on a third of the matches, overrides on a fifth of the errors.
    conn.execute(
        "INSERT INTO match_reviews (outcome_id, subject_kind, subject_id, list_source, listed_id, entry_hash, decision,"
        " reason, decided_by, decided_at) SELECT id, subject_kind, subject_id, json_extract(explanation, '$[0].list'),"
        " json_extract(explanation, '$[0].listed_id'), 'x', 'dismissed', 'not the same', 'bench', created_at"
        " FROM outcomes WHERE status = 'possible_match' AND id % 3 = 0")
    conn.execute("INSERT INTO outcome_overrides (outcome_id, reason, overridden_by, overridden_at)"
                 " SELECT id, 'accepted', 'bench', created_at FROM outcomes WHERE status = 'error' AND id % 5 = 0")

    officer = conn.execute("SELECT id FROM users WHERE username = 'procurement_officer'").fetchone()[0]
    templates = [f"CP{i}" for i in range(13)]
    for p in range(1, PROCUREMENTS + 1):
        phase = PHASES[p % len(PHASES)]
        conn.execute("INSERT INTO procurements (id, reference, title, phase, responsible_user_id, created_at, updated_at)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?)", (p, f"UH-2026-{p:04d}", f"Upphandling {p}", phase, officer, stamp,
                                                        stamp))
        for org in rng.sample(range(1, ORGANISATIONS + 1), 4):
            conn.execute("INSERT INTO participants (procurement_id, organisation_id, role, created_at)"
                         " VALUES (?, ?, 'bidder', ?)", (p, org, stamp))
            # Risk assessments of the parties (some re-assessed, some overridden), as the risk model stores them.
            for _round in range(rng.choice((0, 1, 1, 2)) if phase in ("award", "signed", "active", "ended") else 0):
                assessment = conn.execute(
                    "INSERT INTO risk_assessments (procurement_id, organisation_id, model_version, model_sha256, level,"
                    " total, multiplier, results, reasons, facts, prepared_by, created_at)"
                    " VALUES (?, ?, '1', 'bench', ?, 1, 1, '[]', '[]', '{}', 'bench', ?)",
                    (p, org, rng.choice(RISK_LEVELS), stamp)).lastrowid
                if rng.random() < 0.1:
                    conn.execute("INSERT INTO risk_overrides (assessment_id, level, reason, overridden_by, overridden_at)"
                                 " VALUES (?, ?, 'bench', 'bench', ?)", (assessment, rng.choice(RISK_LEVELS), stamp))
        if phase in ("signed", "active", "ended"):
            conn.execute("INSERT INTO followups (procurement_id, risk_level, interval_months, next_due)"
                         " VALUES (?, ?, 6, ?)", (p, rng.choice(("high", "medium", "low")),
                                                  (date.today() + timedelta(days=rng.randint(-60, 200))).isoformat()))
        for template in rng.sample(templates, 6):
            # Most checkpoints of earlier phases are signed; about a third wait for someone.
            state = rng.choices(("open", "prepared", "rejected", "approved"), (15, 10, 5, 70))[0]
            due = (now + timedelta(days=rng.randint(-30, 60))).isoformat()
            conn.execute("INSERT INTO checkpoints (procurement_id, template_id, trigger, state, round, answers,"
                         " prepared_by_id, due_at, created_at) VALUES (?, ?, 'manual', ?, 1, '{}', ?, ?, ?)",
                         (p, template, state, officer if state != "open" else None, due, stamp))
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    return {"organisations": ORGANISATIONS, "persons": persons, "outcomes": len(outcomes), "procurements": PROCUREMENTS}


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank) of the values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def measure(base: str, role: str, path: str, n: int) -> list[float]:
    """Sign in as the role and time n requests of the path, in milliseconds."""
    session = requests.Session()
    response = session.post(f"{base}/login", data={"username": role, "password": PASSWORD}, allow_redirects=False)
    assert response.status_code == 302, response.text[:300]
    session.get(f"{base}{path}").raise_for_status()  # warm up (templates compiled, caches filled)
    times = []
    for _ in range(n):
        started = time.perf_counter()
        response = session.get(f"{base}{path}")
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return times


def main(argv: list[str]) -> int:
    from vetting import create_app
    from vetting.db import connect, upgrade
    from vetting.domain import users
    from vetting.domain.audit import SYSTEM

    quick = "--quick" in argv
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
    n = 40 if quick else 200  # 40 requests give a rough p95 only: --quick reports but never fails
    rng = random.Random(20260501)
    with tempfile.TemporaryDirectory(prefix="vetting-bench-") as tmp:
        path = Path(tmp) / "bench.sqlite3"
        app = create_app({"DATABASE": str(path), "SECRET_KEY": "bench-secret-key-0123456789abcdef",
                          "WTF_CSRF_ENABLED": False, "SESSION_COOKIE_SECURE": False})
        db = connect(path)
        upgrade(db)
        for role in ROLES:
            users.create_user(db, SYSTEM, username=role, password=PASSWORD, roles=[role], display_name=role,
                              hash_method="pbkdf2:sha256:1000")
        started = time.perf_counter()
        counts = fill(db, rng)
        print(f"filled in {time.perf_counter() - started:.1f} s: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()))
        db.conn.close()

        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        base = f"http://127.0.0.1:{server.server_port}"
        worst = 0.0
        try:
            for path_ in ("/dashboard/", "/"):
                for role in ROLES:
                    times = measure(base, role, path_, n)
                    p50, p95, p99 = (percentile(times, q) for q in (50, 95, 99))
                    worst = max(worst, p95) if path_ == "/dashboard/" else worst
                    print(f"GET {path_:<12} as {role:<20} n={n}: p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  "
                          f"p99 {p99:6.1f} ms  mean {statistics.fmean(times):6.1f} ms")
            for query in ("leverantör bygg", "anna 1970", "UH-2026-01", "5500001234"):
                times = measure(base, "security_officer", f"/search/?q={query}", max(10, n // 4))
                print(f"GET /search/?q={query!r:<20} p50 {percentile(times, 50):6.1f} ms  p95 {percentile(times, 95):6.1f} ms")
        finally:
            server.shutdown()
            server.server_close()
    print(f"dashboard p95, worst role: {worst:.1f} ms (target < 150 ms): {'OK' if worst < 150 else 'TOO SLOW'}")
    return 0 if worst < 150 or quick else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
