"""Reading a register's answer under the run's wall-clock budget: a hang or a slow drip ends at the deadline."""
from __future__ import annotations

from collections.abc import Callable

import requests

from . import _budget
from .errors import SourceChanged, SourceUnavailable

MAX_BODY_BYTES = 32 * 1024 * 1024  # register answers are small; a runaway body must not exhaust a worker's memory


def check_budget(source: str) -> float | None:
    """Seconds left in the run's budget; SourceUnavailable once it is spent."""
    left = _budget.remaining()
    if left is not None and left <= 0:
        raise SourceUnavailable(f"{source}: no complete answer within the total time limit of {_budget.total():g} s",
                                code="deadline_spent", source=source, limit=_budget.total())
    return left


def read_body(source: str, response: requests.Response, keep: Callable[[bytes], None]) -> bytes:
    """The whole body, read as it arrives; a slow drip is cut off at the run's deadline (``keep`` gets the part read)."""
    raw = response.raw
    if raw is None:  # a response built in memory (a fake session): the body is already there
        return response.content[:MAX_BODY_BYTES + 1] if len(response.content) <= MAX_BODY_BYTES else _too_big(source)
    chunks: list[bytes] = []
    size = 0
    # read1 returns what has arrived instead of waiting for a full chunk, so the deadline is checked between drips.
    read = raw.read1 if hasattr(raw, "read1") else raw.read
    while True:
        try:
            chunk = read(64 * 1024, decode_content=True)
        except Exception as exc:  # urllib3's timeout and protocol errors: the same mapping as requests' iter_content
            raise _as_requests_error(exc) from exc
        if not chunk:
            break
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            keep(b"".join(chunks)[:_budget.FAILURE_BODY_CAP])
            raise SourceChanged(f"{source}: answer larger than {MAX_BODY_BYTES // 2**20} MiB", code="too_large",
                                source=source, limit=MAX_BODY_BYTES // 2**20)
        chunks.append(chunk)
        left = _budget.remaining()
        if left is not None and left <= 0:
            keep(b"".join(chunks))
            raise SourceUnavailable(f"{source}: the answer was still arriving when the total time limit of "
                                    f"{_budget.total():g} s ran out ({size} bytes received)",
                                    code="deadline_during_answer", source=source, limit=_budget.total(), size=size)
    return b"".join(chunks)


def _too_big(source: str) -> bytes:
    raise SourceChanged(f"{source}: answer larger than {MAX_BODY_BYTES // 2**20} MiB", code="too_large", source=source,
                        limit=MAX_BODY_BYTES // 2**20)


def _as_requests_error(exc: Exception) -> Exception:
    """urllib3 errors as the requests exceptions the retry loop handles (as ``iter_content`` would raise them)."""
    from urllib3 import exceptions as u3

    if isinstance(exc, u3.ReadTimeoutError):
        return requests.exceptions.ReadTimeout(str(exc))
    if isinstance(exc, u3.ProtocolError):
        return requests.exceptions.ChunkedEncodingError(str(exc))
    if isinstance(exc, u3.DecodeError):
        return requests.exceptions.ContentDecodingError(str(exc))
    if isinstance(exc, u3.SSLError):
        return requests.exceptions.SSLError(str(exc))
    if isinstance(exc, OSError):
        return requests.exceptions.ConnectionError(str(exc))
    return exc
