"""Running usersim inside other test suites (the pytest plugin builds on this)."""

from simulator.testing.client import Usersim, UsersimError

__all__ = ["Usersim", "UsersimError"]
