"""Tests of analysis.stats.backtest: baselines by hand, origins and targets, the choice rule at its boundary,
and calibration of the forecast intervals on simulated random walks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.stats import backtest

DPM = 365.25 / 12


def pts(dates, values) -> pd.DataFrame:
    return pd.DataFrame({"date": pd.to_datetime(dates), "value": np.asarray(values, float),
                         "lower_bound": False, "date_inferred": False})


def test_naive_and_drift_by_hand():
    train = pts(["2024-01-31", "2024-03-31", "2024-05-31"], [100, 120, 130])
    target = pd.Series(pd.to_datetime(["2024-07-31"]))
    n = backtest.naive(train, pd.Timestamp("2024-05-31"), target)
    d = backtest.drift(train, pd.Timestamp("2024-05-31"), target)
    assert n["mean"].item() == 130
    span = (pd.Timestamp("2024-05-31") - pd.Timestamp("2024-01-31")).days / DPM
    h = 61 / DPM
    assert d["mean"].item() == pytest.approx(130 + 30 / span * h)
    assert n["lower"].item() < 130 < n["upper"].item()


def test_rolling_origin_uses_only_the_past_and_targets_h_months_ahead():
    dates = pd.date_range("2020-01-15", periods=48, freq="MS") + pd.Timedelta(days=14)
    p = pts(dates, np.arange(48.0))
    seen = []

    def spy(train, origin, targets):
        seen.append((origin, train["date"].max(), list(targets)))
        return pd.DataFrame({"date": targets, "mean": 0.0, "lower": -1.0, "upper": 1.0})

    rows = backtest.rolling_origin(p, {"naive": spy, "drift": spy, "m": spy}, months=12, horizons=(1, 3))
    assert all(last <= origin for origin, last, _ in seen)
    r = rows.loc[rows["model"] == "m"]
    gap = (r["date"].dt.to_period("M") - r["origin"].dt.to_period("M")).apply(lambda x: x.n)
    assert (gap == r["h"]).all()
    assert r.groupby("h").size().to_dict() == {1: 12, 3: 10}  # targets beyond the newest count do not exist
    s = backtest.summary(rows, "m")
    assert set(s) == {"model", "h1", "h3"} and set(s["h1"]) == {"coverage_95", "mae_model", "mae_naive", "mae_drift", "n"}


def _rows(cov: dict[str, float], mae: dict[str, float]) -> pd.DataFrame:
    """Synthetic backtest rows with exact coverage shares (20 targets per model and horizon)."""
    out = []
    for m, c in cov.items():
        for h in (1, 3, 6):
            k = round(c * 20)
            out.append(pd.DataFrame({"model": m, "h": h, "covered": [True] * k + [False] * (20 - k),
                                     "abs_error": mae[m]}))
    return pd.concat(out, ignore_index=True)


def test_choose_rule_at_the_coverage_boundary():
    rows = _rows({"a": 0.85, "b": 0.80, "c": 1.0}, {"a": 10.0, "b": 5.0, "c": 12.0})
    assert backtest.choose(rows, ["a", "b", "c"])[0] == "a"  # 0.85 qualifies, 0.80 does not
    rows = _rows({"a": 0.80, "b": 0.75}, {"a": 10.0, "b": 5.0})
    model, why = backtest.choose(rows, ["a", "b"])
    assert model == "a" and "came closest" in why


def _random_walk_points(seed: int, n: int = 60, sd: float = 10.0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    dates = pd.date_range("2020-01-01", periods=n, freq="MS") + pd.offsets.MonthEnd(0)
    return pts(dates, 1000 + np.cumsum(rng.normal(0, sd, n)))


def test_random_walk_intervals_are_calibrated():
    """The naive forecaster's 95% interval on simulated random walks covers 0.90-0.99 at 1, 3 and 6 months."""
    hits = {1: 0, 3: 0, 6: 0}
    reps = 600
    for seed in range(reps):
        p = _random_walk_points(seed)
        train, origin = p.iloc[:48], p["date"].iloc[47]
        for h in hits:
            tgt = p.iloc[[47 + h]]
            f = backtest.naive(train, origin, tgt["date"])
            hits[h] += bool(f["lower"].item() <= tgt["value"].item() <= f["upper"].item())
    for h, k in hits.items():
        assert 0.90 <= k / reps <= 0.99, (h, k / reps)


@pytest.mark.slow
def test_local_level_forecast_intervals_are_calibrated():
    """Model (b)'s local level forecaster on random walk + reporting noise: 95% coverage within 0.90-0.99."""
    fc = backtest.structural_forecaster({}, "2020-01-01", "local_level")
    hits = {1: 0, 6: 0}
    reps = 150
    for seed in range(reps):
        rng = np.random.default_rng(1000 + seed)
        p = _random_walk_points(seed + 5000, n=40)
        p["value"] += rng.normal(0, 4, len(p))
        train, origin = p.iloc[:33], p["date"].iloc[32]
        for h in hits:
            tgt = p.iloc[[32 + h]]
            f = fc(train, origin, tgt["date"].reset_index(drop=True))
            hits[h] += bool(f["lower"].item() <= tgt["value"].item() <= f["upper"].item())
    for h, k in hits.items():
        assert 0.90 <= k / reps <= 0.99, (h, k / reps)
