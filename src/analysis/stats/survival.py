"""Time held from detention to release: Kaplan–Meier, Cox, Aalen–Johansen cumulative incidence.

Methods, assumptions and rules are written down in docs/SURVIVAL.md. Durations are in months
(days / DAYS_PER_MONTH). Event codes: 0 censored (still held at `as_of`), 1 early release
(pardon, exile, other release before the term ended), 2 sentence served, 3 died, 4 released by an
unknown route (an event in all-cause analyses; excluded from competing-risks analyses by default).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Iterable, Sequence

import numpy as np
import pandas as pd
from scipy.stats import norm
from statsmodels.duration.hazard_regression import PHReg
from statsmodels.duration.survfunc import SurvfuncRight
from statsmodels.tools.sm_exceptions import ConvergenceWarning

# ── constants ──────────────────────────────────────────────────────────────────────────────────
DAYS_PER_MONTH = 30.4375  # mean Gregorian month (365.25 / 12)
MID_MONTH_DAY = 15  # month-precision dates are placed on the 15th

CENSORED, EARLY_RELEASE, SENTENCE_SERVED, DIED, UNKNOWN_ROUTE = 0, 1, 2, 3, 4
EVENT_LABELS = {
    CENSORED: "still_held",
    EARLY_RELEASE: "early_release",
    SENTENCE_SERVED: "sentence_served",
    DIED: "died",
    UNKNOWN_ROUTE: "released_unknown_route",
}
EXIT_TYPE_TO_EVENT = {
    "still_held": CENSORED,
    "early_release": EARLY_RELEASE,
    "sentence_served": SENTENCE_SERVED,
    "died": DIED,
    "unknown": UNKNOWN_ROUTE,
}
COMPETING_CAUSES = (EARLY_RELEASE, SENTENCE_SERVED, DIED)

# Penalties with no finite term: a release is necessarily before the term ended (early release).
UNTERMED_PENALTIES = ("life", "death")
INCLUDED_STATUSES = ("current", "former")
REQUIRED_COLUMNS = ("status", "exit_type", "detention_date", "detention_precision", "release_date",
                    "release_precision")

# Cohort bands: (first detention year of the band, label). Years before the first band get
# BEFORE_FIRST_COHORT.format(year=first year).
DEFAULT_COHORTS: tuple[tuple[int, str], ...] = (
    (2020, "2020–2021 protests"),
    (2022, "2022–2023"),
    (2024, "2024+"),
)
BEFORE_FIRST_COHORT = "before {year}"
MISSING_LEVEL = "unknown"  # label for missing gender / article family in prepare's output
OLDER_AGE = 50  # age at detention (detention year − birth year) from which a person counts as "50+"

# Exclusion reasons, in the order they are checked (a record is counted under the first that applies).
R_STATUS = "status not in analysis set (not_recognised or missing)"
R_NO_DETENTION = "detention date missing"
R_DETENTION_YEAR = "detention date known to the year only (±6 months)"
R_BEFORE_MIN = "detained before min_date"
R_AFTER_AS_OF = "detained after as_of"
R_BAD_EXIT = "exit_type missing or not recognised"
R_NO_RELEASE = "released or died but no release date"
R_RELEASE_YEAR = "release date known to the year only (±6 months)"
R_NONPOSITIVE = "zero or negative duration (release on or before detention)"
EXCLUSION_REASONS = (
    R_STATUS, R_NO_DETENTION, R_DETENTION_YEAR, R_BEFORE_MIN, R_AFTER_AS_OF,
    R_BAD_EXIT, R_NO_RELEASE, R_RELEASE_YEAR, R_NONPOSITIVE,
)

ALL_GROUP = "all"  # group label when no grouping column is given
CI_METHOD_KM = "log-log (exponential Greenwood)"
CI_METHOD_MEDIAN = "cloglog (Brookmeyer–Crowley inversion, statsmodels quantile_ci)"
CI_METHOD_CIF = "log(-log) delta method on a Greenwood-type variance (Collett; as lifelines)"
PH_TIME_TRANSFORM = "rank"
PH_VIOLATION_MODES = ("ignore", "report", "stratify")
UNKNOWN_MODES = ("exclude", "competing")
TIES = "efron"  # default tie method (lifelines uses Efron too); "breslow" allowed


# ── preparation ────────────────────────────────────────────────────────────────────────────────
def _effective_date(dates: pd.Series, precision: pd.Series) -> pd.Series:
    """Day dates as-is, month-precision dates moved to the 15th, year-precision dates kept (flagged elsewhere)."""
    dates = pd.to_datetime(dates, errors="coerce")
    month = precision.astype("string").eq("month").fillna(False).to_numpy()
    out = dates.copy()
    out[month] = dates[month].dt.to_period("M").dt.to_timestamp() + pd.Timedelta(days=MID_MONTH_DAY - 1)
    return out


def _age_group(age: pd.Series) -> pd.Series:
    """'50+' / 'under 50' by approximate age at detention; MISSING_LEVEL when the birth year is unknown."""
    group = pd.Series(MISSING_LEVEL, index=age.index, dtype="string")
    group = group.mask(age.lt(OLDER_AGE).fillna(False), f"under {OLDER_AGE}")
    return group.mask(age.ge(OLDER_AGE).fillna(False), f"{OLDER_AGE}+")


def _cohort(years: pd.Series, cohorts: Sequence[tuple[int, str]]) -> pd.Series:
    """Detention year → ordered categorical cohort band."""
    starts = [int(s) for s, _ in cohorts]
    if starts != sorted(starts) or len(set(starts)) != len(starts):
        raise ValueError("cohort start years must be strictly increasing")
    labels = [BEFORE_FIRST_COHORT.format(year=starts[0])] + [lab for _, lab in cohorts]
    idx = np.searchsorted(np.asarray(starts), years.to_numpy(dtype=float), side="right")
    cat = pd.Categorical.from_codes(idx, categories=labels, ordered=True)
    return pd.Series(cat, index=years.index).cat.remove_unused_categories()


def prepare(
    people: pd.DataFrame,
    as_of: str | pd.Timestamp,
    min_date: str | pd.Timestamp | None = None,
    cohorts: Sequence[tuple[int, str]] = DEFAULT_COHORTS,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """People table → (one row per usable detention episode with duration/event, exclusion reason counts)."""
    missing = [c for c in REQUIRED_COLUMNS if c not in people.columns]
    if missing:
        raise ValueError(f"people table lacks column(s): {', '.join(missing)}")
    as_of = pd.Timestamp(as_of)
    min_ts = pd.Timestamp(min_date) if min_date is not None else None
    p = people.reset_index(drop=True)
    n = len(p)

    def col(name: str) -> pd.Series:
        return p[name] if name in p.columns else pd.Series(pd.NA, index=p.index, dtype="object")

    det = _effective_date(col("detention_date"), col("detention_precision"))
    rel = _effective_date(col("release_date"), col("release_precision"))
    det_prec = col("detention_precision").astype("string")
    rel_prec = col("release_precision").astype("string")
    exit_type = col("exit_type").astype("string")
    status = col("status").astype("string")

    event = exit_type.map(EXIT_TYPE_TO_EVENT)
    # Early release with no finite term cannot be told apart from a served sentence → unknown route.
    if "sentence_months" in p.columns:
        sentence = pd.to_numeric(p["sentence_months"], errors="coerce")
        penalty = col("penalty_type").astype("string")
        untermed = sentence.isna() & ~penalty.isin(UNTERMED_PENALTIES).fillna(False)
        event = event.where(~(event.eq(EARLY_RELEASE) & untermed), UNKNOWN_ROUTE)

    released = event.isin([EARLY_RELEASE, SENTENCE_SERVED, DIED, UNKNOWN_ROUTE]).fillna(False)
    # Released after as_of → still held on as_of (administrative censoring).
    released_by_as_of = released & (rel.isna() | (rel <= as_of))
    end = pd.Series(as_of, index=p.index).where(~released_by_as_of, rel)
    event = event.where(~(released & ~released_by_as_of), CENSORED)
    duration = (end - det).dt.days / DAYS_PER_MONTH

    checks = [
        (R_STATUS, ~status.isin(INCLUDED_STATUSES).fillna(False)),
        (R_NO_DETENTION, det.isna()),
        (R_DETENTION_YEAR, det_prec.eq("year").fillna(False)),
        (R_BEFORE_MIN, (det < min_ts) if min_ts is not None else pd.Series(False, index=p.index)),
        (R_AFTER_AS_OF, det > as_of),
        (R_BAD_EXIT, event.isna()),
        (R_NO_RELEASE, released_by_as_of & rel.isna()),
        (R_RELEASE_YEAR, released_by_as_of & rel_prec.eq("year").fillna(False)),
        (R_NONPOSITIVE, ~(duration > 0)),
    ]
    reason = pd.Series(pd.NA, index=p.index, dtype="object")
    for label, mask in checks:
        mask = pd.Series(mask, index=p.index).fillna(False).astype(bool)
        reason = reason.where(reason.notna() | ~mask, label)
    keep = reason.isna()

    counts = reason[~keep].value_counts()
    exclusions = pd.DataFrame(
        {"reason": list(EXCLUSION_REASONS), "n": [int(counts.get(r, 0)) for r in EXCLUSION_REASONS]}
    )
    exclusions = pd.concat(
        [exclusions, pd.DataFrame({"reason": ["total excluded", "total input", "total kept"],
                                   "n": [int((~keep).sum()), n, int(keep.sum())]})],
        ignore_index=True,
    )

    out = pd.DataFrame(
        {
            "record_id": col("record_id"),
            "person_id": col("person_id"),
            "start": det,
            "end": end,
            "duration": duration,
            "event": event.astype("Int64"),
            "cohort": _cohort(det.dt.year, cohorts),
            "gender": col("gender").astype("string").fillna(MISSING_LEVEL),
            "article_family": col("article_family").astype("string").fillna(MISSING_LEVEL),
            "age_group": _age_group(det.dt.year - pd.to_numeric(col("birth_year"), errors="coerce")),
        }
    )[keep.to_numpy()]
    out["event"] = out["event"].astype(int)
    out["event_label"] = out["event"].map(EVENT_LABELS)
    out["cohort"] = out["cohort"].cat.remove_unused_categories()
    return out.sort_values(["start", "record_id"], kind="mergesort").reset_index(drop=True), exclusions


# ── Kaplan–Meier ───────────────────────────────────────────────────────────────────────────────
def _groups(df: pd.DataFrame, group: str | None) -> Iterable[tuple[object, pd.DataFrame]]:
    """Yield (label, sub-frame) per group level in sorted/categorical order; one ALL_GROUP when no group."""
    if group is None:
        yield ALL_GROUP, df
        return
    for level, sub in df.groupby(group, observed=True, sort=True):
        yield level, sub


def _km_fit(sub: pd.DataFrame, duration: str, event: str) -> SurvfuncRight:
    """statsmodels Kaplan–Meier with any non-zero event code counting as the event."""
    return SurvfuncRight(sub[duration].to_numpy(float), (sub[event].to_numpy() != CENSORED).astype(float))


def kaplan_meier(
    df: pd.DataFrame, duration: str, event: str, group: str | None = None, alpha: float = 0.05
) -> pd.DataFrame:
    """All-cause Kaplan–Meier curve per group with pointwise log-log CIs, starting with a time-0 row."""
    z = norm.ppf(1 - alpha / 2)
    frames = []
    for level, sub in _groups(df, group):
        sf = _km_fit(sub, duration, event)
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
        frames.append(
            pd.DataFrame(
                {
                    "group": level,
                    "time": np.r_[0.0, sf.surv_times],
                    "survival": np.r_[1.0, s],
                    "ci_low": np.r_[1.0, lo],
                    "ci_high": np.r_[1.0, hi],
                    "at_risk": np.r_[len(sub), sf.n_risk].astype(int),
                    "events": np.r_[0, sf.n_events].astype(int),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def risk_table(df: pd.DataFrame, duration: str, group: str | None, times: Sequence[float]) -> pd.DataFrame:
    """Numbers at risk (duration ≥ t: still held and observed just before t) per group at the given times."""
    rows = []
    for level, sub in _groups(df, group):
        d = np.sort(sub[duration].to_numpy(float))
        for t in times:
            rows.append({"group": level, "time": float(t), "at_risk": int(len(d) - np.searchsorted(d, t, side="left"))})
    return pd.DataFrame(rows)


def median_survival(
    df: pd.DataFrame, duration: str, event: str, group: str | None = None, alpha: float = 0.05
) -> pd.DataFrame:
    """All-cause median time held per group (first time S(t) < 0.5, SAS/statsmodels rule) with its CI."""
    rows = []
    for level, sub in _groups(df, group):
        sf = _km_fit(sub, duration, event)
        with np.errstate(divide="ignore", invalid="ignore"):  # log(0) at S = 0 is excluded by the inversion
            lo, hi = sf.quantile_ci(0.5, alpha=alpha, method="cloglog") if len(sf.surv_times) else (np.nan, np.nan)
        rows.append(
            {
                "group": level,
                "n": len(sub),
                "events": int((sub[event] != CENSORED).sum()),
                "median": float(sf.quantile(0.5)) if len(sf.surv_times) else np.nan,
                "ci_low": float(lo),
                "ci_high": float(hi),
            }
        )
    return pd.DataFrame(rows)


# ── Cox proportional hazards ───────────────────────────────────────────────────────────────────
@dataclass
class CoxResult:
    """Fitted Cox model: hazard-ratio table plus everything needed to read it honestly."""

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


def _event_indicator(
    df: pd.DataFrame, event: str, cause: int | None, unknown: str = "exclude"
) -> tuple[pd.DataFrame, np.ndarray, int]:
    """(rows kept, 0/1 event indicator, n unknown-route rows excluded) for all-cause or cause-specific analysis."""
    if unknown not in UNKNOWN_MODES:
        raise ValueError(f"unknown must be one of {UNKNOWN_MODES}")
    codes = df[event].to_numpy()
    if cause is None:
        return df, (codes != CENSORED).astype(int), 0
    drop = (codes == UNKNOWN_ROUTE) if unknown == "exclude" else np.zeros(len(df), bool)
    kept = df[~drop]
    return kept, (kept[event].to_numpy() == cause).astype(int), int(drop.sum())


def _reference_level(x: pd.Series) -> object:
    """Reference level: first category of a Categorical, else the most frequent level (ties: sorted first)."""
    if isinstance(x.dtype, pd.CategoricalDtype):
        present = [c for c in x.cat.categories if (x == c).any()]
        return present[0]
    counts = x.value_counts()
    top = counts[counts == counts.max()].index
    return sorted(top, key=str)[0]


def _design(
    df: pd.DataFrame, covariates: list[str], reference: dict[str, object] | None
) -> tuple[pd.DataFrame, list[dict]]:
    """Dummy-code categorical covariates (documented reference level); numeric/bool covariates enter as-is."""
    cols, terms = {}, []
    for c in covariates:
        x = df[c]
        if pd.api.types.is_bool_dtype(x) or (
            pd.api.types.is_numeric_dtype(x) and not isinstance(x.dtype, pd.CategoricalDtype)
        ):
            cols[c] = x.astype(float).to_numpy()
            terms.append({"term": c, "covariate": c, "level": None, "reference": None})
            continue
        ref = (reference or {}).get(c, _reference_level(x))
        levels = list(x.cat.categories) if isinstance(x.dtype, pd.CategoricalDtype) else sorted(x.unique(), key=str)
        for lev in levels:
            if lev == ref or not (x == lev).any():
                continue
            term = f"{c}[{lev}]"
            cols[term] = (x == lev).astype(float).to_numpy()
            terms.append({"term": term, "covariate": c, "level": lev, "reference": ref})
    return pd.DataFrame(cols, index=df.index), terms


def _strata_codes(df: pd.DataFrame, strata: list[str]) -> np.ndarray | None:
    """One integer code per combination of the strata columns (None when unstratified)."""
    if not strata:
        return None
    return df[strata].astype(str).agg("|".join, axis=1).factorize(sort=True)[0]


def clustered_se(res, clusters: pd.Series) -> np.ndarray:
    """Cluster-robust (sandwich) standard errors of a PHReg fit: I⁻¹ (Σ_g s_g s_gᵀ) I⁻¹ over cluster score sums.

    statsmodels' own `fit(groups=...)` returns NaN when anyone is censored before the first event time (their
    score residual is NaN there); such a person is never at risk at an event time, so their score residual is 0.
    """
    scores = np.nan_to_num(np.asarray(res.score_residuals, dtype=float), nan=0.0)
    codes = pd.factorize(clusters)[0]
    sums = np.zeros((codes.max() + 1, scores.shape[1]))
    np.add.at(sums, codes, scores)
    bread = np.asarray(res.cov_params())
    return np.sqrt(np.diag(bread @ (sums.T @ sums) @ bread))


def _fit_phreg(
    df: pd.DataFrame, duration: str, status: np.ndarray, covariates: list[str], strata: list[str],
    reference: dict[str, object] | None, cluster: str | None, alpha: float, ties: str = TIES,
) -> tuple[pd.DataFrame, str, bool]:
    """Fit statsmodels PHReg; return the hazard-ratio table, covariance type and whether it converged."""
    X, terms = _design(df, covariates, reference)
    model = PHReg(df[duration].to_numpy(float), X.to_numpy(), status=status, strata=_strata_codes(df, strata), ties=ties)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        res = model.fit()
    converged = not any(issubclass(w.category, ConvergenceWarning) for w in caught)
    z = norm.ppf(1 - alpha / 2)
    coef = np.asarray(res.params)
    se = clustered_se(res, df[cluster]) if cluster else np.asarray(res.bse)
    table = pd.DataFrame(terms)
    table["coef"], table["se"] = coef, se
    table["hr"] = np.exp(coef)
    table["ci_low"], table["ci_high"] = np.exp(coef - z * se), np.exp(coef + z * se)
    table["p"] = 2 * norm.sf(np.abs(coef / se))
    return table, ("robust (clustered on %s)" % cluster) if cluster else "model-based", converged


def _complete_cases(df: pd.DataFrame, cols: list[str]) -> tuple[pd.DataFrame, int]:
    """Drop rows with a missing value in any of cols; return the rest and how many were dropped."""
    ok = df[cols].notna().all(axis=1)
    return df[ok], int((~ok).sum())


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
) -> pd.DataFrame:
    """Grambsch–Therneau scaled-Schoenfeld test per term (lifelines, rank time) and per covariate (Bonferroni over its terms)."""
    from lifelines import CoxPHFitter
    from lifelines.statistics import proportional_hazard_test

    strata = list(strata or [])
    data, _ = _complete_cases(df, [duration, event, *covariates, *strata])
    data, status, _ = _event_indicator(data, event, cause, unknown)
    X, terms = _design(data, covariates, reference)
    names = [f"x{i}" for i in range(X.shape[1])]  # lifelines-safe column names
    fit_df = pd.DataFrame(X.to_numpy(), columns=names)
    fit_df["_T"], fit_df["_E"] = data[duration].to_numpy(float), status
    if strata:
        fit_df["_S"] = _strata_codes(data, strata)
    cph = CoxPHFitter().fit(fit_df, "_T", "_E", strata=["_S"] if strata else None)
    test = proportional_hazard_test(cph, fit_df, time_transform=PH_TIME_TRANSFORM).summary
    out = pd.DataFrame(terms)
    out["statistic"] = test.loc[names, "test_statistic"].to_numpy()
    out["p"] = test.loc[names, "p"].to_numpy()
    k = out.groupby("covariate")["p"].transform("size")
    out["p_covariate"] = (out.groupby("covariate")["p"].transform("min") * k).clip(upper=1.0)
    out["violated"] = out["p_covariate"] < alpha
    return out


def cox(
    df: pd.DataFrame,
    duration: str,
    event: str,
    covariates: list[str],
    strata: list[str] | str | None = None,
    cause: int | None = None,
    alpha: float = 0.05,
    reference: dict[str, object] | None = None,
    on_ph_violation: str = "report",
    cluster: str | None = None,
    unknown: str = "exclude",
    ties: str = TIES,
) -> CoxResult:
    """Cox model (statsmodels PHReg, Efron ties by default): all-cause if cause is None, else cause-specific hazard ratios."""
    if on_ph_violation not in PH_VIOLATION_MODES:
        raise ValueError(f"on_ph_violation must be one of {PH_VIOLATION_MODES}")
    strata = [strata] if isinstance(strata, str) else list(strata or [])
    covariates = list(covariates)
    data, dropped = _complete_cases(df, [duration, event, *covariates, *strata, *([cluster] if cluster else [])])
    data, status, n_unknown = _event_indicator(data, event, cause, unknown)
    notes: list[str] = []
    if n_unknown:
        notes.append(f"{n_unknown} releases with unknown route excluded (cause-specific model).")
    if dropped:
        notes.append(f"{dropped} rows with a missing covariate/stratum dropped (complete-case).")
    ph = None
    if on_ph_violation != "ignore" and covariates:
        ph = ph_check(data, duration, event, covariates, strata, cause=cause, alpha=alpha, reference=reference,
                      unknown=unknown)
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
                notes.append(
                    f"Refitted stratified on {', '.join(movable)}: separate baseline hazards, no hazard ratio "
                    "reported for them; remaining hazard ratios are adjusted within strata."
                )
                if covariates:
                    ph = ph_check(data, duration, event, covariates, strata, cause=cause, alpha=alpha,
                                  reference=reference, unknown=unknown)
    if covariates:
        table, cov_type, converged = _fit_phreg(data, duration, status, covariates, strata, reference, cluster, alpha,
                                     ties)
    else:
        table = pd.DataFrame(columns=["term", "covariate", "level", "reference", "coef", "se", "hr", "ci_low",
                                      "ci_high", "p"])
        cov_type, converged = "none", True
        notes.append("No covariates left after stratification.")
    if not converged:
        notes.append("Cox fit did not converge (separation or too few events in a level?): do not use the HRs.")
    return CoxResult(
        table=table, n=len(data), events=int(status.sum()), cause=cause, strata=strata, ties=ties,
        covariance=cov_type, dropped_missing=dropped, excluded_unknown_route=n_unknown, converged=converged, ph=ph,
        notes=notes,
    )


# ── Aalen–Johansen cumulative incidence ───────────────────────────────────────────────────────
def _aalen_johansen(time: np.ndarray, code: np.ndarray, cause: int, z: float) -> pd.DataFrame:
    """Tie-exact Aalen–Johansen CIF for one cause with Collett's Greenwood-type variance and log(-log) CI."""
    ut, inv = np.unique(time, return_inverse=True)
    m = len(ut)
    removed = np.bincount(inv, minlength=m)
    d_all = np.bincount(inv, weights=(code != CENSORED).astype(float), minlength=m)
    d_k = np.bincount(inv, weights=(code == cause).astype(float), minlength=m)
    at_risk = len(time) - np.r_[0, np.cumsum(removed)[:-1]]
    keep = d_all > 0
    ut, d_all, d_k, n = ut[keep], d_all[keep], d_k[keep], at_risk[keep].astype(float)
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
    with np.errstate(divide="ignore", invalid="ignore"):
        g = np.log(-np.log(F))
        se_g = np.sqrt(var) / (F * np.abs(np.log(F)))
        lo = np.exp(-np.exp(g + z * se_g))
        hi = np.exp(-np.exp(g - z * se_g))
    zero = F <= 0
    lo[zero], hi[zero] = 0.0, 0.0
    return pd.DataFrame(
        {
            "time": np.r_[0.0, ut],
            "cif": np.r_[0.0, F],
            "se": np.r_[0.0, np.sqrt(var)],
            "ci_low": np.r_[0.0, lo],
            "ci_high": np.r_[0.0, hi],
            "at_risk": np.r_[len(time), n].astype(int),
            "events_cause": np.r_[0, d_k].astype(int),
            "events_competing": np.r_[0, d_all - d_k].astype(int),
        }
    )


def cumulative_incidence(
    df: pd.DataFrame,
    duration: str,
    event_code_col: str,
    cause: int,
    group: str | None = None,
    alpha: float = 0.05,
    unknown: str = "exclude",
) -> pd.DataFrame:
    """Aalen–Johansen cumulative incidence of one exit route, other routes competing; unknown-route rows excluded by default."""
    z = norm.ppf(1 - alpha / 2)
    frames = []
    for level, sub in _groups(df, group):
        kept, _, n_unknown = _event_indicator(sub, event_code_col, cause, unknown)
        out = _aalen_johansen(kept[duration].to_numpy(float), kept[event_code_col].to_numpy(), cause, z)
        out.insert(0, "cause", cause)
        out.insert(0, "group", level)
        out["excluded_unknown_route"] = n_unknown
        frames.append(out)
    return pd.concat(frames, ignore_index=True)


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
    return pd.DataFrame(
        {"x": x, "duration": np.where(observed, t_event, t_cens), "event": np.where(observed, cause, CENSORED),
         "true_event_time": t_event, "true_cause": cause}
    )


def cif_exponential(t: np.ndarray | float, hazards: dict[int, float], cause: int) -> np.ndarray:
    """Closed-form CIF for constant cause-specific hazards: λ_k/λ · (1 − e^{−λ t})."""
    lam = sum(hazards.values())
    return hazards[cause] / lam * (1.0 - np.exp(-lam * np.asarray(t, dtype=float)))
