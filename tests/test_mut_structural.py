"""stats.structural identities that hold whatever the data: p-values, bands, the 'without' signal, residuals,
forecast picking, the extra regressor held at its last value, the optimiser's notes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from analysis.stats import structural

START = pd.Timestamp("2022-01-03")


def _grid(seed: int = 5, n_weeks: int = 90, step: float = -60.0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    level = 500 + np.cumsum(1.5 + rng.normal(0, 1.0, n_weeks))
    y = level + step * (np.arange(n_weeks) >= 50) + rng.normal(0, 3.0, n_weeks)
    weeks = START + structural.WEEK * np.arange(n_weeks)
    keep = np.arange(n_weeks) % 2 == 0
    p = pd.DataFrame({"date": weeks[keep] + pd.Timedelta(days=2), "value": y[keep], "lower_bound": False})
    return structural.weekly_grid(p, START, p["date"].max())


def _extras(g: pd.DataFrame) -> dict[str, np.ndarray]:
    after = (g["date"] >= START + structural.WEEK * 50).to_numpy()
    return {"a": np.where(after, 60.0, 0.0), "b": np.linspace(0.0, 10.0, len(g))}


@pytest.fixture(scope="module")
def fitted():
    g = _grid()
    return g, structural.fit_structural(g, {}, _extras(g), trend="local_linear")


def test_params_columns_intervals_and_p_values(fitted):
    _, fit = fitted
    p = fit.params
    assert list(p.columns) == ["term", "estimate", "std_err", "ci_low", "ci_high", "p_value"]
    crit = sps.norm.ppf(0.975)
    assert np.allclose(p["ci_low"], p["estimate"] - crit * p["std_err"])
    assert np.allclose(p["ci_high"], p["estimate"] + crit * p["std_err"])
    assert np.allclose(p["p_value"], 2 * sps.norm.sf(np.abs(p["estimate"] / p["std_err"])))
    assert ((p["p_value"] >= 0) & (p["p_value"] <= 1)).all()


def test_the_signal_without_a_regressor_is_the_fit_minus_that_regressor(fitted):
    g, fit = fitted
    beta = fit.params.set_index("term")["estimate"]
    for name, x in _extras(g).items():
        # smoothed beta is constant over time, so fitted - without = beta * x exactly (up to float error)
        assert np.allclose(fit.signal["fitted"] - fit.signal[f"without_{name}"], beta[name] * x, atol=1e-6)


def test_the_fit_follows_the_data_and_residuals_skip_the_diffuse_steps(fitted):
    g, fit = fitted
    s = fit.signal.dropna(subset=["value"])
    assert (s["fitted"] - s["value"]).abs().median() < 10  # level + regressors, not the slope state
    observed = int(g["value"].notna().sum())
    assert len(fit.residuals) == observed - 2  # local linear trend: two diffuse steps
    level = structural.fit_structural(g, {}, _extras(g), trend="local_level")
    assert len(level.residuals) == observed - 1


def test_an_unknown_trend_is_named():
    with pytest.raises(ValueError, match=r"trend must be one of \['local_linear', 'local_level'\], got 'cubic'"):
        structural.fit_structural(_grid(n_weeks=20), {}, trend="cubic")


def test_a_target_forecast_does_not_depend_on_the_other_targets():
    g = _grid(step=0.0)
    last = g["date"].iloc[-1]
    near, far = last + pd.Timedelta(days=8), last + pd.Timedelta(days=60)
    both = structural.forecast_structural(g, {}, pd.Series([near, far]), trend="local_level")
    alone = structural.forecast_structural(g, {}, pd.Series([near]), trend="local_level")
    assert both.iloc[0][["mean", "lower", "upper"]].tolist() == pytest.approx(
        alone.iloc[0][["mean", "lower", "upper"]].tolist(), rel=1e-6)
    assert (both["upper"] - both["lower"]).iloc[1] > (both["upper"] - both["lower"]).iloc[0]


def test_an_extra_regressor_is_held_at_its_last_value():
    g = _grid()
    x = _extras(g)["a"]
    last = g["date"].iloc[-1]
    fc = structural.forecast_structural(g, {}, pd.Series([last + pd.Timedelta(days=14)]), trend="local_level",
                                        extra={"a": x})
    raised = structural.forecast_structural(g, {}, pd.Series([last + pd.Timedelta(days=14)]), trend="local_level",
                                            extra={"a": np.r_[x[:-1], x[-1] + 100.0]})
    assert np.isfinite(fc["mean"]).all()
    assert fc["mean"].iloc[0] != pytest.approx(raised["mean"].iloc[0], abs=1.0)  # the last value is used


def test_a_fit_that_does_not_converge_says_so(monkeypatch):
    monkeypatch.setattr(structural, "MAXITER", 1)
    fit = structural.fit_structural(_grid(n_weeks=40), {}, trend="local_linear")
    assert "UnobservedComponents: the likelihood optimiser did not report convergence." in fit.notes


def test_its_residuals_are_the_observed_months_only():
    from analysis.stats import its

    sim = its.simulate_stock(60, drift=3.0, events={}, seed=4, sd=5.0)
    monthly = sim[["month", "value"]].copy()
    monthly.loc[monthly.index % 3 == 1, "value"] = np.nan  # a third of the months without a count
    fit = its.fit_its(monthly, {}, orders=((0, 0),))
    observed = monthly.loc[monthly["value"].notna(), "month"]
    assert fit.residuals.index.tolist() == observed.iloc[1:].tolist()
    assert (fit.residuals != 0).all()  # statsmodels' 0 for a missing month is not a residual
