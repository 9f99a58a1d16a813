"""The huey queue: SqliteHuey beside the database by default, RedisHuey for several worker machines.

Chosen from the environment when this module is imported, because ``huey_consumer`` imports
it without the Flask app: ``VETTING_QUEUE`` (``sqlite`` or ``redis``), ``VETTING_QUEUE_FILE``,
``VETTING_REDIS_URL``.
"""
from __future__ import annotations

import os
from pathlib import Path

from huey import RedisHuey, SqliteHuey
from huey.api import Huey

from .paths import ROOT


def queue_file() -> Path:
    """The SQLite queue file: VETTING_QUEUE_FILE, else next to the database."""
    explicit = os.environ.get("VETTING_QUEUE_FILE")
    if explicit:
        return Path(explicit)
    database = Path(os.environ.get("VETTING_DATABASE", "vetting.sqlite3"))
    folder = database.parent if database.is_absolute() else ROOT / "instance" / database.parent
    return folder / "vetting-queue.sqlite3"


def make_huey() -> Huey:
    """The queue this process uses."""
    if os.environ.get("VETTING_QUEUE", "sqlite") == "redis":
        return RedisHuey("vetting", url=os.environ.get("VETTING_REDIS_URL", "redis://127.0.0.1:6379/0"))
    path = queue_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("vetting", filename=str(path))


huey = make_huey()
