"""Breakpoints estimated from the data: where the monthly change of the stock shifts (Bai-Perron style).

The series is the average change per month between consecutive month-end counts, r_j = (y_j - y_i) / (j - i)
for observed months i < j with none between (a change over a k-month gap is the mean of k monthly changes,
so it gets weight k). The model is a mean that is constant within segments and shifts at m unknown months
(a break in the trend of the stock); m and the break months minimise

    BIC(m) = n log(SSR_m / n) + (2m + 1) log n          (m + 1 means and m dates),

with SSR the weighted sum of squared deviations from the segment means, found exactly by dynamic programming
over all segmentations with at least ``min_size`` changes per segment (Bai & Perron 2003). Interval for each
break month: the months tau at which, with the other breaks held fixed, the likelihood-ratio statistic
(SSR(tau) - SSR) / s2 stays below 7.35, the 95% critical value of the break-date LR statistic (Hansen 2000,
eq. 19, with s2 = SSR / (n - m - 1); Bai 1997 gives the same limit). It assumes roughly independent,
homoskedastic changes within segments; release-wave months are large outliers, so treat the intervals as
indicative. Estimated breaks describe the series; they are chosen by looking at the data, so they are not
tests of the named events (those are the fixed-event terms of models (a) and (b)).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

LR_CRIT_95 = 7.35  # -2 log(1 - sqrt(0.95)), Hansen (2000)
MIN_SIZE = 6
MAX_BREAKS = 5


def monthly_changes(monthly: pd.DataFrame) -> pd.DataFrame:
    """Average change per month between consecutive observed month-end counts, with its weight (gap months)."""
    m = monthly.loc[monthly["value"].notna()].sort_values("month").reset_index(drop=True)
    mi = m["month"].dt.year * 12 + m["month"].dt.month
    gap = mi.diff()
    out = pd.DataFrame({"month": m["month"], "change": m["value"].diff() / gap, "weight": gap})
    return out.dropna().reset_index(drop=True)


def _segment_cost(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """cost[i, j] = weighted SSR of x[i:j] around its weighted mean (inf where j <= i)."""
    n = len(x)
    cw = np.r_[0.0, np.cumsum(w)]
    cx = np.r_[0.0, np.cumsum(w * x)]
    cxx = np.r_[0.0, np.cumsum(w * x * x)]
    cost = np.full((n + 1, n + 1), np.inf)
    for i in range(n):
        j = np.arange(i + 1, n + 1)
        sw, sx, sxx = cw[j] - cw[i], cx[j] - cx[i], cxx[j] - cxx[i]
        cost[i, j] = sxx - sx * sx / sw
    return cost


def _best_partition(cost: np.ndarray, n: int, m: int, min_size: int) -> tuple[float, list[int]]:
    """Minimum total cost of m breaks (m + 1 segments of >= min_size) and the break positions."""
    best = {0: cost[0, :].copy()}  # best[k][j]: min cost of x[:j] in k + 1 segments
    arg: dict[int, np.ndarray] = {}
    for k in range(1, m + 1):
        cur = np.full(n + 1, np.inf)
        a = np.zeros(n + 1, dtype=int)
        for j in range((k + 1) * min_size, n + 1):
            tau = np.arange(k * min_size, j - min_size + 1)
            tot = best[k - 1][tau] + cost[tau, j]
            i = int(np.argmin(tot))
            cur[j], a[j] = tot[i], tau[i]
        best[k], arg[k] = cur, a
    ssr = float(best[m][n])
    pos, j = [], n
    for k in range(m, 0, -1):
        j = int(arg[k][j])
        pos.append(j)
    return ssr, sorted(pos)


def estimate_breaks(changes: pd.DataFrame, max_breaks: int = MAX_BREAKS, min_size: int = MIN_SIZE) -> dict:
    """Number and months of breaks in the mean monthly change, chosen by BIC, with 95% intervals.

    Returns ``breaks`` (break month = first month of the new segment, ci_low, ci_high, mean change before and
    after), ``segments`` (start, end, mean change per month, n) and ``bic`` (per number of breaks).
    """
    x = changes["change"].to_numpy(dtype=float)
    w = changes["weight"].to_numpy(dtype=float)
    months = pd.to_datetime(changes["month"]).reset_index(drop=True)
    n = len(x)
    if n < 2 * min_size:
        raise ValueError(f"{n} monthly changes: need at least {2 * min_size} to look for a break")
    cost = _segment_cost(x, w)
    fits, bic = {}, []
    for m in range(0, min(max_breaks, n // min_size - 1) + 1):
        ssr, pos = _best_partition(cost, n, m, min_size)
        fits[m] = (ssr, pos)
        bic.append({"breaks": m, "ssr": ssr, "bic": n * np.log(ssr / n) + (2 * m + 1) * np.log(n)})
    bic_t = pd.DataFrame(bic)
    m = int(bic_t.loc[bic_t["bic"].idxmin(), "breaks"])
    ssr, pos = fits[m]
    s2 = ssr / (n - m - 1)
    bounds = [0, *pos, n]
    seg = []
    for a, b in zip(bounds[:-1], bounds[1:]):
        seg.append({"start": months[a], "end": months[b - 1], "mean_change": float(np.average(x[a:b], weights=w[a:b])),
                    "n": b - a})
    rows = []
    for k, p in enumerate(pos):
        lo_b, hi_b = bounds[k] + min_size, bounds[k + 2] - min_size
        taus = np.arange(lo_b, hi_b + 1)
        lr = np.array([(cost[bounds[k], t] + cost[t, bounds[k + 2]] - cost[bounds[k], p] - cost[p, bounds[k + 2]]) / s2
                       for t in taus])
        inside = taus[lr <= LR_CRIT_95]
        rows.append({"break_month": months[p], "ci_low": months[int(inside.min())], "ci_high": months[int(inside.max())],
                     "mean_change_before": seg[k]["mean_change"], "mean_change_after": seg[k + 1]["mean_change"]})
    return {"breaks": pd.DataFrame(rows, columns=["break_month", "ci_low", "ci_high", "mean_change_before",
                                                  "mean_change_after"]),
            "segments": pd.DataFrame(seg), "bic": bic_t}
