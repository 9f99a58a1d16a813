"""A background chunk stores its outcomes in bulk: the database ends exactly as when each item is stored on its own."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from conftest import make_app

from vetting.db import close_connections, connect
from vetting.domain import followup, lists, organisations, procurements, risk, screening
from vetting.domain.audit import SYSTEM
from vetting.store import followup as followup_store

FIXTURES = Path(__file__).parent / "fixtures" / "lists"
COMPANIONS = [FIXTURES / "ofac_alt.csv", FIXTURES / "ofac_add.csv"]
SETTINGS = {"SCREENING_POSSIBLE_THRESHOLD": 0.80, "SCREENING_HIT_THRESHOLD": 0.93, "FOLLOWUP_ITEM_PAUSE": 0,
            "FOLLOWUP_CHUNK_SIZE": 50}
NEW_ROW = (b'9001,"NORRSKEN TESTHANDEL AB",-0- ,"RUSSIA-EO14024",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
           b'"Registration Number 5599887766 (Sweden)."\r\n')
# Written at the moment of writing (and the audit chain's hashes, which cover them): the only columns that may differ.
CLOCK_COLUMNS = {"at", "hash", "prev_hash", "fetched_at", "created_at", "done_at", "finished_at", "decided_at",
                 "updated_at", "opened_at", "imported_at"}
MOMENT = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?(\+00:00|Z)?")


def _unclocked(value: Any) -> Any:
    """A value with the moments written into it (an audit entry's copy of a row, a JSON body) blanked."""
    return MOMENT.sub("<moment>", value) if isinstance(value, str) else value


def _run(db: Any, batch_id: int, chunked: bool) -> None:
    pending = [item["id"] for item in followup_store.pending_items(db, batch_id)]
    if chunked:
        assert followup.process_items(db, pending, SETTINGS) == len(pending)
    else:
        for item_id in pending:
            assert followup.process_item(db, item_id, SETTINGS)


def _newest(db: Any, kind: str, subject_id: int) -> dict[str, Any]:
    return next(db.query("SELECT * FROM outcomes WHERE check_id = 'sanctions' AND subject_kind = ? AND subject_id = ?"
                         " ORDER BY id DESC LIMIT 1", [kind, subject_id]))


def _scenario(base: Path, chunked: bool) -> tuple[dict[str, list[tuple[Any, ...]]], dict[str, str]]:
    """Screen a contract's parties, decide on matches, update the list, re-screen by delta and in full; return
    every table's rows (clock columns left out) and the statuses seen after the first screening."""
    base.mkdir()
    app = make_app(base)
    db = connect(app.config["DATABASE"])
    try:
        with app.app_context():
            lists.import_list(db, SYSTEM, "un", [FIXTURES / "un_consolidated.xml"])  # two lists: two evidence pieces
            lists.import_list(db, SYSTEM, "ofac-sdn", [FIXTURES / "ofac_sdn.csv", *COMPANIONS])
            names = {"hit": ("Aerotest Airlines", "CU"), "possible": ("Aerotest Airlines", "SE"),
                     "removed": ("Test Bank PJSC", "RU"), "added": ("Norrsken Testhandel AB", "SE"),
                     "clear": ("Helt Annat Bygg AB", "SE")}
            org = {role: organisations.create(db, SYSTEM, {"name": name, "country": country, "address": "Storgatan 1"})
                   for role, (name, country) in names.items()}
            organisations.add_key_person(db, SYSTEM, org["clear"], {"name": "Karin Lund", "role": "ceo",
                                                                   "birth_date": "1970"})
            contract = procurements.create(db, SYSTEM, {"reference": "UH-2026-0001", "title": "Bevakning",
                                                        "phase": "need"})
            for organisation_id in org.values():
                procurements.add_participant(db, SYSTEM, contract, organisation_id, "awarded")
            db.execute("UPDATE procurements SET phase = 'signed' WHERE id = ?", [contract])
            first = followup.start_nightly_rescreen(db)
            assert first is not None
            _run(db, first, chunked)
            seen = {role: _newest(db, "organisation", organisation_id)["status"] for role, organisation_id in org.items()}
            # Assessed cases go stale, and are assessed again, when a party's screening status changes.
            risk.assess_procurement(db, SYSTEM, contract)
            # An officer confirms the hit and dismisses the possible match (one person may, below the hit level).
            for role, decision in (("hit", "confirmed"), ("possible", "dismissed")):
                outcome = _newest(db, "organisation", org[role])
                match = json.loads(outcome["explanation"])[0]
                screening.decide(db, SYSTEM, outcome["id"], match["list"], match["listed_id"], decision, "Granskat")
            # The next version removes the bank and adds a company named like a supplier: re-screened by delta...
            sdn = base / "sdn.csv"
            lines = (FIXTURES / "ofac_sdn.csv").read_bytes().splitlines(keepends=True)
            sdn.write_bytes(b"".join(line for line in lines if not line.startswith(b"8002,")).rstrip(b"\x1a\r\n")
                            + b"\r\n" + NEW_ROW)
            summary = lists.import_list(db, SYSTEM, "ofac-sdn", [sdn, *COMPANIONS], settings=SETTINGS)
            assert summary["batch_id"]
            _run(db, summary["batch_id"], chunked)
            # ...and the nightly safety net screens everyone again.
            nightly = followup.start_nightly_rescreen(db)
            assert nightly is not None
            _run(db, nightly, chunked)
            role_of = {("organisation", organisation_id): role for role, organisation_id in org.items()}
            queue = [(role_of.get((i["outcome"]["subject_kind"], i["outcome"]["subject_id"])), i["match"]["listed_id"],
                      i["match"]["level"]) for i in screening.open_reviews(db)]
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                                           " AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_%' ESCAPE '\\'"
                                           " AND name != 'list_index_cache' ORDER BY name")]  # not written by screening
        dump: dict[str, list[tuple[Any, ...]]] = {"review queue": queue}  # type: ignore[dict-item]
        for table in tables:
            columns = [r[1] for r in db.execute(f"PRAGMA table_info({table})") if r[1] not in CLOCK_COLUMNS]
            dump[table] = sorted((tuple(_unclocked(v) for v in row)
                                  for row in db.execute(f"SELECT {', '.join(columns)} FROM {table}")),
                                 key=repr)  # ids are kept: the order of rows is in them
        return dump, seen
    finally:
        db.conn.close()
        close_connections(app)


def test_a_chunk_stored_in_bulk_leaves_the_same_outcomes_matches_alerts_and_audit_as_one_item_at_a_time(tmp_path):
    bulk, seen = _scenario(tmp_path / "bulk", chunked=True)
    single, seen_single = _scenario(tmp_path / "single", chunked=False)
    # The set is mixed: a hit, a possible match, clear subjects, a match on an entry the update removes.
    assert seen == seen_single == {"hit": "hit", "possible": "possible_match", "removed": "hit", "added": "clear",
                                   "clear": "clear"}
    # Six subjects screened first, the two the update concerns by delta, all six again at night.
    assert len(bulk["outcomes"]) == 6 + 2 + 6 and len(bulk["evidence"]) == 2 * len(bulk["outcomes"])
    assert any("NORRSKEN" in str(a) for a in bulk["alerts"])  # the added entry raised its alert on the contract
    assert len(bulk["stale_assessments"]) > 0  # status changes made the assessed cases stale
    # Only the added entry's match waits for review: the removed entry's match is retired, the confirmed hit is not
    # queued again, the dismissed possible match stays quiet.
    assert bulk["review queue"] == [("added", "9001", "possible")]
    for table in sorted(set(bulk) | set(single)):
        assert bulk.get(table) == single.get(table), table
