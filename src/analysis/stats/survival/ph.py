"""Proportional-hazards check: Grambsch–Therneau test on scaled Schoenfeld residuals, with strata and delayed entry.

The statistic is lifelines' `proportional_hazard_test` (the form in Grambsch & Therneau 1994 that uses the model
covariance for the per-time information): for term j, with g the rank of each death time (average ranks for ties,
pooled over strata, as R's `cox.zph(transform="rank")`) and s* = D · s · V the scaled Schoenfeld residuals,
    T_j = (Σ_k (g_k − ḡ) s*_kj)² / (D · V_jj · Σ_k (g_k − ḡ)²)  ~  χ²(1) under proportional hazards.
lifelines cannot compute residuals under delayed entry; this implementation shares its risk sets with the Efron
score residuals (scores.py), so it can.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy.stats import chi2, rankdata
from statsmodels.duration.hazard_regression import PHReg
from statsmodels.tools.sm_exceptions import ConvergenceWarning

from analysis.stats.survival.checks import Codes, check_input, fail
from analysis.stats.survival.codes import TIES
from analysis.stats.survival.design import design, event_status, strata_codes, strict_entry
from analysis.stats.survival.scores import schoenfeld_residuals


def gt_statistic(time: np.ndarray, status: np.ndarray, X: np.ndarray, beta: np.ndarray, cov: np.ndarray,
                 entry: np.ndarray | None = None, strata: np.ndarray | None = None,
                 ties: str = TIES) -> tuple[np.ndarray, np.ndarray]:
    """(χ² statistic, p-value) per term of the Grambsch–Therneau test with the rank time transform."""
    dead = status > 0
    n_deaths = int(dead.sum())
    scaled = n_deaths * schoenfeld_residuals(time, status, X, beta, entry, strata, ties)[dead] @ cov
    g = rankdata(time[dead])
    g = g - g.mean()
    stat = (g @ scaled) ** 2 / (n_deaths * np.diag(cov) * (g @ g))
    return stat, chi2.sf(stat, 1)


def ph_check(
    df: pd.DataFrame,
    duration: str,
    event: str,
    covariates: list[str],
    strata: list[str] | None = None,
    cause: int | None = None,
    alpha: float = 0.05,
    reference: dict[str, object] | None = None,
    unknown: str = "exclude",
    ties: str = TIES,
    *,
    entry: str | None = None,
    codes: Codes = None,
    dropna: bool = False,
) -> pd.DataFrame:
    """Grambsch–Therneau test per term (rank time; fit with the model's tie method) and per covariate (Bonferroni)."""
    strata = list(strata or [])
    chk = check_input(df, duration, event, "ph_check", entry=entry, covariates=covariates, strata=strata,
                      codes=codes, dropna=dropna)
    keep, status, _ = event_status(chk, cause, unknown, "ph_check")
    data, time = chk.data[keep], chk.time[keep]
    start = chk.entry[keep] if chk.entry is not None else None
    if not status.any():
        raise fail("ph_check", event, "no events to test proportional hazards on", 0)
    X, terms = design(data, covariates, reference, "ph_check")
    codes_s = strata_codes(data, strata)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        res = PHReg(time, X.to_numpy(), status=status, entry=strict_entry(time, start), strata=codes_s,
                    ties=ties).fit()
    stat, p = gt_statistic(time, status, X.to_numpy(), np.asarray(res.params), np.asarray(res.cov_params()),
                           start, codes_s, ties)
    out = pd.DataFrame(terms)
    out["statistic"], out["p"] = stat, p
    k = out.groupby("covariate")["p"].transform("size")
    out["p_covariate"] = (out.groupby("covariate")["p"].transform("min") * k).clip(upper=1.0)
    out["violated"] = out["p_covariate"] < alpha
    return out
