"""One usersim instance: the clock, the vendor stores, and the scenario machinery."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from simulator.coverage.tally import CoverageTally
from simulator.fixtures.loaded import FixtureError, LoadedFixtures
from simulator.journal import DEFAULT_MAX_BYTES, DEFAULT_SIZE, Journal
from simulator.scenarios.engine import Scenarios
from simulator.scenarios.policies import PagePolicy, Policies
from simulator.scenarios.presets import Preset
from simulator.scenarios.rules import FaultRule, ScenarioError
from simulator.store.clock import Clock
from simulator.store.harness import HarnessStore
from simulator.store.rapidapi import RapidApiStore


class Simulator:
    """Owns every store; each face receives the store it stands on, never this object.

    Fault rules, policies and the journal live here because they are the same for
    every face: one mechanism each.
    """

    def __init__(
        self,
        fixtures: LoadedFixtures,
        *,
        seed: int = 0,
        presets: Mapping[str, Preset] | None = None,
        scenario: str | None = None,
        journal_size: int = DEFAULT_SIZE,
        journal_max_bytes: int = DEFAULT_MAX_BYTES,
        faces: Mapping[str, PagePolicy] | None = None,
    ) -> None:
        """`faces` names the faces fault rules and policies may name, each with its
        vendor's default pagination (the app passes the registered faces)."""
        self.clock = Clock()
        self.seed = seed
        self.fixtures = fixtures
        self.harness = HarnessStore(self.clock, seed=seed)
        self.harness.load(fixtures.harness)
        self.rapidapi = RapidApiStore(self.clock, seed=seed)
        self.rapidapi.load(fixtures.rapidapi)
        faces = faces or {}
        # What the tests exercised, kept across resets (the coverage report's counts).
        self.coverage = CoverageTally()
        self.policies = Policies(self.harness.signin.lockout, faces, self.coverage)
        self.scenarios = Scenarios(
            self.clock, presets or {}, seed=seed, faces=faces, coverage=self.coverage
        )
        self.journal = Journal(journal_size, journal_max_bytes)
        self.start_scenario = scenario
        if scenario is not None:
            self.apply_scenario(scenario)

    # -- scenario machinery --------------------------------------------------------------

    def apply_scenario(self, name: str) -> list[FaultRule]:
        """Add a preset's rules and set its policies (unknown names raise ScenarioError)."""
        preset = self.scenarios.presets.get(name)
        if preset is None:
            known = ", ".join(sorted(self.scenarios.presets)) or "none"
            raise ScenarioError([f"no scenario preset named {name!r} (known: {known})"])
        self.policies.update(preset.policies)
        rules = self.scenarios.add_all(list(preset.rules), preset=name)
        self.coverage.preset_applied(name)
        return rules

    def reset(self) -> int:
        """Back to the state at start: fixtures, real time, the start scenario, an empty journal.

        Returns how many records had changed.
        """
        self.clock.reset()
        changed = self.harness.reset() + self.rapidapi.reset()
        self.scenarios.reset()
        self.policies.reset()
        self.journal.clear()
        if self.start_scenario is not None:
            self.apply_scenario(self.start_scenario)
        return changed

    # -- whole state ---------------------------------------------------------------------

    @property
    def version(self) -> int:
        """Grows with every committed change and every reset (for savers and caches)."""
        return self.harness.state.db.version + self.rapidapi.state.db.version

    def export(self) -> dict[str, Any]:
        """The whole state as a fixture document."""
        return {"harness": self.harness.export(), "rapidapi": self.rapidapi.export()}

    def replace_state(self, document: Any) -> None:
        """Replace the state with a snapshot, checked like a fixture (FixtureError if bad).

        Each vendor section present replaces that vendor's state; a vendor the document
        leaves out keeps its state. A later reset still returns to the fixtures.
        """
        from simulator.fixtures.loader import build, parse_document  # pydantic: only here

        problems: list[str] = []
        parsed = parse_document("state", document, problems)
        if parsed is None:
            raise FixtureError(problems)
        loaded = build([("state", parsed)])
        if "harness" in document:
            self.harness.replace(loaded.harness)
        if "rapidapi" in document:
            self.rapidapi.replace(loaded.rapidapi)

    def invariants(self) -> list[str]:
        return [f"harness: {problem}" for problem in self.harness.invariants()] + [
            f"rapidapi: {problem}" for problem in self.rapidapi.invariants()
        ]
