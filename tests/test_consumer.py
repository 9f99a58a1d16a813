"""A real huey consumer process on SqliteHuey: it finishes batches, and a killed one's batch completes after restart."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import make_app
from vetting.db import connect
from vetting.domain import followup, lists
from vetting.domain.audit import SYSTEM
from vetting.store import followup as store

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "lists"


def _setup(tmp_path: Path, subjects: int) -> tuple[Path, int]:
    app = make_app(tmp_path)
    db = connect(app.config["DATABASE"])
    lists.import_list(db, SYSTEM, "un", [FIXTURES / "un_consolidated.xml"])
    from vetting.domain import organisations

    ids = [organisations.create(db, SYSTEM, {"name": f"Leverantör {i} AB", "country": "SE"}) for i in range(subjects)]
    batch_id = followup.start_batch(db, SYSTEM, "recheck", "consumer test", [("organisation", i) for i in ids], None,
                                    ("sanctions",))
    db.conn.close()
    return Path(app.config["DATABASE"]), batch_id


def _consumer(database: Path, pause: float) -> subprocess.Popen[bytes]:
    env = {**os.environ, "VETTING_DATABASE": str(database), "VETTING_QUEUE_FILE": str(database.parent / "queue.db"),
           "VETTING_SECRET_KEY": "consumer-test-secret-0123456789", "VETTING_FOLLOWUP_ITEM_PAUSE": str(pause),
           "VETTING_FOLLOWUP_CHUNK_SIZE": "3"}
    with (database.parent / "consumer.log").open("ab") as log:
        # The child keeps its own copy of the log's descriptor; ours closes at once.
        return subprocess.Popen([sys.executable, "-m", "vetting.consumer", "-w", "2", "-k",
                                 "thread"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def _progress(database: Path, batch_id: int) -> dict:
    db = connect(database)
    try:
        return store.batch(db, batch_id)
    finally:
        db.conn.close()


def _wait(database: Path, batch_id: int, until, timeout: float = 60.0) -> dict:
    deadline = time.time() + timeout
    while time.time() < deadline:
        row = _progress(database, batch_id)
        if until(row):
            return row
        time.sleep(0.1)
    raise AssertionError(f"batch did not get there in time: {_progress(database, batch_id)}")


def _stop(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    process.send_signal(sig)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _outcomes_per_item(database: Path, batch_id: int) -> list[int]:
    db = connect(database)
    try:
        return [r[0] for r in db.execute(
            "SELECT count(o.id) FROM batch_items i LEFT JOIN outcomes o ON o.batch_item_id = i.id"
            " WHERE i.batch_id = ? GROUP BY i.id", [batch_id])]
    finally:
        db.conn.close()


def test_real_consumer_finishes_a_batch(tmp_path):
    database, batch_id = _setup(tmp_path, 6)
    consumer = _consumer(database, 0)
    try:
        row = _wait(database, batch_id, lambda r: r["state"] == "done")
    finally:
        _stop(consumer)
    assert row["done"] == 6 and _outcomes_per_item(database, batch_id) == [1] * 6


def test_killed_consumer_batch_completes_after_restart_without_duplicates(tmp_path):
    database, batch_id = _setup(tmp_path, 24)
    first = _consumer(database, 0.15)
    try:
        partial = _wait(database, batch_id, lambda r: r["done"] >= 4)
    finally:
        _stop(first, signal.SIGKILL)  # no chance to clean up: as a crash or a power cut would leave it
    partial = _progress(database, batch_id)
    assert 0 < partial["done"] < 24 and partial["state"] == "running"
    second = _consumer(database, 0)
    try:
        row = _wait(database, batch_id, lambda r: r["state"] == "done")
    finally:
        _stop(second)
    assert row["done"] == 24
    assert _outcomes_per_item(database, batch_id) == [1] * 24


if sys.platform == "win32":  # pragma: no cover
    pytestmark = pytest.mark.skip("signals")
