"""Deciding, for one request, which fault fires (if any), reproducibly."""

from __future__ import annotations

import itertools
import random
import threading
from collections.abc import Collection, Mapping
from typing import Any

from simulator.coverage.tally import CoverageTally
from simulator.scenarios.decision import Decision
from simulator.scenarios.header import parse_fault_header
from simulator.scenarios.presets import Preset
from simulator.scenarios.rules import FaultError, FaultRule, ScenarioError, parse_rule
from simulator.store.clock import Clock


class Scenarios:
    """The active fault rules, with a seeded generator and per-key rate-limit windows.

    Every probability draw comes from one `random.Random(seed)`, and rules are tried in
    the order they were added, so the same seed, rules and requests give the same faults.
    """

    def __init__(
        self,
        clock: Clock,
        presets: Mapping[str, Preset],
        seed: int = 0,
        faces: Collection[str] = (),
        coverage: CoverageTally | None = None,
    ) -> None:
        self._clock = clock
        self._coverage = coverage or CoverageTally()
        self.presets = presets
        self.faces = tuple(faces)
        self._seed = seed
        self._lock = threading.Lock()
        self._rules: list[FaultRule] = []
        self._random = random.Random(seed)
        self._ids = itertools.count(1)
        self._windows: dict[tuple[str, str], tuple[float, int]] = {}

    # -- rules ---------------------------------------------------------------------------

    def add_all(self, items: list[Any], preset: str | None = None) -> list[FaultRule]:
        """Install several rules (a preset's, if named), all or none."""
        with self._lock:
            rules: list[FaultRule] = []
            problems: list[str] = []
            for position, data in enumerate(items):
                try:
                    rule = parse_rule(data, f"fault-{next(self._ids)}", self.faces)
                    rule.preset = preset
                    rules.append(rule)
                except ScenarioError as exc:
                    problems.extend(f"rules[{position}]: {problem}" for problem in exc.problems)
            taken = {rule.id for rule in self._rules}
            for rule in rules:
                if rule.id in taken:
                    problems.append(f"a rule with id {rule.id!r} already exists")
                taken.add(rule.id)
            if problems:
                raise ScenarioError(problems)
            self._rules.extend(rules)
            for rule in rules:
                self._coverage.fault_added(rule.summary)
            return rules

    def rules(self) -> list[FaultRule]:
        with self._lock:
            return list(self._rules)

    def remove(self, rule_id: str) -> bool:
        with self._lock:
            kept = [rule for rule in self._rules if rule.id != rule_id]
            removed = len(kept) != len(self._rules)
            self._rules = kept
            self._windows = {k: v for k, v in self._windows.items() if k[0] != rule_id}
            return removed

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()
            self._windows.clear()

    def reset(self) -> None:
        """No rules, and the generator back at its seed: the next run repeats this one."""
        with self._lock:
            self._rules.clear()
            self._windows.clear()
            self._random = random.Random(self._seed)
            self._ids = itertools.count(1)

    # -- decisions -----------------------------------------------------------------------

    def decide(
        self,
        face: str,
        operations: tuple[str, ...],
        account: str | None,
        key: str | None,
        header: str | None = None,
    ) -> Decision | None:
        """The fault for this request, if one fires. A fault header wins over the rules."""
        if header:
            from_header = parse_fault_header(header, self.presets)
            value = header.strip()
            self._coverage.fault_fired(
                f"X-Usersim-Fault: {value}", value if value in self.presets else None
            )
            return from_header
        if not self._rules:
            return None  # the usual case, decided without taking the lock
        with self._lock:
            for rule in self._rules:
                if not rule.matches(face, operations, account):
                    continue
                decision = self._fire(rule, key)
                if decision is not None:
                    return decision
        return None

    def _fire(self, rule: FaultRule, key: str | None) -> Decision | None:
        if rule.rate_limit is not None:
            retry_after = self._over_limit(rule, key or "")
            if retry_after is None:
                return None
            rule.fired += 1
            self._coverage.fault_fired(rule.summary, rule.preset)
            error = rule.error or FaultError(429)
            return Decision(
                rule.id, rule.latency_ms, FaultError(429, error.code, error.message, retry_after)
            )
        if rule.probability < 1.0 and self._random.random() >= rule.probability:
            return None
        rule.fired += 1
        self._coverage.fault_fired(rule.summary, rule.preset)
        return Decision(rule.id, rule.latency_ms, rule.error, rule.drop)

    def _over_limit(self, rule: FaultRule, key: str) -> int | None:
        """Count the request in its key's window; the seconds to wait when over the limit."""
        limit = rule.rate_limit
        assert limit is not None
        now = self._clock.now()
        start, count = self._windows.get((rule.id, key), (now, 0))
        if now - start >= limit.per_seconds:
            start, count = now, 0
        count += 1
        self._windows[(rule.id, key)] = (start, count)
        if count <= limit.requests:
            return None
        return max(1, int(start + limit.per_seconds - now + 0.999))
