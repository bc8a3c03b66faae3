"""Claim 9's tables (analysis.claims.percapita.rank_table, rank_summary) on hand-made rankings, and what
claims.claim_results and claims.load_tables pass on (per-capita settings, top_k, checksum verification); against
the mutants that test_claims.py and the shipped-text tests let through. Expected tables are written out by hand."""

from __future__ import annotations

import inspect

import numpy as np
import pandas as pd
import pytest

import analysis.claims as claims
from analysis.claims import percapita


# --- rank_table: countries ordered by their best rank, then by their mean rank ---------------------
def test_rank_table_orders_by_best_rank_first():
    # d1 ranks 3 countries, d2 ranks 4. Best / mean rank: W 1 / 1 (d2 only), X 1 / 2.5, Y 2 / 2, Z 3 / 3.
    # By best rank first: W, X, Y, Z (by mean alone Y, with 2, would come before X).
    ranked = pd.DataFrame({"definition": ["d1"] * 3 + ["d2"] * 4,
                           "country": ["X", "Y", "Z", "W", "Y", "Z", "X"],
                           "rank": [1, 2, 3, 1, 2, 3, 4], "n_ranked": [3] * 3 + [4] * 4})
    t = percapita.rank_table({"ranked": ranked})
    expected = pd.DataFrame({"d1 (of 3)": ["", "1", "2", "3"], "d2 (of 4)": ["1", "4", "2", "3"]},
                            index=["W", "X", "Y", "Z"])
    pd.testing.assert_frame_equal(t, expected, check_index_type=False)


# --- rank_summary: one printed row per definition ---------------------------------------------------
def test_rank_summary_rows_as_printed():
    spread = pd.DataFrame({"definition": ["main_12m", "latest", "lists_12m"], "in_ranking": [True, True, False],
                           "rank": [2.0, 1.0, np.nan], "n_ranked": [7, 9, 3], "rate": [137.44, 151.06, np.nan],
                           "countries_ahead": ["Myanmar (400)", "", ""]})
    intervals = pd.DataFrame({"country": ["Belarus", "Belarus", "Myanmar"], "definition": ["main_12m", "latest", "main_12m"],
                              "rank_low": [2, 1, 1], "rank_high": [3, 1, 2], "p_rank1": [0.1278, 1.0, 0.87],
                              "level": [0.9, 0.9, 0.9]})
    pc = {"spread": spread, "intervals": intervals, "contemporaneous": ["main_12m", "lists_12m"]}
    s = percapita.rank_summary(pc, top_k=5)
    # used for the verdict: within 12 months, Belarus ranked and more than 5 countries ranked -> main_12m only
    expected = pd.DataFrame({
        "definition": ["main_12m", "latest", "lists_12m"],
        "within 12 months": ["yes", "no", "yes"],
        "used for verdict": ["yes", "no", "no"],
        "rank": ["2 of 7", "1 of 9", "not ranked (of 3)"],
        "per million": [137.4, 151.1, np.nan],
        "90% rank interval": ["2-3", "1-1", ""],
        "P(rank 1)": [0.13, 1.0, np.nan],
        "ranked above": ["Myanmar (400)", "", ""]})
    pd.testing.assert_frame_equal(s, expected)


# --- claim_results: the per-capita settings and top_k reach the computation ------------------------
def _spy(real, seen, result):
    def spy(*args, **kwargs):
        bound = inspect.signature(real).bind(*args, **kwargs)
        bound.apply_defaults()
        seen.append(dict(bound.arguments))
        return result(len(seen)) if callable(result) else result
    return spy


@pytest.fixture()
def wiring(monkeypatch):
    pcs, measured = [], []
    monkeypatch.setattr(claims, "per_capita", _spy(percapita.per_capita, pcs, lambda k: {"pc": k}))
    monkeypatch.setattr(claims, "measure", _spy(claims.measure, measured, []))
    return pcs, measured


TABLES = {"cross_country_pp": pd.DataFrame({"t": ["cc"]}), "population": pd.DataFrame({"t": ["pop"]})}


def test_claim_results_passes_settings_to_per_capita_and_measure(wiring):
    pcs, measured = wiring
    assert claims.claim_results(TABLES, statement_date="2025-09-30", rel_error=0.1, n_sim=300, seed=7, top_k=3) == []
    common = {"cross_country": TABLES["cross_country_pp"], "population": TABLES["population"],
              "reference_date": pd.Timestamp("2025-09-30"),  # no reference date: the statement's
              "rel_error": 0.1, "n_sim": 300, "seed": 7, "definitions": None}
    assert pcs == [common | {"dated_up_to": pd.Timestamp("2025-09-30")}, common | {"dated_up_to": None}]
    [m] = measured
    assert (m["statement_date"], m["pc"], m["pc_later"], m["top_k"]) == (pd.Timestamp("2025-09-30"), {"pc": 1},
                                                                         {"pc": 2}, 3)


def test_claim_results_reference_date_given(wiring):
    pcs, _ = wiring
    claims.claim_results(TABLES, statement_date="2025-12-18", reference_date="2025-11-30")
    assert [p["reference_date"] for p in pcs] == [pd.Timestamp("2025-11-30")] * 2
    assert [(p["n_sim"], p["seed"]) for p in pcs] == [(2000, 2026)] * 2


# --- load_tables: the report verifies the checksums unless told not to -----------------------------
@pytest.mark.parametrize("kwargs, verify", [({}, True), ({"verify": True}, True), ({"verify": False}, False)])
def test_load_tables_verify(monkeypatch, kwargs, verify):
    from analysis.sources import curated

    seen = []
    monkeypatch.setattr(curated, "load", _spy(curated.load, seen, lambda k: pd.DataFrame()))
    assert list(claims.load_tables(**kwargs)) == list(claims.TABLES)
    assert [(a["name"], a["verify"]) for a in seen] == [(n, verify) for n in claims.TABLES]
