"""Batch screening of a supplier register file (CSV in, CSV out), without storing anything."""
from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import click
import sqlite_utils

from checks import Subject

from ..domain.errors import InvalidInput
from ..domain.identifiers import validate_country
from ..domain.lists import list_index
from ..domain.screening import thresholds_of
from ..domain.text import decode_bytes

OUTPUT_COLUMNS = ("status", "score", "list", "listed_id", "listed_name", "explanation")


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    text = decode_bytes(path.read_bytes())
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = max(",;\t", key=first.count)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    if not reader.fieldnames or "name" not in [f.strip().lower() for f in reader.fieldnames]:
        raise InvalidInput(f"{path.name}: the first row must name the columns, at least 'name'.")
    rows = [{(k or "").strip().lower(): (v or "").strip() for k, v in row.items()} for row in reader]
    return list(reader.fieldnames), rows


def screen_file(db: sqlite_utils.Database, settings: Mapping[str, Any], input_path: Path, output_path: Path,
                progress: bool = False) -> Counter[str]:
    """Screen each row; the output repeats the input columns and adds the best match and its explanation."""
    fieldnames, rows = _rows(input_path)
    index = list_index(db, thresholds_of(settings))
    if not index.versions():
        raise InvalidInput("No sanctions or debarment list is loaded; run `flask lists import` first.")
    counts: Counter[str] = Counter()
    with output_path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=[*fieldnames, *OUTPUT_COLUMNS], extrasaction="ignore")
        writer.writeheader()
        with click.progressbar(rows, label="Screening", file=None if progress else io.StringIO()) as bar:
            for number, row in enumerate(bar, start=2):
                result = _screen_row(index, row, number)
                counts[result["status"]] += 1
                original = {f: row.get(f.strip().lower(), "") for f in fieldnames}
                writer.writerow({**original, **result})
    return counts


def _screen_row(index: Any, row: dict[str, str], number: int) -> dict[str, Any]:
    kind = row.get("kind") or "organisation"
    if kind not in ("person", "organisation") or not row.get("name"):
        return {"status": "error", "explanation": f"row {number}: needs a name and kind person/organisation"}
    country = None
    if row.get("country"):
        try:
            country = validate_country(row["country"])
        except InvalidInput:
            return {"status": "error", "explanation": f"row {number}: unknown country {row['country']!r}"}
    identifiers = {"identifier": row["identifier"]} if row.get("identifier") else {}
    subject = Subject(kind, number, row["name"], country, identifiers, row.get("birth_date") or None)  # type: ignore[arg-type]
    today = date.today().isoformat()
    # Expired debarments and PEP signals are not matches of a sanctions screening file.
    matches = [m for m in index.screen(subject) if not m.expired(today) and not m.pep]
    if not matches:
        return {"status": "clear", "score": "", "explanation": "no listed party resembles this name"}
    best = matches[0]
    return {"status": "hit" if best.level == "hit" else "possible_match", "score": f"{best.score:.3f}",
            "list": best.list, "listed_id": best.listed_id, "listed_name": best.listed_name,
            "explanation": best.explanation}
