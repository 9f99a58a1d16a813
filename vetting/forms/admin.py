"""Forms of the administrator area."""
from __future__ import annotations

from ..translation import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from .. import labels
from .common import choices


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class UserForm(FlaskForm):
    username = StringField(_l("User name"), validators=[DataRequired(), Length(max=64)])
    display_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=120)])
    email = StringField(_l("E-mail"), validators=[Optional(), Email(), Length(max=200)])
    roles = MultiCheckboxField(_l("Roles"), choices=choices(labels.USER_ROLES), validators=[DataRequired()])
    active = BooleanField(_l("Active"), default=True)
    password = PasswordField(_l("Password"), validators=[Optional(), Length(max=200)],
                             description=_l("At least 12 characters. Leave empty to keep the current one."),
                             render_kw={"autocomplete": "new-password"})
