"""stats.breaks against a brute-force reference written here: every segmentation with up to two breaks, weighted
SSR by plain numpy, BIC by its formula, and the LR interval by scanning every admissible date."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from analysis.stats import breaks

MONTHS = pd.date_range("2020-01-01", periods=40, freq="MS")


def _ssr(x: np.ndarray, w: np.ndarray) -> float:
    mean = np.sum(w * x) / np.sum(w)
    return float(np.sum(w * (x - mean) ** 2))


def _brute(x, w, m, min_size):
    """(ssr, positions) of the best segmentation with m breaks, each segment >= min_size."""
    n, best = len(x), (np.inf, None)
    for pos in itertools.combinations(range(min_size, n - min_size + 1), m):
        bounds = [0, *pos, n]
        if any(b - a < min_size for a, b in zip(bounds[:-1], bounds[1:])):
            continue
        ssr = sum(_ssr(x[a:b], w[a:b]) for a, b in zip(bounds[:-1], bounds[1:]))
        if ssr < best[0] - 1e-9:
            best = (ssr, list(pos))
    return best


def _data(seed=3):
    rng = np.random.default_rng(seed)
    x = np.r_[np.full(14, 40.0), np.full(12, 5.0), np.full(14, 25.0)] + rng.normal(0, 6, 40)
    w = rng.choice([1.0, 1.0, 1.0, 2.0, 3.0], size=40)  # gaps of 2-3 months weigh more
    return x, w


@pytest.mark.parametrize("m", [0, 1, 2])
def test_dynamic_programme_equals_brute_force_with_weights(m):
    x, w = _data()
    ssr, pos = breaks._best_partition(breaks._segment_cost(x, w), len(x), m, 6)
    ref_ssr, ref_pos = _brute(x, w, m, 6)
    assert pos == ref_pos and ssr == pytest.approx(ref_ssr, rel=1e-9)


def test_segments_can_be_exactly_min_size_long():
    x = np.r_[np.full(5, 0.0), np.full(15, 100.0)]
    ssr, pos = breaks._best_partition(breaks._segment_cost(x, np.ones(20)), 20, 1, 5)
    assert pos == [5] and ssr == pytest.approx(0.0)
    _, pos = breaks._best_partition(breaks._segment_cost(x, np.ones(20)), 20, 1, 6)
    assert pos == [6]  # a first segment of 5 is not allowed


def test_estimate_breaks_equals_the_reference_end_to_end():
    x, w = _data()
    n, min_size = len(x), 6
    out = breaks.estimate_breaks(pd.DataFrame({"month": MONTHS, "change": x, "weight": w}), max_breaks=2,
                                 min_size=min_size)
    fits = {m: _brute(x, w, m, min_size) for m in range(3)}
    bic = {m: n * np.log(ssr / n) + (2 * m + 1) * np.log(n) for m, (ssr, _) in fits.items()}
    assert out["bic"]["breaks"].tolist() == [0, 1, 2]
    assert out["bic"]["ssr"].tolist() == pytest.approx([fits[m][0] for m in range(3)], rel=1e-9)
    assert out["bic"]["bic"].tolist() == pytest.approx([bic[m] for m in range(3)], rel=1e-9)
    m = min(bic, key=bic.get)
    assert m == 2  # three clear regimes
    pos = fits[m][1]
    bounds = [0, *pos, n]
    seg = out["segments"]
    assert seg["start"].tolist() == [MONTHS[a] for a in bounds[:-1]]
    assert seg["end"].tolist() == [MONTHS[b - 1] for b in bounds[1:]]
    assert seg["n"].tolist() == [b - a for a, b in zip(bounds[:-1], bounds[1:])]
    means = [np.sum(w[a:b] * x[a:b]) / np.sum(w[a:b]) for a, b in zip(bounds[:-1], bounds[1:])]
    assert seg["mean_change"].tolist() == pytest.approx(means)
    s2 = fits[m][0] / (n - m - 1)
    b = out["breaks"]
    assert list(b.columns) == ["break_month", "ci_low", "ci_high", "mean_change_before", "mean_change_after"]
    for k, p in enumerate(pos):
        left, right = bounds[k], bounds[k + 2]
        base = _ssr(x[left:p], w[left:p]) + _ssr(x[p:right], w[p:right])
        ok = [t for t in range(left + min_size, right - min_size + 1)
              if (_ssr(x[left:t], w[left:t]) + _ssr(x[t:right], w[t:right]) - base) / s2 <= breaks.LR_CRIT_95]
        assert b.loc[k, "break_month"] == MONTHS[p]
        assert (b.loc[k, "ci_low"], b.loc[k, "ci_high"]) == (MONTHS[min(ok)], MONTHS[max(ok)])
        assert (b.loc[k, "mean_change_before"], b.loc[k, "mean_change_after"]) == pytest.approx((means[k], means[k + 1]))


def test_the_number_of_breaks_tried_is_capped_by_the_data():
    x = np.random.default_rng(0).normal(0, 1, 20)
    out = breaks.estimate_breaks(pd.DataFrame({"month": MONTHS[:20], "change": x, "weight": 1.0}), min_size=6)
    assert out["bic"]["breaks"].tolist() == [0, 1, 2]  # 20 // 6 - 1 = 2, below MAX_BREAKS
    out = breaks.estimate_breaks(pd.DataFrame({"month": MONTHS, "change": np.r_[x, x], "weight": 1.0}),
                                 max_breaks=1, min_size=6)
    assert out["bic"]["breaks"].tolist() == [0, 1]
    with pytest.raises(ValueError, match=r"^11 monthly changes: need at least 12 to look for a break$"):
        breaks.estimate_breaks(pd.DataFrame({"month": MONTHS[:11], "change": x[:11], "weight": 1.0}), min_size=6)
    assert (breaks.LR_CRIT_95, breaks.MIN_SIZE, breaks.MAX_BREAKS) == (7.35, 6, 5)
    assert breaks.LR_CRIT_95 == pytest.approx(-2 * np.log(1 - np.sqrt(0.95)), abs=5e-3)
