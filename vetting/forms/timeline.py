"""Forms of the procurement's timeline: planned dates, the award notice, requests for review."""
from __future__ import annotations

from ..translation import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from .admin import MultiCheckboxField


class PlannedDatesForm(FlaskForm):
    planned_advertising = DateField(_l("Planned advertising"), validators=[Optional()])
    planned_opening = DateField(_l("Planned tender opening"), validators=[Optional()])
    planned_award = DateField(_l("Planned award decision"), validators=[Optional()])
    planned_contract_start = DateField(_l("Planned contract start"), validators=[Optional()])


class NoticeForm(FlaskForm):
    sent_on = DateField(_l("Notice sent on"), validators=[DataRequired()])
    method = RadioField(_l("Sent"), choices=[("electronic", _l("Electronically (10 days' standstill)")),
                                             ("post", _l("By post or other means (15 days' standstill)"))],
                        validators=[DataRequired()])
    recipients = MultiCheckboxField(_l("Notified bidders"), coerce=int)
    reasons = TextAreaField(_l("Reasons for the award decision"), validators=[DataRequired(), Length(max=4000)])


class AppealForm(FlaskForm):
    applicant = StringField(_l("Requested by"), validators=[DataRequired(), Length(max=200)])
    court = StringField(_l("Court"), default="Förvaltningsrätten", validators=[DataRequired(), Length(max=200)])
    filed_on = DateField(_l("Filed on"), validators=[DataRequired()])


class AppealDecisionForm(FlaskForm):
    decided_on = DateField(_l("Decided on"), validators=[DataRequired()])
    outcome = RadioField(_l("The court's decision"), choices=[
        ("rejected", _l("Request rejected")), ("correction", _l("Correction ordered")),
        ("redo", _l("Procurement to be redone"))], validators=[DataRequired()])
    note = TextAreaField(_l("Note"), validators=[Length(max=4000)])
