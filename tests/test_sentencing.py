"""Tests of analysis.stats.sentencing (fast: the whole file runs in well under 30 s)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.regression.quantile_regression import QuantReg

from analysis.errors import UsageError
from analysis.stats import sentencing as s

EFFECTS = {"fam": {"a": 1.0, "b": 1.5, "c": 3.0}}


def _design(df: pd.DataFrame) -> pd.DataFrame:
    """Hand-built design: intercept, dummies for b and c (reference a), numeric x."""
    return pd.DataFrame({
        "Intercept": 1.0,
        "fam[T.b]": (df["fam"] == "b").astype(float),
        "fam[T.c]": (df["fam"] == "c").astype(float),
        "x": df["x"].astype(float),
    })


def test_matches_statsmodels_quantreg_on_the_same_design():
    d = s.simulate_sentences(300, EFFECTS, 0.5, seed=7)
    d["x"] = np.random.default_rng(1).normal(size=len(d))
    d.loc[[0, 5], "sentence_months"] = np.nan
    d.loc[9, "fam"] = None
    got = s.quantile_regression(d, terms=["fam", "x"], reference={"fam": "a"}, quantiles=(0.5, 0.9))
    assert got.attrs["n_dropped"] == 3 and got.attrs["n_used"] == 297
    assert (got["n"] == 297).all()
    clean = d.dropna(subset=["sentence_months", "fam", "x"]).reset_index(drop=True)
    X = _design(clean)
    for q in (0.5, 0.9):
        ref = QuantReg(clean["sentence_months"], X).fit(q=q)
        mine = got[got["quantile"] == q].set_index("term").loc[X.columns]
        np.testing.assert_allclose(mine["estimate"], ref.params[X.columns], rtol=1e-8, atol=1e-8)
        ci = ref.conf_int(0.05).loc[X.columns]
        np.testing.assert_allclose(mine["ci_low"], ci[0], rtol=1e-6)
        np.testing.assert_allclose(mine["ci_high"], ci[1], rtol=1e-6)
        np.testing.assert_allclose(mine["p_value"], ref.pvalues[X.columns], rtol=1e-6, atol=1e-300)
    assert list(got.columns[:7]) == s.QR_COLUMNS
    assert set(got.loc[got["term"].str.startswith("fam"), "reference"]) == {"a"}


def test_default_reference_is_most_frequent_level():
    d = pd.DataFrame({"sentence_months": np.arange(30.0), "g": ["x"] * 5 + ["y"] * 20 + ["z"] * 5})
    out = s.quantile_regression(d, terms=["g"], quantiles=(0.5,))
    assert out.attrs["references"] == {"g": "y"}
    with pytest.raises(UsageError):
        s.quantile_regression(d, terms=["g"], reference={"g": "nope"})


def test_recovers_known_conditional_quantiles():
    """Log scale: the simulated model is additive and homoskedastic in log months, so QuantReg's kernel
    CIs are valid. Tolerance: each coefficient's 95% CI must cover the truth in >= 40 of 50 seeded
    replicates (if the true coverage were 95%, P(< 40) is about 0.0002), and overall coverage >= 90%."""
    effects = {**EFFECTS, "reg": {"x": 1.0, "y": 0.7}}
    truth = s.true_quantile_coefficients(effects, 0.5, scale="log")
    hits = []
    for rep in range(50):
        d = s.simulate_sentences(400, effects, 0.5, seed=2000 + rep)
        d["log_months"] = np.log(d["sentence_months"])
        r = s.quantile_regression(d, y="log_months", terms=["fam", "reg"], reference={"fam": "a", "reg": "x"})
        m = r.merge(truth, on=["quantile", "term"], validate="one_to_one")
        assert len(m) == len(truth)
        hits.append(((m["ci_low"] <= m["truth"]) & (m["truth"] <= m["ci_high"])).to_numpy())
    h = np.array(hits)
    assert (h.sum(axis=0) >= 40).all(), h.mean(axis=0)
    assert h.mean() >= 0.90


def test_linear_scale_point_estimates_are_unbiased():
    """Month scale, one factor: point estimates recover the truth (mean over 30 replicates within 3
    Monte-Carlo SEs). CIs are NOT checked here: statsmodels' 'robust' vcov uses one global density at 0,
    so with multiplicative (heteroskedastic) effects it under-covers the high-spread group — use
    bootstrap= or the log scale for inference (documented in quantile_regression)."""
    truth = s.true_quantile_coefficients(EFFECTS, 0.5)
    est = []
    for rep in range(30):
        d = s.simulate_sentences(400, EFFECTS, 0.5, seed=3000 + rep)
        est.append(s.quantile_regression(d, terms=["fam"], reference={"fam": "a"}).merge(truth, on=["quantile", "term"]))
    a = pd.concat(est)
    g = a.groupby(["quantile", "term"]).agg(mean=("estimate", "mean"), sd=("estimate", "std"), truth=("truth", "first"))
    assert ((g["mean"] - g["truth"]).abs() <= 3 * g["sd"] / np.sqrt(30)).all(), g


def test_bootstrap_is_deterministic_with_seed():
    d = s.simulate_sentences(120, EFFECTS, 0.5, seed=3)
    a = s.quantile_regression(d, terms=["fam"], reference={"fam": "a"}, quantiles=(0.5,), bootstrap=15, seed=11)
    b = s.quantile_regression(d, terms=["fam"], reference={"fam": "a"}, quantiles=(0.5,), bootstrap=15, seed=11)
    c = s.quantile_regression(d, terms=["fam"], reference={"fam": "a"}, quantiles=(0.5,), bootstrap=15, seed=12)
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a["ci_low"], c["ci_low"])
    assert (a["n_boot"] == 15).all() and a["ci_method"].str.startswith("paired bootstrap").all()
    assert (a["ci_low"] <= a["estimate"]).all() and (a["estimate"] <= a["ci_high"]).all()
    with pytest.raises(UsageError):
        s.quantile_regression(d, terms=["fam"], bootstrap=10)  # no seed


def test_bootstrap_skips_replicates_missing_a_level():
    d = pd.DataFrame({"sentence_months": np.r_[np.arange(1.0, 41.0), [100.0, 120.0]], "g": ["a"] * 40 + ["rare"] * 2})
    out = s.quantile_regression(d, terms=["g"], quantiles=(0.5,), bootstrap=30, seed=0)
    rare = out[out["term"] == "g[T.rare]"].iloc[0]
    assert 0 < rare["n_boot"] < 30  # some resamples lack 'rare' and give no value, never a fake zero
    assert out.loc[out["term"] == "Intercept", "n_boot"].iloc[0] == 30


def test_sentence_summary_suppresses_small_cells_and_is_seeded():
    d = pd.DataFrame({
        "g": ["big"] * 12 + ["five"] * 5 + ["four"] * 4 + [None] * 6,
        "sentence_months": list(np.arange(1.0, 13.0)) + [10.0] * 5 + [1.0, 2.0, 3.0, 4.0] + [5.0] * 5 + [np.nan],
    })
    out = s.sentence_summary(d, ["g"], n_boot=200, seed=1).set_index("g", drop=False)
    assert out.attrs["n_dropped"] == 1
    assert out.loc["four", "suppressed"] and out.loc["four", ["median", "q25", "q90", "median_ci_low"]].isna().all()
    assert out.loc["four", "n"] == 4
    assert not out.loc["five", "suppressed"] and out.loc["five", "median"] == 10.0
    assert out.loc["big", "median"] == 6.5 and out.loc["big", "q25"] == np.quantile(np.arange(1, 13), 0.25)
    na_row = out[out["g"].isna()].iloc[0]  # NA key kept as its own group: 5 stated sentences
    assert na_row["n"] == 5 and not na_row["suppressed"]
    again = s.sentence_summary(d, ["g"], n_boot=200, seed=1)
    pd.testing.assert_frame_equal(out.reset_index(drop=True), again)
    # a group's CI does not depend on which other groups exist
    alone = s.sentence_summary(d[d["g"] == "big"], ["g"], n_boot=200, seed=1)
    assert alone["median_ci_low"].iloc[0] == out.loc["big", "median_ci_low"]


def test_article_411_regex_is_exact():
    codes = pd.Series(["411", "4110", "1411", "342;411", "411;342", "411-1", "342;4110;1411", None, "130-1;411;369"])
    assert s.has_article(codes).tolist() == [True, False, False, True, True, False, False, False, True]


def _people() -> pd.DataFrame:
    rows = [
        # person A: 36-month sentence from 2021-01-10, then a 411 verdict on 2023-06-15 (before the term ends)
        ("a1", "A", "342", "2021-01-10", "2021-05-01", 36.0, "day", "day"),
        ("a2", "A", "411", "2021-01-10", "2023-06-15", 12.0, "day", "day"),
        # person B: only one record, with 411 -> no earlier record
        ("b1", "B", "342;411", "2022-03-01", "2022-08-01", 24.0, "day", "day"),
        # person C: earlier record with 30.5 months and month precision; later 411 after the term ended
        ("c1", "C", "369", "2020-09-01", "2020-12-01", 30.5, "month", "day"),
        ("c2", "C", "411", "2023-04-01", "2023-06-20", 10.0, "day", "day"),
        # person D: 4110 and 1411 are not 411; earlier record without sentence
        ("d1", "D", "4110", "2021-01-01", "2021-03-01", np.nan, "day", "day"),
        ("d2", "D", "1411;411", "2022-01-01", "2022-05-01", 6.0, "day", "day"),
        # person E: a 411 record without verdict date cannot be ordered
        ("e1", "E", "342", "2021-01-01", "2021-04-01", 24.0, "day", "day"),
        ("e2", "E", "411", "2021-01-01", None, 6.0, "day", None),
        # person F: two 411 records: the later one's earlier record is itself a 411 record
        ("f1", "F", "342", "2020-10-01", "2021-02-01", 24.0, "day", "day"),
        ("f2", "F", "411", "2020-10-01", "2022-01-10", 12.0, "day", "day"),
        ("f3", "F", "411", "2020-10-01", "2023-01-10", 12.0, "day", "day"),
    ]
    cols = ["record_id", "person_id", "articles", "detention_date", "verdict_date", "sentence_months",
            "detention_precision", "verdict_precision"]
    return pd.DataFrame(rows, columns=cols)


def test_extensions_from_records():
    out = s.extensions_from_records(_people()).set_index("later_record_id")
    assert sorted(out.index) == ["a2", "c2", "d2", "f2", "f3"]
    assert out.attrs == {"n_411_records": 7, "n_without_earlier": 1, "n_no_verdict_date": 1}
    a = out.loc["a2"]
    assert a["earlier_record_id"] == "a1" and a["expected_release"] == pd.Timestamp("2024-01-10")
    assert a["gap_days"] == (pd.Timestamp("2023-06-15") - pd.Timestamp("2024-01-10")).days  # -209
    assert a["before_term_end"] and not a["approximate"] and a["reason"] == ""
    c = out.loc["c2"]  # 30 calendar months + 0.5 * 30.4375 days (rounded to 15)
    assert c["expected_release"] == pd.Timestamp("2023-03-01") + pd.Timedelta(days=15)
    assert c["gap_days"] == (pd.Timestamp("2023-06-20") - pd.Timestamp("2023-03-16")).days
    assert not c["before_term_end"] and c["approximate"]
    d = out.loc["d2"]
    assert pd.isna(d["gap_days"]) and "no sentence" in d["reason"]
    assert out.loc["f3", "earlier_record_id"] == "f2" and out.loc["f3", "earlier_has_411"]
    assert out.loc["f2", "earlier_record_id"] == "f1" and not out.loc["f2", "earlier_has_411"]


def test_article_411_summary():
    out = s.article_411_summary(_people(), threshold=2).set_index("period")
    assert list(out.index) == ["2020", "2021", "2022", "2023", "unknown", "all"]
    assert out.loc["all", "n_records"] == 12 and out.loc["all", "n_411"] == 7
    assert out.loc["all", "share_of_all"] == pytest.approx(7 / 12)
    assert out.loc["2021", "n_records"] == 4 and out.loc["2021", "n_411"] == 0  # d1's 4110 is not 411
    assert out.loc["2022", "n_records"] == 3 and out.loc["2022", "n_411"] == 3  # b1, d2, f2
    assert out.loc["2022", "share_of_year"] == pytest.approx(1.0)
    assert out.loc["2022", "share_of_all"] == pytest.approx(3 / 12)
    # threshold=2 is clamped up to the minimum of 5: three sentences (24, 6, 12) are too few to summarise
    assert pd.isna(out.loc["2022", "sentence_median"]) and out.loc["2022", "sentence_suppressed"]
    assert out.loc["2020", "n_411"] == 0 and out.loc["2020", "sentence_suppressed"]
    assert out.loc["unknown", "n_411"] == 1 and pd.isna(out.loc["unknown", "verdict_year"])
    assert "does not link" in out.attrs["caveat"]


def test_simulate_is_seeded_and_truth_is_consistent():
    a = s.simulate_sentences(5000, EFFECTS, 0.4, seed=9)
    pd.testing.assert_frame_equal(a, s.simulate_sentences(5000, EFFECTS, 0.4, seed=9))
    truth = s.true_quantile_coefficients(EFFECTS, 0.4, quantiles=(0.9,)).set_index("term")["truth"]
    emp_a = a.loc[a["fam"] == "a", "sentence_months"].quantile(0.9)
    emp_c = a.loc[a["fam"] == "c", "sentence_months"].quantile(0.9)
    assert emp_a == pytest.approx(truth["Intercept"], rel=0.06)
    assert emp_c - emp_a == pytest.approx(truth["fam[T.c]"], rel=0.08)
    with pytest.raises(UsageError):
        s.true_quantile_coefficients({**EFFECTS, "r": {"x": 1, "y": 2}}, 0.4)  # linear + 2 factors


EXACT_EFFECTS = {"fam": {"a": 1.0, "b": 1.5, "c": 3.0}}


def test_bootstrap_lp_estimates_match_statsmodels_on_continuous_data():
    """Exact LP point estimates equal IRLS (statsmodels QuantReg) where the minimiser is unique."""
    d = s.simulate_sentences(300, EXACT_EFFECTS, 0.5, seed=3)
    kernel = s.quantile_regression(d, terms=["fam"], reference={"fam": "a"})
    boot = s.quantile_regression(d, terms=["fam"], reference={"fam": "a"}, bootstrap=40, seed=1)
    assert list(boot["term"]) == list(kernel["term"]) and (boot["n_boot"] == 40).all()
    np.testing.assert_allclose(boot["estimate"], kernel["estimate"], atol=0.05 * d["sentence_months"].std())


def test_bootstrap_lp_reaches_the_minimum_check_loss_on_tied_data():
    """On whole-quarter sentences (many ties) the LP solution's check loss is never above IRLS's."""
    d = s.simulate_sentences(400, EXACT_EFFECTS, 0.4, seed=5)
    d["sentence_months"] = (d["sentence_months"] / 3).round().clip(lower=1) * 3
    irls = s.quantile_regression(d, terms=["fam"], reference={"fam": "a"}, quantiles=(0.5, 0.9))
    exact = s.quantile_regression(d, terms=["fam"], reference={"fam": "a"}, quantiles=(0.5, 0.9), bootstrap=5, seed=0)
    X = np.column_stack([np.ones(len(d)), d["fam"] == "b", d["fam"] == "c"]).astype(float)
    y = d["sentence_months"].to_numpy()
    for q in (0.5, 0.9):
        def loss(tab):
            b = tab.loc[tab["quantile"] == q].set_index("term").loc[["Intercept", "fam[T.b]", "fam[T.c]"], "estimate"]
            r = y - X @ b.to_numpy()
            return np.sum(np.where(r >= 0, q, q - 1) * r)
        assert loss(exact) <= loss(irls) + 1e-9


def _art411_records(n411: int) -> pd.DataFrame:
    """n411 records with Art. 411 (sentences 6, 12, ...) and three without, all with a 2023 verdict."""
    return pd.DataFrame({
        "articles": ["411"] * n411 + ["342"] * 3,
        "verdict_date": pd.to_datetime(["2023-05-01"] * (n411 + 3)),
        "sentence_months": [6.0 * (i + 1) for i in range(n411)] + [24.0] * 3,
    })


@pytest.mark.parametrize("n411, suppressed", [(4, True), (5, False), (6, False)])
def test_article_411_summary_small_cell_boundary(n411, suppressed):
    """At 4 sentences the statistics are hidden, at exactly 5 they are shown (catches `<` → `<=`)."""
    out = s.article_411_summary(_art411_records(n411)).set_index("period")
    assert bool(out.loc["2023", "sentence_suppressed"]) is suppressed
    assert pd.isna(out.loc["2023", "sentence_median"]) is suppressed
    if not suppressed:
        assert out.loc["2023", "sentence_median"] == np.median([6.0 * (i + 1) for i in range(n411)])


def test_article_411_summary_threshold_cannot_go_below_five():
    out = s.article_411_summary(_art411_records(4), threshold=1).set_index("period")
    assert out.loc["2023", "sentence_suppressed"] and pd.isna(out.loc["2023", "sentence_median"])


@pytest.mark.parametrize("people, suppressed", [(4, True), (5, False)])
def test_sentence_summary_counts_people_not_records(people, suppressed):
    """Six records of four people (re-arrests) are still a group of four people; five people are enough."""
    ids = [f"p{i}" for i in range(people)]
    ids = ids + ids[: 6 - people] if people < 6 else ids
    d = pd.DataFrame({"g": "x", "person_id": ids, "sentence_months": np.arange(1.0, len(ids) + 1)})
    out = s.sentence_summary(d, ["g"], n_boot=50, seed=0)
    assert bool(out["suppressed"].iloc[0]) is suppressed
    assert pd.isna(out["median"].iloc[0]) is suppressed
