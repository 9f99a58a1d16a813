"""The audit log is hash-chained: altering or deleting a row is detected and named."""
from __future__ import annotations

import sqlite3

from vetting.domain.audit import SYSTEM, record


def _entries(db, n=3):
    return [record(db, SYSTEM, "test.action", "procurement", i, after={"n": i}) for i in range(n)]


def _tamper(app, sql, params=()):
    """Change the file as an attacker with file access would: around the append-only triggers."""
    conn = sqlite3.connect(app.config["DATABASE"])
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.execute(sql, params)
    conn.commit()
    conn.close()


def test_intact_log_verifies(runner, db):
    _entries(db)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "3 entries verified" in result.output


def test_altered_row_fails_verification_naming_it(app, runner, db):
    ids = _entries(db)
    _tamper(app, "UPDATE audit_log SET after_json = '{\"n\": 99}' WHERE id = ?", (ids[1],))
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"entry {ids[1]}" in result.output and "altered" in result.output


def test_deleted_row_fails_verification_naming_its_successor(app, runner, db):
    ids = _entries(db)
    _tamper(app, "DELETE FROM audit_log WHERE id = ?", (ids[1],))
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and f"entry {ids[2]}" in result.output


def test_the_app_cannot_update_or_delete_audit_rows(db):
    import pytest

    _entries(db, 1)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("UPDATE audit_log SET actor = 'someone else'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("DELETE FROM audit_log")


def test_changes_record_before_and_after(login_as, db, create_procurement):
    pid = create_procurement(title="Gammal titel")
    client = login_as("procurement_officer")
    client.post(f"/procurements/{pid}/edit", data={"reference": "UH-2026-0000", "title": "Ny titel", "currency": "SEK",
                                                   "protection_level": "none", "phase": "need", "responsible_user_id": 0})
    row = next(db.query("SELECT * FROM audit_log WHERE action = 'procurement.update'"))
    assert "Gammal titel" in row["before_json"] and "Ny titel" in row["after_json"]
    assert row["actor"] == "procurement_officer"


def test_auditor_page_lists_and_filters(login_as, db):
    _entries(db, 2)
    record(db, SYSTEM, "other.action")
    page = login_as("auditor").get("/audit/?action=test.action").get_data(as_text=True)
    # Actions are shown in words; a code without a word is made readable, never shown raw.
    assert page.count("<td>test action</td>") == 2 and "<td>other action</td>" not in page


def test_auditor_page_shows_a_broken_chain(app, login_as, db):
    ids = _entries(db)
    _tamper(app, "UPDATE audit_log SET actor = 'x' WHERE id = ?", (ids[0],))
    response = login_as("auditor").get("/audit/")
    assert response.status_code == 200 and 'role="alert"' in response.get_data(as_text=True)


def test_deferred_entries_are_chained_in_order_with_the_ids_record_gave(db):
    from vetting.domain.audit import deferred
    from vetting.store import write_transaction
    from vetting.store.audit import verify_chain

    record(db, SYSTEM, "test.before")
    with write_transaction(db), deferred(db):
        given = [record(db, SYSTEM, f"test.deferred.{i}", "thing", i, after={"i": i}) for i in range(3)]
        assert db.execute("SELECT count(*) FROM audit_log WHERE action LIKE 'test.deferred.%'").fetchone()[0] == 0
    rows = list(db.query("SELECT id, action FROM audit_log WHERE action LIKE 'test.deferred.%' ORDER BY id"))
    assert [(r["id"], r["action"]) for r in rows] == [(given[i], f"test.deferred.{i}") for i in range(3)]
    record(db, SYSTEM, "test.after")
    assert verify_chain(db)[1] is None


def test_deferred_entries_are_dropped_with_a_failed_transaction(db):
    from vetting.domain.audit import deferred
    from vetting.store import write_transaction

    try:
        with write_transaction(db), deferred(db):
            record(db, SYSTEM, "test.lost")
            raise ValueError("the work failed")
    except ValueError:
        pass
    assert db.execute("SELECT count(*) FROM audit_log WHERE action = 'test.lost'").fetchone()[0] == 0
