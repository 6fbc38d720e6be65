"""One usersim instance: the simulated clock, the vendor stores and their fixtures."""

from __future__ import annotations

from simulator.fixtures.loader import LoadedFixtures
from simulator.store.clock import Clock
from simulator.store.harness import HarnessStore


class Simulator:
    """Owns every store; faces receive the store they stand on, never this object's others."""

    def __init__(self, fixtures: LoadedFixtures, *, seed: int = 0) -> None:
        self.clock = Clock()
        self.seed = seed
        self.fixtures = fixtures
        self.harness = HarnessStore(self.clock, seed=seed)
        self.harness.load(fixtures.harness)

    def reset(self) -> int:
        """Back to the loaded fixtures and real time; returns how many records changed."""
        self.clock.reset()
        return self.harness.reset()

    def invariants(self) -> list[str]:
        return [f"harness: {problem}" for problem in self.harness.invariants()]
