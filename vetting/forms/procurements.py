"""Forms of the procurement area: procurement, participant, search."""
from __future__ import annotations

from ..translation import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from .. import labels
from ..domain.identifiers import IDENTIFIER_TYPES
from ..domain.procurements import CURRENCIES
from .common import NumberField, QuickSelect, choices


class ProcurementForm(FlaskForm):
    reference = StringField(_l("Reference number (diarienummer)"), validators=[DataRequired(), Length(max=60)])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    cpv_code = StringField(_l("CPV code"), validators=[Optional(), Length(max=20)],
                           description=_l("8 digits and a check digit, e.g. 90910000-9"))
    category = StringField(_l("Category"), validators=[Optional(), Length(max=100)])
    risk_industry = BooleanField(_l("Risk-exposed industry"),
                                 description=_l("Construction, cleaning, transport, security services, staffing..."))
    estimated_value = StringField(_l("Estimated value"), validators=[Optional(), Length(max=30)],
                                  description=_l("Whole units, e.g. 1 250 000"))
    currency = SelectField(_l("Currency"), choices=[(c, c) for c in CURRENCIES])
    # What the risk model compares the supplier with (CO-04, CO-05, TX-03); blank = not stated, never "no".
    annual_value = StringField(_l("Estimated value per contract year"), validators=[Optional(), Length(max=30)],
                               description=_l("Whole units, e.g. 1 250 000"))
    required_staff = StringField(_l("Staff the assignment needs (full-time equivalents)"),
                                 validators=[Optional(), Length(max=12)], description=_l("e.g. 12 or 2,5"))
    labour_intensive = SelectField(_l("Labour-intensive service"), choices=[
        ("", _l("Not stated")), ("yes", _l("Yes")), ("no", _l("No"))], validators=[Optional()])
    protection_level = SelectField(_l("Security protection level"), choices=choices(labels.PROTECTION_LEVELS))
    responsible_user_id = SelectField(_l("Responsible officer"), coerce=int, validators=[Optional()])


class ProtectionForm(FlaskForm):
    """A security officer's change of the protection level or risk-industry flag, always with a reason."""

    protection_level = SelectField(_l("Security protection level"), choices=choices(labels.PROTECTION_LEVELS))
    risk_industry = BooleanField(_l("Risk-exposed industry"))
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])


class ParticipantForm(FlaskForm):
    """Add an organisation to a procurement: an existing one, or a new one described here."""

    # A text field, not a list of every organisation: with thousands registered a list is slow and unusable.
    existing = StringField(_l("Existing organisation"), validators=[Optional(), Length(max=200)],
                           description=_l("Its identifier (e.g. 556677-8899) or its exact name"))
    name = StringField(_l("Name"), validators=[Optional(), Length(max=200)])
    country = StringField(_l("Country (ISO code)"), validators=[Optional(), Length(max=60)], default="SE")
    identifier_type = SelectField(_l("Identifier type"), choices=choices(IDENTIFIER_TYPES, blank="—"),
                                  validators=[Optional()], widget=QuickSelect())
    identifier = StringField(_l("Identifier"), validators=[Optional(), Length(max=40)])
    role = SelectField(_l("Role in the procurement"), choices=choices(labels.PARTICIPANT_ROLES), widget=QuickSelect())
    parent_id = SelectField(_l("Subcontractor under"), coerce=int, validators=[Optional()], widget=QuickSelect())
    share_percent = NumberField(_l("Share of contract value (%)"), validators=[Optional(), NumberRange(min=0, max=100)],
                                description=_l("e.g. 12,5"))


class RemoveForm(FlaskForm):
    """A confirmation with an optional reason (removing participants or key persons)."""

    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=500)])
