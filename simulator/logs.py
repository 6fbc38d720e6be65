"""Logging for `usersim serve`: one structured line per request, written off the event loop.

Writing to a terminal or a container's log pipe is a system call, and building a
`logging.LogRecord` costs several microseconds; done on the event loop for every request
the two would cost as much as the request itself. So the request path only appends a
tuple to `RequestLog`, and a background thread formats what piled up and writes it in
one call a few times a second. Other `usersim` messages are rare and go through a queue.
"""

from __future__ import annotations

import functools
import logging
import logging.handlers
import queue
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import TextIO

# When, face, operation, account, status, seconds, fault.
_Pending = tuple[float, str | None, str, str | None, int, float, str | None]
FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


def configure_logging(level: str) -> Callable[[], None]:
    """Route the `usersim` loggers through a queue; returns the function that flushes and stops."""
    records: queue.SimpleQueue[logging.LogRecord] = queue.SimpleQueue()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    listener = logging.handlers.QueueListener(records, handler)
    logger = logging.getLogger("usersim")
    logger.handlers[:] = [logging.handlers.QueueHandler(records)]
    logger.setLevel(level.upper())
    logger.propagate = False
    listener.start()
    return listener.stop


class RequestLog:
    """`usersim.requests` lines, in the same layout as the other log lines, written in batches."""

    def __init__(self, stream: TextIO | None = None, interval: float = 0.1) -> None:
        self._stream = stream or sys.stderr
        self._interval = interval
        self._pending: deque[_Pending] = deque()
        self._stopping = threading.Event()
        self._writer = threading.Thread(target=self._write_until_stopped, daemon=True)

    def start(self) -> None:
        self._writer.start()

    def stop(self) -> None:
        """Write what is still pending and end the writer."""
        self._stopping.set()
        if self._writer.is_alive():
            self._writer.join()

    def add(
        self,
        face: str | None,
        operation: str,
        account: str | None,
        status: int,
        seconds: float,
        fault: str | None,
    ) -> None:
        """Called on the request path: no formatting, no I/O (deque appends are thread-safe)."""
        self._pending.append((time.time(), face, operation, account, status, seconds, fault))

    def _write_until_stopped(self) -> None:
        while not self._stopping.wait(self._interval):
            self._write_pending()
        self._write_pending()

    def _write_pending(self) -> None:
        lines = []
        while self._pending:
            lines.append(_line(self._pending.popleft()))
        if lines:
            self._stream.write("".join(lines))
            self._stream.flush()


def _line(entry: _Pending) -> str:
    at, face, operation, account, status, seconds, fault = entry
    return (
        f"{_stamp(int(at))},{int(at % 1 * 1000):03d} INFO usersim.requests face={face or '-'} "
        f"operation={operation} account={account or '-'} status={status} "
        f"duration_ms={seconds * 1000:.1f} fault={fault or '-'}\n"
    )


@functools.lru_cache(maxsize=4)
def _stamp(second: int) -> str:
    """Local time to the second, formatted once for the many lines of that second."""
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(second))
