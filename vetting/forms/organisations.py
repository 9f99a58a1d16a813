"""Forms of the organisation and person pages."""
from __future__ import annotations

from ..translation import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from .. import labels
from ..domain.identifiers import IDENTIFIER_TYPES
from .common import choices


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    country = StringField(_l("Country (ISO code)"), validators=[DataRequired(), Length(max=60)], default="SE")
    identifier_type = SelectField(_l("Identifier type"), choices=choices(IDENTIFIER_TYPES, blank="—"),
                                  validators=[Optional()])
    identifier = StringField(_l("Identifier"), validators=[Optional(), Length(max=40)],
                             description=_l("Organisation number, company number, VAT number or LEI"))
    address = TextAreaField(_l("Address"), validators=[Optional(), Length(max=500)])
    industry_code = StringField(_l("Industry code (SNI)"), validators=[Optional(), Length(max=10)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    email = StringField(_l("E-mail"), validators=[Optional(), Length(max=200)])
    bank_account = StringField(_l("Bank account (bankgiro, plusgiro or IBAN)"), validators=[Optional(), Length(max=60)])


class KeyPersonForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    role = SelectField(_l("Role"), choices=choices(labels.KEY_ROLES))
    personnummer = StringField(_l("Personnummer or samordningsnummer"), validators=[Optional(), Length(max=15)],
                               description=_l("YYYYMMDD-NNNN; stored once and masked on every page"),
                               render_kw={"autocomplete": "off"})
    birth_date = StringField(_l("Birth date (if no personnummer)"), validators=[Optional(), Length(max=10)],
                             description=_l("YYYY-MM-DD or YYYY"))
    nationality = StringField(_l("Nationality (ISO code)"), validators=[Optional(), Length(max=60)])


class RevealForm(FlaskForm):
    reason = StringField(_l("Why do you need to see the full number?"), validators=[DataRequired(), Length(max=500)])


class ImportUploadForm(FlaskForm):
    kind = SelectField(_l("What the file holds"), choices=[("organisations", _l("Organisations")),
                                                          ("persons", _l("Key persons"))])
    file = FileField(_l("CSV or Excel file"), validators=[FileRequired(), FileAllowed(["csv", "txt", "xlsx"],
                                                                                        _l("Only CSV or XLSX files."))])


class ImportConfirmForm(FlaskForm):
    token = StringField(validators=[DataRequired(), Length(max=64)])


class MergeForm(FlaskForm):
    decision = SelectField(_l("Decision"), choices=[("merge", _l("Same person: merge")),
                                                    ("separate", _l("Different persons: keep apart"))])
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=500)])
