"""Test-suite settings shared by every test module."""

# Fixture notebooks (one fails on purpose) are inputs of the runner tests, not notebooks for nbval to re-run.
collect_ignore_glob = ["fixtures/*"]


def pytest_configure(config):
    """Register the markers this suite uses (CI runs every marker; `-m "not slow"` gives a quick pass)."""
    config.addinivalue_line("markers", "slow: a calibration or simulation check of more than a few seconds")
    config.addinivalue_line("markers", "golden: compares a build with tests/golden/ (runs after nbval)")


def pytest_collection_modifyitems(session, config, items):
    """Golden comparisons last, so in `make test` they see the reports nbval has just rebuilt."""
    items.sort(key=lambda item: item.get_closest_marker("golden") is not None)
