"""Users, roles, sign-in with rate limiting, and server-side sessions that can be revoked."""
from __future__ import annotations

import hashlib
import secrets
import threading
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Any

import sqlite_utils
from .message import _l
from werkzeug.security import check_password_hash, generate_password_hash

from ..store import users as store
from ..store import write_transaction
from .audit import SYSTEM, Actor, record
from .errors import Conflict, InvalidInput, NotFound, RateLimited
from .passwords import check_password

ROLES = ("procurement_officer", "security_officer", "reviewer", "auditor", "admin")


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """Checked against when the user name is unknown, so a wrong name costs as long as a wrong password.

    Made on first use, not at import: hashing costs about a second of CPU, which every process
    (``flask screen``, each worker) would otherwise pay at start whether or not anyone signs in.
    """
    return generate_password_hash("not-a-real-password", method="scrypt:131072:8:1")


def hash_token(token: str) -> str:
    """Sessions are stored by the SHA-256 of their token, so a database leak gives no usable session."""
    return hashlib.sha256(token.encode()).hexdigest()


def actor_of(user: Mapping[str, Any]) -> Actor:
    """The audit actor for a user row."""
    return Actor(user["id"], user["username"], frozenset(user.get("roles", ())))


def _check_password(password: str, min_length: int, username: str = "", display_name: str = "") -> None:
    check_password(password, min_length, username=username, display_name=display_name)


def create_user(db: sqlite_utils.Database, actor: Actor, *, username: str, password: str, roles: list[str],
                display_name: str = "", email: str | None = None, hash_method: str = "scrypt:131072:8:1",
                min_length: int = 12) -> int:
    """Create a user with one or more roles; return the id."""
    username = (username or "").strip()
    if not username or len(username) > 64 or not username.replace(".", "").replace("-", "").replace("_", "").isalnum():
        raise InvalidInput(_l("The user name may hold letters, digits, '.', '-' and '_' (at most 64)."), "username")
    unknown = set(roles) - set(ROLES)
    if not roles or unknown:
        raise InvalidInput(_l("Choose at least one role from: %(roles)s.", roles=", ".join(ROLES)), "roles")
    _check_password(password, min_length, username, display_name)
    # The operator's command line (the system actor) bootstraps accounts; in the app, granting a
    # privileged role needs a second administrator (four eyes).
    held_back = sorted(set(roles) & set(PRIVILEGED)) if actor.id is not None else []
    granted = [r for r in roles if r not in held_back]
    if not granted:
        raise InvalidInput(_l("Give the new user an ordinary role as well; the privileged role is granted once a second "
                              "administrator confirms it."), "roles")
    with write_transaction(db):
        if store.get_by_username(db, username):
            raise Conflict(_l("The user name %(name)s is taken.", name=username), "username")
        user_id = store.insert(db, username=username, display_name=display_name or username, email=email,
                               password_hash=generate_password_hash(password, method=hash_method), roles=granted)
        record(db, actor, "user.create", "user", user_id, after={"username": username, "roles": sorted(granted)})
    if held_back:
        propose_grant(db, actor, user_id, held_back)
    return user_id


PRIVILEGED = ("security_officer", "admin")


def propose_grant(db: sqlite_utils.Database, actor: Actor, user_id: int, roles: list[str]) -> Any:
    """Ask a second administrator to confirm granting privileged roles."""
    from .foureyes import propose

    user = store.get(db, user_id) or {"username": "?"}
    return propose(db, actor, "role_grant", f"{user_id}:{','.join(sorted(roles))}",
                   {"user_id": user_id, "username": user["username"], "roles": sorted(roles)},
                   f"Grant {', '.join(sorted(roles))} to {user['username']}", "user", user_id)


def apply_role_grant(db: sqlite_utils.Database, proposer: Actor, confirmer: Actor, payload: dict[str, Any]) -> None:
    """Four eyes confirmed: the privileged roles are added (caller holds the transaction)."""
    user = store.get(db, payload["user_id"])
    if user is None:
        raise NotFound(_l("No such user."))
    if confirmer.id == payload["user_id"]:
        raise InvalidInput(_l("You cannot confirm a role for yourself."))
    roles = sorted(set(user["roles"]) | set(payload["roles"]))
    store.set_roles(db, payload["user_id"], roles)
    record(db, proposer, "user.roles_granted", "user", payload["user_id"],
           before={"roles": user["roles"]}, after={"roles": roles, "confirmed_by": confirmer.username})


def update_user(db: sqlite_utils.Database, actor: Actor, user_id: int, *, display_name: str, email: str | None,
                roles: list[str], active: bool) -> None:
    """Change a user's name, roles or status; disabling ends the user's sessions at once."""
    if not roles or set(roles) - set(ROLES):
        raise InvalidInput(_l("Choose at least one role."), "roles")
    with write_transaction(db):
        user = store.get(db, user_id)
        if user is None:
            raise NotFound(_l("No such user."))
        if user_id == actor.id and (not active or "admin" not in roles):
            raise InvalidInput(_l("You cannot disable yourself or remove your own administrator role."), "roles")
        store.update(db, user_id, display_name=display_name or user["username"], email=email, active=int(active))
        new_privileged = sorted((set(roles) - set(user["roles"])) & set(PRIVILEGED)) if actor.id is not None else []
        roles = [r for r in roles if r not in new_privileged]
        if not roles:
            raise InvalidInput(_l("Give the user an ordinary role as well; the privileged role is granted once a second "
                                  "administrator confirms it."), "roles")
        store.set_roles(db, user_id, roles)
        if not active:
            store.revoke_user_sessions(db, user_id)
        record(db, actor, "user.update", "user", user_id,
               before={"roles": user["roles"], "active": bool(user["active"]), "display_name": user["display_name"]},
               after={"roles": sorted(roles), "active": active, "display_name": display_name})
    if new_privileged:
        propose_grant(db, actor, user_id, new_privileged)


def set_password(db: sqlite_utils.Database, actor: Actor, user_id: int, password: str,
                 hash_method: str = "scrypt:131072:8:1", min_length: int = 12) -> None:
    """Set a new password (an administrator's reset) and end the user's sessions."""
    with write_transaction(db):
        user = store.get(db, user_id)
        if user is None:
            raise NotFound(_l("No such user."))
        _check_password(password, min_length, user["username"], user["display_name"])
        store.update(db, user_id, password_hash=generate_password_hash(password, method=hash_method))
        store.revoke_user_sessions(db, user_id)
        record(db, actor, "user.set_password", "user", user_id)


def change_own_password(db: sqlite_utils.Database, actor: Actor, current: str, new: str, keep_token: str,
                        client_address: str | None, settings: Mapping[str, Any]) -> int:
    """A user changes their own password: the current one must be right (a wrong one counts as a failed
    sign-in, so this form is no way round the limit), the new one passes the policy and differs from it;
    every other session of the user ends. Returns how many sessions were ended."""
    since = (datetime.now(timezone.utc) - settings["LOGIN_WINDOW"]).isoformat(timespec="microseconds")
    user = store.get(db, actor.id) if actor.id is not None else None
    if user is None:
        raise NotFound(_l("No such user."))
    with write_transaction(db):
        if store.failed_logins_since(db, since, username=user["username"]) >= settings["LOGIN_MAX_FAILURES_PER_USER"]:
            raise RateLimited(_l("Too many failed sign-ins. Wait a quarter of an hour and try again."))
        attempt_id = store.record_login_attempt(db, user["username"], client_address, False)
    slots = _hashing_slots(int(settings.get("LOGIN_MAX_CONCURRENT_HASHES", 2)))
    if not slots.acquire(timeout=float(settings.get("LOGIN_HASH_WAIT", 10.0))):
        raise RateLimited(_l("Too many sign-ins at once. Try again in a moment."))
    try:
        valid = check_password_hash(user["password_hash"], current or "")
    finally:
        slots.release()
    if not valid:
        with write_transaction(db):
            record(db, actor, "user.password_change_failed", "user", user["id"])
        raise InvalidInput(_l("The current password is wrong."), "current_password")
    with write_transaction(db):
        store.mark_login_succeeded(db, attempt_id)
    if new == current:
        raise InvalidInput(_l("The new password must differ from the current one."), "new_password")
    try:
        _check_password(new, int(settings["PASSWORD_MIN_LENGTH"]), user["username"], user["display_name"])
    except InvalidInput as exc:
        raise InvalidInput(exc.message, "new_password") from None
    with write_transaction(db):
        store.update(db, user["id"], password_hash=generate_password_hash(new, method=settings["PASSWORD_HASH_METHOD"]))
        ended = store.revoke_user_sessions(db, user["id"], keep=hash_token(keep_token))
        record(db, actor, "user.change_own_password", "user", user["id"], after={"other_sessions_ended": ended})
    return ended


# Each scrypt hash at N=2^17 takes 128 MiB: at most this many per process at once (per limit size).
_hashing: dict[int, threading.BoundedSemaphore] = {}
_hashing_guard = threading.Lock()


def _hashing_slots(limit: int) -> threading.BoundedSemaphore:
    with _hashing_guard:
        return _hashing.setdefault(limit, threading.BoundedSemaphore(limit))


def attempt_name(username: str, known: bool) -> str:
    """What the attempt table and the audit log keep of the name typed: an unknown one (perhaps a
    password typed into the wrong box) only as a digest, still good for counting attempts per name."""
    if known:
        return username
    return "unknown:" + hashlib.sha256(username.strip().casefold().encode()).hexdigest()[:16]


def authenticate(db: sqlite_utils.Database, username: str, password: str, client_address: str | None,
                 settings: Mapping[str, Any]) -> dict[str, Any]:
    """Return the user for valid credentials; raise RateLimited or InvalidInput otherwise.

    Failures are counted per user name and per client address so that neither guessing one
    account's password nor spraying many accounts from one address gets far. The attempt is
    taken, counted as a failure, in the same locked transaction as the count and before the
    hash is checked (so concurrent guesses cannot all slip under the limit); a success clears it.
    Hashing waits for one of ``LOGIN_MAX_CONCURRENT_HASHES`` slots, which bounds its memory.
    """
    since = (datetime.now(timezone.utc) - settings["LOGIN_WINDOW"]).isoformat(timespec="microseconds")
    user = store.get_by_username(db, username)
    name = attempt_name(username, user is not None)
    with write_transaction(db):
        if (store.failed_logins_since(db, since, username=name) >= settings["LOGIN_MAX_FAILURES_PER_USER"]
                or store.failed_logins_since(db, since, client_address=client_address)
                >= settings["LOGIN_MAX_FAILURES_PER_ADDRESS"]):
            raise RateLimited(_l("Too many failed sign-ins. Wait a quarter of an hour and try again."))
        attempt_id = store.record_login_attempt(db, name, client_address, False)
    slots = _hashing_slots(int(settings.get("LOGIN_MAX_CONCURRENT_HASHES", 2)))
    if not slots.acquire(timeout=float(settings.get("LOGIN_HASH_WAIT", 10.0))):
        raise RateLimited(_l("Too many sign-ins at once. Try again in a moment."))
    try:
        valid = check_password_hash(user["password_hash"] if user else _dummy_hash(), password)
    finally:
        slots.release()
    ok = bool(user and valid and user["active"])
    with write_transaction(db):
        if ok:
            store.mark_login_succeeded(db, attempt_id)
        record(db, actor_of(user) if user else SYSTEM, "auth.login" if ok else "auth.login_failed", "user",
               user["id"] if user else None, after={"username": name, "client_address": client_address})
    if not ok:
        raise InvalidInput(_l("Wrong user name or password, or the account is disabled."))
    return user  # type: ignore[return-value]


def start_session(db: sqlite_utils.Database, user_id: int, client_address: str | None, user_agent: str | None) -> str:
    """Open a server-side session; return the token the cookie carries."""
    token = secrets.token_urlsafe(32)
    with write_transaction(db):
        store.create_session(db, hash_token(token), user_id, client_address, user_agent)
    return token


def user_for_session(db: sqlite_utils.Database, token: str, idle: timedelta, absolute: timedelta) -> dict[str, Any] | None:
    """The user of a live session, or None when it is unknown, revoked, idle too long or too old."""
    session = store.get_session(db, hash_token(token))
    if session is None or session["revoked_at"]:
        return None
    now = datetime.now(timezone.utc)
    if (now - datetime.fromisoformat(session["last_seen"]) > idle
            or now - datetime.fromisoformat(session["created_at"]) > absolute):
        with write_transaction(db):
            store.revoke_session(db, session["token_hash"])
        return None
    user = store.get(db, session["user_id"])
    if user is None or not user["active"]:
        return None
    # Write last_seen at most once a minute: every request writing would serialise readers on the lock.
    if now - datetime.fromisoformat(session["last_seen"]) > timedelta(seconds=60):
        with write_transaction(db):
            store.touch_session(db, session["token_hash"])
    return user


def end_session(db: sqlite_utils.Database, token: str, actor: Actor) -> None:
    """Revoke a session at sign-out."""
    with write_transaction(db):
        store.revoke_session(db, hash_token(token))
        record(db, actor, "auth.logout", "user", actor.id)
