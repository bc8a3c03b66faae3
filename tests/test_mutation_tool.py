"""tools/mutation.py's sampled estimate: the sample is reproducible and stratified, the interval covers the truth."""

import importlib.util
import random
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location("mutation_tool", Path(__file__).parents[1] / "tools" / "mutation.py")
mutation = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mutation)

NAMES = [f"analysis.big.f__mutmut_{i}" for i in range(2000)] + [f"analysis.small.g__mutmut_{i}" for i in range(30)]


def test_the_sample_depends_only_on_the_seed_and_takes_every_module_in_proportion():
    a = mutation.draw_sample(NAMES, 0.1, seed=3)
    assert a == mutation.draw_sample(list(reversed(NAMES)), 0.1, seed=3)
    assert a != mutation.draw_sample(NAMES, 0.1, seed=4)
    big = sum(n.startswith("analysis.big.") for n in a)
    assert 160 <= big <= 240  # about 0.1 * 2000 = 200 (Bernoulli draws: sd 13)
    assert 12 <= len(a) - big <= 28  # the small module is sampled at MIN_PER_MODULE / 30, about 20


def test_editing_one_module_leaves_the_sample_of_the_others_unchanged():
    a = mutation.draw_sample(NAMES, 0.1, seed=3)
    b = mutation.draw_sample(NAMES[:2000] + [f"analysis.small.g__mutmut_{i}" for i in range(45)], 0.1, seed=3)
    assert {n for n in a if n.startswith("analysis.big.")} == {n for n in b if n.startswith("analysis.big.")}


def test_a_fully_run_population_has_an_exact_score():
    assert mutation.stratified({"a": (10, 10, 9), "b": (30, 30, 30)}) == (0.975, 0.975, 0.975)


def test_wilson_interval_matches_hand_arithmetic():
    low, high = mutation.wilson(90, 100)  # Wilson 1927, z = 1.96: (0.8256, 0.9448)
    assert low == pytest.approx(0.8256, abs=5e-4) and high == pytest.approx(0.9448, abs=5e-4)
    assert mutation.wilson(20, 20)[1] == 1.0 and mutation.wilson(20, 20)[0] == pytest.approx(0.8389, abs=5e-4)


def test_the_stratified_interval_covers_the_true_score_about_95_percent_of_the_time():
    rng = random.Random(7)
    sizes, rates = [1200, 800, 300, 60], [0.95, 0.85, 0.7, 1.0]
    populations = [[rng.random() < r for _ in range(n)] for n, r in zip(sizes, rates)]
    truth = sum(map(sum, populations)) / sum(sizes)
    covered, trials = 0, 400
    for _ in range(trials):
        strata = {}
        for h, pop in enumerate(populations):
            n = max(20, round(300 * len(pop) / sum(sizes)))
            strata[h] = (len(pop), n, sum(rng.sample(pop, n)))
        _, low, high = mutation.stratified(strata)
        covered += low <= truth <= high
    assert 0.90 <= covered / trials <= 0.99
