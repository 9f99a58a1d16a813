"""Forms of the risk area."""
from __future__ import annotations

from ..translation import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

LEVEL_CHOICES = [("basic_done", _l("Basic check done")), ("deepened_check", _l("Deepened check required")),
                 ("joint_review", _l("Joint procurement–security review")),
                 ("exclusion_assessment", _l("Exclusion assessment"))]


class OverrideForm(FlaskForm):
    level = SelectField(_l("New level"), choices=LEVEL_CHOICES)
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=4000)])


class ModelForm(FlaskForm):
    text = TextAreaField(_l("Model file (TOML)"), validators=[DataRequired(), Length(max=500_000)],
                         render_kw={"rows": 24, "spellcheck": "false", "lang": "en"})  # the model file is TOML with English comments


class StaffConflictForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    birth_year = StringField(_l("Birth year"), validators=[Optional(), Length(max=4)])
    note = StringField(_l("Note (e.g. unit, relation)"), validators=[Optional(), Length(max=500)])
