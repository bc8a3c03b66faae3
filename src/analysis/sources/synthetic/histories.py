"""Histories of synthetic cases: detention, person, case, custody, release waves, deaths, re-arrests (no text)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.errors import UsageError
from analysis.sources.synthetic.calibration import _choice, _days, _draw_cases
from analysis.sources.synthetic.params import NO_DATE, SynthParams


def _sizes(p: SynthParams, n: int) -> dict[str, int]:
    extra = {k: max(1, int(round(p.malformed_rates[k] * n))) for k in ("exact_duplicate", "near_duplicate")}
    base = n - sum(extra.values())
    if base < 10:
        raise UsageError(f"n={n} is too small for a synthetic export (need at least {10 + sum(extra.values())})")
    n_np = int(round(p.np_share * base))
    return {"base": base, "np": n_np, "rec": base - n_np, **extra}


def simulate(params: SynthParams, n: int | None = None, seed: int = 0) -> dict:
    """Every latent array of one run (int days since 1970 for dates), plus the random generator to continue with.

    ``n`` is the number of export rows (including duplicate rows); ``None`` = ``params.n_default``.
    Inflow and wave sizes are rescaled by ``n / n_default``. Deterministic in (params, n, seed).
    """
    p = params
    if not p.inflow:
        raise UsageError("params are not calibrated (empty inflow): use calibrate() or default_params()")
    n = int(p.n_default if n is None else n)
    sz = _sizes(p, n)
    rng = np.random.default_rng(seed)
    as_of = _days(p.as_of)
    months = pd.DatetimeIndex(p.months)
    month_days = np.array([_days(m) for m in months], dtype=np.int64)
    month_len = np.array(months.days_in_month, dtype=np.int64)
    inflow = np.asarray(p.inflow, float)
    scale = sz["rec"] / inflow.sum()
    N, R = sz["base"], sz["rec"]
    rec = np.zeros(N, bool)
    rec[:R] = True

    # --- detention dates: recognised ~ calibrated inflow (exact multinomial counts); np the same shape
    m_idx = np.concatenate([np.repeat(np.arange(len(months)), rng.multinomial(R, inflow / inflow.sum())),
                            rng.choice(len(months), size=N - R, p=inflow / inflow.sum())])
    day_in_month = np.floor(rng.random(N) * month_len[m_idx]).astype(np.int64)
    det = month_days[m_idx] + day_in_month
    det = np.minimum(det, as_of)

    # --- person attributes and case
    female = rng.random(N) < p.women_share
    age = np.clip(rng.normal(p.age_mean, p.age_sd, N), p.age_min, p.age_max)
    birth = det - np.round(age * 365.25).astype(np.int64) - rng.integers(0, 365, N)
    cases = _draw_cases(rng, p, N)
    fam, ptype, months_sent = cases["family"], cases["ptype"], cases["months"]
    verdict = det + cases["pretrial"]
    natural_end = det + cases["custody"]
    death = np.where(rec, det + np.round(rng.exponential(365.25 / max(p.death_hazard_per_year, 1e-12), N)).astype(np.int64),
                     NO_DATE)
    region = _choice(rng, p.region_shares, N)
    person = rng.permutation(N) + 1  # person number (name/url); re-arrests copy it

    # --- re-arrests: a later recognised record of an earlier released (not dying) recognised person
    n_re_target = int(round(p.rearrest_share * R))
    eligible = np.flatnonzero(rec & (det >= _days("2021-03-01")))
    cand_ok = rec & (natural_end < death)
    re_rows = np.sort(rng.choice(eligible, size=min(n_re_target, eligible.size), replace=False))
    cand_ok[re_rows] = False
    cand = np.flatnonzero(cand_ok)
    cand = cand[np.argsort(natural_end[cand], kind="stable")]
    n_before = np.searchsorted(natural_end[cand], det[re_rows] - 30, side="left")
    pick_u = rng.random(re_rows.size)
    keep = n_before > 0
    re_rows = re_rows[keep]
    linked = cand[np.floor(pick_u[keep] * n_before[keep]).astype(np.int64)]
    person[re_rows], female[re_rows], birth[re_rows] = person[linked], female[linked], birth[linked]
    older = (det - birth) >= np.round(p.older_age * 365.25)

    # --- release waves: exponential race with rates w_i among recognised people in custody
    exit_day = np.where(rec, np.minimum(natural_end, death), natural_end)
    wave_of = np.full(N, -1)
    exiled = np.zeros(N, bool)
    weight = np.where(female, p.hr_female, 1.0) * np.where(older, p.hr_older, 1.0)
    wave_truth = []
    for w_i, w in enumerate(p.waves):
        t = _days(w["date"])
        planned = int(max(1, round(w["size"] * scale))) if w["size"] > 0 else 0
        pool = np.flatnonzero(rec & (det <= t) & (exit_day > t))
        k = min(planned, pool.size)
        chosen = np.array([], dtype=np.int64)
        if k > 0 and t <= as_of:
            keys = rng.exponential(size=pool.size) / weight[pool]
            chosen = np.sort(pool[np.argpartition(keys, k - 1)[:k]])
            exit_day[chosen] = t
            wave_of[chosen] = w_i
            n_ex = int(round(w["exile_share"] * k))
            if n_ex:
                exiled[np.sort(rng.choice(chosen, size=n_ex, replace=False))] = True
        wave_truth.append({
            "event_id": w["event_id"], "date": w["date"], "size_data": w["size"], "planned": planned,
            "realised": int(chosen.size), "exiled": int(exiled[chosen].sum()), "pool": int(pool.size),
            "pool_women": int(female[pool].sum()), "pool_older": int(older[pool].sum()),
            "women": int(female[chosen].sum()), "older": int(older[chosen].sum())})
    died = rec & (death <= exit_day) & (death <= as_of)
    exit_day = np.where(died, death, exit_day)
    released = exit_day <= as_of
    status = np.where(~rec, 2, np.where(released, 1, 0))  # 0 active, 1 former, 2 np
    sentenced = verdict <= as_of
    # verdict after a wave release or death -> never sentenced in the record
    sentenced &= verdict < np.where(wave_of >= 0, exit_day, NO_DATE)
    sentenced &= ~(died & (verdict >= death))

    # --- true stock by month end (recognised base records in custody)
    ends = np.array([_days(m + pd.offsets.MonthEnd(0)) for m in months], dtype=np.int64)
    ends = np.minimum(ends, as_of)
    det_r, exit_r = np.sort(det[rec]), np.sort(exit_day[rec])
    stock = np.searchsorted(det_r, ends, side="right") - np.searchsorted(exit_r, ends, side="right")
    return {'n': n, 'seed': seed, 'sz': sz, 'rng': rng, 'as_of': as_of, 'months': months, 'scale': scale, 'N': N,
            'R': R, 'rec': rec, 'det': det, 'female': female, 'birth': birth, 'older': older, 'cases': cases, 'fam':
            fam, 'ptype': ptype, 'months_sent': months_sent, 'verdict': verdict, 'natural_end': natural_end,
            'death': death, 'region': region, 'person': person, 're_rows': re_rows, 'linked': linked, 'exit_day':
            exit_day, 'wave_of': wave_of, 'exiled': exiled, 'wave_truth': wave_truth, 'died': died, 'released':
            released, 'status': status, 'sentenced': sentenced, 'stock': stock}
