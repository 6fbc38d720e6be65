"""The Harness state model (accounts, users, groups, scopes, access control)."""

from simulator.store.harness.store import HarnessStore

__all__ = ["HarnessStore"]
