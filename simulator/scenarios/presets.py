"""Named scenario presets (`fixtures/scenarios/*.yaml`): fault rules and policies by name."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import field
from pathlib import Path
from typing import Any

from simulator.cache import yaml_file
from simulator.records import record
from simulator.scenarios.rules import ScenarioError, parse_rule


@record
class Preset:
    name: str
    description: str
    rules: tuple[Mapping[str, Any], ...] = ()
    policies: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "rules": [dict(rule) for rule in self.rules],
            "policies": dict(self.policies),
        }


def load_presets(directory: Path, faces: Collection[str]) -> dict[str, Preset]:
    """Every preset in the directory, checked now so a bad one fails at start-up (`faces`
    are the names its rules may match)."""
    presets: dict[str, Preset] = {}
    problems: list[str] = []
    for path in sorted(directory.glob("*.yaml")):
        data = yaml_file(path) or {}
        name = path.stem
        rules = tuple(data.get("rules") or ())
        for position, rule in enumerate(rules):
            try:
                parse_rule(rule, f"{name}-{position}", faces)
            except ScenarioError as exc:
                problems.extend(f"{path}: rules[{position}]: {problem}" for problem in exc.problems)
        presets[name] = Preset(name, data.get("description", ""), rules, data.get("policies") or {})
    if problems:
        raise ScenarioError(problems)
    return presets
