"""Scenario switches: fault rules, presets and policies, applied the same way to every face."""
