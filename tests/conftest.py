"""Test-suite settings shared by every test module."""

# Fixture notebooks (one fails on purpose) are inputs of the runner tests, not notebooks for nbval to re-run.
collect_ignore_glob = ["fixtures/*"]
