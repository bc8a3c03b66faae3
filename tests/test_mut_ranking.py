"""stats.ranking: what rank_intervals refuses, says and records, written out."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.errors import UsageError
from analysis.stats import ranking as r

RATES = pd.DataFrame({"country": ["A", "B", "C"], "rate": [30.0, 20.0, 10.0]})


def test_rank_intervals_refusals_are_worded():
    with pytest.raises(UsageError, match=r"^rates lacks columns \['rate'\]$"):
        r.rank_intervals(RATES.drop(columns="rate"))
    for kw in ({"n_sim": 0}, {"level": 1.0}):
        with pytest.raises(UsageError, match=r"^need n_sim >= 1 and 0 < level < 1$"):
            r.rank_intervals(RATES, **kw)
    with pytest.raises(UsageError, match=r"^rel_error must be >= 0 \(and < 1 for symmetric uniform errors\)$"):
        r.rank_intervals(RATES, rel_error=1.0, direction="symmetric", distribution="uniform")


def test_rank_intervals_records_its_settings_and_keeps_the_definition_order():
    out = r.rank_intervals(RATES, rel_error=0.2, n_sim=50, seed=9)
    assert out.attrs == {"rel_error": 0.2, "seed": 9, "distribution": "uniform", "direction": "undercount"}
    assert out.index.tolist() == [0, 1, 2]
    two = pd.concat([RATES.assign(definition="zeta"), RATES.assign(definition="alpha")], ignore_index=True)
    got = r.rank_intervals(two, rel_error=0.0, n_sim=10)
    assert got["definition"].tolist() == ["zeta"] * 3 + ["alpha"] * 3  # in the order given, not sorted
    assert got.index.tolist() == list(range(6))
    assert got["rank_low"].tolist() == got["rank_high"].tolist() == [1, 2, 3, 1, 2, 3]  # no error, no spread


def test_the_default_seed_is_zero():
    assert r.rank_intervals(RATES, rel_error=0.5, n_sim=200).equals(
        r.rank_intervals(RATES, rel_error=0.5, n_sim=200, seed=0))
