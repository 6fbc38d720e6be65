"""What usersim derives from small files at start (checked fixtures, parsed contracts),
kept on disk so the next start with the same files skips deriving it.

Reading the default fixture (YAML, pydantic's shape checks, the stores' builders) and
parsing the YAML contracts are most of what `usersim serve` does before it can answer,
and they are why PyYAML and pydantic are imported at start at all. What they produce
depends only on the files' bytes and on usersim's code, so it is pickled under a key
made of both; a later start with the same files and the same code loads that instead.

Only small inputs are kept (at most `MAX_SOURCE_BYTES`): writing the records of a
100k-user fixture would cost its first start more than later starts would save.

Where: `$USERSIM_CACHE_DIR`, else `$XDG_CACHE_HOME/usersim`, else `~/.cache/usersim`;
`USERSIM_CACHE_DIR=off` turns the cache off. At most `MAX_ENTRIES` results are kept (the
least recently used go first). A start with the default fixture keeps 16 (the fixture,
the scenario presets, the contracts), under 400 KB, and every version of the code has its
own: the bound leaves room for several checkouts or branches used side by side, which
would otherwise push each other's entries out and start from scratch each time. A cache
that cannot be read or written is passed over: it only ever saves time.
"""

from __future__ import annotations

import copyreg
import hashlib
import io
import os
import pickle
import sys
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

ENV = "USERSIM_CACHE_DIR"
MAX_ENTRIES = 128
MAX_SOURCE_BYTES = 1024 * 1024

T = TypeVar("T")


def derived(kind: str, files: Sequence[Path], derive: Callable[[], T]) -> T:
    """`derive()`'s result for these files: from the cache, or derived now and kept."""
    directory = _directory()
    if directory is None:
        return derive()
    try:
        contents = [path.read_bytes() for path in files]
    except OSError:  # `derive` reports an unreadable file in its own words
        return derive()
    if sum(len(content) for content in contents) > MAX_SOURCE_BYTES:
        return derive()
    digest = hashlib.sha256(_code_fingerprint())
    for content in contents:
        digest.update(len(content).to_bytes(8, "big"))
        digest.update(content)
    entry = directory / f"{kind}-{digest.hexdigest()[:32]}.pickle"
    try:
        with entry.open("rb") as handle:
            value: T = pickle.load(handle)
        os.utime(entry)  # recently used
        return value
    except Exception:  # absent, unreadable or not what it should be: derive it again
        pass
    value = derive()
    _keep(directory, entry, value)
    return value


def yaml_file(path: Path) -> Any:
    """A YAML file's content (PyYAML is imported only when the cache does not have it)."""

    def parse() -> Any:
        from simulator.yamlfast import safe_load

        with path.open("rb") as handle:
            return safe_load(handle)

    return derived("yaml", [path], parse)


def _directory() -> Path | None:
    setting = os.environ.get(ENV)
    if setting == "off":
        return None
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "usersim"


@cache
def _code_fingerprint() -> bytes:
    """usersim's own code as it is on disk now (a changed module is a different key), and
    the interpreter and environment that run it.

    Every start computes it, so it walks the package with `os.scandir` (its entries know
    whether they are directories without a `stat`): a quarter of `Path.rglob`'s cost."""
    entries = [sys.version, sys.prefix]
    pending = [os.path.dirname(os.path.realpath(__file__))]
    root = len(pending[0]) + 1
    while pending:
        with os.scandir(pending.pop()) as scan:
            for entry in scan:
                if entry.is_dir() and entry.name != "__pycache__":
                    pending.append(entry.path)
                elif entry.name.endswith(".py"):
                    stat = entry.stat()
                    entries.append(f"{entry.path[root:]}:{stat.st_size}:{stat.st_mtime_ns}")
    return "\n".join(sorted(entries)).encode()


def _keep(directory: Path, entry: Path, value: Any) -> None:
    try:
        directory.mkdir(parents=True, exist_ok=True)
        partial = entry.with_suffix(f".{os.getpid()}.partial")
        partial.write_bytes(_dumps(value))
        partial.replace(entry)  # whole or not at all, whoever else writes the same entry
        entries = sorted(directory.glob("*.pickle"), key=lambda path: path.stat().st_mtime)
        for old in entries[:-MAX_ENTRIES]:
            old.unlink(missing_ok=True)
    except OSError:
        pass


def read_only(items: dict[str, Any]) -> MappingProxyType[str, Any]:
    """How a pickled read-only mapping (store records hold them) comes back."""
    return MappingProxyType(items)


def _dumps(value: Any) -> bytes:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {
        **copyreg.dispatch_table,
        MappingProxyType: lambda proxy: (read_only, (dict(proxy),)),
    }
    pickler.dump(value)
    return buffer.getvalue()
