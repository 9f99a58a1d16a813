"""The seam between domain operations and the background queue.

A batch is recorded in the database first (durable); queueing it is the second step, done by the
queue the application installs (``use_queue``: ``tasks.queue_batch`` in ``create_app``). Without one
(a script on a bare connection) nothing is queued: the next consumer to start queues every pending
item (``tasks.resume_interrupted_batches``), so the batch still runs.
"""
from __future__ import annotations

from collections.abc import Callable

_queue: Callable[[int], bool] | None = None


def use_queue(queue: Callable[[int], bool]) -> None:
    """Set how a recorded batch reaches the workers; ``queue(batch_id)`` says whether it was queued."""
    global _queue
    _queue = queue


def enqueue(batch_id: int | None) -> bool:
    """Queue a recorded batch for the workers; False when there is no application to queue it in."""
    if batch_id is None or _queue is None:
        return False
    return _queue(batch_id)
