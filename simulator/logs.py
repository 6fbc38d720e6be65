"""Logging for `usersim serve`: one structured line per request, written off the event loop.

Writing to a terminal or a container's log pipe is a system call; done on the event loop
for every request it would cost as much as the request itself. Records go into a queue
and a background thread writes them.
"""

from __future__ import annotations

import logging
import logging.handlers
import queue
import sys
from collections.abc import Callable


def configure_logging(level: str) -> Callable[[], None]:
    """Route the `usersim` loggers through a queue; returns the function that flushes and stops."""
    records: queue.SimpleQueue[logging.LogRecord] = queue.SimpleQueue()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    listener = logging.handlers.QueueListener(records, handler)
    logger = logging.getLogger("usersim")
    logger.handlers[:] = [logging.handlers.QueueHandler(records)]
    logger.setLevel(level.upper())
    logger.propagate = False
    listener.start()
    return listener.stop
