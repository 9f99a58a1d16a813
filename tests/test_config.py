"""Configuration: environment overrides and the refusal of a missing secret key."""
from __future__ import annotations

import pytest

from vetting import create_app
from vetting.config import ConfigurationError, from_environment


def test_refuses_to_start_without_secret_key_in_production(tmp_path):
    with pytest.raises(ConfigurationError, match="VETTING_SECRET_KEY"):
        create_app({"DATABASE": str(tmp_path / "x.db"), "SECRET_KEY": ""})


def test_refuses_well_known_secret_key(tmp_path):
    with pytest.raises(ConfigurationError):
        create_app({"DATABASE": str(tmp_path / "x.db"), "SECRET_KEY": "change-me"})


def test_starts_with_a_real_secret_key(tmp_path):
    app = create_app({"DATABASE": str(tmp_path / "x.db"), "SECRET_KEY": "a" * 64})
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_environment_overrides_settings_with_their_types():
    overrides = from_environment({"VETTING_DATABASE": "/srv/v.db", "VETTING_PAGE_SIZE": "50",
                                  "VETTING_SESSION_COOKIE_SECURE": "0", "VETTING_UNKNOWN": "x"})
    assert overrides == {"DATABASE": "/srv/v.db", "PAGE_SIZE": 50, "SESSION_COOKIE_SECURE": False}


def test_every_setting_is_documented_in_readme():
    from pathlib import Path

    from vetting.config import Defaults

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    missing = [n for n in dir(Defaults) if n.isupper() and f"VETTING_{n}" not in readme]
    assert missing == []
