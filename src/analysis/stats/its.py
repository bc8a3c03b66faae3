"""(a) Interrupted time series on the monthly *change* of a stock, with ARMA errors chosen by AIC.

A count of people held is a stock: this month = last month + inflow - outflow, so it is integrated and a
piecewise-linear mean with stationary errors is the wrong model for it. Here the month-end count y_m
(calendar-month grid, months without an exact count missing, never interpolated) follows

    y_m = b * t_m + sum_k ( level_k * step_k(m) + slope_k * ramp_k(m) ) + g * W_m + u_m,
    u_m ~ ARIMA(p, 1, q),

which on first differences reads

    dy_m = b + sum_k ( level_k * 1[m = T_k] + slope_k * 1[m > T_k] ) + g * dW_m + ARMA(p, q).

b is the baseline monthly change, level_k a one-off change in the event month T_k (the month containing
the event date), slope_k a lasting change of the monthly change from the month after it; W_m (optional) is a
known regressor such as the number released in waves up to the month's count (g close to -1 means every
person released in a wave left the count). It is statsmodels ``SARIMAX(y, exog, order=(p, 1, q))`` fitted by
exact maximum likelihood on the monthly grid with missing months as NaN: the Kalman filter handles the gaps
exactly (the change over a two-month gap is the sum of two monthly changes). (p, q) in 0..2 is chosen by
AIC among fits that converged. The regression coefficients are states of the model, so given the ARMA
parameters they are generalised least squares estimates with their exact covariance; intervals use the normal
quantile (the simulation tests in ``tests/test_its.py`` check their coverage).

An event is modelled only when the window holds at least ``MIN_SIDE`` exact counts before its month and
after it; otherwise it is listed with the reason (``event_status``). Level and slope terms describe the
path around events fixed in advance; they are not causal effects.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats as sps
from statsmodels.stats.diagnostic import acorr_ljungbox
from statsmodels.tsa.statespace.sarimax import SARIMAX

ORDERS: tuple[tuple[int, int], ...] = tuple((p, q) for p in range(3) for q in range(3))
MIN_SIDE = 3  # exact counts needed on each side of an event month to model it
LJUNG_BOX_LAGS = (6, 12)
MAXITER = 300
AR_NEAR_ONE = 0.8  # above this |AR| a note says the monthly change itself drifts


@dataclass
class ITSFit:
    """Fitted model (a): readable parameter table, chosen ARMA order, AIC table, diagnostics, notes."""

    params: pd.DataFrame
    order: tuple[int, int]
    aic: pd.DataFrame
    fitted: pd.DataFrame
    residuals: pd.Series
    ljung_box: pd.DataFrame
    events: dict[str, pd.Timestamp]
    notes: list[str]
    results: object = field(repr=False)
    exog_names: list[str] = field(default_factory=list)

    @property
    def error_model(self) -> str:
        """Plain name of the error model actually fitted, for legends and method text."""
        p, q = self.order
        return f"ARIMA({p},1,{q}) errors (ARMA({p},{q}) on monthly changes, chosen by AIC)"


def _month_index(values: object) -> np.ndarray:
    """Dates as integer months (year*12 + month - 1)."""
    d = pd.to_datetime(pd.Series(values)).dt.to_period("M")
    return np.array([p.year * 12 + p.month - 1 for p in d], dtype=np.int64)


def its_design(months: pd.Series, events: dict[str, str], origin: str | pd.Timestamp | None = None) -> pd.DataFrame:
    """Design of the event terms on a monthly grid: const, t, then level_k = 1[m >= T_k], slope_k = (m - T_k)+.

    t counts months since ``origin`` (default the first month); T_k is the month containing event k's date.
    """
    mi = _month_index(months)
    o = int(mi.min()) if origin is None else int(_month_index([origin])[0])
    cols: dict[str, np.ndarray] = {"const": np.ones(len(mi)), "t": (mi - o).astype("float64")}
    for k, date in enumerate(events.values()):
        tk = int(_month_index([date])[0])
        cols[f"level_{k}"] = (mi >= tk).astype("float64")
        cols[f"slope_{k}"] = np.maximum(mi - tk, 0).astype("float64")
    return pd.DataFrame(cols)


def event_status(events: dict[str, str], monthly: pd.DataFrame, min_side: int = MIN_SIDE) -> pd.DataFrame:
    """Which events the window can model: at least ``min_side`` exact month-end counts before and after each.

    ``monthly`` has columns month and value (NaN = no exact count). Columns: event, date, modelled, reason.
    """
    obs = pd.to_datetime(monthly.loc[monthly["value"].notna(), "month"])
    rows = []
    for name, date in sorted(events.items(), key=lambda kv: pd.Timestamp(kv[1])):
        month = pd.Timestamp(date).to_period("M").to_timestamp()
        before, after = int((obs < month).sum()), int((obs >= month).sum())
        if before < min_side:
            reason = (f"only {before} month-end count(s) before it in the window (needs {min_side}): "
                      "there is no pre-event path to change")
        elif after < min_side:
            reason = f"only {after} month-end count(s) from its month on (needs {min_side})"
        else:
            reason = "modelled: level and slope terms"
        rows.append({"event": name, "date": pd.Timestamp(date), "modelled": reason.startswith("modelled"),
                     "reason": reason})
    return pd.DataFrame(rows, columns=["event", "date", "modelled", "reason"])


def design(monthly: pd.DataFrame, events: dict[str, str], extra: pd.DataFrame | None = None) -> pd.DataFrame:
    """Exogenous columns of model (a) on ``monthly['month']``: t, level/slope per event, and ``extra`` columns."""
    X = its_design(monthly["month"], events).drop(columns="const")
    names = {"t": "baseline change per month"}
    for k, name in enumerate(events):
        names[f"level_{k}"] = f"one-off change in the month of {name}"
        names[f"slope_{k}"] = f"change of the monthly change after {name}"
    X = X.rename(columns=names)
    if extra is not None:
        for col in extra.columns:
            X[col] = extra[col].to_numpy(dtype="float64")
    return X


def _fit_one(y: np.ndarray, X: np.ndarray, order: tuple[int, int]) -> tuple[object | None, list[str]]:
    """One SARIMAX(p,1,q) fit by exact ML; None if it fails or does not converge.

    The regression coefficients are states of the model (``mle_regression=False``) and the scale is
    concentrated out, so the optimiser searches only the p + q ARMA coefficients; the coefficients and their
    covariance are the smoothed states (generalised least squares given the ARMA parameters).
    """
    p, q = order
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            model = SARIMAX(y, exog=X if X.shape[1] else None, order=(p, 1, q), trend="n",
                            mle_regression=False, concentrate_scale=True)
            # with no ARMA coefficient there is nothing to optimise: the smoother gives the exact fit
            res = model.fit(disp=False, method="lbfgs", maxiter=MAXITER) if p + q else model.smooth(np.zeros(0))
        except (np.linalg.LinAlgError, ValueError) as exc:
            return None, [f"ARIMA({p},1,{q}) failed: {exc}"]
    msgs = sorted({str(w.message).splitlines()[0] for w in caught})
    if (p + q and not res.mle_retvals.get("converged", False)) or not np.isfinite(res.aic):
        return None, [f"ARIMA({p},1,{q}) did not converge"]
    return res, msgs


def coefficients(res: object, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Regression coefficients (last ``k`` states) and their covariance at the end of the sample."""
    if k == 0:
        return np.zeros(0), np.zeros((0, 0))
    idx = slice(res.model.k_states - k, res.model.k_states)
    return (np.asarray(res.smoothed_state[idx, -1]), np.asarray(res.smoothed_state_cov[idx, idx, -1]))


def fit_its(monthly: pd.DataFrame, events: dict[str, str], extra: pd.DataFrame | None = None,
            alpha: float = 0.05, orders: tuple[tuple[int, int], ...] = ORDERS) -> ITSFit:
    """Fit model (a) on the month-end counts in ``monthly`` (columns month, value; NaN = missing month).

    Only the events that ``event_status`` marks as modelled enter; the others are listed in ``notes``.
    """
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be in (0, 1), got {alpha}")
    m = monthly.sort_values("month").reset_index(drop=True)
    status = event_status(events, m)
    kept = {r.event: r.date.strftime("%Y-%m-%d") for r in status.itertuples() if r.modelled}
    notes = [f"event '{r.event}' ({r.date:%Y-%m-%d}) not modelled: {r.reason}." for r in status.itertuples()
             if not r.modelled]
    X = design(m, kept, extra)
    y = m["value"].to_numpy(dtype="float64")
    if np.isfinite(y).sum() < X.shape[1] + 6:
        raise ValueError(f"only {int(np.isfinite(y).sum())} month-end counts for {X.shape[1]} terms")
    fits, aic = {}, []
    for order in orders:
        res, msgs = _fit_one(y, X.to_numpy(), order)
        aic.append({"p": order[0], "q": order[1], "aic": res.aic if res is not None else np.nan,
                    "converged": res is not None})
        if res is not None:
            fits[order] = (res, msgs)
    if not fits:
        raise ValueError("no ARIMA(p,1,q) order converged")
    aic_table = pd.DataFrame(aic)
    best = min(fits, key=lambda o: (fits[o][0].aic, o))
    res, msgs = fits[best]
    notes += [f"SARIMAX: {msg}" for msg in msgs]
    ar = [float(v) for n, v in zip(res.model.param_names, res.params) if n.startswith("ar.")]
    if ar and max(abs(a) for a in ar) > AR_NEAR_ONE:
        notes.append(f"the chosen AR coefficient of the monthly change is {max(ar, key=abs):.2f}: the monthly change "
                     "itself drifts (the stock behaves like a series with a drifting trend), so the event terms are "
                     "weakly identified and read best beside the structural model's drifting slope.")
    k = X.shape[1]
    est, cov = coefficients(res, k)
    se = np.sqrt(np.diag(cov))
    z = float(sps.norm.ppf(1 - alpha / 2))
    params = pd.DataFrame({"term": list(X.columns), "estimate": est, "std_err": se,
                           "ci_low": est - z * se, "ci_high": est + z * se,
                           "p_value": 2 * sps.norm.sf(np.abs(est / se))})
    arma = pd.DataFrame({"term": list(res.model.param_names) + ["sigma2"],
                         "estimate": list(np.asarray(res.params)) + [float(res.scale)]})
    params = pd.concat([params, arma], ignore_index=True)
    pred = res.get_prediction().summary_frame(alpha=alpha)
    fitted = pd.DataFrame({"month": m["month"], "value": y, "one_step": pred["mean"].to_numpy(),
                           "change": np.r_[np.nan, np.diff(y)],
                           "mean_change": np.r_[np.nan, np.diff(X.to_numpy() @ est)]})
    # statsmodels gives a 0, not NaN, for months without a count: keep the observed months, less the first
    # (differencing leaves it no forecast)
    resid = pd.Series(np.asarray(res.standardized_forecasts_error[0]), index=m["month"])[np.isfinite(y)].iloc[1:]
    return ITSFit(params=params, order=best, aic=aic_table, fitted=fitted, residuals=resid,
                  ljung_box=ljung_box(resid, best[0] + best[1]),
                  events={k2: pd.Timestamp(v) for k2, v in kept.items()},
                  notes=notes, results=res, exog_names=list(X.columns))


def ljung_box(resid: pd.Series, model_df: int = 0, lags: tuple[int, ...] = LJUNG_BOX_LAGS) -> pd.DataFrame:
    """Ljung-Box test of no autocorrelation up to each lag (residuals in time order, gaps skipped)."""
    r = pd.Series(resid).dropna().to_numpy()
    use = [lag for lag in lags if lag < len(r) - 1 and lag > model_df]
    if not use:
        return pd.DataFrame(columns=["lag", "statistic", "p_value"])
    t = acorr_ljungbox(r, lags=use, model_df=model_df)
    return pd.DataFrame({"lag": use, "statistic": t["lb_stat"].to_numpy(), "p_value": t["lb_pvalue"].to_numpy()})


def forecast_its(monthly: pd.DataFrame, events: dict[str, str], steps: int, alpha: float = 0.05,
                 orders: tuple[tuple[int, int], ...] = ORDERS) -> pd.DataFrame:
    """Forecast ``steps`` months past the last month of ``monthly`` with (1 - alpha) prediction intervals.

    Event terms continue as fitted (no new event is assumed); no wave regressor (future waves are unknown, so
    their risk stays in the error term). Columns: month, h, mean, lower, upper.
    """
    fit = fit_its(monthly, events, alpha=alpha, orders=orders)
    m = monthly.sort_values("month")
    last = pd.Timestamp(m["month"].iloc[-1])
    future = pd.DataFrame({"month": pd.date_range(last + pd.offsets.MonthBegin(1), periods=steps, freq="MS")})
    grid = pd.concat([m[["month"]], future], ignore_index=True)
    Xf = design(grid, {k: v.strftime("%Y-%m-%d") for k, v in fit.events.items()}).iloc[len(m):]
    fc = fit.results.get_forecast(steps, exog=Xf.to_numpy() if Xf.shape[1] else None).summary_frame(alpha=alpha)
    return pd.DataFrame({"month": future["month"], "h": np.arange(1, steps + 1), "mean": fc["mean"].to_numpy(),
                         "lower": fc["mean_ci_lower"].to_numpy(), "upper": fc["mean_ci_upper"].to_numpy()})


def simulate_stock(n_months: int, drift: float, events: dict[int, tuple[float, float]], *, seed: int,
                   sd: float = 10.0, ar: float = 0.0, start_value: float = 500.0,
                   start: str = "2020-01-01") -> pd.DataFrame:
    """Simulated month-end stock with known truth: dy = drift + level/slope terms + AR(1) noise (sd of dy noise).

    ``events`` maps a month offset T_k to (level_k, slope_k) as in the module's model. Returns month, value,
    mean_change; ``attrs['events']`` maps 'event k' to the first day of month T_k.
    """
    rng = np.random.default_rng(seed)
    t = np.arange(n_months)
    mean = np.full(n_months, float(drift))
    for tk, (level, slope) in events.items():
        mean = mean + level * (t == tk) + slope * (t > tk)
    e = np.empty(n_months)
    innov = sd * np.sqrt(1 - ar**2)
    e[0] = sd * rng.standard_normal()
    for i in range(1, n_months):
        e[i] = ar * e[i - 1] + innov * rng.standard_normal()
    dy = mean + e
    dy[0] = 0.0
    months = pd.date_range(start, periods=n_months, freq="MS")
    out = pd.DataFrame({"month": months, "value": start_value + np.cumsum(dy), "mean_change": mean})
    out.attrs["events"] = {f"event {k + 1}": f"{months[tk]:%Y-%m-%d}" for k, tk in enumerate(events)}
    return out
