"""Flask extensions and the background queue, created unbound and bound in ``create_app`` via ``init_app``."""
from flask_babel import Babel
from flask_login import LoginManager
from flask_wtf import CSRFProtect

from .queue import huey
from .queue import init_app as init_queue

login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()

__all__ = ["babel", "csrf", "huey", "init_queue", "login_manager"]
