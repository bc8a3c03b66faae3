"""Small hand-worked checks that pin arguments and boundaries in stats/ that mutation testing found loose."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.stats import accounting, changes, its
from analysis.stats.survival import km


def _events() -> pd.DataFrame:
    rows = [("RW-1", "2024-07-03", 18), ("RW-2", "2024-09-16", 37), ("RW-3", "2025-02-01", 50)]
    df = pd.DataFrame(rows, columns=["event_id", "event_date", "released_count"])
    df["event_date"] = pd.to_datetime(df["event_date"])
    df["released_count"] = df["released_count"].astype("Int64")
    return df.assign(recognised_pp_count=pd.NA, is_primary=1, count_qualifier="exact", count_scope="all_pardoned",
                     exiled_count=pd.NA, mechanism="pardon", destination="unknown", brokered_by=None,
                     notable_people=None, source_org="x", source_url="u").astype(
        {"recognised_pp_count": "Int64", "exiled_count": "Int64"})


def test_wave_counts_respects_both_ends_of_the_window():
    w = accounting.wave_counts(_events(), "2024-08-01", "2024-12-31")
    assert w["event_id"].tolist() == ["RW-2"]
    assert accounting.wave_counts(_events(), None, "2024-09-16")["event_id"].tolist() == ["RW-1", "RW-2"]


def test_mean_ci_needs_two_values_for_an_interval():
    n, mean, lo, hi = changes._mean_ci(pd.Series([10.0, 20.0, np.nan]))
    assert (n, mean) == (2, 15.0)
    half = 12.706204736174707 * np.std([10.0, 20.0], ddof=1) / np.sqrt(2)  # t(0.975, 1 df)
    assert lo == pytest.approx(15 - half) and hi == pytest.approx(15 + half)
    n, mean, lo, hi = changes._mean_ci(pd.Series([7.0]))
    assert (n, mean) == (1, 7.0) and np.isnan(lo) and np.isnan(hi)


def test_compare_with_aggregates_ignores_months_with_neither_flow():
    """A month with only a net change (no inflow, no implied outflow) is not an observed reference month."""
    balance = pd.DataFrame({"month": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01"]),
                            "inflow": [40.0, np.nan, 60.0], "implied_outflow": [30.0, np.nan, 50.0],
                            "net_change": [10.0, 5.0, 10.0]})
    intervals = pd.DataFrame([{"old_date": pd.Timestamp("2025-02-10"), "new_date": pd.Timestamp("2025-03-10"),
                               "inflow_per_month": 1.0, "outflow_per_month": 2.0}])
    c = changes.compare_with_aggregates(intervals, balance, reference_months=2).set_index("measure")
    assert c.loc["inflow", "reference_start"] == pd.Timestamp("2025-01-01")  # Feb is skipped, Jan is the 2nd
    assert c.loc["inflow", "reference_months"] == 2 and c.loc["inflow", "reference_mean"] == 50


def test_risk_table_columns_and_counts():
    df = pd.DataFrame({"t": [1.0, 2.0, 3.0, 5.0], "g": ["a", "a", "b", "b"]})
    out = km.risk_table(df, "t", "g", [0, 2, 4])
    assert list(out.columns) == ["group", "time", "at_risk"]
    assert out.to_dict("records") == [
        {"group": "a", "time": 0.0, "at_risk": 2}, {"group": "a", "time": 2.0, "at_risk": 1},
        {"group": "a", "time": 4.0, "at_risk": 0}, {"group": "b", "time": 0.0, "at_risk": 2},
        {"group": "b", "time": 2.0, "at_risk": 2}, {"group": "b", "time": 4.0, "at_risk": 1}]


def test_forecast_its_starts_the_month_after_the_last_and_keeps_event_terms():
    sim = its.simulate_stock(48, drift=5.0, events={24: (-80.0, -3.0)}, seed=11, sd=4.0)
    monthly = sim[["month", "value"]]
    out = its.forecast_its(monthly, sim.attrs["events"], steps=3, orders=((0, 0),))
    assert out["month"].tolist() == list(pd.date_range("2024-01-01", periods=3, freq="MS"))
    assert out["h"].tolist() == [1, 2, 3]
    # the monthly change after the event is drift + slope = 2 a month: the forecast keeps climbing at about that
    steps = np.diff(np.r_[monthly["value"].iloc[-1], out["mean"].to_numpy()])
    assert steps == pytest.approx([2.0, 2.0, 2.0], abs=1.5)
