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


def _flow_rows(*rows):
    """pp_counts-shaped rows (exact, Viasna, source_url u0, u1, ... unless given)."""
    out = pd.DataFrame([{"held_qualifier": "exact", "source_type": "viasna", "source_org": "Viasna",
                         "source_url": f"u{i}", "period": pd.NA, "currently_held": pd.NA,
                         "new_recognized_in_period": pd.NA, "released_in_period": pd.NA, "source_published": pd.NaT,
                         **r} for i, r in enumerate(rows)])
    out["as_of_date"] = pd.to_datetime(out["as_of_date"])
    for c in ("currently_held", "new_recognized_in_period", "released_in_period"):
        out[c] = out[c].astype("Int64")
    return out


def test_overlapping_partial_periods_count_once_and_the_preferred_one_wins():
    """10-15 May (Viasna) and 12-20 May (a re-post, same day) overlap: only Viasna's counts; 21-25 May is added."""
    df = _flow_rows(
        {"as_of_date": "2024-05-20", "period": "2024-05-10/2024-05-15", "released_in_period": 6},
        {"as_of_date": "2024-05-20", "period": "2024-05-12/2024-05-20", "released_in_period": 50,
         "source_type": "viasna_repost"},
        {"as_of_date": "2024-05-25", "period": "2024-05-21/2024-05-25", "released_in_period": 4},
    )
    f = series.monthly_flows(df).set_index("month")
    assert f.loc["2024-05-01", "released"] == 10 and f.loc["2024-05-01", "released_partial"]
    assert f.loc["2024-05-01", "released_source_url"] == "u0 ; u2"  # in the order of their start days


def test_dated_observations_defaults_and_source_columns():
    df = _flow_rows({"as_of_date": "2024-01-31", "currently_held": 1200, "source_url": "https://a"},
                    {"as_of_date": "2024-02-29", "currently_held": 1180, "source_url": "https://b"})
    bare = df.drop(columns=["held_qualifier", "date_inferred"], errors="ignore")
    out = series.dated_observations(bare)
    assert list(out.columns) == ["date", "value", "lower_bound", "date_inferred", "source_type", "source_org",
                                 "source_url", "n_same_date"]
    assert out["lower_bound"].tolist() == [False, False]  # no qualifier column: every figure is exact
    assert out["date_inferred"].tolist() == [False, False]  # no date_inferred column: nothing inferred
    assert out["source_type"].tolist() == ["viasna", "viasna"] and out["source_url"].tolist() == ["https://a", "https://b"]
    flagged = df.assign(date_inferred=["true", "false"])
    assert series.dated_observations(flagged)["date_inferred"].tolist() == [True, False]


def test_month_end_stock_keeps_the_count_date():
    pts = pd.DataFrame({"date": pd.to_datetime(["2024-01-20", "2024-03-31"]), "value": [10.0, 12.0],
                        "lower_bound": False})
    out = series.month_end_stock(pts, "2024-01-01", "2024-03-01")
    assert list(out.columns) == ["month", "value", "date", "n_exact"]
    assert out["date"].tolist()[0] == pd.Timestamp("2024-01-20") and pd.isna(out["date"].iloc[1])


def test_dated_observations_window_includes_both_ends():
    df = _flow_rows(*({"as_of_date": d, "currently_held": v} for d, v in
                      (("2024-01-31", 1), ("2024-02-29", 2), ("2024-03-31", 3), ("2024-04-30", 4))))
    out = series.dated_observations(df, start="2024-02-29", end="2024-03-31")
    assert out["value"].tolist() == [2.0, 3.0] and out.index.tolist() == [0, 1]
