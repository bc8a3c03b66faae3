"""backtest.structural_forecaster (model (b) refitted at each origin): what it passes to the fit, by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.stats import backtest, structural


def _points(n: int = 14) -> pd.DataFrame:
    dates = pd.date_range("2024-01-31", periods=n, freq="ME")
    return pd.DataFrame({"date": dates, "value": 1000.0 + 10 * np.arange(n), "lower_bound": False,
                         "date_inferred": False})


@pytest.fixture()
def spy(monkeypatch):
    calls = []

    def fake(grid, events, targets, trend="local_linear", alpha=0.05, extra=None, start_params=None):
        calls.append({"grid": grid, "events": events, "targets": list(targets), "trend": trend, "alpha": alpha,
                      "extra": extra, "start_params": start_params})
        out = pd.DataFrame({"date": pd.to_datetime(pd.Series(targets)), "mean": 0.0, "lower": -1.0, "upper": 1.0})
        out.attrs["params"] = np.array([float(len(calls))])
        return out

    monkeypatch.setattr(structural, "forecast_structural", fake)
    return calls


def test_only_what_is_known_at_the_origin_reaches_the_fit_and_each_fit_starts_from_the_last(spy):
    p = _points()
    waves = pd.DataFrame({"event_date": pd.to_datetime(["2024-03-10", "2024-09-20", "2025-06-01"]),
                          "released": [30.0, 50.0, 999.0]})
    events = {"early": "2024-04-15", "late": "2024-09-20", "future": "2025-06-01"}
    fc = backtest.structural_forecaster(events, "2024-01-01", trend="local_level", alpha=0.1, wave_counts=waves)
    origin = pd.Timestamp("2024-12-31")
    targets = pd.Series(pd.to_datetime(["2025-01-31"]))
    fc(p.loc[p["date"] <= origin], origin, targets)
    first = spy[0]
    assert first["trend"] == "local_level" and first["alpha"] == 0.1 and first["start_params"] is None
    assert first["targets"] == list(targets)
    grid = first["grid"]
    assert grid["week"].iloc[0] == pd.Timestamp("2024-01-01") and grid["date"].max() <= origin + pd.Timedelta(days=6)
    assert grid["value"].notna().sum() == 12  # the twelve month-end counts of 2024
    # waves known by the origin only (30 + 50), held as a step at their dates
    released = dict(zip(grid["date"], first["extra"]["released in waves to date"]))
    assert released[pd.Timestamp("2024-01-31")] == 0 and released[pd.Timestamp("2024-06-30")] == 30
    assert max(released.values()) == 80
    # 'early' has 3 exact counts before (Jan-Mar) and after; 'late' has 8 before and 3 after; 'future' is unknown
    assert first["events"] == {"early": "2024-04-15", "late": "2024-09-20"}
    origin2 = pd.Timestamp("2025-01-31")
    fc(p.loc[p["date"] <= origin2], origin2, pd.Series(pd.to_datetime(["2025-02-28"])))
    assert spy[1]["start_params"].tolist() == [1.0]  # warm start from the previous origin's fit


def test_events_without_three_counts_on_each_side_are_left_out(spy):
    p = _points(12)
    none = pd.DataFrame({"event_date": pd.to_datetime([]), "released": []})
    origin = pd.Timestamp("2024-12-31")
    for day in ("2024-10-05", "2024-11-05"):
        fc = backtest.structural_forecaster({"edge": day}, "2024-01-01", wave_counts=none)
        fc(p, origin, pd.Series(pd.to_datetime(["2025-01-31"])))
    assert spy[0]["events"] == {"edge": "2024-10-05"}  # Oct, Nov, Dec: three counts from its month on
    assert spy[1]["events"] == {} and spy[1]["extra"] is None  # Nov, Dec: two, too few; no wave known


def test_without_wave_counts_no_event_terms_are_used(spy):
    p = _points()
    fc = backtest.structural_forecaster({"early": "2024-04-15"}, "2024-01-01")
    fc(p, p["date"].max(), pd.Series(pd.to_datetime(["2025-03-31"])))
    assert spy[0]["events"] == {} and spy[0]["extra"] is None and spy[0]["trend"] == "local_linear"
    assert spy[0]["alpha"] == 0.05


def test_a_real_local_level_fit_forecasts_near_the_last_level():
    p = _points(24)
    p["value"] = 500.0 + np.sin(np.arange(24))  # flat with noise
    fc = backtest.structural_forecaster({}, "2024-01-01", trend="local_level")
    out = fc(p, p["date"].max(), pd.Series(pd.to_datetime(["2026-01-31", "2026-06-30"])))
    assert list(out.columns[:4]) == ["date", "mean", "lower", "upper"]
    assert (out["mean"] - 500).abs().max() < 2
    assert (out["lower"] < out["mean"]).all() and (out["mean"] < out["upper"]).all()
    width = out["upper"] - out["lower"]
    assert width.iloc[1] >= width.iloc[0]  # further ahead, at least as wide


def test_an_origin_needs_six_exact_counts_before_it():
    """Monthly counts from Jan 2024: the origin at the end of June is the first with six; May has five."""
    p = _points(12)
    seen = []

    def spy(train, origin, targets):
        seen.append(origin)
        return pd.DataFrame({"date": targets, "mean": 0.0, "lower": -1.0, "upper": 1.0})

    rows = backtest.rolling_origin(p, {"m": spy}, months=8, horizons=(1,))
    assert seen[0] == pd.Timestamp("2024-06-30")  # 8 origins back from Dec = Apr..Nov; Apr and May are skipped
    assert rows.index.tolist() == list(range(len(rows)))  # a fresh 0..n-1 index after sorting
    assert rows["origin"].is_monotonic_increasing


def test_table_gives_n_coverage_and_error_per_model_and_horizon():
    rows = pd.DataFrame({"model": ["a", "a", "a", "b"], "h": [1, 1, 3, 1], "covered": [True, False, True, True],
                         "abs_error": [2.0, 4.0, 1.0, 5.0]})
    out = backtest.table(rows)
    assert out.to_dict("records") == [
        {"model": "a", "h": 1, "n": 2, "coverage_95": 0.5, "mae": 3.0},
        {"model": "a", "h": 3, "n": 1, "coverage_95": 1.0, "mae": 1.0},
        {"model": "b", "h": 1, "n": 1, "coverage_95": 1.0, "mae": 5.0}]
