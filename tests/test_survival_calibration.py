"""Calibration of the survival intervals and tests the reports publish: simulate from a known truth, count coverage.

- median_survival's 95% CI (Brookmeyer–Crowley, cloglog) must cover the true median in a stated band of replicates;
- ph_check's p-values must be uniform when proportional hazards hold (Kolmogorov–Smirnov), and small when not.
Seeded and small (each test a few seconds).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import kstest

from analysis.stats import survival as sv

REPLICATES = 200
# Coverage of a nominal 95% interval over 200 replicates: Binomial(200, 0.95) puts 99.6% of its mass in
# [181, 197] (0.905–0.985); the band below allows that plus the interval's own small-sample conservatism.
COVERAGE_BAND = (0.90, 0.99)
KS_MIN_P = 0.01  # p-values under the null: KS test against Uniform(0, 1) must not reject at 1%
PH_REPLICATES = 60  # one check takes ~0.05 s (Breslow, n = 120); 60 keeps the test near 3 s


def exponential_sample(rng: np.random.Generator, n: int, rate: float, censor_rate: float) -> pd.DataFrame:
    """Exponential times with independent exponential censoring."""
    t, c = rng.exponential(1 / rate, n), rng.exponential(1 / censor_rate, n)
    return pd.DataFrame({"t": np.minimum(t, c), "e": (t <= c).astype(int)})


def test_median_survival_ci_coverage():
    rate, rng = 0.05, np.random.default_rng(11)
    truth = np.log(2) / rate
    covered = 0
    for _ in range(REPLICATES):
        m = sv.median_survival(exponential_sample(rng, 150, rate, 0.02), "t", "e").iloc[0]
        covered += int(m["ci_low"] <= truth <= m["ci_high"])
    assert COVERAGE_BAND[0] <= covered / REPLICATES <= COVERAGE_BAND[1], covered


def test_median_survival_ci_coverage_with_delayed_entry():
    rate, rng = 0.05, np.random.default_rng(12)
    truth = np.log(2) / rate
    covered = 0
    for _ in range(REPLICATES):
        d = exponential_sample(rng, 300, rate, 0.01).assign(entry=rng.uniform(0, 12, 300))
        m = sv.median_survival(d[d["t"] > d["entry"]], "t", "e", entry="entry").iloc[0]
        covered += int(m["ci_low"] <= truth <= m["ci_high"])
    assert COVERAGE_BAND[0] <= covered / REPLICATES <= COVERAGE_BAND[1], covered


def test_ph_check_p_values_uniform_under_proportional_hazards():
    rng = np.random.default_rng(13)
    p = []
    for _ in range(PH_REPLICATES):
        n = 120
        x = rng.integers(0, 2, n)
        d = exponential_sample(rng, n, 1.0, 0.3)
        d["t"] = d["t"] / np.exp(0.5 * x)  # HR e^0.5 for x=1, constant over time; censoring scaled alike
        d["x"] = x
        p.append(sv.ph_check(d, "t", "e", ["x"], ties="breslow")["p"].iloc[0])  # continuous: Breslow = Efron
    assert kstest(p, "uniform").pvalue > KS_MIN_P
    assert np.mean(np.asarray(p) < 0.05) < 0.10  # size close to nominal


def test_ph_check_has_power_against_crossing_hazards():
    rng = np.random.default_rng(14)
    rejected = 0
    for _ in range(15):
        n = 300
        x = rng.integers(0, 2, n)
        t = np.where(x == 1, 10 * rng.weibull(3.0, n), rng.exponential(10.0, n))
        c = rng.exponential(40.0, n)
        d = pd.DataFrame({"t": np.minimum(t, c), "e": (t <= c).astype(int), "x": x})
        rejected += int(sv.ph_check(d, "t", "e", ["x"], ties="breslow")["violated"].iloc[0])
    assert rejected >= 13
