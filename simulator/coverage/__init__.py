"""Contract coverage: which operations, documented answers and error codes of each face's
contracts the tests exercised, and which scenario switches fired (`GET /_usersim/coverage`,
the dashboard, and the pytest plugin's summary)."""
