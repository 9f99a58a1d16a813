"""Forms of the follow-up area."""
from __future__ import annotations

from ..translation import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..domain.followup import MAX_INTERVAL_MONTHS


class ScheduleForm(FlaskForm):
    risk_level = SelectField(_l("Risk level"), choices=[("high", _l("High")), ("medium", _l("Medium")),
                                                        ("low", _l("Low"))])
    interval_months = IntegerField(_l("Interval (months)"),
                                   validators=[Optional(), NumberRange(min=1, max=MAX_INTERVAL_MONTHS, message=_l(
                                       "The interval must be between 1 and 36 months."))],
                                   description=_l("Empty: by risk level (high 3, medium 6, low 12)"))


class ReviewForm(FlaskForm):
    conclusion = TextAreaField(_l("Conclusion of the review"), validators=[DataRequired(), Length(max=4000)])


class HandleAlertForm(FlaskForm):
    note = TextAreaField(_l("What was done"), validators=[DataRequired(), Length(max=2000)])
