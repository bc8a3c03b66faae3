"""Cox proportional hazards (statsmodels PHReg): hazard ratios, fit statistics, PH check, cluster-robust SEs."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
import pandas as pd
from scipy.stats import chi2, norm
from statsmodels.duration.hazard_regression import PHReg
from statsmodels.tools.sm_exceptions import ConvergenceWarning

from analysis.stats.survival.checks import Codes, check_input, fail
from analysis.stats.survival.codes import PH_VIOLATION_MODES, TIES, TIES_METHODS
from analysis.stats.survival.design import design, event_status, strata_codes, strict_entry
from analysis.stats.survival.ph import ph_check
from analysis.stats.survival.scores import clustered_se

TABLE_COLUMNS = ["term", "covariate", "level", "reference", "coef", "se", "hr", "ci_low", "ci_high", "p"]
CONCORDANCE_CHUNK = 512  # events compared with every row at once when counting concordant pairs


@dataclass
class CoxResult:
    """Fitted Cox model: hazard-ratio table, fit statistics and everything needed to read it honestly."""

    table: pd.DataFrame  # term, covariate, level, reference, coef, se, hr, ci_low, ci_high, p
    n: int
    events: int
    cause: int | None
    strata: list[str]
    ties: str
    covariance: str
    dropped_missing: int
    excluded_unknown_route: int
    converged: bool = True
    ph: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)
    loglik: float = float("nan")  # maximised log partial likelihood
    loglik_null: float = float("nan")  # ... with every coefficient 0 (same strata, risk sets)
    aic: float = float("nan")  # −2 loglik + 2 k (partial AIC, as R's AIC(coxph) and lifelines)
    concordance: float = float("nan")  # Harrell's C within strata: P(higher risk score → earlier event)
    lr_statistic: float = float("nan")  # likelihood-ratio test of all terms = 0: 2 (loglik − loglik_null)
    lr_df: int = 0
    lr_p: float = float("nan")
    entry: str | None = None  # delayed-entry column, if any

    def fit_summary(self) -> pd.DataFrame:
        """One-row table of the fit statistics a reader of a Cox table expects."""
        return pd.DataFrame([{"n": self.n, "events": self.events, "loglik": self.loglik, "aic": self.aic,
                              "concordance": self.concordance, "lr_statistic": self.lr_statistic,
                              "lr_df": self.lr_df, "lr_p": self.lr_p}])


def concordance(time: np.ndarray, status: np.ndarray, risk: np.ndarray, entry: np.ndarray | None = None,
                strata: np.ndarray | None = None) -> float:
    """Harrell's C: among pairs where one has the event while the other is still at risk (same stratum), the share
    where the event has the higher risk score (ties in score count ½). A censored time equal to an event time is
    still at risk; under delayed entry the other must have entered before the event."""
    groups = np.zeros(len(time), int) if strata is None else np.asarray(strata)
    good = ties = pairs = 0.0
    for g in np.unique(groups):
        m = groups == g
        t, s, r = time[m], status[m], risk[m]
        e = entry[m] if entry is not None else None
        events = np.flatnonzero(s > 0)
        for start in range(0, len(events), CONCORDANCE_CHUNK):
            i = events[start:start + CONCORDANCE_CHUNK]
            comp = (t[None, :] > t[i, None]) | ((t[None, :] == t[i, None]) & (s[None, :] == 0))
            if e is not None:
                comp &= e[None, :] < t[i, None]
            pairs += comp.sum()
            good += (comp & (r[i, None] > r[None, :])).sum()
            ties += (comp & (r[i, None] == r[None, :])).sum()
    return float((good + 0.5 * ties) / pairs) if pairs else float("nan")


def _fit_phreg(data: pd.DataFrame, chk_time: np.ndarray, entry: np.ndarray | None, status: np.ndarray,
               covariates: list[str], strata: list[str], reference: dict[str, object] | None,
               cluster: str | None, alpha: float, ties: str) -> dict:
    """Fit statsmodels PHReg; return the hazard-ratio table, fit statistics, covariance type and convergence."""
    X, terms = design(data, covariates, reference, "cox")
    codes = strata_codes(data, strata)
    model = PHReg(chk_time, X.to_numpy(), status=status, entry=strict_entry(chk_time, entry), strata=codes,
                  ties=ties)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        res = model.fit()
    converged = not any(issubclass(w.category, ConvergenceWarning) for w in caught)
    z = norm.ppf(1 - alpha / 2)
    coef = np.asarray(res.params)
    se = clustered_se(res, data[cluster]) if cluster else np.asarray(res.bse)
    table = pd.DataFrame(terms)
    table["coef"], table["se"] = coef, se
    table["hr"] = np.exp(coef)
    table["ci_low"], table["ci_high"] = np.exp(coef - z * se), np.exp(coef + z * se)
    table["p"] = 2 * norm.sf(np.abs(coef / se))
    k = len(coef)
    ll, ll0 = float(res.llf), float(model.loglike(np.zeros(k)))
    lr = 2 * (ll - ll0)
    return {"table": table, "converged": converged,
            "covariance": f"robust (clustered on {cluster})" if cluster else "model-based",
            "loglik": ll, "loglik_null": ll0, "aic": -2 * ll + 2 * k, "lr_statistic": lr, "lr_df": k,
            "lr_p": float(chi2.sf(lr, k)),
            "concordance": concordance(chk_time, status, X.to_numpy() @ coef, entry, codes)}


def cox(
    df: pd.DataFrame,
    duration: str,
    event: str,
    covariates: Sequence[str],
    strata: Sequence[str] | str | None = None,
    cause: int | None = None,
    alpha: float = 0.05,
    reference: dict[str, object] | None = None,
    on_ph_violation: str = "report",
    cluster: str | None = None,
    unknown: str = "exclude",
    ties: str = TIES,
    *,
    entry: str | None = None,
    codes: Codes = None,
    dropna: bool = False,
) -> CoxResult:
    """Cox model (Efron ties by default): all-cause if cause is None, else cause-specific hazard ratios."""
    if on_ph_violation not in PH_VIOLATION_MODES:
        raise ValueError(f"on_ph_violation must be one of {PH_VIOLATION_MODES}")
    if ties not in TIES_METHODS:
        raise ValueError(f"ties must be one of {TIES_METHODS}")
    strata = [strata] if isinstance(strata, str) else list(strata or [])
    covariates = list(covariates)
    chk = check_input(df, duration, event, "cox", entry=entry, covariates=covariates, strata=strata,
                      cluster=cluster, codes=codes, dropna=dropna)
    keep, status, n_unknown = event_status(chk, cause, unknown, "cox")
    data, time = chk.data[keep], chk.time[keep]
    start = chk.entry[keep] if chk.entry is not None else None
    dropped = chk.n_missing
    notes = list(chk.notes)
    if n_unknown:
        notes.append(f"{n_unknown} releases with unknown route excluded (cause-specific model).")
    if not status.any():
        raise fail("cox", event, f"no events{'' if cause is None else f' of cause {cause}'} to fit a model on", 0)
    check = dict(strata=strata, cause=cause, alpha=alpha, reference=reference, unknown=unknown, ties=ties,
                 entry=entry, codes=chk.codes)
    ph = None
    if on_ph_violation != "ignore" and covariates:
        ph = ph_check(chk.data, duration, event, covariates, **check)
        bad = sorted(set(ph.loc[ph["violated"], "covariate"]))
        if bad:
            notes.append(f"Proportional hazards rejected at alpha={alpha} for: {', '.join(bad)}.")
        if bad and on_ph_violation == "stratify":
            continuous = [c for c in bad if ph.loc[ph["covariate"] == c, "level"].isna().all()
                          and data[c].nunique() > 2]
            movable = [c for c in bad if c not in continuous]
            if continuous:
                notes.append(f"Not stratified (continuous): {', '.join(continuous)}; consider a time interaction.")
            if movable:
                covariates = [c for c in covariates if c not in movable]
                strata = strata + movable
                check["strata"] = strata
                notes.append(
                    f"Refitted stratified on {', '.join(movable)}: separate baseline hazards, no hazard ratio "
                    "reported for them; remaining hazard ratios are adjusted within strata."
                )
                if covariates:
                    ph = ph_check(chk.data, duration, event, covariates, **check)
                    still = sorted(set(ph.loc[ph["violated"], "covariate"]))
                    if still:
                        notes.append(f"After stratifying, proportional hazards still rejected at alpha={alpha} "
                                     f"for: {', '.join(still)}.")
    fit: dict = {"table": pd.DataFrame(columns=TABLE_COLUMNS), "converged": True, "covariance": "none"}
    if covariates:
        fit = _fit_phreg(data, time, start, status, covariates, strata, reference, cluster, alpha, ties)
    else:
        notes.append("No covariates left after stratification.")
    if not fit["converged"]:
        notes.append("Cox fit did not converge (separation or too few events in a level?): do not use the HRs.")
    return CoxResult(
        n=len(data), events=int(status.sum()), cause=cause, strata=strata, ties=ties, dropped_missing=dropped,
        excluded_unknown_route=n_unknown, ph=ph, notes=notes, entry=entry, **fit,
    )
