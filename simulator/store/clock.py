"""A wall clock that tests can move forward without sleeping."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

# 9999-01-01T00:00:00Z: the latest moment the simulated clock may show.
LATEST = 253370764800.0


class Clock:
    """Real time plus an offset.

    Every timestamp the simulator hands out and every expiry it checks (lockouts,
    rate-limit windows) reads this clock, never `time.time()`, so advancing it moves
    the whole simulated world at once.
    """

    def __init__(self, source: Callable[[], float] = time.time) -> None:
        self._source = source
        self._offset = 0.0
        self._lock = threading.Lock()
        self._stopped_at: float | None = None
        self._stops = 0

    def now(self) -> float:
        """Seconds since the epoch, simulated."""
        stopped = self._stopped_at
        return (self._source() if stopped is None else stopped) + self._offset

    @contextmanager
    def stopped(self) -> Iterator[None]:
        """Real time stands still in the block (`advance` still moves the clock): one
        request executed twice, by the GraphQL differential check, sees one instant."""
        with self._lock:
            if self._stops == 0:
                self._stopped_at = self._source()
            self._stops += 1
        try:
            yield
        finally:
            with self._lock:
                self._stops -= 1
                if self._stops == 0:
                    self._stopped_at = None

    def now_ms(self) -> int:
        """Milliseconds since the epoch, the unit Harness puts on the wire."""
        return int(self.now() * 1000)

    @property
    def offset(self) -> float:
        """How far the simulated clock is ahead of real time, in seconds."""
        return self._offset

    def advance(self, seconds: float) -> None:
        """Move simulated time forward; moving backwards would break expiry logic.

        Not past the start of the year 9999: every timestamp must stay writable as an
        ISO date (a state past it could not be exported or saved), with a year to spare
        for the expiries counted from now.
        """
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        with self._lock:
            if self._source() + self._offset + seconds >= LATEST:
                raise ValueError("the clock cannot move past 9999-01-01T00:00:00Z")
            self._offset += seconds

    def reset(self) -> None:
        """Return to real time."""
        with self._lock:
            self._offset = 0.0
