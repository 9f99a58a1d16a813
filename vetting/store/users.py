"""Users, their roles, server-side sessions and sign-in attempts."""
from __future__ import annotations

from typing import Any

import sqlite_utils

from . import utcnow


def _with_roles(db: sqlite_utils.Database, row: dict[str, Any] | None) -> dict[str, Any] | None:
    if row is None:
        return None
    row["roles"] = sorted(r[0] for r in db.execute("SELECT role FROM user_roles WHERE user_id = ?", [row["id"]]))
    return row


def get(db: sqlite_utils.Database, user_id: int) -> dict[str, Any] | None:
    """The user with this id and its roles, or None."""
    rows = list(db.query("SELECT * FROM users WHERE id = ?", [user_id]))
    return _with_roles(db, rows[0] if rows else None)


def get_by_username(db: sqlite_utils.Database, username: str) -> dict[str, Any] | None:
    """The user with this name (case-insensitive) and its roles, or None."""
    rows = list(db.query("SELECT * FROM users WHERE username = ?", [username]))
    return _with_roles(db, rows[0] if rows else None)


def insert(db: sqlite_utils.Database, *, username: str, display_name: str, email: str | None,
           password_hash: str, roles: list[str]) -> int:
    """Create a user with roles; the caller holds the transaction."""
    now = utcnow()
    cursor = db.execute(
        "INSERT INTO users (username, display_name, email, password_hash, active, created_at, password_changed_at)"
        " VALUES (?, ?, ?, ?, 1, ?, ?)",
        [username, display_name, email, password_hash, now, now],
    )
    user_id = int(cursor.lastrowid)
    set_roles(db, user_id, roles)
    return user_id


def set_roles(db: sqlite_utils.Database, user_id: int, roles: list[str]) -> None:
    """Replace the user's roles."""
    db.execute("DELETE FROM user_roles WHERE user_id = ?", [user_id])
    for role in sorted(set(roles)):
        db.execute("INSERT INTO user_roles (user_id, role) VALUES (?, ?)", [user_id, role])


def update(db: sqlite_utils.Database, user_id: int, **fields: Any) -> None:
    """Update columns of a user (display_name, email, active, password_hash...)."""
    if "password_hash" in fields:
        fields["password_changed_at"] = utcnow()
    assignments = ", ".join(f"{name} = ?" for name in fields)
    db.execute(f"UPDATE users SET {assignments} WHERE id = ?", [*fields.values(), user_id])


def all_users(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Every user with roles, by name."""
    return [_with_roles(db, row) for row in db.query("SELECT * FROM users ORDER BY username")]  # type: ignore[misc]


def users_with_role(db: sqlite_utils.Database, role: str) -> list[dict[str, Any]]:
    """Active users holding a role, by display name."""
    return list(db.query(
        "SELECT u.id, u.username, u.display_name FROM users u JOIN user_roles r ON r.user_id = u.id"
        " WHERE r.role = ? AND u.active = 1 ORDER BY u.display_name", [role]))


def create_session(db: sqlite_utils.Database, token_hash: str, user_id: int, client_address: str | None,
                   user_agent: str | None) -> None:
    """Record a new signed-in session."""
    now = utcnow()
    db.execute(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen, client_address, user_agent)"
        " VALUES (?, ?, ?, ?, ?, ?)", [token_hash, user_id, now, now, client_address, (user_agent or "")[:200]])


def get_session(db: sqlite_utils.Database, token_hash: str) -> dict[str, Any] | None:
    """The session row for a token hash, or None."""
    rows = list(db.query("SELECT * FROM sessions WHERE token_hash = ?", [token_hash]))
    return rows[0] if rows else None


def touch_session(db: sqlite_utils.Database, token_hash: str) -> None:
    """Mark the session as used now (idle timeout counts from here)."""
    db.execute("UPDATE sessions SET last_seen = ? WHERE token_hash = ?", [utcnow(), token_hash])


def revoke_session(db: sqlite_utils.Database, token_hash: str) -> None:
    """End one session."""
    db.execute("UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL", [utcnow(), token_hash])


def revoke_user_sessions(db: sqlite_utils.Database, user_id: int, keep: str | None = None) -> int:
    """End every open session of a user (but the one whose token hash is ``keep``); return how many were ended."""
    return db.execute("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL"
                      " AND token_hash IS NOT ?", [utcnow(), user_id, keep]).rowcount


def record_login_attempt(db: sqlite_utils.Database, username: str, client_address: str | None, succeeded: bool) -> int:
    """Remember a sign-in attempt for rate limiting; return its id."""
    return int(db.execute("INSERT INTO login_attempts (username, client_address, at, succeeded) VALUES (?, ?, ?, ?)",
                          [username, client_address, utcnow(), int(succeeded)]).lastrowid)


def mark_login_succeeded(db: sqlite_utils.Database, attempt_id: int) -> None:
    """The attempt taken before the password check turned out right: it is no failure."""
    db.execute("UPDATE login_attempts SET succeeded = 1 WHERE id = ?", [attempt_id])


def failed_logins_since(db: sqlite_utils.Database, since: str, *, username: str | None = None,
                        client_address: str | None = None) -> int:
    """Failed attempts after ``since`` for a user name or a client address."""
    if username is not None:
        return db.execute("SELECT count(*) FROM login_attempts WHERE username = ? AND at > ? AND succeeded = 0",
                          [username, since]).fetchone()[0]
    return db.execute("SELECT count(*) FROM login_attempts WHERE client_address = ? AND at > ? AND succeeded = 0",
                      [client_address, since]).fetchone()[0]
