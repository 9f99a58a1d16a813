"""Forms of the screening area."""
from __future__ import annotations

from ..translation import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, MultipleFileField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from ..lists.importers import SOURCES
from ..vocabulary.words import SOURCES as SOURCE_NAMES


class RunForm(FlaskForm):
    """A bare button (CSRF only)."""


class DecisionForm(FlaskForm):
    list_source = HiddenField(validators=[DataRequired()])
    listed_id = HiddenField(validators=[DataRequired()])
    decision = RadioField(_l("Is the listed party the same entity?"),
                          choices=[("confirmed", _l("Same entity (confirm)")),
                                   ("dismissed", _l("Not the same entity (dismiss)"))],
                          validators=[DataRequired()])
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=1000)],
                         description=_l("E.g. different birth date, other country, identifier differs"))


class ListUploadForm(FlaskForm):
    source = SelectField(_l("List"), choices=[(s, SOURCE_NAMES.get(s, s)) for s in SOURCES])
    files = MultipleFileField(_l("File(s) from the publisher"), validators=[DataRequired()])
    force = BooleanField(_l("Load it even if it is older than the loaded version"))
    reason = StringField(_l("Reason for loading an older version"), validators=[Optional(), Length(max=1000)])


__all__ = ["DecisionForm", "FileField", "FileRequired", "ListUploadForm", "RunForm"]


def manual_answer_form(check: "ManualCheck", locale: str) -> FlaskForm:
    """A form built from a manual check's declared fields, labelled in the user's language."""
    from flask_wtf.file import FileAllowed
    from wtforms import RadioField as Radio
    from wtforms import TextAreaField
    from wtforms.validators import Optional

    class ManualAnswerForm(FlaskForm):
        document = FileField(_l("Document (PDF, PNG or JPEG, at most 10 MB)"),
                             validators=[Optional(), FileAllowed(["pdf", "png", "jpg", "jpeg"], _l("PDF, PNG or JPEG only."))])

    for field in check.FIELDS:
        label = field.label.get(locale, field.label["en"])
        validators = [DataRequired()] if field.required else [Optional()]
        if field.kind == "bool":
            form_field = Radio(label, choices=[("yes", _l("Yes")), ("no", _l("No"))], validators=validators)
        elif field.kind == "choice":
            form_field = SelectField(label, choices=[(code, names.get(locale, names["en"])) for code, names in field.choices],
                                     validators=validators)
        elif field.kind == "text":
            form_field = TextAreaField(label, validators=[Optional(), Length(max=2000)])
        elif field.kind == "date":
            form_field = StringField(label, validators=validators, render_kw={"type": "date"})
        else:
            form_field = StringField(label, validators=validators, render_kw={"inputmode": "decimal"})
        setattr(ManualAnswerForm, field.name, form_field)
    return ManualAnswerForm()


from checks.manual import ManualCheck  # noqa: E402  (for the annotation above; checks never imports vetting)
