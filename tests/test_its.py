"""Tests of analysis.stats.its: the ITS design (hand-worked), event status, and model (a) on simulated stocks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.stats import its

LEVEL = "one-off change in the month of event 1"
SLOPE = "change of the monthly change after event 1"


def test_its_design_hand_worked():
    months = pd.Series(pd.date_range("2022-01-01", periods=6, freq="MS"))
    X = its.its_design(months, {"war": "2022-03-15"})
    assert list(X.columns) == ["const", "t", "level_0", "slope_0"]
    assert X["const"].tolist() == [1, 1, 1, 1, 1, 1]
    assert X["t"].tolist() == [0, 1, 2, 3, 4, 5]
    assert X["level_0"].tolist() == [0, 0, 1, 1, 1, 1]  # the event month (March) is the first post-event month
    assert X["slope_0"].tolist() == [0, 0, 0, 1, 2, 3]


def test_its_design_origin_and_two_events():
    months = pd.Series(pd.to_datetime(["2021-12-01", "2022-02-01", "2022-05-01"]))
    X = its.its_design(months, {"a": "2022-01-31", "b": "2022-05-01"}, origin="2021-11-01")
    assert X["t"].tolist() == [1, 3, 6]  # months since the origin, gaps kept
    assert X["level_0"].tolist() == [0, 1, 1] and X["slope_0"].tolist() == [0, 1, 4]
    assert X["level_1"].tolist() == [0, 0, 1] and X["slope_1"].tolist() == [0, 0, 0]


def test_event_status_needs_counts_on_both_sides():
    monthly = pd.DataFrame({"month": pd.date_range("2020-08-01", periods=12, freq="MS"), "value": 1.0})
    monthly.loc[[5, 6], "value"] = np.nan
    st = its.event_status({"early": "2020-08-09", "mid": "2021-01-10", "late": "2021-06-20"}, monthly)
    assert st["modelled"].tolist() == [False, True, False]
    assert "only 0 month-end count(s) before it" in st.loc[0, "reason"]
    assert "only 2 month-end count(s) from its month on" in st.loc[2, "reason"]


def test_differences_design_equals_ols_on_changes_without_arma():
    """ARIMA(0,1,0) with the event regressors is OLS of the monthly change on the differenced design."""
    d = its.simulate_stock(60, 5.0, {30: (-20.0, -4.0)}, seed=3, sd=6.0)
    fit = its.fit_its(d[["month", "value"]], d.attrs["events"], orders=((0, 0),))
    X = np.diff(its.design(d, d.attrs["events"]).to_numpy(), axis=0)
    dy = np.diff(d["value"].to_numpy())
    ols = np.linalg.lstsq(X, dy, rcond=None)[0]
    np.testing.assert_allclose(fit.params["estimate"].to_numpy()[:3], ols, rtol=1e-4, atol=1e-3)
    assert fit.order == (0, 0)


def test_missing_months_are_handled_not_interpolated():
    d = its.simulate_stock(60, 5.0, {30: (-20.0, -4.0)}, seed=4, sd=6.0)
    gappy = d[["month", "value"]].copy()
    gappy.loc[[10, 11, 40], "value"] = np.nan
    fit = its.fit_its(gappy, d.attrs["events"], orders=((0, 0),))
    assert np.isnan(fit.fitted.loc[[10, 11, 40], "value"]).all()
    assert fit.params.loc[fit.params["term"] == SLOPE, "ci_low"].item() < -4.0 < \
        fit.params.loc[fit.params["term"] == SLOPE, "ci_high"].item()


def test_recovers_level_and_slope_with_order_chosen_by_aic():
    d = its.simulate_stock(240, 8.0, {120: (-40.0, -6.0)}, seed=11, sd=8.0, ar=0.5)
    fit = its.fit_its(d[["month", "value"]], d.attrs["events"], orders=((0, 0), (1, 0), (0, 1)))
    p = fit.params.set_index("term")
    assert fit.order == (1, 0)  # the true error process is AR(1)
    assert abs(p.loc[SLOPE, "estimate"] - (-6.0)) < 3 * p.loc[SLOPE, "std_err"]
    assert abs(p.loc[LEVEL, "estimate"] - (-40.0)) < 3 * p.loc[LEVEL, "std_err"]
    assert "ARIMA(1,1,0)" in fit.error_model
    assert set(fit.ljung_box["lag"]) == {6, 12}


def _coverage(reps: int, orders, ar: float) -> tuple[float, float]:
    hits = np.zeros(2)
    for seed in range(reps):
        d = its.simulate_stock(72, 10.0, {36: (-30.0, -8.0)}, seed=seed, sd=10.0, ar=ar)
        p = its.fit_its(d[["month", "value"]], d.attrs["events"], orders=orders).params.set_index("term")
        hits += [p.loc[LEVEL, "ci_low"] <= -30 <= p.loc[LEVEL, "ci_high"],
                 p.loc[SLOPE, "ci_low"] <= -8 <= p.loc[SLOPE, "ci_high"]]
    return tuple(hits / reps)


def test_95_intervals_cover_known_changes_white_noise():
    level, slope = _coverage(150, ((0, 0),), ar=0.0)
    assert 0.90 <= level <= 0.99 and 0.90 <= slope <= 0.99


@pytest.mark.slow
def test_95_intervals_cover_known_changes_with_arma_selection():
    level, slope = _coverage(120, ((0, 0), (1, 0), (0, 1)), ar=0.4)
    assert 0.90 <= level <= 0.99 and 0.90 <= slope <= 0.99


def test_forecast_continues_the_fitted_change():
    d = its.simulate_stock(80, 5.0, {}, seed=2, sd=1e-3)
    fc = its.forecast_its(d[["month", "value"]], {}, 3, orders=((0, 0),))
    np.testing.assert_allclose(fc["mean"].diff().dropna(), 5.0, atol=1e-2)
    assert (fc["lower"] < fc["mean"]).all() and (fc["upper"] > fc["mean"]).all()


def test_rejects_bad_alpha():
    d = its.simulate_stock(40, 1.0, {}, seed=1)
    with pytest.raises(ValueError, match="alpha"):
        its.fit_its(d, {}, alpha=1.5)
