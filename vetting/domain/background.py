"""The seam between domain operations and the background queue.

A batch is recorded in the database first (durable); queueing it is the second step, done by the
queue the application installs (``use_queue``: ``tasks.queue_batch`` in ``create_app``). Without one
(a script on a bare connection) nothing is queued: the next consumer to start queues every pending
item (``tasks.resume_interrupted_batches``), so the batch still runs. A register connection test
("Test connection") is recorded the same way and reaches the workers through its own queue.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

_queue: Callable[[int], bool] | None = None
_test_queue: Callable[[int, Any], bool] | None = None


def use_queue(queue: Callable[[int], bool], connection_tests: Callable[[int, Any], bool] | None = None) -> None:
    """Set how a recorded batch (and a recorded connection test) reaches the workers; each says whether it was
    queued."""
    global _queue, _test_queue
    _queue = queue
    _test_queue = connection_tests


def enqueue(batch_id: int | None) -> bool:
    """Queue a recorded batch for the workers; False when there is no application to queue it in."""
    if batch_id is None or _queue is None:
        return False
    return _queue(batch_id)


def enqueue_connection_test(test_id: int, actor: Any) -> bool:
    """Queue a recorded register connection test; False when there is no application to queue it in."""
    if _test_queue is None:
        return False
    return _test_queue(test_id, actor)
