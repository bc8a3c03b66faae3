"""Sentence length: quantile regression, grouped summaries, Article 411 records, simulation with known truth.

Conventions (see docs/ARCHITECTURE.md): pure functions on DataFrames, constants once at the top, every random
step takes an explicit ``seed`` and uses ``numpy.random.default_rng``. Rows that cannot be used are dropped
*and counted* (``result.attrs``); nothing is dropped silently.

Why quantile regression: sentence lengths are skewed, bunched at round terms and heteroskedastic (groups
differ more at the top than at the median), so the median and upper quantiles say more than a mean.

Article 411 ("malicious disobedience to the administration of a correctional institution") is used to add
time to political prisoners' terms. The person-level export (docs/PEOPLE_SCHEMA.md) has one row per
*record*; it does **not** link a 411 conviction to the sentence it extends, and a 411 record's
``sentence_months`` may be the added term or a cumulative total — the export does not say which. An
extension can therefore only be *inferred* where the same ``person_id`` has an earlier record and a later
record containing 411 (:func:`extensions_from_records`). People whose 411 conviction was entered in their
original record, or not entered at all, are invisible to that inference, so counts of inferred extensions
are lower bounds.
"""

from __future__ import annotations

import math
import re
import warnings
import zlib
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf
from scipy import stats
from scipy.optimize import linprog
from statsmodels.regression.quantile_regression import QuantReg

from analysis import disclosure
from analysis.errors import UsageError

SENTENCE = "sentence_months"
QUANTILES = (0.5, 0.75, 0.9)
ALPHA = 0.05
SMALL_CELL = disclosure.MIN_CELL  # groups of fewer people get no statistics (values NA, suppressed=True)
N_BOOT = 2000  # bootstrap replicates for the median CI in sentence_summary
ART_411 = r"(?:^|;)411(?:$|;)"  # = (^|;)411($|;), exact code in the ';'-joined codes: not 4110, 1411, 411-1
DAYS_PER_MONTH = 365.25 / 12

QR_COLUMNS = ["quantile", "term", "estimate", "ci_low", "ci_high", "p_value", "n"]


# --------------------------------------------------------------------------------------------------
# quantile regression
# --------------------------------------------------------------------------------------------------
def _is_categorical(s: pd.Series) -> bool:
    return not pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s)


def _py(value):
    """numpy scalar -> Python scalar, so repr() is a valid literal inside the formula."""
    return value.item() if isinstance(value, np.generic) else value


def _quote(name: str) -> str:
    return name if name.isidentifier() else f"Q({name!r})"


def _build_formula(data: pd.DataFrame, y: str, terms: Sequence[str], reference: Mapping[str, object]):
    """Formula with categorical terms as C(x, Treatment(ref)); returns formula, name map, references."""
    parts, names, refs = [], {"Intercept": "Intercept"}, {}
    for t in terms:
        if t in reference or _is_categorical(data[t]):
            counts = data[t].value_counts()
            if t in reference:
                ref = reference[t]
                if ref not in set(counts.index):
                    raise UsageError(f"reference level {ref!r} of {t!r} does not occur in the data used")
            else:  # default reference: the most frequent level (ties: first in sorted order)
                top = counts[counts == counts.max()].index
                ref = sorted(top, key=str)[0]
            ref = _py(ref)
            refs[t] = ref
            expr = f"C({_quote(t)}, Treatment({ref!r}))"
            parts.append(expr)
            for level in counts.index:
                if level != ref:
                    names[f"{expr}[T.{_py(level)}]"] = f"{t}[T.{_py(level)}]"
        else:
            expr = _quote(t)
            parts.append(expr)
            names[expr] = t
    rhs = " + ".join(parts) if parts else "1"
    return f"{_quote(y)} ~ {rhs}", names, refs


def _drop_incomplete(df: pd.DataFrame, cols: Sequence[str]) -> tuple[pd.DataFrame, int]:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise UsageError(f"columns not in the table: {missing}")
    keep = df[list(cols)].notna().all(axis=1)
    return df.loc[keep, list(cols)].reset_index(drop=True), int((~keep).sum())


def _fit(endog, exog, q: float, record: list[str]):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = QuantReg(endog, exog).fit(q=q)
    record.extend(f"q={q}: {w.category.__name__}: {w.message}" for w in caught)
    return res


def quantile_regression(
    df: pd.DataFrame,
    y: str = SENTENCE,
    terms: Sequence[str] = (),
    quantiles: Sequence[float] = QUANTILES,
    alpha: float = ALPHA,
    reference: Mapping[str, object] | None = None,
    bootstrap: int | None = None,
    seed: int | None = None,
) -> pd.DataFrame:
    """Linear quantile regression of ``y`` on ``terms`` at each quantile (statsmodels QuantReg, formula API).

    Categorical terms (non-numeric or bool columns, or any column named in ``reference``) enter as
    ``C(x, Treatment(ref))``; the default reference level is the most frequent one. Numeric terms enter
    linearly. Rows with NA in ``y`` or any term are dropped; their number is in ``attrs["n_dropped"]``.

    Standard errors are statsmodels' defaults (``vcov="robust"``, Epanechnikov kernel, Hall–Sheather
    bandwidth); CIs and p-values use the t distribution with the residual degrees of freedom, exactly as
    ``QuantRegResults.conf_int`` / ``.pvalues``.

    Caution (checked by simulation, tests/test_sentencing.py): statsmodels' "robust" covariance uses ONE
    residual density at zero for all rows, so it is not robust to heteroskedasticity between groups. With
    multiplicative effects on the month scale (the realistic case: a group with 3x the typical term also
    has ~3x the spread), the kernel CI of that group's coefficient covered the truth in only ~70-80% of
    replicates at nominal 95%. For month-scale inference use ``bootstrap=`` (paired bootstrap is valid
    under heteroskedasticity), or model log months, where such effects are additive and homoskedastic.

    With ``bootstrap=B`` (and a ``seed``, required) the CI is a percentile CI from a paired bootstrap: rows
    are resampled with replacement, the same design matrix is refitted exactly as a linear programme (point
    estimates too; see ``_bootstrap_ci``), and ``p_value`` becomes the normal
    approximation ``2·Φ(-|estimate| / sd_boot)``. A replicate in which a dummy column is all zero (level absent
    from the resample) gives no value for that coefficient; ``n_boot`` says how many replicates were usable.

    Returns one row per (quantile, term): quantile, term, estimate, ci_low, ci_high, p_value, n, plus
    ``param`` (the statsmodels parameter name), ``reference`` (reference level, categorical terms only)
    and ``ci_method``. ``attrs``: n_dropped, n_used, formula, references, warnings (IRLS convergence
    messages, never hidden).
    """
    terms = list(terms)
    reference = dict(reference or {})
    unknown = set(reference) - set(terms)
    if unknown:
        raise UsageError(f"reference given for columns that are not terms: {sorted(unknown)}")
    if not all(0 < q < 1 for q in quantiles):
        raise UsageError(f"quantiles must lie strictly between 0 and 1: {list(quantiles)}")
    if bootstrap is not None and (seed is None or int(bootstrap) < 2):
        raise UsageError("bootstrap needs B >= 2 replicates and an explicit seed")
    data, n_dropped = _drop_incomplete(df, [y, *terms])
    if len(data) == 0:
        raise UsageError("no complete rows to fit")
    formula, names, refs = _build_formula(data, y, terms, reference)
    model = smf.quantreg(formula, data)
    param_names = list(model.exog_names)
    log: list[str] = []
    rows = []
    for q in quantiles:
        res = _fit(model.endog, model.exog, q, log)
        params = np.asarray(res.params)
        ci = np.asarray(res.conf_int(alpha))
        pv = np.asarray(res.pvalues)
        for j, p in enumerate(param_names):
            rows.append(dict(quantile=float(q), param=p, estimate=params[j], ci_low=ci[j, 0],
                             ci_high=ci[j, 1], p_value=pv[j]))
    out = pd.DataFrame(rows)
    out["ci_method"] = "kernel"
    if bootstrap is not None:
        out = _bootstrap_ci(model, param_names, quantiles, alpha, int(bootstrap), seed, out, log)
    out["term"] = out["param"].map(names).fillna(out["param"])
    var = out["term"].str.replace(r"\[T\..*\]$", "", regex=True)
    out["reference"] = var.map({k: str(v) for k, v in refs.items()})
    out["n"] = len(data)
    cols = QR_COLUMNS + ["param", "reference", "ci_method"] + (["n_boot"] if "n_boot" in out else [])
    out = out[cols].reset_index(drop=True)
    out.attrs.update(n_dropped=n_dropped, n_used=len(data), formula=formula, references=refs,
                     warnings=sorted(set(log)))
    return out


def _lp_fit(x: np.ndarray, y: np.ndarray, w: np.ndarray, q: float) -> np.ndarray | None:
    """argmin_b Σ w_i ρ_q(y_i − x_i b) via Koenker's dual: max y'a s.t. X'a = (1−q)X'w, 0 ≤ a ≤ w;
    b = the equality constraints' multipliers (sign flipped because linprog minimises −y'a)."""
    res = linprog(-y, A_eq=x.T, b_eq=(1 - q) * (x.T @ w), bounds=np.column_stack([np.zeros_like(w), w]),
                  method="highs")
    if res.status != 0:
        return None
    return -np.asarray(res.eqlin.marginals, dtype=float)


def _bootstrap_ci(model, param_names, quantiles, alpha, B, seed, out, log):
    """Paired bootstrap with exact LP fits on the distinct (x, y) rows weighted by their counts.

    IRLS (statsmodels QuantReg) needs hundreds of iterations per fit on sentences in whole months and ~5% of
    fits stop unconverged; the LP gives the exact minimiser of the check loss in ~20 ms. Where the minimiser is
    not unique (tied data) the LP returns a vertex of the optimal set, IRLS some point inside it: same loss.
    The point estimates of a bootstrap run are the LP solutions too, so estimates and intervals agree.
    """
    X, Y = np.asarray(model.exog, dtype=float), np.asarray(model.endog, dtype=float)
    n, k = X.shape
    uniq, inverse = np.unique(np.column_stack([X, Y]), axis=0, return_inverse=True)
    inverse = inverse.ravel()
    ux, uy = uniq[:, :k], uniq[:, k]
    dummy = np.array([("[T." in p) for p in param_names])
    rng = np.random.default_rng(seed)
    draws = {q: np.full((B, k), np.nan) for q in quantiles}
    failed = 0
    for b in range(B):
        w = np.bincount(inverse[rng.integers(0, n, n)], minlength=len(uy)).astype(float)
        rows = w > 0
        xb = ux[rows]
        cols = ~(dummy & ~(xb != 0).any(axis=0))  # a level absent from the resample gives no value, not 0
        for q in quantiles:
            est = _lp_fit(xb[:, cols], uy[rows], w[rows], q)
            if est is None:
                failed += 1
                continue
            draws[q][b, cols] = est
    if failed:
        log.append(f"bootstrap: {failed} LP fits failed over {B} replicates x {len(quantiles)} quantiles")
    full_w = np.bincount(inverse, minlength=len(uy)).astype(float)
    lo, hi = 100 * alpha / 2, 100 * (1 - alpha / 2)
    out = out.copy()
    out["n_boot"] = 0
    for q in quantiles:
        point = _lp_fit(ux, uy, full_w, q)
        if point is None:
            raise UsageError(f"the quantile-regression LP failed at q={q}")
        for j, p in enumerate(param_names):
            m = (out["quantile"] == float(q)) & (out["param"] == p)
            col = draws[q][:, j][~np.isnan(draws[q][:, j])]
            out.loc[m, "estimate"] = point[j]
            out.loc[m, "n_boot"] = len(col)
            if len(col) < 2:
                out.loc[m, ["ci_low", "ci_high", "p_value"]] = np.nan
                continue
            sd = col.std(ddof=1)
            out.loc[m, "ci_low"] = np.percentile(col, lo)
            out.loc[m, "ci_high"] = np.percentile(col, hi)
            out.loc[m, "p_value"] = 2 * stats.norm.sf(abs(point[j]) / sd) if sd > 0 else np.nan
    out["ci_method"] = f"paired bootstrap percentile, exact LP fits (B={B}, seed={seed})"
    return out


# --------------------------------------------------------------------------------------------------
# grouped summaries
# --------------------------------------------------------------------------------------------------
def _key_seed(seed: int, key) -> np.random.Generator:
    """A generator per group that depends only on (seed, group key), not on which other groups exist."""
    return np.random.default_rng([seed, zlib.crc32(repr(key).encode("utf-8"))])


def _boot_median_ci(values: np.ndarray, n_boot: int, alpha: float, rng) -> tuple[float, float]:
    meds = np.empty(n_boot)
    chunk = max(1, 2_000_000 // max(len(values), 1))
    for start in range(0, n_boot, chunk):
        stop = min(start + chunk, n_boot)
        idx = rng.integers(0, len(values), (stop - start, len(values)))
        meds[start:stop] = np.median(values[idx], axis=1)
    return float(np.percentile(meds, 100 * alpha / 2)), float(np.percentile(meds, 100 * (1 - alpha / 2)))


def sentence_summary(
    df: pd.DataFrame,
    by: Sequence[str],
    y: str = SENTENCE,
    threshold: int = SMALL_CELL,
    n_boot: int = N_BOOT,
    seed: int = 0,
    alpha: float = ALPHA,
) -> pd.DataFrame:
    """n, median, q25, q75, q90 of ``y`` per group, with a seeded percentile-bootstrap CI of the median.

    Rows with NA ``y`` are dropped and counted in ``attrs["n_dropped"]``; NA group keys are kept as their own
    group. Groups of fewer than ``threshold`` people (distinct ``person_id``; never below
    ``disclosure.MIN_CELL``) are suppressed: every statistic is NA and ``suppressed`` is True
    (``n`` stays, so the reader sees why). Quantiles are numpy's default (linear interpolation). The bootstrap
    generator of a group depends only on ``seed`` and the group key, so adding groups does not move others.
    """
    by = list(by)
    missing = [c for c in [y, *by] if c not in df.columns]
    if missing:
        raise UsageError(f"columns not in the table: {missing}")
    threshold, _ = disclosure.threshold(threshold)
    keep = df[y].notna()
    person = [disclosure.PERSON] if disclosure.PERSON in df.columns else []
    data = df.loc[keep, by + [y] + person]
    rows = []
    for key, g in data.groupby(by, dropna=False, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        v = g[y].to_numpy(dtype=float)
        row = dict(zip(by, key))
        row["n"] = len(v)
        people = g[disclosure.PERSON].nunique() if person else len(v)  # records of one person count once
        if people < threshold:
            row.update(median=np.nan, q25=np.nan, q75=np.nan, q90=np.nan, median_ci_low=np.nan,
                       median_ci_high=np.nan, suppressed=True)
        else:
            q25, med, q75, q90 = np.quantile(v, [0.25, 0.5, 0.75, 0.9])
            lo, hi = _boot_median_ci(v, n_boot, alpha, _key_seed(seed, key))
            row.update(median=med, q25=q25, q75=q75, q90=q90, median_ci_low=lo, median_ci_high=hi,
                       suppressed=False)
        rows.append(row)
    cols = by + ["n", "median", "q25", "q75", "q90", "median_ci_low", "median_ci_high", "suppressed"]
    out = pd.DataFrame(rows, columns=cols)
    out["n"] = out["n"].astype("int64")
    out["suppressed"] = out["suppressed"].astype(bool)
    out.attrs.update(n_dropped=int((~keep).sum()), threshold=threshold, n_boot=n_boot, seed=seed, alpha=alpha)
    return out


# --------------------------------------------------------------------------------------------------
# Article 411
# --------------------------------------------------------------------------------------------------
def has_article(articles: pd.Series, code: str = "411") -> pd.Series:
    """True where the ';'-joined normalised codes contain exactly ``code`` (411 matches neither 4110, 1411
    nor 411-1). NA articles give False."""
    pattern = ART_411.replace("411", re.escape(code))
    return articles.astype("string").str.contains(pattern, regex=True).fillna(False).astype(bool)


def _as_date(s: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(s):
        return s
    return pd.to_datetime(s, format="%Y-%m-%d", errors="raise")


def article_411_summary(people: pd.DataFrame, threshold: int = SMALL_CELL) -> pd.DataFrame:
    """Records with Art. 411 among their articles, by verdict year, with their share of all records.

    One row per verdict year (``period`` = the year; ``unknown`` for records without a verdict date) and a
    final ``all`` row: n_records (all records with that verdict year), n_411, share_of_year (n_411 /
    n_records), share_of_all (n_411 / all records in the table), and for the 411 records whose
    ``sentence_months`` is stated: n_411_with_sentence, sentence_median, sentence_q25, sentence_q75
    (NA when fewer than ``threshold`` sentences; ``sentence_suppressed``).

    Caveat (printed in ``attrs["caveat"]``): a 411 record's ``sentence_months`` is whatever the export
    states for that record; the export does not link it to the original sentence and does not say whether
    it is the added term or a cumulative one. Counts are of records, not people.
    """
    for c in ("articles", "verdict_date", SENTENCE):
        if c not in people.columns:
            raise UsageError(f"people table lacks column {c!r}")
    threshold, _ = disclosure.threshold(threshold)
    is411 = has_article(people["articles"])
    year = _as_date(people["verdict_date"]).dt.year.astype("Int64")
    period = year.astype("string").fillna("unknown")
    frame = pd.DataFrame({"period": period, "is411": is411, "s": people[SENTENCE].astype(float)})
    total = len(frame)
    rows = []
    order = sorted(p for p in frame["period"].unique() if p != "unknown")
    order += ["unknown"] if (frame["period"] == "unknown").any() else []
    groups = [(p, frame[frame["period"] == p]) for p in order] + [("all", frame)]
    for p, g in groups:
        s = g.loc[g["is411"], "s"].dropna().to_numpy()
        small = len(s) < threshold
        q25, med, q75 = (np.nan,) * 3 if small else np.quantile(s, [0.25, 0.5, 0.75])
        n411 = int(g["is411"].sum())
        rows.append(dict(
            period=p, verdict_year=int(p) if p.isdigit() else pd.NA, n_records=len(g), n_411=n411,
            share_of_year=n411 / len(g) if len(g) else np.nan, share_of_all=n411 / total if total else np.nan,
            n_411_with_sentence=len(s), sentence_median=med, sentence_q25=q25, sentence_q75=q75,
            sentence_suppressed=small,
        ))
    out = pd.DataFrame(rows)
    out["verdict_year"] = out["verdict_year"].astype("Int64")
    out.attrs["caveat"] = (
        "Records, not people. The person-level export does not link an Art. 411 conviction to the sentence it "
        "extends; a 411 record's sentence may be the added or the cumulative term. Extensions can only be "
        "inferred from several records of one person_id (extensions_from_records)."
    )
    return out


def _add_months(dates: pd.Series, months: pd.Series) -> pd.Series:
    """date + months: whole months by calendar, the fractional rest as days (1 month = 365.25/12 days)."""
    out = []
    for d, m in zip(dates, months):
        if pd.isna(d) or pd.isna(m):
            out.append(pd.NaT)
            continue
        whole = math.floor(m)
        out.append(d + pd.DateOffset(months=whole) + pd.Timedelta(days=round((m - whole) * DAYS_PER_MONTH)))
    return pd.Series(pd.to_datetime(out), index=dates.index)


EXTENSION_COLUMNS = [
    "person_id", "earlier_record_id", "later_record_id", "earlier_articles", "later_articles",
    "earlier_has_411", "earlier_detention_date", "earlier_sentence_months", "expected_release",
    "later_verdict_date", "gap_days", "gap_months", "before_term_end", "approximate", "reason",
]


def extensions_from_records(people: pd.DataFrame) -> pd.DataFrame:
    """Infer Art. 411 extensions from people with several records.

    For every record containing 411 whose verdict date is known, the *earlier record* is the same
    person's latest other record dated before that verdict (ordering date = verdict date, or detention date
    where the verdict date is missing; ties broken by record_id). Expected release of the earlier record =
    its detention date + its sentence_months (whole calendar months + the fraction as days).
    ``gap_days`` = later verdict date − expected release: negative means the 411 verdict came before the
    original term would have ended (consistent with an extension while serving); positive means after.

    This is an inference, not a link: the export does not connect the two records. ``reason`` says why a
    gap is NA (no detention date / no sentence in months in the earlier record). ``approximate`` is True
    when any date used has month or year precision. ``attrs``: n_411_records, n_without_earlier (411 records
    of people with no earlier record — first-record 411s are not extensions we can see),
    n_no_verdict_date (411 records that cannot be ordered).
    """
    need = ["person_id", "record_id", "articles", "detention_date", "verdict_date", SENTENCE]
    missing = [c for c in need if c not in people.columns]
    if missing:
        raise UsageError(f"people table lacks columns {missing}")
    p = people.copy()
    p["detention_date"] = _as_date(p["detention_date"])
    p["verdict_date"] = _as_date(p["verdict_date"])
    p["_is411"] = has_article(p["articles"])
    p["_order"] = p["verdict_date"].fillna(p["detention_date"])
    for c in ("detention_precision", "verdict_precision"):
        if c not in p.columns:
            p[c] = pd.NA
    later = p[p["_is411"]]
    no_verdict = later["verdict_date"].isna()
    later = later[~no_verdict]
    rows = []
    n_without = 0
    by_person = {k: g.sort_values(["_order", "record_id"]) for k, g in p.groupby("person_id", sort=False)}
    for _, rec in later.sort_values(["person_id", "verdict_date", "record_id"]).iterrows():
        g = by_person[rec["person_id"]]
        prior = g[(g["record_id"] != rec["record_id"]) & (g["_order"] < rec["verdict_date"])]
        if prior.empty:
            n_without += 1
            continue
        e = prior.iloc[-1]
        release = _add_months(pd.Series([e["detention_date"]]), pd.Series([e[SENTENCE]])).iloc[0]
        reason = ""
        if pd.isna(e["detention_date"]):
            reason = "earlier record has no detention date"
        elif pd.isna(e[SENTENCE]):
            reason = "earlier record has no sentence in months"
        gap = (rec["verdict_date"] - release).days if pd.notna(release) else np.nan
        precisions = [e["detention_precision"], rec["verdict_precision"]]
        rows.append(dict(
            person_id=rec["person_id"], earlier_record_id=e["record_id"], later_record_id=rec["record_id"],
            earlier_articles=e["articles"], later_articles=rec["articles"], earlier_has_411=bool(e["_is411"]),
            earlier_detention_date=e["detention_date"], earlier_sentence_months=e[SENTENCE],
            expected_release=release, later_verdict_date=rec["verdict_date"], gap_days=gap,
            gap_months=gap / DAYS_PER_MONTH if pd.notna(gap) else np.nan,
            before_term_end=(gap < 0) if pd.notna(gap) else pd.NA,
            approximate=any(isinstance(x, str) and x != "day" for x in precisions), reason=reason,
        ))
    out = pd.DataFrame(rows, columns=EXTENSION_COLUMNS)
    out["gap_days"] = out["gap_days"].astype(float)
    out["gap_months"] = out["gap_months"].astype(float)
    out["before_term_end"] = out["before_term_end"].astype("boolean")
    out.attrs.update(n_411_records=int(p["_is411"].sum()), n_without_earlier=n_without,
                     n_no_verdict_date=int(no_verdict.sum()))
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------------------------------
# simulation with known truth
# --------------------------------------------------------------------------------------------------
def simulate_sentences(
    n: int,
    effects: Mapping[str, Mapping[str, float]],
    quantile_noise: float = 0.5,
    seed: int = 0,
    base_months: float = 24.0,
) -> pd.DataFrame:
    """Log-normal sentences with multiplicative group effects, so every conditional quantile is known.

    ``effects`` = {factor: {level: multiplier}}; each factor's levels are drawn uniformly and independently.
    sentence_months = base_months · Π multiplier · exp(quantile_noise · Z), Z ~ N(0, 1); ``quantile_noise``
    is the SD of log sentence, so the τ-quantile given the levels is
    base_months · Π multiplier · exp(quantile_noise · Φ⁻¹(τ)) (see :func:`true_quantile_coefficients`).
    Group differences on the month scale therefore widen at upper quantiles, as with real sentences.
    """
    if n < 1 or quantile_noise < 0 or base_months <= 0:
        raise UsageError("need n >= 1, quantile_noise >= 0, base_months > 0")
    rng = np.random.default_rng(seed)
    out, mult = {}, np.ones(n)
    for factor, levels in effects.items():
        names = list(levels)
        draw = rng.integers(0, len(names), n)
        out[factor] = np.array(names, dtype=object)[draw]
        mult *= np.array([levels[k] for k in names], dtype=float)[draw]
    out[SENTENCE] = base_months * mult * np.exp(quantile_noise * rng.standard_normal(n))
    frame = pd.DataFrame(out)
    frame.attrs.update(effects={k: dict(v) for k, v in effects.items()}, quantile_noise=quantile_noise,
                       base_months=base_months, seed=seed)
    return frame


def true_quantile_coefficients(
    effects: Mapping[str, Mapping[str, float]],
    quantile_noise: float,
    quantiles: Sequence[float] = QUANTILES,
    base_months: float = 24.0,
    reference: Mapping[str, str] | None = None,
    scale: str = "linear",
) -> pd.DataFrame:
    """True coefficients of the quantile regression that :func:`quantile_regression` fits on simulated data.

    ``scale="log"`` (regress log sentence_months; any number of factors): intercept = log(base · Π ref
    multipliers) + σ·Φ⁻¹(τ), coefficient of level ℓ = log(mult_ℓ / mult_ref) — exact because quantiles
    commute with the monotone log. ``scale="linear"`` (month scale, one factor only — with several the
    multiplicative model is not additive in months): intercept = base·mult_ref·exp(σΦ⁻¹(τ)), coefficient =
    base·(mult_ℓ − mult_ref)·exp(σΦ⁻¹(τ)). Term names follow quantile_regression (``factor[T.level]``).
    """
    reference = dict(reference or {})
    if scale not in ("linear", "log"):
        raise UsageError("scale must be 'linear' or 'log'")
    if scale == "linear" and len(effects) != 1:
        raise UsageError("linear-scale truth is additive only with a single factor; use scale='log'")
    refs = {f: reference.get(f, next(iter(levels))) for f, levels in effects.items()}
    rows = []
    for q in quantiles:
        z = quantile_noise * stats.norm.ppf(q)
        ref_mult = math.prod(effects[f][refs[f]] for f in effects)
        if scale == "log":
            rows.append(dict(quantile=float(q), term="Intercept", truth=math.log(base_months * ref_mult) + z))
        else:
            rows.append(dict(quantile=float(q), term="Intercept", truth=base_months * ref_mult * math.exp(z)))
        for f, levels in effects.items():
            for level, m in levels.items():
                if level == refs[f]:
                    continue
                if scale == "log":
                    t = math.log(m / levels[refs[f]])
                else:
                    t = base_months * (m - levels[refs[f]]) * math.exp(z)
                rows.append(dict(quantile=float(q), term=f"{f}[T.{level}]", truth=t))
    return pd.DataFrame(rows)
