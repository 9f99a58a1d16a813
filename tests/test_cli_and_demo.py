"""Command line: users create; demo data set."""
from __future__ import annotations

from vetting.store import users as user_store


def test_users_create_reads_password_from_stdin(runner, db):
    result = runner.invoke(args=["users", "create", "sara", "--role", "security_officer", "--role", "reviewer",
                                 "--password-stdin"], input="ett långt lösenord\n")
    assert result.exit_code == 0, result.output
    assert user_store.get_by_username(db, "sara")["roles"] == ["reviewer", "security_officer"]


def test_users_create_refuses_short_password(runner):
    result = runner.invoke(args=["users", "create", "sara", "--role", "reviewer", "--password-stdin"], input="kort\n")
    assert result.exit_code == 1 and "at least 12" in result.output


def test_users_create_refuses_unknown_role(runner):
    result = runner.invoke(args=["users", "create", "sara", "--role", "boss", "--password-stdin"], input="x" * 20)
    assert result.exit_code == 2


def test_demo_creates_every_role_once_and_a_deep_chain(app, runner, db):
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0
    roles = {r[0] for r in db.execute("SELECT role FROM user_roles")}
    assert roles == {"procurement_officer", "security_officer", "reviewer", "auditor", "admin"}
    depth = db.execute("""WITH RECURSIVE chain(id, depth) AS (
        SELECT id, 0 FROM participants WHERE parent_id IS NULL
        UNION ALL SELECT p.id, chain.depth + 1 FROM participants p JOIN chain ON p.parent_id = chain.id)
        SELECT max(depth) FROM chain""").fetchone()[0]
    assert depth >= 3
    assert {r[0] for r in db.execute("SELECT DISTINCT country FROM organisations")} >= {"SE", "NO", "GB"}
    second = runner.invoke(args=["demo", "load"])
    assert "already loaded" in second.output
    assert db.execute("SELECT count(*) FROM users").fetchone()[0] == 5


def test_printed_demo_password_signs_in(app, runner, client):
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"
    output = runner.invoke(args=["demo", "load"]).output
    line = next(line for line in output.splitlines() if line.strip().startswith("upphandlare"))
    password = line.split()[1]
    assert client.post("/login", data={"username": "upphandlare", "password": password}).status_code == 302
