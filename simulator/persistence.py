"""`--state-file`: a long-lived local server keeps its state across restarts.

The state is written as an exported snapshot (a valid fixture, in JSON) once it has
changed and then stayed unchanged for a moment, or at the latest `max_delay` seconds
after the first change not yet on disk, however steady the traffic; and once more on
shutdown. The export reads the tables under the stores' locks and builds the document
outside them where it can (see `Simulator.export`). Every
write goes to a temporary file that is flushed to disk and then renamed over the old
one, so a process killed at any instant leaves either the old or the new complete
file. A file that cannot be read back stops the server with the reason; it is never
silently replaced. The saver thread survives any error: it logs it, keeps it for
`/_usersim/ready` and tries again at the next change.
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

# A change is on disk at most this many seconds after it was acknowledged (plus the
# time one save takes).
DEFAULT_MAX_DELAY = 1.0


class StateFileError(Exception):
    """The state file exists but cannot be used; `problems` says why."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        super().__init__(f"{path}: " + "; ".join(problems))
        self.problems = [f"{path}: {problem}" for problem in problems]


class StateFile:
    def __init__(
        self,
        path: Path,
        simulator: Simulator,
        *,
        quiet_seconds: float = 0.5,
        max_delay: float = DEFAULT_MAX_DELAY,
    ) -> None:
        self.path = path
        self._simulator = simulator
        self._quiet_seconds = min(quiet_seconds, max_delay)
        self._max_delay = max_delay
        self._saved_version = simulator.version
        self.error: str | None = None  # why the last save failed, until one succeeds
        self.saved_at: float | None = None  # epoch seconds (real time) of the last save
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
            self.saved_at = time.time()
            self.error = None

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

    def report(self) -> dict[str, object]:
        """What `/_usersim/ready` says of the file."""
        return {"path": str(self.path), "savedAt": self.saved_at, "error": self.error}

    def _run(self) -> None:
        seen = self._simulator.version
        changed_at = first_unsaved = time.monotonic()
        while not self._stop.wait(self._quiet_seconds / 4):
            version = self._simulator.version
            now = time.monotonic()
            if version == self._saved_version:
                first_unsaved = now
            if version != seen:
                seen, changed_at = version, now
            settled = now - changed_at >= self._quiet_seconds
            overdue = now - first_unsaved >= self._max_delay
            if version != self._saved_version and (settled or overdue):
                try:
                    self.save()
                except Exception as exc:  # whatever it was, the next change tries again
                    self.error = f"{type(exc).__name__}: {exc}"
                    log.exception("could not save the state to %s", self.path)
                first_unsaved = time.monotonic()
