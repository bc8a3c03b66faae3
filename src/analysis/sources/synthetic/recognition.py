"""Late recognition (delayed entry): when each recognised record was recognised as a political prisoner.

Off by default (``SynthParams.late_recognition_share = 0``). When on, every recognised record gets a
recognition day: with probability ``late_recognition_share`` detention + a lognormal lag (median
``recognition_lag_median_days``, log-sd ``recognition_lag_sigma``), otherwise detention + U{0..
``prompt_recognition_max_days``}. The draws use their own random stream (``[seed, RECOGNITION_STREAM]``), so
turning the option on changes nothing else in the export. A record recognised after the export date is
listed as ``np`` (documented, not yet recognised) with no recognition date; one recognised after its release
is a former political prisoner recognised ex post facto.
"""

from __future__ import annotations

import numpy as np

from analysis.sources.synthetic.params import NO_DATE, SynthParams

RECOGNITION_STREAM = 1


def recognition_days(p: SynthParams, h: dict) -> tuple[np.ndarray, np.ndarray]:
    """(recognition day or NO_DATE for np records, late flag) of every base record."""
    rng = np.random.default_rng([int(h["seed"]), RECOGNITION_STREAM])
    n = h["N"]
    late = h["rec"] & (rng.random(n) < p.late_recognition_share)
    late_lag = np.round(p.recognition_lag_median_days * np.exp(p.recognition_lag_sigma * rng.standard_normal(n)))
    prompt_lag = rng.integers(0, int(p.prompt_recognition_max_days) + 1, n)
    day = h["det"] + np.where(late, late_lag, prompt_lag).astype(np.int64)
    return np.where(h["rec"], day, NO_DATE), late


def apply_recognition(p: SynthParams, h: dict, as_of: int) -> None:
    """Add ``recognised`` and ``late`` to the histories and list records not yet recognised on ``as_of`` as np."""
    day, late = recognition_days(p, h)
    h["recognised"], h["late"] = day, late
    h["status"] = np.where(h["rec"] & (day > as_of), 2, h["status"])


def recognition_truth(h: dict, ids: np.ndarray, as_of: int, months_end: np.ndarray) -> dict:
    """True recognition facts: late records, not yet recognised, ex post facto, and the listed stock by month."""
    rec, day, late = h["rec"], h["recognised"], h["late"]
    listed = rec & (day <= as_of)
    lag = (day - h["det"])[listed]
    in_custody_listed = [int(np.sum(rec & (h["det"] <= e) & (h["exit_day"] > e) & (day <= e))) for e in months_end]
    return {
        "model": "recognised = detention + lag; lag ~ lognormal(median, sigma) for late records, "
                 "U{0..prompt_recognition_max_days} otherwise",
        "late_ids": sorted(int(x) for x in ids[late & listed]),
        "not_yet_recognised_ids": sorted(int(x) for x in ids[rec & (day > as_of)]),
        "ex_post_facto_ids": sorted(int(x) for x in ids[listed & (day > h["exit_day"])]),
        "lag_days_quantiles": {f"q{int(q * 100):02d}": float(np.quantile(lag, q)) for q in (0.1, 0.5, 0.9)}
        if lag.size else {},
        "listed_stock_by_month": in_custody_listed,
        "note": "stock_by_month counts records in custody from detention; listed_stock_by_month only once "
                "recognised (what a list of recognised prisoners shows at each month end)",
    }
