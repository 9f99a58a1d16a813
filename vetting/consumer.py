"""The background worker: ``python -m vetting.consumer [huey consumer options]``.

It builds the app first (configuration from ``instance/config.py`` and ``VETTING_*``, the queue bound
to its storage), then runs huey's consumer on the app's queue, with huey's own options
(``-w 2 -k thread``, see ``huey_consumer --help``).
"""
from __future__ import annotations

import logging
import sys

from huey.consumer_options import ConsumerConfig, OptionParserHandler

from . import create_app
from . import tasks  # noqa: F401 - registers the tasks with the queue
from .extensions import huey


def main(argv: list[str] | None = None) -> None:
    """Parse huey's consumer options, build the app and consume until stopped."""
    options, _args = OptionParserHandler().get_option_parser().parse_args(argv)
    config = ConsumerConfig(**{k: v for k, v in options.__dict__.items() if v is not None})
    config.validate()
    create_app()
    config.setup_logger(logging.getLogger("huey"))
    huey.create_consumer(**config.values).run()


if __name__ == "__main__":
    main(sys.argv[1:])
