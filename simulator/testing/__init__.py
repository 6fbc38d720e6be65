"""Running usersim inside other test suites (the pytest plugin builds on this)."""
