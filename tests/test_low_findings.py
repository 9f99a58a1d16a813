"""Finding 10 (low): what a user types by mistake does not end up in the audit log, URLs or logs."""
from __future__ import annotations


def test_a_password_typed_into_the_user_name_box_is_not_kept(client, accounts, db):
    client.post("/login", data={"username": "Vinter2026!hemligt", "password": "x"})
    dump = "".join(str(tuple(r)) for r in db.execute("SELECT * FROM audit_log"))
    dump += "".join(str(tuple(r)) for r in db.execute("SELECT * FROM login_attempts"))
    assert "Vinter2026!hemligt" not in dump and "vinter2026!hemligt" not in dump
    assert db.execute("SELECT count(*) FROM audit_log WHERE action = 'auth.login_failed'").fetchone()[0] == 1


def test_a_known_user_names_failures_are_still_recorded_by_name(client, accounts, db):
    client.post("/login", data={"username": "reviewer", "password": "wrong"})
    assert db.execute("SELECT username FROM login_attempts").fetchone()[0] == "reviewer"
