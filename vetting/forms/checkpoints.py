"""Forms of the checkpoint area: the preparer's answers (built from the template), sign-off, phase change."""
from __future__ import annotations

from typing import Any

from ..translation import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

CHOICE_LABELS = {
    "basic": _l("Basic"), "extended": _l("Extended"), "security_protected": _l("Security-protected"),
    "go": _l("Go"), "go_with_measures": _l("Go, with measures"), "no_go": _l("No go"),
    "none": _l("None"), "rectification": _l("Demand rectification"), "withhold_payment": _l("Withhold payment"),
    "terminate": _l("Terminate the contract"),
    "replace_subcontractor": _l("Replace the subcontractor"), "report": _l("Report to the authorities"),
}


def prepare_form(template: Any, locale: str, answers: dict[str, Any]) -> FlaskForm:
    """A form with the template's fields, filled with earlier answers (after a rejection)."""

    class PrepareForm(FlaskForm):
        pass

    for field in template.fields:
        label = field.label.get(locale, field.label["en"])
        if field.kind == "bool":
            form_field = RadioField(label, choices=[("yes", _l("Yes")), ("no", _l("No"))], validators=[DataRequired()])
        elif field.kind == "choice":
            from .. import labels

            named = {**labels.PROTECTION_LEVELS, **CHOICE_LABELS}
            options = [(c, named.get(c, c)) for c in field.choices]
            form_field = (SelectField(label, choices=[("", "—"), *options], default="", validators=[Optional()])
                          if field.optional else SelectField(label, choices=options))
        elif field.kind == "document":
            form_field = FileField(label, description=_l("PDF, PNG or JPEG, at most 10 MB"))
        else:
            form_field = TextAreaField(label, validators=[DataRequired(), Length(max=4000)])
        setattr(PrepareForm, field.name, form_field)
    data = {k: ("yes" if v is True else "no" if v is False else v) for k, v in answers.items() if not isinstance(v, dict)}
    return PrepareForm(data=data)


class SignForm(FlaskForm):
    decision = RadioField(_l("Decision"), choices=[("approved", _l("Approve")),
                                                   ("approved_with_conditions", _l("Approve with conditions")),
                                                   ("rejected", _l("Reject and return to the preparer"))],
                          validators=[DataRequired()])
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=4000)])
    conditions = TextAreaField(_l("Conditions to follow up"), validators=[Optional(), Length(max=4000)],
                               description=_l("Required when approving with conditions"))


class ReasonForm(FlaskForm):
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])
