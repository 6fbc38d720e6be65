"""Where the contracts and bundled fixtures live, in a checkout or an installed wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_INSTALLED = _PACKAGE / "_data"
_CHECKOUT = _PACKAGE.parent


def _data_dir(name: str) -> Path:
    installed = _INSTALLED / name
    return installed if installed.is_dir() else _CHECKOUT / name


def contracts_dir() -> Path:
    return _data_dir("contracts")


def fixtures_dir() -> Path:
    return _data_dir("fixtures")


def default_fixture() -> Path:
    return fixtures_dir() / "default.yaml"


def scenarios_dir() -> Path:
    return fixtures_dir() / "scenarios"
