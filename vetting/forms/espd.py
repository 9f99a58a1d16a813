"""Forms of the ESPD: upload a supplier's ESPD response, record its signed truth declaration."""
from __future__ import annotations

from ..translation import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length


class EspdUploadForm(FlaskForm):
    """The ESPD file (ESPD-EDM XML); on the organisation page also the procurement it was given in."""

    file = FileField(_l("ESPD file (XML, at most 5 MB)"), validators=[FileRequired(_l("Choose the ESPD file."))])
    procurement_id = SelectField(_l("Procurement"), coerce=int, validate_choice=False, default=0)


class TruthDeclarationForm(FlaskForm):
    """Who signed the sanningsförsäkran, when, and the signed document."""

    signed_by = StringField(_l("Signed by (name and role)"), validators=[DataRequired(), Length(max=200)])
    signed_on = StringField(_l("Signed on"), validators=[DataRequired()], description=_l("YYYY-MM-DD"),
                            render_kw={"type": "date"})
    document = FileField(_l("Signed document (PDF, PNG or JPEG, at most 10 MB)"),
                         validators=[FileRequired(_l("Attach the signed truth declaration."))])
