"""``flask lists import|update|show`` and ``flask screen``: list maintenance and batch screening."""
from __future__ import annotations

import csv
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from ..db import get_db
from ..domain import lists as lists_domain
from ..domain.audit import SYSTEM
from ..domain.errors import DomainError
from ..store import lists as store
from .importers import SOURCES

lists_cli = AppGroup("lists", help="Sanctions and debarment lists.")


@lists_cli.command("import")
@click.argument("source", type=click.Choice(SOURCES))
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Load a version published before the loaded one (needs --reason).")
@click.option("--reason", default="", help="Why an older version is loaded (stored and audited).")
def import_command(source: str, files: tuple[Path, ...], force: bool, reason: str) -> None:
    """Import FILES as the new version of SOURCE (the previous version stays active if refused)."""
    try:
        summary = lists_domain.import_list(get_db(), SYSTEM, source, list(files), force=force, reason=reason,
                                           settings=current_app.config)
    except DomainError as exc:
        raise click.ClickException(str(exc.message)) from None
    click.echo(f"{source}: imported {summary['records']} records (published {_published(summary)}).")
    _report_batch(summary)


def _report_batch(summary: dict) -> None:
    """Say what the import's delta re-screen started (the import itself starts it)."""
    done = summary.get("rescreen") or {}
    if summary.get("batch_id"):
        click.echo(f"{done['added']} entries added, {done['changed']} changed, {done['removed']} removed: "
                   f"{done['screened']} stored subjects are being re-screened in the background "
                   f"(batch {summary['batch_id']}).")
    elif done:
        click.echo(f"{done['added']} entries added, {done['changed']} changed, {done['removed']} removed: "
                   "no stored subject resembles what changed.")


@lists_cli.command("show")
def show_command() -> None:
    """The active version of each list and its age."""
    for version in store.active_versions(get_db()):
        click.echo(f"{version['source']:<14} {version['record_count']:>7} records  published "
                   f"{_published(version)}  imported {version['imported_at'][:16]}")


def _published(version: dict) -> str:
    """The publication date and where it comes from: the file itself, or the download's date."""
    if not version.get("published"):
        return "unknown"
    basis = " (date of download; the file has none)" if version.get("published_basis") == "download" else ""
    return f"{version['published']}{basis}"


@lists_cli.command("update")
@click.option("--timeout", default=60.0, show_default=True, help="Seconds to wait for each download.")
def update_command(timeout: float) -> None:
    """Download each configured list from its publisher and import it (needs the machine to be online)."""
    from .update import update_lists

    failures = 0
    for result in update_lists(get_db(), SYSTEM, current_app.config, timeout):
        if result.summary is None:
            click.echo(f"{result.source}: {result.problem}", err=True)
            failures += 1
            continue
        click.echo(f"{result.source}: imported {result.summary['records']} records.")
        _report_batch(result.summary)
    if failures:
        sys.exit(1)


@click.command("screen")
@with_appcontext
@click.argument("input_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--output", "output_file", required=True, type=click.Path(dir_okay=False, path_type=Path))
def screen_command(input_file: Path, output_file: Path) -> None:
    """Screen every row of INPUT_FILE (name, kind, birth_date, country, identifier) and write OUTPUT with results."""
    from .batch import screen_file

    try:
        counts = screen_file(get_db(), current_app.config, input_file, output_file, progress=sys.stderr.isatty())
    except DomainError as exc:
        raise click.ClickException(str(exc.message)) from None
    click.echo(", ".join(f"{status}: {n}" for status, n in sorted(counts.items())) + f" → {output_file}")


__all__ = ["lists_cli", "screen_command", "csv"]
