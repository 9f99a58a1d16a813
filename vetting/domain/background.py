"""The seam between domain operations and the background queue.

A batch is recorded in the database first (durable); queueing it is the second step. Without an
application (a script on a bare connection) nothing is queued: the next consumer to start queues
every pending item (``tasks.resume_interrupted_batches``), so the batch still runs.
"""
from __future__ import annotations

from typing import Any

from flask import has_app_context


def enqueue(batch_id: int | None) -> bool:
    """Queue a recorded batch for the workers; False when there is no application to queue it in."""
    if batch_id is None or not has_app_context():
        return False
    from ..tasks import enqueue_batch

    enqueue_batch(batch_id)
    return True


def enqueue_connection_test(test_id: int, actor: Any) -> bool:
    """Queue a recorded register connection test; False when there is no application to queue it in."""
    if not has_app_context():
        return False
    from ..tasks import test_register_connection

    test_register_connection(test_id, actor.id, actor.username)
    return True
