"""Tests of analysis.stats.structural (model (b)): weekly grid of dated counts, intervention design, recovery
and coverage of an intervention effect, forecast intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.stats import structural

STEP = "level change at release"


def points(dates, values, lower=None) -> pd.DataFrame:
    n = len(dates)
    return pd.DataFrame({"date": pd.to_datetime(dates), "value": np.asarray(values, float),
                         "lower_bound": np.zeros(n, bool) if lower is None else np.asarray(lower),
                         "date_inferred": np.zeros(n, bool)})


def test_weekly_grid_keeps_every_week_latest_exact_count_and_no_interpolation():
    p = points(["2024-01-01", "2024-01-03", "2024-01-05", "2024-01-20", "2024-01-22"], [10, 11, 99, 12, 13],
               lower=[False, False, True, False, False])
    g = structural.weekly_grid(p, "2024-01-01", "2024-01-31")
    assert g["week"].dt.strftime("%m-%d").tolist() == ["01-01", "01-08", "01-15", "01-22", "01-29"]
    assert g.loc[0, "value"] == 11 and g.loc[2, "value"] == 12 and g.loc[3, "value"] == 13  # lower bound 99 not used
    assert np.isnan(g.loc[1, "value"]) and np.isnan(g.loc[4, "value"])
    assert g.loc[0, "date"] == pd.Timestamp("2024-01-03")  # the count's own date
    assert g.loc[1, "date"] == pd.Timestamp("2024-01-14")  # an empty week: its last day


def test_intervention_design_hand_worked():
    X = structural.intervention_design(pd.Series(pd.to_datetime(["2024-01-01", "2024-03-01", "2024-07-01"])),
                                       {"e": "2024-03-01"}, {"w": np.array([0, 5, 9])})
    assert X.columns.tolist() == ["level change at e", "slope change after e (per month)", "w"]
    assert X.iloc[:, 0].tolist() == [0, 1, 1]
    assert X.iloc[:, 1].round(4).tolist() == [0, 0, round(122 / (365.25 / 12), 4)]
    assert X["w"].tolist() == [0, 5, 9]


def simulate(seed: int, step: float = -80.0, n_weeks: int = 160, obs_every: int = 2) -> pd.DataFrame:
    """Local linear trend (weekly) + reporting noise + a step at week 100; a count every ``obs_every`` weeks."""
    rng = np.random.default_rng(seed)
    slope = 2.0 + np.cumsum(rng.normal(0, 0.05, n_weeks))
    level = 500 + np.cumsum(slope + rng.normal(0, 1.0, n_weeks))
    y = level + step * (np.arange(n_weeks) >= 100) + rng.normal(0, 4.0, n_weeks)
    weeks = pd.Timestamp("2022-01-03") + structural.WEEK * np.arange(n_weeks)
    keep = np.arange(n_weeks) % obs_every == 0
    return points(weeks[keep] + pd.Timedelta(days=2), y[keep])


EVENT = {"release": str((pd.Timestamp("2022-01-03") + structural.WEEK * 100).date())}


def test_recovers_an_intervention_step():
    p = simulate(1)
    g = structural.weekly_grid(p, p["date"].min(), p["date"].max())
    fit = structural.fit_structural(g, EVENT)
    est = fit.params.set_index("term").loc[STEP]
    assert est["ci_low"] < -80 < est["ci_high"]
    assert abs(est["estimate"] + 80) < 20
    s = fit.signal.dropna(subset=["value"])
    assert ((s["ci_low"] <= s["fitted"]) & (s["fitted"] <= s["ci_high"])).all()
    assert "local linear trend" in fit.error_model


def test_without_regressor_band_is_reported():
    p = simulate(2)
    g = structural.weekly_grid(p, p["date"].min(), p["date"].max())
    w = {"released": np.where(g["date"] >= pd.Timestamp(EVENT["release"]), 80.0, 0.0)}
    fit = structural.fit_structural(g, {}, w)
    assert fit.params.set_index("term").loc["released", "ci_low"] < -1 < fit.params.set_index("term").loc["released", "ci_high"]
    after = fit.signal["date"] >= pd.Timestamp(EVENT["release"])
    gap = (fit.signal.loc[after, "without_released"] - fit.signal.loc[after, "fitted"]).mean()
    assert gap == pytest.approx(80, abs=20)


def test_forecast_targets_after_the_grid_and_interval_widens():
    p = simulate(3, step=0.0)
    g = structural.weekly_grid(p, p["date"].min(), p["date"].max())
    last = p["date"].max()
    fc = structural.forecast_structural(g, {}, pd.Series([last + pd.Timedelta(days=30), last + pd.Timedelta(days=180)]))
    width = fc["upper"] - fc["lower"]
    assert width.iloc[1] > width.iloc[0] > 0
    with pytest.raises(ValueError, match="after the grid"):
        structural.forecast_structural(g, {}, pd.Series([p["date"].min()]))


@pytest.mark.slow
def test_step_interval_coverage():
    hits = 0
    reps = 200
    for seed in range(reps):
        p = simulate(100 + seed, n_weeks=140)
        g = structural.weekly_grid(p, p["date"].min(), p["date"].max())
        est = structural.fit_structural(g, EVENT).params.set_index("term").loc[STEP]
        hits += bool(est["ci_low"] <= -80 <= est["ci_high"])
    assert 0.90 <= hits / reps <= 0.99
