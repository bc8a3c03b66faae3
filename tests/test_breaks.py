"""Tests of analysis.stats.breaks: exact segmentation, BIC choice and coverage of the break-date intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.stats import breaks

MONTHS = pd.date_range("2020-01-01", periods=60, freq="MS")


def changes(values, weight=1.0) -> pd.DataFrame:
    return pd.DataFrame({"month": MONTHS[: len(values)], "change": np.asarray(values, float), "weight": weight})


def test_monthly_changes_average_over_gaps_with_weight():
    m = pd.DataFrame({"month": pd.date_range("2021-01-01", periods=5, freq="MS"),
                      "value": [100.0, 110.0, np.nan, 140.0, 139.0]})
    c = breaks.monthly_changes(m)
    assert c["change"].tolist() == [10.0, 15.0, -1.0]  # (140 - 110) / 2 over the two-month gap
    assert c["weight"].tolist() == [1.0, 2.0, 1.0]
    assert c["month"].dt.strftime("%Y-%m").tolist() == ["2021-02", "2021-04", "2021-05"]


def test_exact_search_matches_brute_force():
    rng = np.random.default_rng(5)
    x = np.r_[np.full(15, 3.0), np.full(15, -2.0)] + rng.normal(0, 1, 30)
    cost = breaks._segment_cost(x, np.ones(30))
    ssr, pos = breaks._best_partition(cost, 30, 1, 6)
    brute = min((np.sum((x[:t] - x[:t].mean()) ** 2) + np.sum((x[t:] - x[t:].mean()) ** 2), t) for t in range(6, 25))
    assert pos == [brute[1]] and ssr == pytest.approx(brute[0])


def test_clear_break_found_with_interval_and_segment_means():
    x = np.r_[np.full(30, 50.0), np.full(30, -15.0)] + np.random.default_rng(1).normal(0, 5, 60)
    out = breaks.estimate_breaks(changes(x))
    b = out["breaks"]
    assert len(b) == 1 and b.loc[0, "break_month"] == MONTHS[30]
    assert b.loc[0, "ci_low"] <= MONTHS[30] <= b.loc[0, "ci_high"]
    assert out["segments"]["mean_change"].round(0).tolist() == pytest.approx([50, -15], abs=3)


def test_no_break_in_pure_noise_mostly():
    zero = sum(len(breaks.estimate_breaks(changes(np.random.default_rng(s).normal(10, 20, 60)))["breaks"]) == 0
               for s in range(100))
    assert zero >= 80


def test_break_date_interval_coverage():
    """Shift 50 -> 30 in noise of sd 20: one break found mostly; its 95% interval covers the true month."""
    found = covered = 0
    for s in range(200):
        x = np.r_[np.full(30, 50.0), np.full(30, 30.0)] + np.random.default_rng(s).normal(0, 20, 60)
        b = breaks.estimate_breaks(changes(x))["breaks"]
        if len(b) == 1:
            found += 1
            covered += bool(b.loc[0, "ci_low"] <= MONTHS[30] <= b.loc[0, "ci_high"])
    assert found >= 150
    assert 0.90 <= covered / found <= 0.99


def test_too_short_is_refused():
    with pytest.raises(ValueError, match="need at least"):
        breaks.estimate_breaks(changes(np.ones(8)))
