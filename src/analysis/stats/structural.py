"""(b) Structural time-series model of the stock on a weekly grid of dated counts, with intervention regressors.

Every exact dated count enters at its own week (the latest exact count of a week when a week has several),
weeks without a count are missing and the Kalman filter skips them -- nothing is interpolated. The model is
statsmodels ``UnobservedComponents`` with a local linear trend (the design of causal-impact analysis of one
series):

    y_w = mu_w + x_w' beta + e_w,            e_w ~ N(0, s2_irregular)      (reporting noise)
    mu_(w+1) = mu_w + nu_w + xi_w,           xi_w ~ N(0, s2_level)
    nu_(w+1) = nu_w + zeta_w,                zeta_w ~ N(0, s2_slope)        (the trend drifts)

x_w holds a step and a ramp (months since the event) for each modelled event, and optionally the number
released in waves up to that week (its coefficient close to -1 means each person released in a wave left
the count). The three variances are estimated by maximum likelihood; beta are states of the model
(``mle_regression=False``), so their estimates and covariance are the smoothed states given the variances.
Bands are for the signal mu + x' beta from the smoothed state covariance (the variances taken as known).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats as sps
from statsmodels.tsa.statespace.structural import UnobservedComponents

from analysis.stats.its import ljung_box

DAYS_PER_MONTH = 365.25 / 12
WEEK = pd.Timedelta(days=7)
TRENDS: dict[str, str] = {"local_linear": "local linear trend", "local_level": "local level"}
MAXITER = 500


@dataclass
class StructuralFit:
    """Fitted model (b): regression table, variances, smoothed signal with band, diagnostics, notes."""

    params: pd.DataFrame
    variances: dict[str, float]
    signal: pd.DataFrame
    residuals: pd.Series
    ljung_box: pd.DataFrame
    notes: list[str]
    trend: str
    results: object = field(repr=False)

    @property
    def error_model(self) -> str:
        """Plain name of the model actually fitted, for legends and method text."""
        return f"{TRENDS[self.trend]} state-space model with Gaussian reporting noise"


def weekly_grid(points: pd.DataFrame, start: str | pd.Timestamp, end: str | pd.Timestamp) -> pd.DataFrame:
    """Weeks from ``start`` to ``end``: the latest exact count dated in each week, or NaN.

    Columns: week (first day), date (the count's date, else the week's last day), value.
    """
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    n = (end - start).days // 7 + 1
    weeks = start + WEEK * np.arange(n)
    exact = points.loc[~points["lower_bound"] & points["date"].between(start, end)].sort_values("date")
    idx = ((exact["date"] - start).dt.days // 7).to_numpy()
    value = np.full(n, np.nan)
    date = weeks + pd.Timedelta(days=6)
    value[idx] = exact["value"].to_numpy(dtype="float64")  # sorted by date: the latest of a week wins
    date = pd.Series(date).to_numpy()
    date[idx] = exact["date"].to_numpy()
    return pd.DataFrame({"week": weeks, "date": pd.to_datetime(date), "value": value})


def intervention_design(dates: pd.Series, events: dict[str, str], extra: dict[str, np.ndarray] | None = None
                        ) -> pd.DataFrame:
    """Step 1[date >= event] and ramp (months since the event, 0 before) per event, then ``extra`` columns."""
    d = pd.to_datetime(pd.Series(dates)).reset_index(drop=True)
    cols: dict[str, np.ndarray] = {}
    for name, when in events.items():
        days = (d - pd.Timestamp(when)).dt.days.to_numpy(dtype="float64")
        cols[f"level change at {name}"] = (days >= 0).astype("float64")
        cols[f"slope change after {name} (per month)"] = np.maximum(days, 0.0) / DAYS_PER_MONTH
    for name, values in (extra or {}).items():
        cols[name] = np.asarray(values, dtype="float64")
    return pd.DataFrame(cols, index=range(len(d)))


def _fit_model(y: np.ndarray, X: pd.DataFrame, trend: str,
               start_params: np.ndarray | None = None) -> tuple[object, list[str]]:
    """Maximum-likelihood fit of the UnobservedComponents model; warnings returned as notes.

    ``start_params`` (the variances of an earlier fit of the same model) only set where the optimiser starts."""
    model = UnobservedComponents(y, level=TRENDS[trend], exog=X.to_numpy() if X.shape[1] else None,
                                 mle_regression=False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        start = start_params if start_params is not None and len(start_params) == len(model.start_params) else None
        res = model.fit(start_params=start, disp=False, method="lbfgs", maxiter=MAXITER)
    notes = sorted({f"UnobservedComponents: {str(w.message).splitlines()[0]}" for w in caught})
    if not res.mle_retvals.get("converged", True):
        notes.append("UnobservedComponents: the likelihood optimiser did not report convergence.")
    return res, notes


def _combo(res: object, Z: np.ndarray, crit: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Smoothed value of Z_t' alpha_t with a band of +/- crit standard errors (Z has one row per time)."""
    a = np.asarray(res.smoothed_state)
    P = np.asarray(res.smoothed_state_cov)
    mean = np.einsum("tk,kt->t", Z, a)
    var = np.einsum("tk,klt,tl->t", Z, P, Z)
    se = np.sqrt(np.maximum(var, 0.0))
    return mean, mean - crit * se, mean + crit * se


def fit_structural(grid: pd.DataFrame, events: dict[str, str], extra: dict[str, np.ndarray] | None = None,
                   trend: str = "local_linear", alpha: float = 0.05) -> StructuralFit:
    """Fit model (b) on ``weekly_grid`` output; ``extra`` maps a regressor name to values per week.

    ``signal`` has week, date, value, fitted (mu + x' beta) with band, and for each ``extra`` regressor the
    signal without it (``without_<name>``, e.g. the model's stock had the waves not happened) with band.
    """
    if trend not in TRENDS:
        raise ValueError(f"trend must be one of {list(TRENDS)}, got {trend!r}")
    X = intervention_design(grid["date"], events, extra)
    y = grid["value"].to_numpy(dtype="float64")
    res, notes = _fit_model(y, X, trend)
    k = X.shape[1]
    k_states = res.model.k_states
    crit = float(sps.norm.ppf(1 - alpha / 2))
    beta = np.asarray(res.smoothed_state[k_states - k:, -1])
    cov = np.asarray(res.smoothed_state_cov[k_states - k:, k_states - k:, -1])
    se = np.sqrt(np.diag(cov))
    params = pd.DataFrame({"term": list(X.columns), "estimate": beta, "std_err": se,
                           "ci_low": beta - crit * se, "ci_high": beta + crit * se,
                           "p_value": 2 * sps.norm.sf(np.abs(beta / se))})
    Z = np.zeros((len(y), k_states))
    Z[:, 0] = 1.0
    Z[:, k_states - k:] = X.to_numpy()
    fitted, lo, hi = _combo(res, Z, crit)
    signal = pd.DataFrame({"week": grid["week"], "date": grid["date"], "value": y,
                           "fitted": fitted, "ci_low": lo, "ci_high": hi})
    for j, name in enumerate(X.columns):
        if extra and name in extra:
            Zj = Z.copy()
            Zj[:, k_states - k + j] = 0.0
            signal[f"without_{name}"], signal[f"without_{name}_low"], signal[f"without_{name}_high"] = _combo(res, Zj, crit)
    names = res.model.param_names
    variances = {n.replace("sigma2.", ""): float(v) for n, v in zip(names, res.params)}
    # statsmodels gives a 0, not NaN, for weeks without a count: keep the observed weeks only
    std = pd.Series(np.asarray(res.standardized_forecasts_error[0]), index=grid["date"])[np.isfinite(y)]
    resid = std.iloc[1 + (trend == "local_linear"):]  # first (diffuse) steps carry no information
    return StructuralFit(params=params, variances=variances, signal=signal, residuals=resid,
                         ljung_box=ljung_box(resid), notes=notes, trend=trend, results=res)


def forecast_structural(grid: pd.DataFrame, events: dict[str, str], target_dates: pd.Series,
                        trend: str = "local_linear", alpha: float = 0.05,
                        extra: dict[str, np.ndarray] | None = None, start_params: np.ndarray | None = None,
                        ) -> pd.DataFrame:
    """Prediction (1 - alpha) intervals for new counts on ``target_dates`` (after the grid's last week).

    Event terms continue as fitted; ``extra`` regressors (e.g. people released in waves to date) are held at
    their last value, i.e. the forecast assumes no new wave, and the interval does not include one.
    Columns: date, mean, lower, upper; ``attrs["params"]``: the fitted variances (a warm start for the next fit).
    """
    X = intervention_design(grid["date"], events, extra)
    y = grid["value"].to_numpy(dtype="float64")
    res, _ = _fit_model(y, X, trend, start_params)
    start = pd.Timestamp(grid["week"].iloc[0])
    targets = pd.to_datetime(pd.Series(target_dates)).reset_index(drop=True)
    steps_to = ((targets - start).dt.days // 7).to_numpy() - (len(grid) - 1)
    if (steps_to < 0).any():
        raise ValueError("forecast targets must lie after the grid's last week")
    steps_to = np.maximum(steps_to, 1)  # a target in the grid's last week: forecast for the next week
    steps = int(steps_to.max())
    future_weeks = start + WEEK * np.arange(len(grid), len(grid) + steps)
    held = {name: np.full(steps, np.asarray(v, dtype="float64")[-1]) for name, v in (extra or {}).items()}
    Xf = intervention_design(pd.Series(future_weeks) + pd.Timedelta(days=3), events, held)
    fc = res.get_forecast(steps, exog=Xf.to_numpy() if Xf.shape[1] else None).summary_frame(alpha=alpha)
    pick = steps_to - 1
    out = pd.DataFrame({"date": targets, "mean": fc["mean"].to_numpy()[pick],
                        "lower": fc["mean_ci_lower"].to_numpy()[pick], "upper": fc["mean_ci_upper"].to_numpy()[pick]})
    out.attrs["params"] = np.asarray(res.params)
    return out
