"""Vetting: supplier vetting for Swedish public procurement. ``create_app`` assembles the app."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import flask_babel
from flask import Flask

from .paths import asset_dir


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: configuration, extensions, blueprints, CLI and error handlers."""
    from . import config, db, formatting, logs, security, vocabulary
    from .cli import register_cli
    from .domain import background, consequences, message, notify
    from .domain import settings as domain_settings
    from .tasks import queue_batch, queue_connection_test, send_email
    from .extensions import babel, csrf, init_queue
    from .web import register_blueprints
    from .web.auth import init_app as init_auth
    from .web.errors import register_error_handlers
    from .web.i18n import install_template_gettext, select_locale

    app = Flask(__name__, instance_relative_config=True, template_folder=str(asset_dir("templates")),
                static_folder=str(asset_dir("static")))
    app.config.from_object(config.Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(config.from_environment())
    if test_config:
        app.config.update(test_config)
    if app.debug:
        app.config["SESSION_COOKIE_SECURE"] = False
    config.check_secret_key(app.config)
    _check_registers(app.config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    logs.init_app(app)
    db.init_app(app)
    init_queue(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=str(Path(__file__).parent / "translations"))
    install_template_gettext(app)
    init_auth(app)
    security.init_app(app)
    formatting.init_app(app)
    vocabulary.init_app(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_cli(app)
    notify.use_mailer(send_email)  # e-mail leaves through the queue, never from the request
    domain_settings.configure(domain_settings.DomainSettings.from_config(app.config, Path(app.instance_path)))
    background.use_queue(queue_batch, queue_connection_test)  # recorded batches and connection tests reach the workers
    message.install(flask_babel.gettext, lambda: str(flask_babel.get_locale() or "sv"))  # domain words, read late
    consequences.assemble()  # what follows from what: the web, every flask command and the consumer come here
    return app


def _check_registers(settings: Any) -> None:
    """Refuse to start with a register configuration that would fail at the first "Screen now"."""
    from checks import discover

    from .config import ConfigurationError
    from .registers import validate

    problems = validate(discover().values(), settings)
    if problems:
        raise ConfigurationError("The register configuration is not valid:\n  " + "\n  ".join(problems))
