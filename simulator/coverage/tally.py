"""The counts behind the coverage report, kept as requests are answered.

Counting sits on every face request, so it is a few dict increments keyed by what the
journal middleware already has (face, operation, status, the error codes the face
noted); everything else (which answers the contracts document, percentages, gaps) is
worked out only when somebody asks for the report. The scenario machinery counts the
fault rules, presets and policies it applies here too.

The tally outlives `POST /_usersim/reset` (a test suite resets before every test and
wants the coverage of the whole session); `POST /_usersim/coverage/reset` clears it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def _bump(counts: dict[Any, int], key: Any, by: int = 1) -> None:
    counts[key] = counts.get(key, 0) + by


class CoverageTally:
    answers: dict[tuple[str, str | None, int], int]
    codes: dict[tuple[str, str | None, str], int]
    faults_added: dict[str, int]
    faults_fired: dict[str, int]
    presets_applied: dict[str, int]
    presets_fired: dict[str, int]
    policies_set: dict[str, int]
    policy_requests: dict[str, int]

    def __init__(self) -> None:
        # The policies away from their defaults now, with the face each applies to: a
        # mirror of the current state, not a count, so a reset of the tally keeps it.
        self._in_force: tuple[tuple[str, str | None], ...] = ()
        self.reset()

    def reset(self) -> None:
        # Replaced, never cleared in place: a reader holding the old dicts is unaffected.
        self.answers = {}
        self.codes = {}
        self.faults_added = {}
        self.faults_fired = {}
        self.presets_applied = {}
        self.presets_fired = {}
        self.policies_set = {}
        self.policy_requests = {}

    # -- the request path --------------------------------------------------------------

    def record(self, face: str, operation: str | None, status: int, codes: list[str]) -> None:
        """One answered request. `operation` is a REST operationId, GraphQL root fields
        joined by ",", or None when the face answered before knowing the operation."""
        _bump(self.answers, (face, operation, status))
        if codes:
            for code in set(codes):
                _bump(self.codes, (face, operation, code))
        for policy, scope in self._in_force:
            if scope is None or scope == face:
                _bump(self.policy_requests, policy)

    # -- the scenario machinery ----------------------------------------------------------

    def fault_added(self, rule: str) -> None:
        _bump(self.faults_added, rule)

    def fault_fired(self, rule: str, preset: str | None = None) -> None:
        _bump(self.faults_fired, rule)
        if preset is not None:
            _bump(self.presets_fired, preset)

    def preset_applied(self, name: str) -> None:
        _bump(self.presets_applied, name)

    def policies_changed(
        self, changed: Iterable[str], in_force: Iterable[tuple[str, str | None]]
    ) -> None:
        """Policies a request set (`changed`), and every policy now away from its
        default with the face it applies to (None: every face)."""
        for policy in changed:
            _bump(self.policies_set, policy)
        self._in_force = tuple(in_force)
