"""Forms of the personal-data area: the retention purge and register extracts."""
from __future__ import annotations

from ..translation import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, StringField
from wtforms.validators import DataRequired, Length


class PurgeForm(FlaskForm):
    # The records the administrator saw listed: only those are erased, even if more fell due meanwhile.
    records = HiddenField(validators=[DataRequired(), Length(max=100_000)])
    confirm = BooleanField(_l("I have checked the list: erase these records. This cannot be undone."),
                           validators=[DataRequired(_l("Tick the box to confirm."))])


class ExtractForm(FlaskForm):
    reason = StringField(_l("Reason (e.g. the request's reference number)"),
                         validators=[DataRequired(), Length(max=500)])
    output = RadioField(_l("Format"), choices=[("json", _l("JSON file")), ("html", _l("Readable page"))],
                        default="json")
