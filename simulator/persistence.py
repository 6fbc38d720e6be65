"""`--state-file`: a long-lived local server keeps its state across restarts.

The state is written as an exported snapshot (a valid fixture, in JSON) whenever it
has changed and then stayed unchanged for a moment, and once more on shutdown. Every
write goes to a temporary file that is flushed to disk and then renamed over the old
one, so a process killed at any instant leaves either the old or the new complete
file. A file that cannot be read back stops the server with the reason; it is never
silently replaced.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
import time
from pathlib import Path

import orjson

from simulator.fixtures.loaded import FixtureError
from simulator.runtime import Simulator

log = logging.getLogger("usersim.persistence")


class StateFileError(Exception):
    """The state file exists but cannot be used; `problems` says why."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        super().__init__(f"{path}: " + "; ".join(problems))
        self.problems = [f"{path}: {problem}" for problem in problems]


class StateFile:
    def __init__(self, path: Path, simulator: Simulator, *, quiet_seconds: float = 0.5) -> None:
        self.path = path
        self._simulator = simulator
        self._quiet_seconds = quiet_seconds
        self._saved_version = simulator.version
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._write_lock = threading.Lock()

    def restore(self) -> bool:
        """Load the file if there is one (True), leaving the fixtures as the reset baseline."""
        for leftover in self.path.parent.glob(f".{self.path.name}.*"):
            leftover.unlink()  # a write cut short by a kill; the file itself is whole
        if not self.path.exists():
            return False
        try:
            document = orjson.loads(self.path.read_bytes())
        except (OSError, orjson.JSONDecodeError) as exc:
            raise StateFileError(
                self.path, [f"cannot be read as a state snapshot ({exc})"]
            ) from None
        try:
            self._simulator.replace_state(document)
        except FixtureError as exc:
            raise StateFileError(self.path, exc.problems) from None
        self._saved_version = self._simulator.version
        return True

    def save(self) -> None:
        """Write the current state atomically (temporary file, fsync, rename, fsync dir)."""
        with self._write_lock:
            version = self._simulator.version
            data = orjson.dumps(self._simulator.export(), option=orjson.OPT_INDENT_2)
            directory = self.path.parent
            handle, temporary = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=directory)
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(data)
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(temporary, self.path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
            directory_handle = os.open(directory, os.O_RDONLY)
            try:
                os.fsync(directory_handle)
            finally:
                os.close(directory_handle)
            self._saved_version = version

    def start(self) -> None:
        """Save in the background once changes have settled for `quiet_seconds`."""
        self._thread = threading.Thread(target=self._run, name="usersim-state-file", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the background saver and save a last time."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.save()

    def _run(self) -> None:
        seen = self._simulator.version
        changed_at = time.monotonic()
        while not self._stop.wait(self._quiet_seconds / 4):
            version = self._simulator.version
            if version != seen:
                seen, changed_at = version, time.monotonic()
                continue
            settled = time.monotonic() - changed_at >= self._quiet_seconds
            if version != self._saved_version and settled:
                try:
                    self.save()
                except OSError:
                    log.exception("could not save the state to %s", self.path)
