"""Helpers shared by forms: choices from labels, putting a domain error on its field."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_wtf import FlaskForm

from ..domain.errors import DomainError


def choices(labels: Mapping[str, Any], blank: str | None = None) -> list[tuple[str, Any]]:
    """WTForms choices from a code→label mapping, optionally with a blank first option."""
    out = [(code, label) for code, label in labels.items()]
    return ([("", blank)] if blank is not None else []) + out


def show_error(form: FlaskForm, exc: DomainError) -> bool:
    """Attach a domain error to the field it concerns; return False if the form has no such field."""
    field = getattr(form, exc.field, None) if exc.field else None
    if field is None:
        return False
    field.errors = list(field.errors) + [str(exc.message)]
    return True
