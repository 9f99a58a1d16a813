"""Forms of the search page."""
from __future__ import annotations

from ..translation import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length


class PersonnummerSearchForm(FlaskForm):
    """Exact lookup by personnummer; posted, so the number stays out of addresses and logs."""

    personnummer = StringField(_l("Personnummer or samordningsnummer"), validators=[DataRequired(), Length(max=15)],
                               description=_l("YYYYMMDD-NNNN; the number is not shown again or kept in the address"),
                               render_kw={"autocomplete": "off"})
