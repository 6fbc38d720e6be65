"""How many GraphQL executions the compiled plans served, and why the others were not.

`execute_prepared` counts every execution: "compiled", or "graphql-core: <reason>".
The test suite and `make fuzz` save their counts when they finish (`save`); the bench
reads them back (`load`) and reports the share the plans served.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path
from typing import Any

COMPILED = "compiled"
DIRECTORY = Path("build") / "graphql-plans"
"""Where runs save their counts, from the repository root (`make` runs from there)."""

TALLY: Counter[str] = Counter()


def count(fallback_reason: str | None) -> None:
    TALLY[COMPILED if fallback_reason is None else f"graphql-core: {fallback_reason}"] += 1


def share(tally: Counter[str]) -> float | None:
    """The compiled plans' share of all executions (None when there were none)."""
    total = sum(tally.values())
    return tally[COMPILED] / total if total else None


def save(path: Path, **about: Any) -> None:
    """Write this process's counts (with what produced them) to `path`, as JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {"written": time.strftime("%Y-%m-%d %H:%M:%S"), **about, "tally": dict(TALLY)}
    path.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n")


def load(paths: list[Path]) -> tuple[Counter[str], list[dict[str, Any]]]:
    """The summed counts of saved files, and what each file says about its run."""
    total: Counter[str] = Counter()
    runs = []
    for path in paths:
        document = json.loads(path.read_text())
        total.update(document.pop("tally"))
        runs.append(document)
    return total, runs
