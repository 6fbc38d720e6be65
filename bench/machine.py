"""What the figures were measured on: machine, versions, and load, for results.md.

Ratios travel between machines better than absolute figures, but neither means much
without the versions of the server stack and the tools that produced them.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
from importlib import metadata
from pathlib import Path

PACKAGES = (
    "usersim",
    "starlette",
    "uvicorn",
    "uvloop",
    "httptools",
    "ariadne",
    "graphql-core",
    "httpx",
    "orjson",
    "pytest",
)


def load_average() -> str:
    return " ".join(f"{n:.2f}" for n in os.getloadavg())


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.partition(":")[2].strip()
    return platform.processor() or "unknown"


def _memory_gib() -> str:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    return "unknown"


def _tool_version(command: list[str]) -> str:
    if shutil.which(command[0]) is None:
        return "not installed"
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    lines = (done.stdout + done.stderr).strip().splitlines()
    return lines[0] if lines else "unknown"


def _commit() -> str:
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        ["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    dirty = subprocess.run(
        ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
    )
    commit = done.stdout.strip() or "unknown"
    return commit + (" (with uncommitted changes)" if dirty.stdout.strip() else "")


def describe(peer_versions: dict[str, str]) -> dict[str, str]:
    info = {
        "CPU": f"{_cpu_model()}, {os.cpu_count()} cores",
        "memory": _memory_gib(),
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "usersim commit": _commit(),
    }
    for package in PACKAGES:
        try:
            info[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            info[package] = "not installed"
    info["wrk"] = _tool_version(["wrk", "--version"])
    info["node"] = _tool_version(["node", "--version"])
    info["java"] = _tool_version(["java", "-version"])
    for name, version in peer_versions.items():
        info[name] = version
    return info
