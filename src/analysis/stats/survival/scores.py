"""Cox score residuals that match the tie method (Efron or Breslow), and the cluster-robust sandwich built on them.

statsmodels' `score_residuals` are Breslow-type whatever `ties` is; at an Efron estimate their column sums are not
0 and the sandwich variance is too small with tied times. Here, for a death time t with d deaths and sub-step
k = 0..d−1 (Efron), D_k = S0 − (k/d)·S0_deaths and x̄_k = (S1 − (k/d)·S1_deaths)/D_k; a subject dying at t has
weight (1 − k/d) in sub-step k. Subject i's score residual is
    δ_i (X_i − mean_k x̄_k(t_i)) − Σ_{event times t in (entry_i, exit_i]} Σ_k w_ik r_i (X_i − x̄_k(t)) / D_k(t),
which sums to the Efron score (0 at the estimate). Breslow is the case k/d ≡ 0. R's coxph uses the same residuals.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.stats.survival.codes import TIES_METHODS


def _stratum_scores(time: np.ndarray, status: np.ndarray, X: np.ndarray, lp: np.ndarray,
                    entry: np.ndarray | None, efron: bool) -> tuple[np.ndarray, np.ndarray]:
    """Score residuals and Schoenfeld residuals (n × p each; Schoenfeld 0 for censored rows) of one stratum."""
    n, p = X.shape
    r = np.exp(lp - lp.max())  # scale-free: every term is a ratio of risk weights
    dead = status > 0
    u, inv_u = np.unique(time[dead], return_inverse=True)
    if len(u) == 0:
        return np.zeros((n, p)), np.zeros((n, p))
    d = np.bincount(inv_u, minlength=len(u)).astype(float)
    s0d = np.bincount(inv_u, weights=r[dead], minlength=len(u))
    s1d = np.column_stack([np.bincount(inv_u, weights=r[dead] * X[dead, j], minlength=len(u)) for j in range(p)])
    # Risk-set sums at each event time u: exit ≥ u, minus those entering at or after u (risk set = (entry, exit]).
    order = np.argsort(time, kind="mergesort")
    rx = np.column_stack([r, r[:, None] * X])[order]
    tail = np.vstack([np.cumsum(rx[::-1], axis=0)[::-1], np.zeros((1, p + 1))])
    sums = tail[np.searchsorted(time[order], u, side="left")]
    if entry is not None:
        e_order = np.argsort(entry, kind="mergesort")
        e_tail = np.vstack([np.cumsum(np.column_stack([r, r[:, None] * X])[e_order][::-1], axis=0)[::-1],
                            np.zeros((1, p + 1))])
        sums = sums - e_tail[np.searchsorted(entry[e_order], u, side="left")]
    s0, s1 = sums[:, 0], sums[:, 1:]
    # Efron sub-steps, one per death: event time index j, fraction k/d.
    j = np.repeat(np.arange(len(u)), d.astype(int))
    frac = (np.arange(len(j)) - np.repeat(np.cumsum(d) - d, d.astype(int))) / d[j] if efron else np.zeros(len(j))
    D = s0[j] - frac * s0d[j]
    xbar = (s1[j] - frac[:, None] * s1d[j]) / D[:, None]
    w_dead = 1.0 - frac

    def per_time(values: np.ndarray) -> np.ndarray:
        return np.bincount(j, weights=values, minlength=len(u))

    A, A_dead = per_time(1.0 / D), per_time(w_dead / D)
    B = np.column_stack([per_time(xbar[:, c] / D) for c in range(p)])
    B_dead = np.column_stack([per_time(w_dead * xbar[:, c] / D) for c in range(p)])
    x_eff = np.column_stack([per_time(xbar[:, c]) for c in range(p)]) / d[:, None]
    cumA = np.r_[0.0, np.cumsum(A)]
    cumB = np.vstack([np.zeros((1, p)), np.cumsum(B, axis=0)])
    hi = np.searchsorted(u, time, side="right")  # event times ≤ exit
    lo = np.searchsorted(u, entry, side="right") if entry is not None else np.zeros(n, int)  # ... ≤ entry
    ca = cumA[hi] - cumA[lo]
    cb = cumB[hi] - cumB[lo]
    jd = np.searchsorted(u, time[dead])  # a death's own event time: weights (1 − k/d) instead of 1
    ca[dead] += A_dead[jd] - A[jd]
    cb[dead] += B_dead[jd] - B[jd]
    schoenfeld = np.zeros((n, p))
    schoenfeld[dead] = X[dead] - x_eff[jd]
    return schoenfeld - r[:, None] * (X * ca[:, None] - cb), schoenfeld


def _residuals(time, status, X, beta, entry, strata, ties) -> tuple[np.ndarray, np.ndarray]:
    """(score residuals, Schoenfeld residuals), each n × p, computed stratum by stratum."""
    if ties not in TIES_METHODS:
        raise ValueError(f"ties must be one of {TIES_METHODS}")
    X = np.asarray(X, dtype=float).reshape(len(time), -1)
    lp = X @ np.asarray(beta, dtype=float)
    score, schoenfeld = np.zeros_like(X), np.zeros_like(X)
    groups = np.zeros(len(time), int) if strata is None else pd.factorize(np.asarray(strata))[0]
    for g in np.unique(groups):
        m = groups == g
        score[m], schoenfeld[m] = _stratum_scores(
            np.asarray(time, float)[m], np.asarray(status)[m], X[m], lp[m],
            None if entry is None else np.asarray(entry, float)[m], ties == "efron")
    return score, schoenfeld


def score_residuals(time: np.ndarray, status: np.ndarray, X: np.ndarray, beta: np.ndarray,
                    entry: np.ndarray | None = None, strata: np.ndarray | None = None,
                    ties: str = "efron") -> np.ndarray:
    """Cox score residuals (n × p) at `beta` for Efron or Breslow ties, with delayed entry and strata."""
    return _residuals(time, status, X, beta, entry, strata, ties)[0]


def schoenfeld_residuals(time: np.ndarray, status: np.ndarray, X: np.ndarray, beta: np.ndarray,
                         entry: np.ndarray | None = None, strata: np.ndarray | None = None,
                         ties: str = "efron") -> np.ndarray:
    """Schoenfeld residuals X_i − x̄(t_i) (Efron-averaged mean under Efron ties; 0 for censored rows), n × p."""
    return _residuals(time, status, X, beta, entry, strata, ties)[1]


def sandwich_se(scores: np.ndarray, bread: np.ndarray, clusters: pd.Series | np.ndarray) -> np.ndarray:
    """Cluster-robust standard errors I⁻¹ (Σ_g s_g s_gᵀ) I⁻¹ from per-row score residuals summed by cluster."""
    codes = pd.factorize(np.asarray(clusters))[0]
    sums = np.zeros((codes.max() + 1, scores.shape[1]))
    np.add.at(sums, codes, scores)
    return np.sqrt(np.diag(bread @ (sums.T @ sums) @ bread))


def clustered_se(res, clusters: pd.Series | np.ndarray) -> np.ndarray:
    """Cluster-robust SEs of a statsmodels PHReg fit, with score residuals matching the fit's tie method."""
    m = res.model
    entry = None if m.entry is None else np.asarray(m.entry, float)
    scores = score_residuals(m.endog, m.status, m.exog, np.asarray(res.params), entry, m.strata, m.ties)
    return sandwich_se(scores, np.asarray(res.cov_params()), clusters)
