"""``flask --app vetting espd import FILE --procurement REF --organisation ID``: the ESPD from the command line."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from ..db import get_db
from ..domain import espd as domain
from ..domain.audit import SYSTEM
from ..domain.errors import DomainError
from ..store import procurements as procurement_store
from .parse import MAX_BYTES

espd_cli = AppGroup("espd", help="Import a supplier's ESPD response.")


@espd_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--procurement", "reference", required=True, help="The procurement's reference (diarienummer).")
@click.option("--organisation", "organisation_id", required=True, type=int, help="The organisation's id in the app.")
def import_espd(file: Path, reference: str, organisation_id: int) -> None:
    """Import FILE as the organisation's ESPD in the procurement; print its answers per ground."""
    db = get_db()
    procurement = procurement_store.get_by_reference(db, reference)
    if procurement is None:
        raise click.ClickException(f"No procurement with reference {reference}.")
    with open(file, "rb") as fh:
        data = fh.read(MAX_BYTES + 1)
    try:
        espd_id = domain.import_espd(db, SYSTEM, procurement["id"], organisation_id, file.name, data)
    except DomainError as exc:
        raise click.ClickException(f"Nothing imported: {exc.message}") from None
    click.echo(f"ESPD {espd_id} imported.")
    for ground, answers in domain.answers_for(db, procurement["id"], organisation_id).items():
        said = ", ".join(f"{a.criterion}={'yes' if a.declared else 'no' if a.declared is False else '?'}"
                         for a in answers)
        click.echo(f"  {ground}: {said}")
