"""analysis.stats.series details on hand-made input, against the mutants that test_series.py let through
(docs/MUTATION.md). Expected values are written out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.stats import series

T = pd.Timestamp


def test_parse_period_month_range_and_day():
    assert series._parse_period("2025-02") == (T("2025-02-01"), True, T("2025-02-01"), T("2025-02-28"))
    assert series._parse_period("2025-02-01/2025-02-28") == (T("2025-02-01"), True, T("2025-02-01"), T("2025-02-28"))
    assert series._parse_period("2025-02-03/2025-02-28") == (T("2025-02-01"), False, T("2025-02-03"), T("2025-02-28"))
    assert series._parse_period("2025-02-10") == (T("2025-02-01"), False, T("2025-02-10"), T("2025-02-10"))
    assert series._parse_period("2025-01-20/2025-02-10") is None and series._parse_period(None) is None


def _stock(**extra):
    return pd.DataFrame({"month": pd.date_range("2024-01-01", periods=4, freq="MS"),
                         "held": [100.0, 90.0, 95.0, 80.0], **extra})


def test_implied_flows_flags():
    out = series.implied_flows(_stock(lower_bound=[False, True, False, False]), "held")
    assert out["net_flow"].tolist()[1:] == [-10.0, 5.0, -15.0] and pd.isna(out.loc[0, "net_flow"])
    # a lower-bound figure taints the change into and out of its month, nothing else
    assert out["uses_lower_bound"].tolist() == [False, True, True, False]
    assert out["uses_interpolated"].tolist() == [False] * 4
    plain = series.implied_flows(_stock())
    assert plain["uses_lower_bound"].tolist() == [False] * 4 and plain["uses_interpolated"].tolist() == [False] * 4
    assert plain.index.tolist() == [0, 1, 2, 3]
    with pytest.raises(ValueError, match=r"cannot tell the value column among \['held', 'other'\]; pass value="):
        series.implied_flows(_stock(other=[1.0] * 4))


def _gappy():
    from test_series import GAPPY

    return GAPPY


def test_monthly_series_edges_of_its_arguments():
    s = series.monthly_series(_gappy(), "2023-01", "2023-01", max_gap=0)  # one month, no gap allowed: fine
    assert s["month"].tolist() == [T("2023-01-01")] and s["currently_held"].tolist() == [100.0]
    two = _gappy().iloc[[0, 1]]  # exactly two observed months are enough to interpolate between them
    s = series.monthly_series(two, "2023-01", "2023-04").set_index("month")
    # by days between month starts: Jan 1 to Feb 1 is 31 of the 90 days to Apr 1
    assert s.loc["2023-02-01", "currently_held"] == pytest.approx(100 + 30 * 31 / 90)
    assert s["interpolated"].tolist() == [False, True, True, False]
    with pytest.raises(ValueError, match="max_gap must be >= 0, got -1"):
        series.monthly_series(_gappy(), "2023-01", "2023-07", max_gap=-1)
    with pytest.raises(ValueError, match="end 2023-01 is before start 2023-02"):
        series.monthly_series(_gappy(), "2023-02", "2023-01")
