"""Forms of an exclusion case: stated grounds, a ground's facts, communication and reply, self-cleaning, decision.

The law's checks (dates, which ground allows what) are the domain's; a refused value comes back as a message on
its field, with everything the officer typed kept.
"""
from __future__ import annotations

from ..translation import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, RadioField, SelectField, TextAreaField
from wtforms.validators import Length, Optional

from ..domain.exclusion import communication, decisions, self_cleaning
from ..domain.exclusion import grounds as law
from .admin import MultiCheckboxField
from .common import choices

LONG = 8000


class StatedGroundsForm(FlaskForm):
    stated = MultiCheckboxField(_l("Optional grounds the procurement documents state"),
                                choices=[(code, law.GROUNDS[code].label) for code in law.STATABLE])
    below_threshold = BooleanField(_l("Below the threshold (LOU 19 kap.): every ground is optional"))


class GroundForm(FlaskForm):
    start_date = DateField(_l("Date that starts the time limit"), validators=[Optional()],
                           description=_l("Final judgment for 13:1, the event for 13:3, the decision for 13:2."))
    established = SelectField(_l("Unpaid taxes established by"), validators=[Optional()], choices=[
        ("", _l("Not stated")), ("final", _l("A final judgment or decision (mandatory ground)")),
        ("other", _l("Other means (optional ground)"))])
    remedy = SelectField(_l("Payment (LOU 13:2)"), validators=[Optional()], choices=[
        ("", _l("Not paid")), ("paid", _l("Paid, with interest and fines")),
        ("arrangement", _l("Binding arrangement to pay"))])
    remedy_date = DateField(_l("Paid or arranged on"), validators=[Optional()])
    remedy_evidence = TextAreaField(_l("Evidence of the payment or arrangement"), validators=[Optional(), Length(max=LONG)])
    exception = SelectField(_l("Exception"), validators=[Optional()], choices=[
        ("", _l("None")), ("public_interest", _l("Overriding reasons of public interest")),
        ("small_amount", _l("Exclusion clearly disproportionate: a small amount (13:2)"))])
    exception_reason = TextAreaField(_l("Reason for the exception"), validators=[Optional(), Length(max=LONG)])


class CommunicationForm(FlaskForm):
    sent_on = DateField(_l("Sent on"), validators=[Optional()])
    means = SelectField(_l("Sent by"), choices=choices(communication.MEANS, ""), validators=[Optional()])
    content = TextAreaField(_l("What was communicated (the grounds and the facts the agency relies on)"),
                            validators=[Optional(), Length(max=LONG)], render_kw={"rows": 5})
    deadline = DateField(_l("Deadline for the reply"), validators=[Optional()])


class ReplyForm(FlaskForm):
    reply_on = DateField(_l("Reply received on"), validators=[Optional()])
    reply_text = TextAreaField(_l("What the supplier replied"), validators=[Optional(), Length(max=LONG)],
                               render_kw={"rows": 5})
    documents = TextAreaField(_l("Documents received (one per line)"), validators=[Optional(), Length(max=LONG)])


class SelfCleaningForm(FlaskForm):
    compensation_evidence = TextAreaField(self_cleaning.ELEMENTS["compensation"], validators=[Optional(), Length(max=LONG)])
    compensation_assessment = SelectField(_l("Assessment"), choices=choices(self_cleaning.ASSESSMENTS, ""),
                                          validators=[Optional()])
    cooperation_evidence = TextAreaField(self_cleaning.ELEMENTS["cooperation"], validators=[Optional(), Length(max=LONG)])
    cooperation_assessment = SelectField(_l("Assessment"), choices=choices(self_cleaning.ASSESSMENTS, ""),
                                         validators=[Optional()])
    measures_evidence = TextAreaField(self_cleaning.ELEMENTS["measures"], validators=[Optional(), Length(max=LONG)])
    measures_assessment = SelectField(_l("Assessment"), choices=choices(self_cleaning.ASSESSMENTS, ""),
                                      validators=[Optional()])
    conclusion = RadioField(_l("Conclusion"), choices=list(self_cleaning.CONCLUSIONS.items()), validators=[Optional()])
    conclusion_reason = TextAreaField(_l("Reason for the conclusion"), validators=[Optional(), Length(max=LONG)])


class DecisionForm(FlaskForm):
    outcome = RadioField(_l("Decision"), choices=list(decisions.OUTCOMES.items()), validators=[Optional()])
    reasons = TextAreaField(_l("Reasons for the decision"), validators=[Optional(), Length(max=LONG)],
                            render_kw={"rows": 5})
    evidence = TextAreaField(_l("Evidence the decision rests on"), validators=[Optional(), Length(max=LONG)])
    reconsiders = HiddenField()
