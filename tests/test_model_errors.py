"""A risk-model file that cannot be used is refused with where (line, column) and what, never a 500."""
from __future__ import annotations

import pytest
from flask_babel import force_locale

from vetting.domain import risk
from vetting.domain.model_errors import ModelInvalid


@pytest.mark.parametrize("text, line, column", [
    ('version = "2"\npublished = "2026-01-01"\nthresholds = { deepened = 6\n', 3, 28),
    ('version = "2"\npublished = 2026-01-01x\n', 2, 23),
    ('version = "2"\n\n[thresholds\ndeepened = 6\n', 3, 12),
])
def test_a_toml_syntax_error_names_line_and_column(app, text, line, column):
    with app.test_request_context(), pytest.raises(ModelInvalid) as caught:
        risk.validate_model(text)
    assert (caught.value.line, caught.value.column, caught.value.field) == (line, column, "text")
    assert f"line {line}, column {column}" in str(caught.value.message)


def test_the_message_is_swedish_in_the_swedish_ui(app):
    with app.test_request_context(), force_locale("sv"):
        with pytest.raises(ModelInvalid) as caught:
            risk.validate_model('version = "2"\npublished = [1,\n')
        assert str(caught.value.message).startswith("Modellfilen är inte giltig TOML: filen slutar för tidigt")


def test_a_one_line_text_is_text_not_a_path_on_the_server(app):
    with app.test_request_context(), pytest.raises(ModelInvalid) as caught:
        risk.validate_model("/etc/passwd")
    assert caught.value.line == 1
