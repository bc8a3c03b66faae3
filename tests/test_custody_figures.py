"""rearrest_figures feeds report 02's re-arrest table: only the four re-arrest metrics, oldest first per metric."""

from __future__ import annotations

import pandas as pd

from analysis.stats.custody import rearrest_figures


def test_rearrest_figures_keeps_the_four_metrics_sorted_by_metric_then_date():
    rows = [  # (metric, as_of_date, value): written out of order on purpose, with two metrics to drop
        ("returnees_arrested", "2025-05-01", 30),
        ("pp_count", "2025-01-01", 1200),
        ("re_arrested_after_release", "2025-09-01", 40),
        ("in_absentia_cases", "2025-03-01", 500),
        ("re_arrested_after_release", "2024-12-01", 25),
        ("refused_deportation", "2025-09-11", 1),
        ("deaths", "2025-09-01", 9),
    ]
    other = pd.DataFrame({
        "as_of_date": pd.to_datetime([r[1] for r in rows]),
        "metric": [r[0] for r in rows],
        "value": [r[2] for r in rows],
        "qualifier": "exact",
        "scope": "all",
        "source_org": "Org",
        "source_url": "https://example.org/x",
        "unused": 0,
    })
    got = rearrest_figures(other)
    assert list(got.columns) == ["as_of_date", "metric", "value", "qualifier", "scope", "source_org", "source_url"]
    assert list(zip(got["metric"], got["value"])) == [
        ("in_absentia_cases", 500),
        ("re_arrested_after_release", 25),
        ("re_arrested_after_release", 40),
        ("refused_deportation", 1),
        ("returnees_arrested", 30),
    ]
    assert list(got.index) == [0, 1, 2, 3, 4]
