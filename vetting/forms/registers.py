"""Form of the register settings page."""
from __future__ import annotations

from ..translation import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField
from wtforms.validators import DataRequired, Length


class RegisterSettingForm(FlaskForm):
    check_id = HiddenField(validators=[DataRequired()])
    key = HiddenField(validators=[DataRequired()])
    # A password field: secrets are typed, never shown back.
    value = PasswordField(_l("New value"), validators=[DataRequired(), Length(max=2000)],
                          render_kw={"autocomplete": "off"})
