"""Forms of a bidder's tender: its price, the 16 kap. 7 § LOU request for an explanation, the reply and the
assessment, and the import of the evaluation's prices."""
from __future__ import annotations

from ..translation import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class BidPriceForm(FlaskForm):
    bid_price = StringField(_l("Evaluated tender price"), validators=[Optional(), Length(max=30)],
                            description=_l("On the same basis as the estimated value, e.g. 1 250 000"))


class ExplanationRequestForm(FlaskForm):
    requested_on = StringField(_l("Requested on"), validators=[DataRequired()], render_kw={"type": "date"})
    deadline = StringField(_l("Reply by"), validators=[DataRequired()], render_kw={"type": "date"})
    what = TextAreaField(_l("What the supplier was asked to explain"), validators=[DataRequired(), Length(max=4000)],
                         description=_l("e.g. the price, the staff costs, the working hours and wages it rests on"))


class ExplanationReplyForm(FlaskForm):
    received_on = StringField(_l("Reply received on"), validators=[DataRequired()], render_kw={"type": "date"})
    reply_text = TextAreaField(_l("The supplier's explanation"), validators=[DataRequired(), Length(max=8000)])


class ExplanationAssessmentForm(FlaskForm):
    assessment = RadioField(_l("Assessment"), choices=[
        ("accepted", _l("The explanation is accepted")),
        ("rejected", _l("The explanation is not accepted: the tender is rejected"))], validators=[DataRequired()])
    assessment_reason = TextAreaField(_l("Reasons"), validators=[DataRequired(), Length(max=4000)])


class PriceImportForm(FlaskForm):
    file = FileField(_l("CSV or Excel file with the organisation number and the tender price of each bidder"),
                     validators=[FileRequired(), FileAllowed(["csv", "txt", "xlsx"], _l("Only CSV or XLSX files."))])
