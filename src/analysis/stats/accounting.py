"""(c) The accounting counterfactual: the observed stock plus everyone released in the waves so far.

What the count would be had the people released in waves stayed: observed count on a date + people released
in waves dated on or before it. The wave counts are uncertain, so three versions are given per wave
(``wave_counts``): the primary source's count (``waves.primary_waves``), the lowest count any source gives
for that wave (``low``: the smallest stated ``released_count`` or ``recognised_pp_count``) and the highest
(``high``). The resulting band is a range of the stated counts, not a probability interval. It is an upper
bound on the stock without waves in another sense too: some of those released would have left anyway at the
end of their terms, and decree totals (``count_scope`` all_pardoned) can include people not on Viasna's list.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.stats import waves as waves_mod


def wave_counts(events: pd.DataFrame, start: str | pd.Timestamp | None = None,
                end: str | pd.Timestamp | None = None) -> pd.DataFrame:
    """One row per wave: date, primary count and the lowest and highest count stated by any source."""
    primary = waves_mod.primary_waves(events, start, end)
    stated = pd.concat([events["released_count"], events["recognised_pp_count"]], axis=1).astype("Float64")
    per_row = pd.DataFrame({"event_id": events["event_id"], "low": stated.min(axis=1),
                            "high": events["released_count"].astype("Float64")})
    rng = per_row.groupby("event_id").agg(low=("low", "min"), high=("high", "max"))
    out = primary[["event_id", "event_date", "released", "count_scope"]].merge(rng, on="event_id", how="left")
    out["low"] = out[["low", "released"]].min(axis=1)
    out["high"] = out[["high", "released"]].max(axis=1)
    for col in ("released", "low", "high"):
        out[col] = out[col].astype("float64")
    return out.reset_index(drop=True)


def released_to_date(counts: pd.DataFrame, dates: pd.Series, column: str = "released") -> np.ndarray:
    """People released in waves dated on or before each date (``counts`` from :func:`wave_counts`)."""
    w = counts.sort_values("event_date")
    if w.empty:
        return np.zeros(len(dates))
    cum = w[column].fillna(0).cumsum().to_numpy()
    pos = np.searchsorted(pd.to_datetime(w["event_date"]).to_numpy(), pd.to_datetime(dates).to_numpy(), side="right")
    return np.where(pos > 0, cum[np.maximum(pos - 1, 0)], 0.0)


def stock_without_waves(points: pd.DataFrame, counts: pd.DataFrame) -> pd.DataFrame:
    """Each exact dated count from the first wave on, plus everyone released in waves up to its date.

    ``points`` from ``series.dated_observations``. Columns: date, observed, released (primary counts to date),
    released_low, released_high, without_waves, without_waves_low, without_waves_high.
    """
    first = pd.to_datetime(counts["event_date"]).min()
    p = points.loc[~points["lower_bound"] & (points["date"] >= first)].sort_values("date")
    out = pd.DataFrame({"date": p["date"].to_numpy(), "observed": p["value"].to_numpy(dtype="float64")})
    for suffix, col in (("", "released"), ("_low", "low"), ("_high", "high")):
        out[f"released{suffix}"] = released_to_date(counts, out["date"], col)
        out[f"without_waves{suffix}"] = out["observed"] + out[f"released{suffix}"]
    return out
