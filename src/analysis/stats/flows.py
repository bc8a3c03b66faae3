"""Inflow against outflow: is the number held falling because people are released or because fewer enter?

Accounting identity used (per calendar month m, stock S counted near month end):
    S_m - S_{m-1} = inflow_m - outflow_m   ⇒   implied outflow_m = inflow_m - (S_m - S_{m-1})
inflow is Viasna's count of newly recognised political prisoners in the month. The identity is only
approximate: recognitions lag detentions, and a stock figure dated early in a month mixes two months.
It is computed only for months where both stock figures were observed (not interpolated) and the
inflow covers the whole month.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats as sps

from analysis.stats import series

ALPHA = 0.05


def flow_balance(stock: pd.DataFrame, flows: pd.DataFrame, value: str = "currently_held") -> pd.DataFrame:
    """Monthly stock change, inflow and the outflow they imply, only where all three are observed."""
    s = stock.sort_values("month").reset_index(drop=True)
    implied = series.implied_flows(s, value)  # month-on-month change, defined once
    both_observed = s["observed"] & s["observed"].shift(1, fill_value=False) & ~implied["uses_interpolated"]
    out = pd.DataFrame({"month": s["month"], "stock": s[value],
                        "net_change": implied["net_flow"].where(both_observed)})
    f = flows[["month", "new_recognized", "new_recognized_partial", "released", "released_partial"]]
    out = out.merge(f, on="month", how="left")
    full_inflow = out["new_recognized"].notna() & ~out["new_recognized_partial"].astype("boolean").fillna(True).astype(bool)
    out["inflow"] = out["new_recognized"].where(full_inflow)
    out["implied_outflow"] = (out["inflow"] - out["net_change"]).where(out["net_change"].notna() & full_inflow)
    out["stated_releases"] = out["released"]
    out["stated_releases_partial"] = out["released_partial"]
    return out[["month", "stock", "net_change", "inflow", "implied_outflow", "stated_releases",
                "stated_releases_partial"]]


def _mean_ci(x: pd.Series, alpha: float) -> tuple[int, float, float, float]:
    """n, mean and a t-interval of the mean (months treated as independent: a stated simplification)."""
    x = x.dropna().astype(float)
    n = len(x)
    if n == 0:
        return 0, np.nan, np.nan, np.nan
    mean = float(x.mean())
    if n == 1:
        return 1, mean, np.nan, np.nan
    half = float(sps.t.ppf(1 - alpha / 2, n - 1) * x.std(ddof=1) / np.sqrt(n))
    return n, mean, mean - half, mean + half


def period_means(balance: pd.DataFrame, periods: dict[str, tuple[str, str | None]], alpha: float = ALPHA) -> pd.DataFrame:
    """Mean monthly inflow, implied outflow and net change per named period (end None = open), with t-intervals."""
    rows = []
    for name, (start, end) in periods.items():
        end = end or balance["month"].max().strftime("%Y-%m-%d")
        b = balance.loc[balance["month"].between(pd.Timestamp(start), pd.Timestamp(end))]
        for measure in ("inflow", "implied_outflow", "net_change"):
            n, mean, lo, hi = _mean_ci(b[measure], alpha)
            rows.append({"period": name, "start": start, "end": end, "measure": measure, "n_months": n,
                         "mean_per_month": mean, "ci_low": lo, "ci_high": hi})
    return pd.DataFrame(rows)


def stock_without_waves(stock: pd.DataFrame, waves: pd.DataFrame, value: str = "currently_held",
                        count: str = "released_count") -> pd.DataFrame:
    """Observed stock plus everyone released in waves so far: an upper bound on the stock had no wave happened.

    It is an upper bound because some of those released would have left anyway at the end of their terms.
    """
    w = waves.assign(month=waves["event_date"].dt.to_period("M").dt.to_timestamp())
    released_to_date = w.groupby("month")[count].sum().sort_index().cumsum()
    s = stock.sort_values("month").reset_index(drop=True)
    # Waves in months without a stock figure still count for every later month.
    added = released_to_date.reindex(s["month"], method="ffill").fillna(0).to_numpy()
    return pd.DataFrame({"month": s["month"], "observed_stock": s[value],
                         "released_in_waves_to_date": added, "stock_without_waves": s[value] + added})
