"""All-cause Kaplan–Meier curves, numbers at risk and median time held, with optional delayed entry."""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd
from scipy.stats import norm
from statsmodels.duration.survfunc import SurvfuncRight

from analysis.stats.survival.checks import Codes, check_input, group_levels
from analysis.stats.survival.codes import CENSORED


def _fit(time: np.ndarray, code: np.ndarray, entry: np.ndarray | None) -> SurvfuncRight:
    """statsmodels Kaplan–Meier; every non-zero event code counts as the event; risk set (entry, exit]."""
    return SurvfuncRight(time, (code != CENSORED).astype(float), entry=entry)


def _loglog_band(sf: SurvfuncRight, z: float) -> tuple[np.ndarray, np.ndarray]:
    """Pointwise log-log CI of S at each event time (1 where S = 1, NaN where S = 0)."""
    s = sf.surv_prob
    with np.errstate(divide="ignore", invalid="ignore"):
        v = (sf.surv_prob_se / s) ** 2  # Greenwood: Var(log S) = Σ d / (n (n − d))
        log_s = np.log(s)
        half = z * np.sqrt(v) / log_s
        lo = np.exp(-np.exp(np.log(-log_s) - half))
        hi = np.exp(-np.exp(np.log(-log_s) + half))
    undefined = (s <= 0) | (s >= 1) | ~np.isfinite(v)
    lo[undefined & (s >= 1)], hi[undefined & (s >= 1)] = 1.0, 1.0
    lo[undefined & (s < 1)], hi[undefined & (s < 1)] = np.nan, np.nan
    return lo, hi


def _median_ci(sf: SurvfuncRight, alpha: float) -> tuple[float, float]:
    """Brookmeyer–Crowley CI of the median (statsmodels, cloglog). When no event time passes the test — a large
    tied step across 0.5 — use R's band rule instead: first times the lower / upper log-log band reach ≤ 0.5."""
    if not len(sf.surv_times):
        return np.nan, np.nan
    with np.errstate(divide="ignore", invalid="ignore"):  # log(0) at S = 0 is excluded by the inversion
        lo, hi = sf.quantile_ci(0.5, alpha=alpha, method="cloglog")
    if np.isnan(lo) and np.isnan(hi) and (sf.surv_prob < 0.5).any():
        band_lo, band_hi = _loglog_band(sf, norm.ppf(1 - alpha / 2))
        crossed_lo = np.flatnonzero(np.nan_to_num(band_lo, nan=0.0) <= 0.5)
        crossed_hi = np.flatnonzero(np.nan_to_num(band_hi, nan=0.0) <= 0.5)
        lo = sf.surv_times[crossed_lo[0]]
        hi = sf.surv_times[crossed_hi[0]] if len(crossed_hi) else np.inf
    return float(lo), float(hi)


def _with_notes(out: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """Attach the exclusion notes of the input check to a result frame (DataFrame.attrs['notes'])."""
    out.attrs["notes"] = list(notes)
    return out


def kaplan_meier(
    df: pd.DataFrame, duration: str, event: str, group: str | None = None, alpha: float = 0.05, *,
    entry: str | None = None, codes: Codes = None, dropna: bool = False,
) -> pd.DataFrame:
    """All-cause Kaplan–Meier curve per group with pointwise log-log CIs, one row at time 0 then one per event time."""
    chk = check_input(df, duration, event, "kaplan_meier", entry=entry, group=group, codes=codes, dropna=dropna)
    z = norm.ppf(1 - alpha / 2)
    frames = []
    for level, rows in group_levels(chk.data, group):
        t, c = chk.time[rows], chk.code[rows]
        e = chk.entry[rows] if chk.entry is not None else None
        sf = _fit(t, c, e)
        s = sf.surv_prob
        lo, hi = _loglog_band(sf, z)
        at_start = int(len(t) if e is None else (e <= 0).sum())
        frame = pd.DataFrame({"time": sf.surv_times, "survival": s, "ci_low": lo, "ci_high": hi,
                              "at_risk": sf.n_risk.astype(int), "events": sf.n_events.astype(int)})
        if not (len(frame) and frame["time"].iloc[0] == 0):  # events at time 0 already make the time-0 row
            start = pd.DataFrame({"time": [0.0], "survival": [1.0], "ci_low": [1.0], "ci_high": [1.0],
                                  "at_risk": [at_start], "events": [0]})
            frame = pd.concat([start, frame], ignore_index=True)
        frame.insert(0, "group", level)
        frames.append(frame)
    return _with_notes(pd.concat(frames, ignore_index=True), chk.notes)


def risk_table(
    df: pd.DataFrame, duration: str, group: str | None, times: Sequence[float], *,
    entry: str | None = None, dropna: bool = False,
) -> pd.DataFrame:
    """Numbers at risk per group at the given times: duration ≥ t and, under delayed entry, entered before t."""
    chk = check_input(df, duration, None, "risk_table", entry=entry, group=group, dropna=dropna)
    rows = []
    for level, mask in group_levels(chk.data, group):
        d = chk.time[mask]
        e = chk.entry[mask] if chk.entry is not None else np.zeros(len(d))
        for t in times:
            at_risk = (d >= t) & ((e < t) | (e == 0))
            rows.append({"group": level, "time": float(t), "at_risk": int(at_risk.sum())})
    return _with_notes(pd.DataFrame(rows), chk.notes)


def median_survival(
    df: pd.DataFrame, duration: str, event: str, group: str | None = None, alpha: float = 0.05, *,
    entry: str | None = None, codes: Codes = None, dropna: bool = False,
) -> pd.DataFrame:
    """All-cause median time held per group (first time S(t) < 0.5, SAS/statsmodels rule) with its CI."""
    chk = check_input(df, duration, event, "median_survival", entry=entry, group=group, codes=codes, dropna=dropna)
    rows = []
    for level, mask in group_levels(chk.data, group):
        t, c = chk.time[mask], chk.code[mask]
        sf = _fit(t, c, chk.entry[mask] if chk.entry is not None else None)
        lo, hi = _median_ci(sf, alpha)
        rows.append({
            "group": level,
            "n": int(mask.sum()),
            "events": int((c != CENSORED).sum()),
            "median": float(sf.quantile(0.5)) if len(sf.surv_times) else np.nan,
            "ci_low": lo,
            "ci_high": hi,
        })
    return _with_notes(pd.DataFrame(rows), chk.notes)
