"""The huey queue: created unbound here, bound by ``create_app`` to the configured storage.

Importing this module reads no environment and touches no file. ``init_app`` binds the queue to
SQLite beside the database (``QUEUE = "sqlite"``, ``QUEUE_FILE``) or to Redis for several worker
machines (``QUEUE = "redis"``, ``REDIS_URL``); the settings live in ``config.Defaults`` like every
other. The consumer is started through ``python -m vetting.consumer``, which builds the app first,
so the workers read the same configuration as the web processes.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from huey.storage import RedisStorage, SqliteStorage
from huey.api import Huey
from huey.storage import BaseStorage

from .db import database_path


class UnboundStorage(BaseStorage):
    """The queue before an application bound it: any use says so instead of losing the task."""

    def _unbound(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("The queue is not bound to a storage: create_app() binds it (python -m vetting.consumer "
                           "for workers).")

    enqueue = dequeue = add_to_schedule = read_schedule = put_data = peek_data = pop_data = _unbound  # type: ignore


huey = Huey("vetting", storage_class=UnboundStorage)


def queue_file(config: Any, database: Path) -> Path:
    """The SQLite queue file: ``QUEUE_FILE``, else ``vetting-queue.sqlite3`` next to the database."""
    explicit = config.get("QUEUE_FILE")
    return Path(explicit) if explicit else database.parent / "vetting-queue.sqlite3"


def init_app(app: Flask) -> None:
    """Bind the queue to the storage the app's configuration names (tests' immediate mode keeps memory)."""
    if app.config["QUEUE"] == "redis":
        storage_class: type[BaseStorage] = RedisStorage
        kwargs: dict[str, Any] = {"url": app.config["REDIS_URL"]}
    else:
        path = queue_file(app.config, database_path(app))
        path.parent.mkdir(parents=True, exist_ok=True)
        storage_class, kwargs = SqliteStorage, {"filename": str(path)}
    huey.storage_class, huey.storage_kwargs = storage_class, kwargs
    huey.storage = huey.create_storage()
