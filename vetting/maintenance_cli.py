"""Command line for data care: ``retention purge``, ``backup``, ``restore`` and ``check``."""
from __future__ import annotations

import sys
from datetime import datetime, timezone
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from .db import audit_anchor_file, database_path, db_cli, get_db
from .domain import audit_anchor, backups, retention
from .domain.audit import SYSTEM, record
from .domain.errors import DomainError
from .store import write_transaction

retention_cli = AppGroup("retention", help="Retention of personal data.")


@retention_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="Only list what is due; change nothing.")
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Judge what is due on this date (a future date only with --dry-run, for planning).")
@click.option("--yes", is_flag=True, help="Erase without asking for confirmation.")
def purge_command(dry_run: bool, as_of: datetime | None, yes: bool) -> None:
    """Erase or anonymise what has outlived its retention period; one audit entry per record."""
    today = datetime.now(timezone.utc).date()
    day = as_of.date() if as_of else today
    if day > today and not dry_run:
        raise click.ClickException("A future --as-of date is only allowed with --dry-run.")
    db, config = get_db(), current_app.config
    due = retention.due_for_erasure(db, config, day)
    for item in due:
        click.echo(f"{item.kind} {item.id}: {item.label} ({item.basis.replace('_', ' ')} {item.reference_date},"
                   f" due {item.due_date})")
    if not due:
        click.echo("Nothing is due for erasure.")
        return
    if dry_run:
        click.echo(f"{len(due)} records would be erased (dry run: nothing was changed).")
        return
    if not yes and not click.confirm(f"Erase these {len(due)} records? This cannot be undone.", default=False):
        click.echo("Nothing erased.")
        return
    done = retention.purge(db, SYSTEM, config, day, only={(d.kind, d.id) for d in due})
    click.echo(f"Erased {len(done)} records, each with an audit entry.")
    copies = backups.copies_beside(database_path(current_app)) if any(d.kind == "person" for d in done) else []
    if copies:
        # A restore's safety copy is a whole database: the erasure did not reach it (README, "Backups and erasure").
        click.echo(f"Database copies left by restores still hold what was erased ({len(copies)}); delete them once "
                   "the restore is confirmed: " + ", ".join(str(c) for c in copies))


@click.command("backup")
@with_appcontext
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(path: Path) -> None:
    """Write a consistent online copy of the database to PATH (never overwriting) and check the copy."""
    db = get_db()
    try:
        result = backups.backup(db, path)
    except DomainError as exc:
        raise click.ClickException(str(exc.message)) from None
    with write_transaction(db):
        record(db, SYSTEM, "database.backup", "database", None, after={"path": str(path)})
    for line in result.lines():
        click.echo(line)
    click.echo(f"Backup written to {path}.")
    if not result.ok:
        click.echo("The copy is faithful, but the database it copies has the problems above.", err=True)
        sys.exit(1)


@click.command("restore")
@with_appcontext
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Restore without asking for confirmation.")
@click.option("--reason", default="", help="Why the database is restored (kept in the audit entry).")
def restore_command(path: Path, yes: bool, reason: str) -> None:
    """Replace the configured database with the backup PATH, after verifying the backup; audited."""
    live = database_path(current_app)
    try:
        checked = backups.inspect(path)
    except DomainError as exc:
        raise click.ClickException(str(exc.message)) from None
    for line in checked.lines():
        click.echo(f"backup {line}")
    if not checked.ok:
        raise click.ClickException("The backup cannot be trusted; nothing was restored.")
    if not yes and not click.confirm(f"Replace {live} with {path}? Stop the web server and workers first.",
                                     default=False):
        click.echo("Nothing restored.")
        return
    try:
        details = backups.restore(get_db(), path, SYSTEM, backups.safety_copy_path(live), reason)
    except DomainError as exc:
        raise click.ClickException(f"Restore failed: {exc.message}") from None
    # The restored log may legitimately end before heads anchored since the backup: start anew, on record.
    anchors = audit_anchor_file(current_app)
    audit_anchor.reset(anchors, f"restore from {path}", to_syslog=current_app.config["AUDIT_ANCHOR_SYSLOG"])
    audit_anchor.anchor(get_db(), anchors, to_syslog=current_app.config["AUDIT_ANCHOR_SYSLOG"])
    click.echo(f"Restored {live} from {path}; {details['audit_entries_verified']} audit entries verified.")
    click.echo(f"The database it replaced is kept in {details['safety_copy']}.")


@click.command("check")
@with_appcontext
def check_command() -> None:
    """Run SQLite's integrity check and verify the audit chain; exit 1 on any problem."""
    result = backups.health(get_db())
    for line in result.lines():
        click.echo(line)
    if not result.ok:
        click.echo("PROBLEMS FOUND.", err=True)
        sys.exit(1)
    click.echo("All checks passed.")


COMMANDS = (retention_cli, backup_command, restore_command, check_command)


@db_cli.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def db_backup_command(ctx: click.Context, target: Path) -> None:
    """Same as ``flask backup TARGET``: a consistent online copy, never overwriting, integrity-checked."""
    ctx.invoke(backup_command, path=target)
