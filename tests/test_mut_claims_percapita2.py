"""Claim 9's rank table (analysis.claims.percapita.rank_table) shows 12 countries unless told otherwise: at 12, 13
and 14 ranked countries; against the mutant that changes the default. Expected tables are written out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.claims import percapita


def _ranked(k):
    # one definition ranking k countries C01..Ck in that order
    return pd.DataFrame({"definition": "d", "country": [f"C{i:02d}" for i in range(1, k + 1)],
                         "rank": list(range(1, k + 1)), "n_ranked": k})


@pytest.mark.parametrize("k", [12, 13, 14])
def test_rank_table_shows_twelve_countries_by_default(k):
    t = percapita.rank_table({"ranked": _ranked(k)})
    expected = pd.DataFrame({f"d (of {k})": [str(i) for i in range(1, 13)]},
                            index=[f"C{i:02d}" for i in range(1, 13)])
    pd.testing.assert_frame_equal(t, expected, check_index_type=False)


def test_rank_table_countries_given():
    t = percapita.rank_table({"ranked": _ranked(14)}, countries=13)
    assert list(t.index) == [f"C{i:02d}" for i in range(1, 14)]
