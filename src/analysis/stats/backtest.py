"""Rolling-origin backtest of forecasts of the stock: the model against the naive and drift random walks.

Origins are the last days of each of the ``months`` calendar months before the month of the newest count.
At each origin a forecaster sees only the counts dated on or before it; its targets at horizon h are the
exact counts dated in the calendar month h months after the origin's month. For each horizon the backtest
reports n (origin-target pairs), the mean absolute error of each forecaster, and the share of targets inside
each forecaster's (1 - alpha) prediction interval (``coverage_95`` for alpha = 0.05).

Baselines: naive random walk (the last exact count) and random walk with drift (the last count plus the
average change per month between the first and last count seen, times the months to the target). Their
intervals: random-walk intervals with the variance of monthly changes seen so far, times months ahead.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd
from scipy import stats as sps

from analysis.stats import accounting, its, series, structural

HORIZONS = (1, 3, 6)
BACKTEST_MONTHS = 36
COVERAGE_OK = (0.85, 1.0)
Forecaster = Callable[[pd.DataFrame, pd.Timestamp, pd.Series], pd.DataFrame]


def _months_between(a: pd.Series | pd.Timestamp, b: pd.Series) -> np.ndarray:
    """Months (days / mean month length) from date(s) ``a`` to dates ``b``."""
    return ((pd.to_datetime(b) - pd.to_datetime(a)).dt.days / structural.DAYS_PER_MONTH).to_numpy()


def _rw(train: pd.DataFrame, targets: pd.Series, alpha: float, drift: bool) -> pd.DataFrame:
    """Random walk (with or without drift) from the last exact count; interval from monthly-change variance."""
    exact = train.loc[~train["lower_bound"]].sort_values("date")
    last, first = exact.iloc[-1], exact.iloc[0]
    gaps = np.diff(exact["date"].to_numpy()).astype("timedelta64[D]").astype(float) / structural.DAYS_PER_MONTH
    rates = np.diff(exact["value"].to_numpy(dtype=float)) / np.maximum(gaps, 1e-9)
    span = max((last["date"] - first["date"]).days / structural.DAYS_PER_MONTH, 1e-9)
    slope = (last["value"] - first["value"]) / span if drift else 0.0
    h = np.maximum(_months_between(last["date"], pd.Series(targets)), 0.0)
    # variance per month of the change: weighted by gap length (a k-month change has variance k * s2)
    s2 = float(np.sum(gaps * (rates - (slope if drift else 0.0)) ** 2) / max(len(rates) - drift, 1))
    mean = last["value"] + slope * h
    half = float(sps.norm.ppf(1 - alpha / 2)) * np.sqrt(s2 * h)
    return pd.DataFrame({"date": pd.to_datetime(pd.Series(targets)).to_numpy(), "mean": mean,
                         "lower": mean - half, "upper": mean + half})


def naive(train: pd.DataFrame, origin: pd.Timestamp, targets: pd.Series, alpha: float = 0.05) -> pd.DataFrame:
    """Naive random walk forecast: the last exact count."""
    return _rw(train, targets, alpha, drift=False)


def drift(train: pd.DataFrame, origin: pd.Timestamp, targets: pd.Series, alpha: float = 0.05) -> pd.DataFrame:
    """Random walk with drift: last count + average monthly change so far x months ahead."""
    return _rw(train, targets, alpha, drift=True)


def structural_forecaster(events: dict[str, str], start: str | pd.Timestamp, trend: str = "local_linear",
                          alpha: float = 0.05, wave_counts: pd.DataFrame | None = None) -> Forecaster:
    """Model (b) as a forecaster, refitted at each origin with the events it can model by then.

    With ``wave_counts`` (``accounting.wave_counts``) the people released in waves up to each week are a
    regressor, held at its value at the origin (no new wave assumed); without it, no event terms are used
    either (the trend and level noise alone).
    """
    # the previous origin's variances: the optimiser starts there (same optimum up to its tolerance)
    last: dict[str, np.ndarray] = {}

    def forecast(train: pd.DataFrame, origin: pd.Timestamp, targets: pd.Series) -> pd.DataFrame:
        grid = structural.weekly_grid(train, start, origin)
        extra, usable = None, {}
        if wave_counts is not None:
            known = wave_counts.loc[wave_counts["event_date"] <= origin]
            if len(known):
                extra = {"released in waves to date": accounting.released_to_date(known, grid["date"])}
            monthly = series.month_end_stock(train, start, origin)
            status = its.event_status({k: v for k, v in events.items() if pd.Timestamp(v) <= origin}, monthly)
            usable = {r.event: events[r.event] for r in status.itertuples() if r.modelled}
        out = structural.forecast_structural(grid, usable, targets, trend=trend, alpha=alpha, extra=extra,
                                             start_params=last.get("params"))
        last["params"] = out.attrs["params"]
        return out
    return forecast


def rolling_origin(points: pd.DataFrame, forecasters: dict[str, Forecaster], months: int = BACKTEST_MONTHS,
                   horizons: tuple[int, ...] = HORIZONS) -> pd.DataFrame:
    """Forecasts of every forecaster at every origin and horizon, beside the counts they aimed at.

    Columns: model, origin, h, date, actual, mean, lower, upper, covered, abs_error.
    """
    exact = points.loc[~points["lower_bound"]].sort_values("date")
    last_month = exact["date"].max().to_period("M")
    target_month = exact["date"].dt.to_period("M")
    rows = []
    for i in range(months, 0, -1):
        origin_month = last_month - i
        origin = origin_month.to_timestamp(how="end").normalize()
        train = points.loc[points["date"] <= origin]
        if (~train["lower_bound"]).sum() < 6:
            continue
        tgt = pd.concat([exact.loc[target_month == origin_month + h].assign(h=h) for h in horizons])
        if tgt.empty:
            continue
        for name, fc in forecasters.items():  # one fit per origin serves every horizon
            f = fc(train, origin, tgt["date"].reset_index(drop=True))
            rows.append(pd.DataFrame({"model": name, "origin": origin, "h": tgt["h"].to_numpy(),
                                      "date": tgt["date"].to_numpy(), "actual": tgt["value"].to_numpy(dtype=float),
                                      "mean": f["mean"].to_numpy(), "lower": f["lower"].to_numpy(),
                                      "upper": f["upper"].to_numpy()}))
    out = pd.concat(rows, ignore_index=True)
    out = out.sort_values(["origin", "h", "model", "date"], kind="mergesort", ignore_index=True)
    out["covered"] = out["actual"].between(out["lower"], out["upper"])
    out["abs_error"] = (out["actual"] - out["mean"]).abs()
    return out


def summary(rows: pd.DataFrame, model: str, naive_name: str = "naive", drift_name: str = "drift") -> dict:
    """The ``backtest`` object of results.json: per horizon coverage_95, mae_model, mae_naive, mae_drift, n."""
    out = {"model": model}
    for h, g in rows.groupby("h"):
        by = g.groupby("model")
        mae = by["abs_error"].mean().round(2)  # people: two decimals are plenty
        out[f"h{h}"] = {"coverage_95": round(float(by["covered"].mean()[model]), 4),
                        "mae_model": float(mae[model]), "mae_naive": float(mae[naive_name]),
                        "mae_drift": float(mae[drift_name]), "n": int(by.size()[model])}
    return out


def table(rows: pd.DataFrame) -> pd.DataFrame:
    """Coverage and mean absolute error per model and horizon."""
    return (rows.groupby(["model", "h"]).agg(n=("covered", "size"), coverage_95=("covered", "mean"),
                                            mae=("abs_error", "mean")).reset_index())


def choose(rows: pd.DataFrame, candidates: list[str], ok: tuple[float, float] = COVERAGE_OK) -> tuple[str, str]:
    """The candidate with the lowest mean MAE among those whose coverage is within ``ok`` at every horizon.

    If none qualifies, the one whose worst-horizon coverage is highest. Returns (model, reason).
    """
    t = table(rows).loc[lambda d: d["model"].isin(candidates)]
    cov = t.groupby("model")["coverage_95"].agg(["min", "max"])
    mae = t.groupby("model")["mae"].mean()
    good = cov.index[(cov["min"] >= ok[0]) & (cov["max"] <= ok[1])]
    if len(good):
        best = min(good, key=lambda m: (mae[m], m))
        return best, (f"lowest mean absolute error among the models whose 95% intervals covered "
                      f"{ok[0]:.0%}-{ok[1]:.0%} of held-out counts at every horizon")
    best = max(cov.index, key=lambda m: (cov.loc[m, "min"], m))
    return best, f"no model reached {ok[0]:.0%} coverage at every horizon; this one came closest"
