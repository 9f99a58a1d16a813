"""Migration 0019 keeps the exclusion cases that existed readable: grounds, hearing, self-cleaning and decision
move to the new tables, and the decision keeps blocking the award."""
from __future__ import annotations

import json

from vetting.db import connect
from vetting.domain.blockers import exclusion_blockers
from vetting.domain.exclusion.decisions import in_force
from vetting.migrations import migrations
from vetting.store import exclusion as store
from vetting.store import risk as risk_store

GROUNDS = [{"indicator": "EX-01", "legal_basis": "LOU 13:1", "name": {"sv": "Dom", "en": "Conviction"}, "detail": "x"},
           {"indicator": "EX-03", "legal_basis": "LOU 13:3 p. 2", "name": {"sv": "Konkurs"}, "detail": None}]


def _old_case(db, decision):
    now = "2026-01-05T10:00:00+00:00"
    db.execute("INSERT INTO procurements (reference, title, created_at, updated_at) VALUES ('UH-1', 'Städ', ?, ?)",
               [now, now])
    db.execute("INSERT INTO organisations (name, country, created_at, updated_at) VALUES ('Bygg AB', 'SE', ?, ?)",
               [now, now])
    assessment = risk_store.insert_assessment(
        db, procurement_id=1, organisation_id=1, model_version="1", model_sha256="0" * 64, level="exclusion_assessment",
        total=0, multiplier=1, results=[], reasons=[], facts={}, prepared_by="anna", prepared_by_id=None)
    db.execute("INSERT INTO exclusion_cases (assessment_id, procurement_id, organisation_id, grounds, hearing, self_cleaning,"
               " decision, reason, decided_by, decided_at, created_at) VALUES (?, 1, 1, ?, ?, ?, ?, ?, ?, ?, ?)",
               [assessment, json.dumps(GROUNDS), "Hörd per telefon 3 jan", "Ny vd sedan december", decision,
                "Dom för bestickning", "anna", "2026-01-10T09:00:00+00:00", now])


def test_existing_cases_move_to_the_new_tables_and_stay_readable(tmp_path):
    db = connect(tmp_path / "old.db")
    migrations.apply(db, stop_before="0019_exclusion_law")
    _old_case(db, "exclude")
    migrations.apply(db)
    [case] = store.cases(db, 1, 1)
    grounds = store.grounds(db, [case["id"]])
    assert [(g["indicator"], g["ground"]) for g in grounds] == [("EX-01", "13:1"), ("EX-03", "13:3:2")]
    [hearing] = store.communications(db, [case["id"]])
    assert hearing["content"] == "Hörd per telefon 3 jan" and hearing["legacy"] == 1
    assert store.self_cleanings(db, [case["id"]])[0]["legacy_text"] == "Ny vd sedan december"
    [decision] = store.decisions(db, [case["id"]])
    assert (decision["outcome"], decision["reasons"], decision["prepared_by"]) == ("exclude", "Dom för bestickning", "anna")
    assert in_force(db, 1, 1)[1]["id"] == decision["id"]
    assert exclusion_blockers(db, 1, 1, "Bygg AB")
    db.conn.close()


def test_an_undecided_old_case_stays_undecided(tmp_path):
    db = connect(tmp_path / "old.db")
    migrations.apply(db, stop_before="0019_exclusion_law")
    _old_case(db, None)
    migrations.apply(db)
    assert [c["id"] for c in store.undecided_cases(db, 1)] == [1]
    db.conn.close()
