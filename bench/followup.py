"""Nightly re-screen benchmark: 10,000 organisations and 50,000 key persons against every list, two worker threads.

Loads the lists from ../shared/data (no registers: only the sanctions check runs), fills a
temporary database, runs one follow-up batch over every subject with two worker threads (as a
huey consumer with ``-w 2 -k thread`` would), then imports a changed UN list that adds and
removes known entries: each import re-screens by delta (the subjects the changed entries may
concern, found by querying every stored subject against an index of the delta, then screened in
full by the same two workers). Prints time and throughput, and for the nightly batch the CPU the
process spent (all threads: what the machine's other load does not inflate), the SQL statements per
subject as SQLite runs them (a row of a bulk insert counts as one) and how long the workers held the
write lock and waited for it in SQLite (``--threads 1`` for the same with one worker).
"""
from __future__ import annotations

import argparse
import queue
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data"

LIST_FILES = {
    "un": ["un-sc/consolidated.xml"],
    "ofac-sdn": ["ofac-sdn/sdn.csv", "ofac-sdn/alt.csv", "ofac-sdn/add.csv"],
    "ofac-xml": ["ofac-sdn/cons_consolidated.xml"],
    "eu": ["eu-fsf/xmlFullSanctionsList_1_1_subset_2026-08-05.xml"],
    "uk": ["uk-sanctions/UK-Sanctions-List_subset_2026-08-14.xml"],
    "opensanctions": ["opensanctions/yente_t1_entities.ftm.json"],
    "worldbank": ["worldbank-debarred/world_bank_listing_of_ineligible_firms_and_individuals.xlsx"],
}
FIRST = ["Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Eva", "Per", "Sara", "Olof", "Fatima", "Ahmed", "Ivan"]
LAST = ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson",
        "Gustafsson", "Pettersson", "Jonsson", "Hassan", "Petrov", "Berg", "Lind", "Holm", "Ek", "Sjöberg", "Wallin"]


def build(workdir: Path, organisations: int, persons_per_org: int, rng: random.Random):
    """A migrated database with lists, contracts, organisations and key persons."""
    from vetting import create_app
    from vetting.db import connect, upgrade
    from vetting.domain import lists
    from vetting.domain.audit import SYSTEM
    from vetting.store import organisations as org_store
    from vetting.store import procurements as proc_store
    from vetting.store import write_transaction

    database = workdir / "bench.sqlite3"
    app = create_app({"TESTING": True, "SECRET_KEY": "bench" * 8, "DATABASE": str(database)})
    db = connect(database)
    upgrade(db)
    started = time.perf_counter()
    for source, files in LIST_FILES.items():
        lists.import_list(db, SYSTEM, source, [DATA / f for f in files])
    print(f"lists imported in {time.perf_counter() - started:.1f} s")
    listed = [row["name"] for row in db.query("SELECT name FROM list_entries WHERE kind = 'person' LIMIT 2000")]
    started = time.perf_counter()
    with write_transaction(db):
        contract = None
        for i in range(organisations):
            if i % 20 == 0:
                contract = proc_store.insert(db, {"reference": f"B-{i}", "title": "Bench", "phase": "signed"})
            oid = org_store.insert(db, {"name": f"{rng.choice(LAST)} {rng.choice(['Bygg', 'Städ', 'Transport', 'Vakt'])} {i} AB",
                                        "country": "SE"})
            proc_store.insert_participant(db, procurement_id=contract, organisation_id=oid, role="awarded",
                                          parent_id=None, share_percent=None)
            for j in range(persons_per_org):
                # A few real listed names among the key persons, so the lists have something to find.
                name = rng.choice(listed) if rng.random() < 0.002 else f"{rng.choice(FIRST)} {rng.choice(LAST)}"
                pid = org_store.insert_person(db, {"name": name, "birth_date": str(rng.randint(1950, 2000))})
                org_store.insert_key_role(db, oid, pid, "board_member", "bench")
    print(f"{organisations:,} organisations and {organisations * persons_per_org:,} key persons stored in "
          f"{time.perf_counter() - started:.1f} s")
    return app, database


class Costs:
    """What the workers spent besides wall time: CPU of the process (all threads; others' load does not count),
    SQL statements, and the write lock: seconds held (BEGIN IMMEDIATE to COMMIT) and seconds waited for it."""

    def __init__(self) -> None:
        self.cpu = self.held = self.waited = 0.0
        self.statements = self.transactions = 0
        self._lock = threading.Lock()
        self._since: dict[int, float] = {}

    def watch(self, conn) -> None:
        def traced(sql: str) -> None:
            with self._lock:
                self.statements += 1
                if sql in ("COMMIT", "ROLLBACK") and threading.get_ident() in self._since:
                    self.held += time.perf_counter() - self._since.pop(threading.get_ident())
        conn.conn.set_trace_callback(traced)

    def begin(self, original):
        def begin_immediate(db) -> None:
            started = time.perf_counter()
            original(db)
            now = time.perf_counter()
            with self._lock:
                self.waited += now - started
                self.transactions += 1
                self._since[threading.get_ident()] = now
        return begin_immediate

    def line(self, items: int) -> str:
        return (f"  CPU {self.cpu:.1f} s (all threads), {self.statements / max(items, 1):.1f} SQL statements per subject,"
                f" {self.transactions} write transactions holding the write lock {self.held:.1f} s in all,"
                f" {self.waited:.1f} s waited for it")


def run_batch(app, database: Path, description: str, threads: int, batch_id: int | None = None,
              costs: Costs | None = None) -> tuple[float, int]:
    """One batch over every organisation and person (or the recorded ``batch_id``), processed by ``threads``
    workers; return (seconds, items). ``costs``, when given, collects CPU, statements and write-lock time."""
    from vetting import store as store_package
    from vetting.db import connect
    from vetting.domain import followup
    from vetting.domain.audit import SYSTEM
    from vetting.store import followup as store

    db = connect(database)
    if batch_id is None:
        subjects = [("organisation", r[0]) for r in db.execute("SELECT id FROM organisations")]
        subjects += [("person", r[0]) for r in db.execute("SELECT id FROM persons")]
        batch_id = followup.start_batch(db, SYSTEM, "bench", description, subjects, None, ("sanctions",))
    items: queue.Queue[list[int]] = queue.Queue()
    pending = [item["id"] for item in store.pending_items(db, batch_id)]
    size = int(app.config["FOLLOWUP_CHUNK_SIZE"])
    for i in range(0, len(pending), size):
        items.put(pending[i:i + size])  # as enqueue_batch hands chunks to the consumer's workers
    settings = {**app.config}

    def worker() -> None:
        conn = connect(database)
        if costs is not None:
            costs.watch(conn)
        with app.app_context():
            while True:
                try:
                    chunk = items.get_nowait()
                except queue.Empty:
                    break
                followup.process_items(conn, chunk, settings)
        conn.conn.close()

    original = store_package._begin_immediate
    if costs is not None:
        store_package._begin_immediate = costs.begin(original)
    started, cpu = time.perf_counter(), time.process_time()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    spent = time.perf_counter() - started
    store_package._begin_immediate = original
    if costs is not None:
        costs.cpu = time.process_time() - cpu
    assert store.batch(db, batch_id)["state"] == "done"
    total = store.batch(db, batch_id)["total"]
    db.conn.close()
    return spent, total


def changed_un_list(workdir: Path, add_names: list[str], remove: int, change: int = 0) -> Path:
    """The UN file with some entries removed, ``change`` entries' comments changed and new ones
    (named like stored key persons) added."""
    text = (DATA / "un-sc" / "consolidated.xml").read_text(encoding="utf-8")
    for _ in range(remove):
        start = text.index("<INDIVIDUAL>")
        text = text[:start] + text[text.index("</INDIVIDUAL>", start) + len("</INDIVIDUAL>"):]
    at = 0
    for i in range(change):
        at = text.index("</REFERENCE_NUMBER>", at) + len("</REFERENCE_NUMBER>")
        text = text[:at] + f"<COMMENTS1>Bench change {i}.</COMMENTS1>" + text[at:]
    added = "".join(
        f"<INDIVIDUAL><DATAID>{990000 + i}</DATAID><VERSIONNUM>1</VERSIONNUM><FIRST_NAME>{n.split()[0]}</FIRST_NAME>"
        f"<SECOND_NAME>{n.split()[-1]}</SECOND_NAME><UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE>"
        f"<REFERENCE_NUMBER>QDi.B{i}</REFERENCE_NUMBER><LISTED_ON>2026-11-01</LISTED_ON></INDIVIDUAL>"
        for i, n in enumerate(add_names))
    text = text.replace("<INDIVIDUALS>", "<INDIVIDUALS>" + added, 1)
    path = workdir / "un-changed.xml"
    path.write_text(text, encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1,000 organisations and 5,000 persons")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    if not DATA.is_dir():
        print(f"Skipped: the real list files are not in {DATA}.")
        return 0
    organisations = 1_000 if args.quick else 10_000
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        app, database = build(workdir, organisations, 5, rng)
        costs = Costs()
        spent, n = run_batch(app, database, "nightly re-screen", args.threads, costs=costs)
        print(f"nightly re-screen: {n:,} subjects in {spent:.1f} s with {args.threads} worker threads "
              f"({n / spent:,.0f} subjects/s){'' if args.quick else '  (goal: under 60 s)'}")
        print(costs.line(n))
        from vetting.db import connect
        from vetting.domain import lists
        from vetting.domain.audit import SYSTEM

        db = connect(database)
        names = [r[0] for r in db.execute("SELECT name FROM persons ORDER BY id LIMIT 5")]
        alerts_before = db.execute("SELECT count(*) FROM alerts").fetchone()[0]
        # The import itself finds the subjects the delta concerns and records them as a batch (on this bare
        # connection nothing is queued); the workers then screen them in full, as after any import.
        started = time.perf_counter()
        summary = lists.import_list(db, SYSTEM, "un", [changed_un_list(workdir, names, 0, change=25)],
                                    settings={**app.config})
        imported = time.perf_counter() - started
        done = summary["rescreen"]
        spent, screened = run_batch(app, database, "", args.threads, summary["batch_id"]) if summary["batch_id"] else (0.0, 0)
        query = summary["rescreen_query_seconds"]
        print(f"delta re-screen after a UN update adding {done['added']} and changing {done['changed']} entries: "
              f"{organisations:,} organisations and {organisations * 5:,} key persons queried against the delta in "
              f"{query:.2f} s, {screened} screened in full in {spent:.2f} s with {args.threads} worker threads: "
              f"{query + spent:.2f} s (goal: under 5 s); the import with it took {imported:.1f} s")
        alerts = db.execute("SELECT count(*) FROM alerts").fetchone()[0] - alerts_before
        print(f"  {alerts} alerts raised on contracts by the new entries named like stored key persons")
        summary = lists.import_list(db, SYSTEM, "un", [changed_un_list(workdir, names, 25)], settings={**app.config})
        spent, screened = run_batch(app, database, "", args.threads, summary["batch_id"]) if summary["batch_id"] else (0.0, 0)
        done = summary["rescreen"]
        print(f"the next UN update (removing 25 entries, the 25 changes undone): {done['removed']} removed and "
              f"{done['changed']} changed, {screened} subjects screened in full in "
              f"{summary['rescreen_query_seconds'] + spent:.2f} s")
        db.conn.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
