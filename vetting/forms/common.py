"""Helpers shared by forms: choices from labels, putting a domain error on its field."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import StringField
from wtforms.widgets import Select

from ..domain.amounts import parse_exact_amount
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


class NumberField(StringField):
    """A number typed the Swedish or the English way ("12,5", "12.5", "1 234,50"), read exactly
    (domain/amounts.py) or refused with the parser's message; the typed text is kept on error."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.raw_text = valuelist[0] if valuelist else ""
        self.data = None
        if not valuelist or not str(valuelist[0]).strip():
            return
        try:
            self.data = parse_exact_amount(valuelist[0], self.name)
        except DomainError as exc:
            raise ValueError(str(exc.message)) from None

    def _value(self) -> str:
        if getattr(self, "raw_text", None):
            return self.raw_text
        return "" if self.data is None else str(self.data)


class QuickSelect(Select):
    """WTForms' select, its plain options written directly: the same HTML (``<option selected value="…">``, as
    ``html_params`` sorts them) without building and sorting attributes per option, which made the procurement
    page's add-participant form a sixth of that page's time."""

    @classmethod
    def _dispatch_render_option(cls) -> Any:
        return cls.render_option  # WTForms inspects the signature at every render for old overrides; this is new

    @classmethod
    def render_option(cls, choice: Any, **kwargs: Any) -> Markup:
        if kwargs or choice.render_kw:
            return super().render_option(choice, **kwargs)
        value = str(choice.value) if isinstance(choice.value, bool) else choice.value
        selected = "selected " if choice.selected else ""
        return Markup(f'<option {selected}value="{escape(value)}">{escape(choice.label or choice.value)}</option>')
