"""Finding 7: the audit chain is keyed with a key outside the database and its head is anchored outside it, so
``audit verify`` notices deleted newest entries and a chain re-computed without the key."""
from __future__ import annotations

import hashlib
import json
import sqlite3

from vetting.domain.audit import SYSTEM, record
from vetting.store import audit as audit_store

FIELDS = ("at", "actor_id", "actor", "action", "record_type", "record_id", "before_json", "after_json", "reason",
          "prev_hash")


def _entries(db, n=5):
    return [record(db, SYSTEM, "test.action", "procurement", i, after={"n": i}) for i in range(n)]


def _attacker(app):
    """A connection as someone with write access to the database file (not to the key or the anchor file)."""
    conn = sqlite3.connect(app.config["DATABASE"])
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("DROP TRIGGER audit_log_no_delete")
    return conn


def _recompute_without_key(conn, *, mark_unkeyed: bool):
    """Rebuild every hash with plain SHA-256, as the chain was computed before it was keyed."""
    previous = "0" * 64
    rows = conn.execute(f"SELECT id, {', '.join(FIELDS)} FROM audit_log ORDER BY id").fetchall()
    for row in rows:
        values = list(row[1:])
        values[-1] = previous
        digest = hashlib.sha256(json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode()).hexdigest()
        conn.execute("UPDATE audit_log SET prev_hash = ?, hash = ?" + (", keyed = 0" if mark_unkeyed else "")
                     + " WHERE id = ?", [previous, digest, row[0]])
        previous = digest
    conn.commit()


def test_deleting_the_newest_entries_is_noticed(app, runner, db):
    ids = _entries(db)
    assert runner.invoke(args=["audit", "anchor"]).exit_code == 0
    conn = _attacker(app)
    conn.execute("DELETE FROM audit_log WHERE id >= ?", [ids[-2]])
    conn.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and f"entry {ids[-1]}" in result.output and "deleted" in result.output


def test_a_chain_recomputed_without_the_key_is_noticed(app, runner, db):
    ids = _entries(db)
    conn = _attacker(app)
    conn.execute("UPDATE audit_log SET after_json = '{\"n\": 99}' WHERE id = ?", [ids[1]])
    _recompute_without_key(conn, mark_unkeyed=False)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "altered" in result.output


def test_a_chain_recomputed_as_if_never_keyed_is_noticed_by_the_anchor(app, runner, db):
    _entries(db)
    runner.invoke(args=["audit", "anchor"])
    conn = _attacker(app)
    conn.execute("UPDATE audit_log SET actor = 'someone else'")
    _recompute_without_key(conn, mark_unkeyed=True)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "re-computed" in result.output


def test_entries_from_before_the_key_keep_verifying(app, runner, db):
    key = audit_store._KEY
    audit_store.configure(None)
    try:
        _entries(db, 3)  # as written before this release
    finally:
        audit_store.configure(key)
    _entries(db, 3)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "6 entries verified" in result.output
    assert [r[0] for r in db.execute("SELECT keyed FROM audit_log ORDER BY id")] == [0, 0, 0, 1, 1, 1]


def test_the_key_is_not_in_the_database(app, db):
    _entries(db, 1)
    key = audit_store._KEY.hex()
    dump = "\n".join(db.conn.iterdump())
    assert key not in dump


def test_requests_anchor_the_head(app, login_as, db, tmp_path):
    login_as("procurement_officer").get("/")
    anchors = (tmp_path / "audit-anchor.jsonl").read_text().splitlines()
    assert json.loads(anchors[-1])["id"] == db.execute("SELECT max(id) FROM audit_log").fetchone()[0]
