"""Forms of the screening area."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, MultipleFileField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from ..lists.importers import SOURCES


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
    source = SelectField(_l("List"), choices=[(s, s) for s in SOURCES])
    files = MultipleFileField(_l("File(s) from the publisher"), validators=[DataRequired()])


__all__ = ["DecisionForm", "FileField", "FileRequired", "ListUploadForm", "RunForm"]
