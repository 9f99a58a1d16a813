"""Command-line interface: ``flask --app vetting users|audit|import|demo ...``.

``db`` lives in db.py; ``retention``, ``backup``, ``restore`` and ``check`` in maintenance_cli.py.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup
from flask import Flask, current_app

from .db import get_db
from .domain import imports as imports_domain
from .domain import users as users_domain
from .domain.audit import SYSTEM
from .domain.errors import DomainError
from .store import audit as audit_store


users_cli = AppGroup("users", help="Manage users.")


@users_cli.command("create")
@click.argument("username")
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice(users_domain.ROLES),
              help="Role to give; repeat for several.")
@click.option("--name", "display_name", default="", help="Full name shown in the app.")
@click.option("--email", default=None)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input instead of a prompt.")
def create_user(username: str, roles: tuple[str, ...], display_name: str, email: str | None, password_stdin: bool) -> None:
    """Create USERNAME with the given roles (password from a prompt or stdin)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    cfg = current_app.config
    try:
        users_domain.create_user(get_db(), SYSTEM, username=username, password=password, roles=list(roles),
                                 display_name=display_name, email=email, hash_method=cfg["PASSWORD_HASH_METHOD"],
                                 min_length=cfg["PASSWORD_MIN_LENGTH"])
    except DomainError as exc:
        raise click.ClickException(str(exc.message)) from None
    click.echo(f"User {username} created with roles: {', '.join(roles)}")


audit_cli = AppGroup("audit", help="Audit log commands.")


@audit_cli.command("verify")
def verify() -> None:
    """Check the hash chain; exit 1 naming the first broken entry."""
    from flask import current_app

    from .db import audit_anchor_file
    from .domain import audit_anchor

    path = audit_anchor_file(current_app)
    checked, broken, anchored = audit_anchor.verify(get_db(), path)
    if broken:
        click.echo(f"Audit log BROKEN at entry {broken.entry_id}: {broken.problem} "
                   f"({checked} entries before it are intact).", err=True)
        sys.exit(1)
    if not anchored:
        click.echo(f"No anchor file at {path}: truncation and a re-computed chain cannot be detected yet "
                   "(run `flask audit anchor`).", err=True)
    audit_anchor.anchor(get_db(), path, to_syslog=current_app.config["AUDIT_ANCHOR_SYSLOG"])
    click.echo(f"Audit log intact: {checked} entries verified; head anchored in {path}.")


@audit_cli.command("anchor")
def anchor() -> None:
    """Write the audit log's head to the anchor file (run from cron between requests' own anchors)."""
    from flask import current_app

    from .db import audit_anchor_file
    from .domain import audit_anchor

    entry = audit_anchor.anchor(get_db(), audit_anchor_file(current_app),
                                to_syslog=current_app.config["AUDIT_ANCHOR_SYSLOG"])
    click.echo(f"Anchored entry {entry['id']}." if entry else "The audit log is empty: nothing to anchor.")


import_cli = AppGroup("import", help="Bulk import from CSV or XLSX.")


def _import(kind: str, path: Path, yes: bool) -> None:
    db = get_db()
    try:
        preview = imports_domain.parse(db, kind, path.read_bytes(), path.name)
    except DomainError as exc:
        raise click.ClickException(str(exc.message)) from None
    click.echo(f"{path.name}: {len(preview.valid)} valid rows, {len(preview.rejected)} rejected.")
    for rejected in preview.rejected:
        click.echo(f"  row {rejected['row']}: {rejected['reason']}", err=True)
    if not preview.valid:
        raise click.ClickException("Nothing to import.")
    if not yes and not click.confirm(f"Import the {len(preview.valid)} valid rows?", default=False):
        click.echo("Nothing imported.")
        return
    try:
        written = imports_domain.commit(db, SYSTEM, preview, path.name)
    except DomainError as exc:
        raise click.ClickException(f"Nothing imported: {exc.message}") from None
    click.echo(f"Imported {written} rows.")


@import_cli.command("organisations")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Import the valid rows without asking.")
def import_organisations(file: Path, yes: bool) -> None:
    """Import organisations from FILE (CSV or XLSX)."""
    _import("organisations", file, yes)


@import_cli.command("persons")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Import the valid rows without asking.")
def import_persons(file: Path, yes: bool) -> None:
    """Import key persons from FILE (CSV or XLSX); their organisations must exist."""
    _import("persons", file, yes)


demo_cli = AppGroup("demo", help="Demo data.")


@demo_cli.command("load")
def demo_load() -> None:
    """Load the demo data set once; print the demo users' passwords the first time."""
    from .demo import load_demo

    passwords = load_demo(get_db(), current_app.config)
    if not passwords:
        click.echo("Demo data already loaded (passwords were printed on the first run).")
        return
    click.echo("Demo users (shown once; write them down):")
    for username, (roles, password) in passwords.items():
        click.echo(f"  {username:<12} {password}   {', '.join(roles)}")


followup_cli = AppGroup("followup", help="Follow-up of signed contracts.")


@followup_cli.command("run-due")
def run_due() -> None:
    """Re-check every contract whose follow-up is due, in this process (for cron instead of a consumer)."""
    from .domain import followup
    from .store import followup as followup_store

    db = get_db()
    batches = followup.start_due(db)
    for batch_id in batches:
        done = followup.run_batch_inline(db, batch_id, current_app.config)
        row = followup_store.batch(db, batch_id) or {}
        click.echo(f"{row.get('description')}: {done} subjects checked, {row.get('by_status')}")
    if not batches:
        click.echo("No follow-up is due.")
    from .domain.conditions import alert_overdue

    overdue = alert_overdue(db)
    if overdue:
        click.echo(f"{len(overdue)} condition(s) went overdue; their owners were alerted.")


@followup_cli.command("resume")
def resume() -> None:
    """Finish batches left half-done (by a killed process), in this process."""
    from .domain import followup
    from .store import followup as followup_store

    db = get_db()
    for batch_id in sorted({i["batch_id"] for i in followup_store.pending_items(db)}):
        click.echo(f"batch {batch_id}: {followup.run_batch_inline(db, batch_id, current_app.config)} subjects checked")


def register_cli(app: Flask) -> None:
    """Attach the command groups."""
    from .espd.cli import espd_cli
    from .lists.cli import lists_cli, screen_command
    from .maintenance_cli import COMMANDS as maintenance_commands

    for group in (users_cli, audit_cli, import_cli, demo_cli, lists_cli, screen_command, followup_cli, espd_cli,
                  *maintenance_commands):
        app.cli.add_command(group)
