"""PDF report benchmark: a procurement with 200 organisations (2 key persons and a few outcomes each).

Fills a temporary database through the domain functions (so every outcome has its evidence and
audit entry), then times the three stages of a download as a security officer (who sees the most:
key persons named, with their own checks): gathering the data, the Jinja template, WeasyPrint's
layout and PDF. Prints seconds and the page count; the goal is under 10 s. `--quick`: 40 organisations.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
GOAL_SECONDS = 10.0


def seed(db, organisations_count: int) -> int:  # type: ignore[no-untyped-def]
    """A procurement whose chain has ``organisations_count`` organisations: bidders with 3 subcontractors each."""
    from checks import Evidence, Finding, Outcome, Status
    from vetting.domain import organisations, procurements
    from vetting.domain.audit import SYSTEM
    from vetting.domain.screening import all_checks, store_outcome, subject_of
    from vetting.store import organisations as org_store
    from vetting.store import write_transaction

    checks = all_checks()
    now = datetime.now(timezone.utc)

    def outcome(kind: str, subject_id: int, check_id: str, status: str, findings=(), reason=None,  # type: ignore[no-untyped-def]
                version=None, matches=()):
        body = json.dumps({"subject": subject_id, "check": check_id}).encode()
        evidence = Evidence(check_id, now, Evidence.digest(body), body, list_version=version,
                            media_type="application/json")
        store_outcome(db, SYSTEM, subject_of(db, kind, subject_id), checks[check_id],
                      Outcome(Status(status), tuple(findings), (evidence,), reason, tuple(matches)))

    with write_transaction(db):
        procurement_id = procurements.create(db, SYSTEM, {"reference": "UH-2026-9000", "title": "Ramavtal lokalvård",
                                                          "phase": "evaluation", "estimated_value": 48_000_000})
        parent = None
        for i in range(organisations_count):
            org = organisations.create(db, SYSTEM, {"name": f"Leverantör {i:03d} AB", "country": "SE",
                                                     "address": f"Storgatan {i}, Sundsvall"})
            if i % 4 == 0:
                parent = procurements.add_participant(db, SYSTEM, procurement_id, org, "bidder")
            else:
                procurements.add_participant(db, SYSTEM, procurement_id, org, "subcontractor", parent, 10.0)
            for n, role in enumerate(("ceo", "board_member")):
                organisations.add_key_person(db, SYSTEM, org, {"name": f"Person {i:03d}-{n} Svensson", "role": role,
                                                               "birth_date": f"{1950 + (i + n) % 50}-0{1 + n}-15"})
            outcome("organisation", org, "se.bolagsverket", "clear", [
                Finding("company.status", "active", "Registered and active (AB Aktiebolag) since 2004-03-01"),
                Finding("company.registration_date", "2004-03-01", "Registered 2004-03-01")])
            matched = i % 10 == 0
            outcome("organisation", org, "sanctions", "possible_match" if matched else "clear",
                    [Finding("sanctions.possible_match", {"list": "un", "listed_id": f"QDe.{i}", "score": 0.86},
                             f"Leverantor {i} Trading (un QDe.{i}), score 0.86")] if matched else (),
                    version="2026-11-01",
                    matches=[{"list": "un", "listed_id": f"QDe.{i}", "level": "possible"}] if matched else ())
            outcome("organisation", org, "gleif", "not_applicable", reason="No LEI registered for the organisation")
            for person in org_store.key_persons(db, org):
                outcome("person", person["id"], "sanctions", "clear", version="2026-11-01")
    return procurement_id


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="40 organisations instead of 200")
    args = parser.parse_args(argv)
    count = 40 if args.quick else 200

    from flask import render_template

    from vetting import create_app
    from vetting.db import connect, upgrade
    from vetting.domain import control_areas, reports
    from vetting.domain.checkpoint_templates import templates as checkpoint_templates
    from vetting.domain.screening import all_checks
    from vetting.domain.audit import Actor
    from vetting.reports.pdf import render_pdf

    with tempfile.TemporaryDirectory() as tmp:
        database = str(Path(tmp) / "bench.sqlite3")
        app = create_app({"TESTING": True, "SECRET_KEY": "bench-secret-key-0123456789", "DATABASE": database})
        db = connect(database)
        upgrade(db)
        started = time.perf_counter()
        procurement_id = seed(db, count)
        print(f"seeded {count} organisations, {2 * count} key persons, {5 * count} outcomes "
              f"in {time.perf_counter() - started:.1f} s")
        with app.test_request_context("/"):
            cpu = time.process_time()
            t0 = time.perf_counter()
            report = reports.build(db, Actor(None, "bench", frozenset({"security_officer"})), procurement_id,
                                   personal_data=True, generated_by="Benchmark")
            t1 = time.perf_counter()
            # The context vetting/web/reports.py _pdf gives the template (the sign-off block and control areas).
            areas = control_areas.combined(control_areas.organisations_areas(
                db, list(dict.fromkeys(s.organisation["id"] for s in report.sections))))
            html = render_template("reports/procurement.html", report=report, checks=all_checks(),
                                   id_ranges=reports.id_ranges, checkpoint_templates=checkpoint_templates(),
                                   areas=areas, overall=control_areas.overall(areas), signoff=reports.signoff(report),
                                   agency=app.config["AGENCY_NAME"], logo="", language="sv")
            t2 = time.perf_counter()
            pdf = render_pdf(html, Path(app.static_folder or ROOT / "static"))
            t3 = time.perf_counter()
            cpu = time.process_time() - cpu
        db.conn.close()
    total = t3 - t0
    print(f"report of {count} organisations: gather {t1 - t0:.2f} s, template {t2 - t1:.2f} s, "
          f"WeasyPrint {t3 - t2:.2f} s; total {total:.2f} s ({cpu:.2f} s CPU) for {pdf.pages} pages "
          f"({len(pdf.data) / 1024:.0f} KiB)")
    verdict = "within" if total < GOAL_SECONDS else "OVER"
    print(f"{verdict} the goal of {GOAL_SECONDS:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
