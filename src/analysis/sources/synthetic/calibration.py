"""Calibration of the generator to the curated series (stock path, release waves, women's share)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from analysis.errors import DataError
from analysis.sources.synthetic.params import (
    DAYS_PER_MONTH, DUR_SAMPLE, DUR_SEED, EPOCH, FAMILIES, PENALTY_TYPES, SynthParams,
)

# ------------------------------------------------------------------------------------------ dates
def _days(value: str | pd.Timestamp) -> int:
    return int((np.datetime64(pd.Timestamp(value).date(), "D") - EPOCH).astype(np.int64))


def _month_starts(start: str, as_of: str) -> pd.DatetimeIndex:
    return pd.date_range(pd.Timestamp(start).to_period("M").start_time, pd.Timestamp(as_of), freq="MS")


# ------------------------------------------------------------------------------------------ case model
def _choice(rng: np.random.Generator, probs: dict, size: int) -> np.ndarray:
    """Indices into list(probs) drawn with the given (normalised) probabilities."""
    p = np.asarray(list(probs.values()), dtype=float)
    return rng.choice(len(p), size=size, p=p / p.sum())


def _draw_cases(rng: np.random.Generator, p: SynthParams, n: int) -> dict[str, np.ndarray]:
    """Family, penalty type, sentence (months), pre-trial and custody durations (days) of n cases."""
    fam = _choice(rng, p.family_shares, n)
    ptype = _choice(rng, p.penalty_shares, n)
    med = np.array([p.sentence_median_months[f] for f in FAMILIES])[fam]
    sig = np.array([p.sentence_sigma[f] for f in FAMILIES])[fam]
    raw = med * np.exp(sig * rng.standard_normal(n))
    restricted = ptype == PENALTY_TYPES.index("restricted_freedom")
    raw = np.where(restricted, np.minimum(raw * p.restricted_factor, 60.0), raw)
    step = p.sentence_round_months
    months = np.clip(np.round(raw / step) * step, step, p.sentence_max_months)
    pretrial = np.maximum(np.round(p.pretrial_median_days * np.exp(p.pretrial_sigma * rng.standard_normal(n))), 7)
    fine = ptype == PENALTY_TYPES.index("fine")
    months = np.where(fine, np.nan, months)
    term_days = np.round(np.nan_to_num(months) * DAYS_PER_MONTH)
    custody = np.where(fine, pretrial, term_days)
    pretrial = np.where(fine, pretrial, np.minimum(pretrial, term_days - 1))
    return {"family": fam, "ptype": ptype, "months": months, "pretrial": pretrial.astype(np.int64),
            "custody": custody.astype(np.int64)}


def _duration_survival(p: SynthParams, ages_months: np.ndarray) -> np.ndarray:
    """P(custody duration > a months) for each a, from a fixed-seed Monte-Carlo sample (deterministic)."""
    dur = np.sort(_draw_cases(np.random.default_rng(DUR_SEED), p, DUR_SAMPLE)["custody"]) / DAYS_PER_MONTH
    return 1.0 - np.searchsorted(dur, ages_months, side="right") / dur.size


# ------------------------------------------------------------------------------------------ calibration
def _stock_target(pp_counts: pd.DataFrame, months: pd.DatetimeIndex) -> np.ndarray:
    df = pp_counts.loc[:, ["as_of_date", "currently_held"]].copy()
    df["as_of_date"] = pd.to_datetime(df["as_of_date"], errors="coerce")
    df["currently_held"] = pd.to_numeric(df["currently_held"], errors="coerce")
    df = df.dropna()
    if df.empty:
        raise DataError("pp_counts", "no rows with both as_of_date and currently_held")
    obs = df.groupby("as_of_date")["currently_held"].median().sort_index()
    x = obs.index.to_numpy("datetime64[D]").astype(np.int64)
    ends = (months + pd.offsets.MonthEnd(0)).to_numpy("datetime64[D]").astype(np.int64)
    return np.interp(ends, x, obs.to_numpy(float))  # flat outside the observed range


def _waves(release_events: pd.DataFrame) -> tuple:
    ev = release_events.copy()
    ev = ev[pd.to_numeric(ev["is_primary"], errors="coerce") == 1]
    out = []
    for _, r in ev.sort_values(["event_date", "event_id"]).iterrows():
        released = pd.to_numeric(r.get("released_count"), errors="coerce")
        recognised = pd.to_numeric(r.get("recognised_pp_count"), errors="coerce")
        exiled = pd.to_numeric(r.get("exiled_count"), errors="coerce")
        size = recognised if pd.notna(recognised) else released
        if pd.isna(size):
            continue
        mech, dest = str(r.get("mechanism", "")), str(r.get("destination", ""))
        if pd.notna(exiled) and pd.notna(released) and released > 0:
            share = float(min(1.0, exiled / released))
        elif mech == "deportation_exile" or dest in {"Lithuania", "Ukraine", "mixed"}:
            share = 1.0
        else:
            share = 0.0
        out.append({"event_id": str(r["event_id"]), "date": pd.Timestamp(r["event_date"]).date().isoformat(),
                    "size": int(size), "exile_share": round(share, 6), "mechanism": mech, "destination": dest})
    return tuple(out)


def calibrate(pp_counts: pd.DataFrame, release_events: pd.DataFrame, base: SynthParams | None = None) -> SynthParams:
    """Fit the time-dependent parameters to the curated series (pure; no I/O, no global randomness).

    `pp_counts` needs ``as_of_date, currently_held`` (optionally ``women_held``,
    ``cumulative_recognized_since_2020``); `release_events` needs ``event_id, event_date,
    released_count, is_primary`` (optionally ``recognised_pp_count, exiled_count, mechanism,
    destination``). Other parameters are taken from `base` (defaults of :class:`SynthParams`).
    """
    p = dataclasses.replace(base or SynthParams())
    months = _month_starts(p.start, p.as_of)
    target = _stock_target(pp_counts, months)

    women = pd.to_numeric(pp_counts.get("women_held"), errors="coerce")
    held = pd.to_numeric(pp_counts.get("currently_held"), errors="coerce")
    ratio = (women / held).dropna() if women is not None else pd.Series(dtype=float)
    if len(ratio):
        p.women_share = round(float(ratio.median()), 4)
    if "cumulative_recognized_since_2020" in pp_counts:
        cum = pp_counts.loc[pd.to_datetime(pp_counts["as_of_date"], errors="coerce") <= pd.Timestamp(p.as_of),
                            "cumulative_recognized_since_2020"]
        cum = pd.to_numeric(cum, errors="coerce").dropna()
        p.real_cumulative_recognised = float(cum.max()) if len(cum) else float("nan")

    p.waves = _waves(release_events)
    since_2021 = months >= pd.Timestamp("2021-01-01")
    person_years = float(target[since_2021].sum()) / 12.0
    p.death_hazard_per_year = p.deaths_target / person_years if person_years > 0 else 0.0

    # Fluid cohort model: c[j] = expected recognised records detained in month j still in custody.
    n_m = len(months)
    ages = np.arange(n_m + 1) + 0.5  # entries mid-month: age at month end = k + 0.5 months
    surv = _duration_survival(p, np.concatenate([[0.0], ages]))
    s_half, s_ages = surv[1], surv[1:]
    monthly_death = np.exp(-p.death_hazard_per_year / 12.0)
    wave_month = pd.to_datetime([w["date"] for w in p.waves]).to_period("M") if p.waves else []
    wave_size = np.zeros(n_m)
    for per, w in zip(wave_month, p.waves):
        k = (per.start_time.year - months[0].year) * 12 + per.start_time.month - months[0].month
        if 0 <= k < n_m:
            wave_size[k] += w["size"]
    cohort = np.zeros(n_m)
    inflow = np.zeros(n_m)
    for m in range(n_m):
        if m:
            a = m - np.arange(m)  # age in whole months of cohorts 0..m-1 at the end of month m
            with np.errstate(invalid="ignore", divide="ignore"):
                step = np.where(s_ages[a - 1] > 0, s_ages[a] / s_ages[a - 1], 0.0)
            cohort[:m] *= step * monthly_death
        before = cohort[:m].sum()
        if wave_size[m] and before > 0:
            cohort[:m] *= 1.0 - min(1.0, wave_size[m] / before)
        entry = s_half * np.exp(-p.death_hazard_per_year / 24.0)
        inflow[m] = max(0.0, (target[m] - cohort[:m].sum()) / entry)
        cohort[m] = inflow[m] * entry

    p.months = tuple(d.date().isoformat() for d in months)
    p.stock_target = tuple(round(float(v), 3) for v in target)
    p.inflow = tuple(round(float(v), 3) for v in inflow)
    n_rec = float(inflow.sum())
    dup = p.malformed_rates["exact_duplicate"] + p.malformed_rates["near_duplicate"]
    p.n_default = int(round(n_rec / (1.0 - p.np_share) / (1.0 - dup)))
    return p


def default_params() -> SynthParams:
    """Calibration from the verified curated tables (checksums and schemas checked by the loader)."""
    from analysis.sources import curated

    return calibrate(curated.load("pp_counts"), curated.load("release_events"))
