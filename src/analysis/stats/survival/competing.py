"""Aalen–Johansen cumulative incidence of one exit route with the others competing; simulation with known truth."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import norm

from analysis.stats.survival.checks import Codes, check_input, fail, group_levels
from analysis.stats.survival.codes import CENSORED, EVENT_LABELS, UNKNOWN_MODES, UNKNOWN_ROUTE


def _aalen_johansen(time: np.ndarray, code: np.ndarray, cause: int, z: float,
                    entry: np.ndarray | None = None) -> pd.DataFrame:
    """Tie-exact Aalen–Johansen CIF for one cause with Collett's Greenwood-type variance and log(-log) CI.

    The risk set at t is everyone with entry < t ≤ exit (entry 0 for all without delayed entry)."""
    start = np.full(len(time), -np.inf) if entry is None else entry  # no delayed entry: at risk from −∞
    ut = np.unique(time[code != CENSORED])
    d_all = np.bincount(np.searchsorted(ut, time[code != CENSORED]), minlength=len(ut)).astype(float)
    d_k = np.bincount(np.searchsorted(ut, time[code == cause]), minlength=len(ut)).astype(float)
    exits, entries = np.sort(time), np.sort(start)
    n = (len(time) - np.searchsorted(exits, ut, side="left")) - (len(time) - np.searchsorted(entries, ut, side="left"))
    n = n.astype(float)
    s = np.cumprod(1.0 - d_all / n)  # all-cause KM just after each time
    s_lag = np.r_[1.0, s[:-1]]  # ... and just before
    F = np.cumsum(s_lag * d_k / n)
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.where(n > d_all, d_all / (n * (n - d_all)), 0.0)  # n == d: F stops moving, term is 0
    b = s_lag**2 * d_k * (n - d_k) / n**3
    c = s_lag * d_k / n**2
    # Σ_i a_i (F_j − F_i)² + Σ_i b_i − 2 Σ_i c_i (F_j − F_i), for i ≤ j, via prefix sums.
    var = (F**2 * np.cumsum(a) - 2 * F * np.cumsum(a * F) + np.cumsum(a * F**2)
           + np.cumsum(b) - 2 * (F * np.cumsum(c) - np.cumsum(c * F)))
    var = np.clip(var, 0.0, None)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # F at 0 or 1: limits are 0 / 1
        g = np.log(-np.log(F))
        se_g = np.sqrt(var) / (F * np.abs(np.log(F)))
        lo = np.exp(-np.exp(g + z * se_g))
        hi = np.exp(-np.exp(g - z * se_g))
    zero = F <= 0
    lo[zero], hi[zero] = 0.0, 0.0
    out = pd.DataFrame({"time": ut, "cif": F, "se": np.sqrt(var), "ci_low": lo, "ci_high": hi,
                        "at_risk": n.astype(int), "events_cause": d_k.astype(int),
                        "events_competing": (d_all - d_k).astype(int)})
    if not (len(ut) and ut[0] == 0):  # events at time 0 already make the time-0 row
        first = pd.DataFrame({"time": [0.0], "cif": [0.0], "se": [0.0], "ci_low": [0.0], "ci_high": [0.0],
                              "at_risk": [int((start <= 0).sum())], "events_cause": [0], "events_competing": [0]})
        out = pd.concat([first, out], ignore_index=True)
    return out


def cumulative_incidence(
    df: pd.DataFrame,
    duration: str,
    event_code_col: str,
    cause: int,
    group: str | None = None,
    alpha: float = 0.05,
    unknown: str = "exclude",
    *,
    entry: str | None = None,
    codes: Codes = None,
    dropna: bool = False,
) -> pd.DataFrame:
    """Aalen–Johansen cumulative incidence of one exit route, other routes competing; unknown route excluded."""
    if unknown not in UNKNOWN_MODES:
        raise ValueError(f"unknown must be one of {UNKNOWN_MODES}")
    chk = check_input(df, duration, event_code_col, "cumulative_incidence", entry=entry, group=group, codes=codes,
                      dropna=dropna)
    if cause not in chk.codes or cause == CENSORED:
        raise fail("cumulative_incidence", event_code_col,
                   f"cause {cause!r} is not an event code of the declared mapping {sorted(chk.codes)}",
                   hint="declare the codes with codes={code: label}")
    z = norm.ppf(1 - alpha / 2)
    is_unknown_route = chk.codes.get(UNKNOWN_ROUTE) == EVENT_LABELS[UNKNOWN_ROUTE]
    frames = []
    for level, mask in group_levels(chk.data, group):
        drop = mask & (chk.code == UNKNOWN_ROUTE) & (unknown == "exclude") & is_unknown_route
        keep = mask & ~drop
        out = _aalen_johansen(chk.time[keep], chk.code[keep], cause, z,
                              chk.entry[keep] if chk.entry is not None else None)
        out.insert(0, "cause", cause)
        out.insert(0, "group", level)
        out["excluded_unknown_route"] = int(drop.sum())
        frames.append(out)
    result = pd.concat(frames, ignore_index=True)
    result.attrs["notes"] = list(chk.notes)
    return result


# ── simulation ────────────────────────────────────────────────────────────────────────────────
def simulate_competing(
    n: int,
    hazards: dict[int, float],
    hr: dict[int, float],
    covariate_share: float,
    censor_rate: float,
    seed: int,
) -> pd.DataFrame:
    """Exponential cause-specific hazards λ_k·HR_k^x with binary x ~ Bernoulli(share) and Exp(censor_rate) censoring."""
    rng = np.random.default_rng(seed)
    causes = sorted(hazards)
    x = (rng.random(n) < covariate_share).astype(int)
    rates = np.column_stack([hazards[k] * hr.get(k, 1.0) ** x for k in causes])
    total = rates.sum(axis=1)
    t_event = rng.exponential(1.0 / total)
    u = rng.random(n)[:, None]
    which = (u > np.cumsum(rates / total[:, None], axis=1)).sum(axis=1)
    cause = np.asarray(causes)[which]
    t_cens = rng.exponential(1.0 / censor_rate, n) if censor_rate > 0 else np.full(n, np.inf)
    observed = t_event <= t_cens
    out = pd.DataFrame(
        {"x": x, "duration": np.where(observed, t_event, t_cens), "event": np.where(observed, cause, CENSORED),
         "true_event_time": t_event, "true_cause": cause}
    )
    out.attrs["event_codes"] = {"event": {CENSORED: "censored", **{k: f"cause {k}" for k in causes}}}
    return out


def cif_exponential(t: np.ndarray | float, hazards: dict[int, float], cause: int) -> np.ndarray:
    """Closed-form CIF for constant cause-specific hazards: λ_k/λ · (1 − e^{−λ t})."""
    lam = sum(hazards.values())
    return hazards[cause] / lam * (1.0 - np.exp(-lam * np.asarray(t, dtype=float)))
