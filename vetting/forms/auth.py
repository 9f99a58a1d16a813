"""Sign-in form."""
from ..translation import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    username = StringField(_l("User name"), validators=[DataRequired(), Length(max=64)],
                           render_kw={"autocomplete": "username", "autofocus": True})
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)],
                             render_kw={"autocomplete": "current-password"})


class PasswordChangeForm(FlaskForm):
    """A user's own new password: the current one first (so an unattended session cannot take the account)."""

    current_password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=200)],
                                      render_kw={"autocomplete": "current-password"})
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=200)],
                                 render_kw={"autocomplete": "new-password"})
    repeat_password = PasswordField(_l("New password again"), validators=[DataRequired(), Length(max=200)],
                                    render_kw={"autocomplete": "new-password"})

    def validate_repeat_password(self, field: PasswordField) -> None:
        from wtforms.validators import ValidationError

        if field.data != self.new_password.data:
            raise ValidationError(_l("The two new passwords differ."))
