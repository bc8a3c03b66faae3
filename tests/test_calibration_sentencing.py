"""Calibration of the intervals and p-values that report 03 publishes: simulate from a known truth, check
that nominal 95% intervals cover in 0.90–0.99 of replicates and that p-values are uniform under the null.

Seeds are fixed, so each check is deterministic; the quantile-regression bootstrap ones fit thousands of
linear programmes and carry the ``slow`` marker (CI runs them too: `make test` selects every marker).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.stats import sentencing as s

NOMINAL_BAND = (0.90, 0.99)  # acceptable coverage of a nominal 95% interval over the replicates below
KS_ALPHA = 0.01  # reject uniformity of null p-values only below this


def test_sentence_summary_median_ci_covers_the_true_median():
    """Percentile-bootstrap CI of a group median (n = 80, log-normal months, as sentences are)."""
    reps, n, base = 300, 80, 24.0
    rng = np.random.default_rng(20261201)
    df = pd.DataFrame({
        "rep": np.repeat(np.arange(reps), n),
        "sentence_months": base * np.exp(0.6 * rng.standard_normal(reps * n)),
    })
    out = s.sentence_summary(df, by=["rep"], n_boot=400, seed=3)
    assert len(out) == reps and not out["suppressed"].any()
    covered = ((out["median_ci_low"] <= base) & (base <= out["median_ci_high"])).mean()
    assert NOMINAL_BAND[0] <= covered <= NOMINAL_BAND[1], covered


def test_sentence_summary_interval_contains_its_median_and_widens_with_less_data():
    """Hand-checkable properties: the CI brackets the sample median, and a quarter of the data widens it."""
    rng = np.random.default_rng(5)
    big = pd.DataFrame({"g": "a", "sentence_months": rng.lognormal(3, 0.5, 400)})
    small = big.iloc[:100]
    wide = s.sentence_summary(small, by=["g"], n_boot=1000, seed=1).iloc[0]
    narrow = s.sentence_summary(big, by=["g"], n_boot=1000, seed=1).iloc[0]
    for row in (wide, narrow):
        assert row["median_ci_low"] <= row["median"] <= row["median_ci_high"]
    assert (wide["median_ci_high"] - wide["median_ci_low"]) > (narrow["median_ci_high"] - narrow["median_ci_low"])


def _qr_replicates(multiplier: float, reps: int, n: int, B: int, seed: int) -> pd.DataFrame:
    """Bootstrap quantile-regression rows for the group effect 'b' vs 'a' at the median, one per replicate."""
    rows = []
    for r in range(reps):
        d = s.simulate_sentences(n, {"fam": {"a": 1.0, "b": multiplier}}, 0.5, seed=seed + r)
        got = s.quantile_regression(d, terms=["fam"], reference={"fam": "a"}, quantiles=(0.5,),
                                    bootstrap=B, seed=r)
        rows.append(got.loc[got["term"].str.contains("b")].iloc[0])
    return pd.DataFrame(rows)


@pytest.mark.slow
def test_quantile_regression_bootstrap_ci_covers_a_known_group_effect():
    """True median effect of level b on the month scale: 24·(2 − 1) = 24 months (simulate_sentences' truth)."""
    effect = 24.0 * (2.0 - 1.0) * np.exp(0.5 * 0.0)  # base · (mult_b − mult_a) · exp(σ·Φ⁻¹(0.5))
    got = _qr_replicates(2.0, reps=100, n=120, B=100, seed=1000)
    covered = ((got["ci_low"] <= effect) & (effect <= got["ci_high"])).mean()
    assert NOMINAL_BAND[0] <= covered <= NOMINAL_BAND[1], covered


@pytest.mark.slow
def test_quantile_regression_bootstrap_p_values_are_uniform_under_the_null():
    """No group effect (multiplier 1): the bootstrap p-values should look Uniform(0, 1)."""
    got = _qr_replicates(1.0, reps=100, n=120, B=100, seed=5000)
    p = got["p_value"].to_numpy(dtype=float)
    assert np.isfinite(p).all()
    assert stats.kstest(p, "uniform").pvalue > KS_ALPHA
    assert 0.01 <= (p < 0.05).mean() <= 0.10
