"""stats.sentencing: Art. 411 extensions inferred from several records, the 411 summary's columns, _add_months."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.errors import UsageError
from analysis.stats import sentencing as s


def _people(rows):
    cols = ["person_id", "record_id", "articles", "detention_date", "verdict_date", "sentence_months"]
    return pd.DataFrame(rows, columns=cols)


PEOPLE = _people([
    # A: 24 months from 15 Jan 2020 end on 15 Jan 2022; the 411 verdict a month before: gap -31 days
    ("A", "a1", "342", "2020-01-15", "2020-06-01", 24.0),
    ("A", "a2", "411", None, "2021-12-15", 12.0),
    # B: the 411 verdict on the very day the term ends: gap 0, not before the end
    ("B", "b1", "342;130", "2020-01-15", "2020-05-01", 24.0),
    ("B", "b2", "411", None, "2022-01-15", 6.0),
    # C: a 411 record with no earlier record
    ("C", "c1", "411", "2021-03-01", "2021-09-01", 12.0),
    # D: the earlier record has no sentence in months
    ("D", "d1", "342", "2020-02-01", "2020-07-01", None),
    ("D", "d2", "411", None, "2021-07-01", 12.0),
    # E: a 411 record without a verdict date cannot be ordered
    ("E", "e1", "411", "2021-01-01", None, 6.0),
])


def test_extensions_by_hand():
    out = s.extensions_from_records(PEOPLE)
    assert list(out.columns) == s.EXTENSION_COLUMNS
    assert out["person_id"].tolist() == ["A", "B", "D"]
    assert out["earlier_record_id"].tolist() == ["a1", "b1", "d1"]
    assert out["later_record_id"].tolist() == ["a2", "b2", "d2"]
    assert out["earlier_articles"].tolist() == ["342", "342;130", "342"]
    assert out["later_articles"].tolist() == ["411", "411", "411"]
    assert out["earlier_has_411"].tolist() == [False, False, False]
    assert out["expected_release"].iloc[0] == pd.Timestamp("2022-01-15")
    assert out["gap_days"].iloc[:2].tolist() == [-31.0, 0.0] and np.isnan(out["gap_days"].iloc[2])
    assert out["gap_days"].dtype == float and out["gap_months"].dtype == float
    assert out["gap_months"].iloc[0] == pytest.approx(-31 / (365.25 / 12))
    assert out["before_term_end"].tolist()[:2] == [True, False] and pd.isna(out["before_term_end"].iloc[2])
    assert out["reason"].tolist() == ["", "", "earlier record has no sentence in months"]
    assert out.attrs == {"n_411_records": 5, "n_without_earlier": 1, "n_no_verdict_date": 1}


def test_extensions_name_the_missing_columns():
    with pytest.raises(UsageError, match=r"lacks columns \['verdict_date'\]"):
        s.extensions_from_records(PEOPLE.drop(columns="verdict_date"))


def test_add_months_skips_missing_values_and_keeps_going():
    dates = pd.Series([pd.NaT, pd.Timestamp("2020-01-31"), pd.Timestamp("2020-01-15"), pd.Timestamp("2021-03-01")])
    months = pd.Series([12.0, 1.0, np.nan, 1.5])
    out = s._add_months(dates, months)
    assert pd.isna(out.iloc[0]) and pd.isna(out.iloc[2])
    assert out.iloc[1] == pd.Timestamp("2020-02-29")  # calendar month, clipped to the month's end
    assert out.iloc[3] == pd.Timestamp("2021-04-16")  # + 1 month + round(0.5 * 30.4375) = 15 days


def test_411_summary_counts_the_sentences_it_summarises():
    people = pd.DataFrame({"articles": ["411"] * 6 + ["342"], "verdict_date": ["2022-03-01"] * 7,
                           "sentence_months": [6.0, 12, 12, 18, 24, np.nan, 36]})
    out = s.article_411_summary(people).set_index("period")
    assert out.loc["2022", "n_411"] == 6 and out.loc["2022", "n_411_with_sentence"] == 5
    assert out.loc["all", "n_411_with_sentence"] == 5 and out.loc["2022", "sentence_median"] == 12


def test_add_months_keeps_the_callers_index():
    out = s._add_months(pd.Series([pd.Timestamp("2020-01-15")], index=[7]), pd.Series([2.0], index=[7]))
    assert out.index.tolist() == [7] and out.loc[7] == pd.Timestamp("2020-03-15")


def test_dates_must_be_iso_days():
    assert s._as_date(pd.Series(["2021-02-03"])).tolist() == [pd.Timestamp("2021-02-03")]
    with pytest.raises(ValueError):
        s._as_date(pd.Series(["03.02.2021"]))


def test_an_earlier_record_without_detention_date_says_so():
    people = _people([("F", "f1", "342", None, "2020-06-01", 24.0), ("F", "f2", "411", None, "2021-12-15", 6.0)])
    out = s.extensions_from_records(people)
    assert out["reason"].tolist() == ["earlier record has no detention date"]
    assert out["later_verdict_date"].tolist() == [pd.Timestamp("2021-12-15")]
    assert pd.isna(out["expected_release"].iloc[0]) and np.isnan(out["gap_months"].iloc[0])


def test_boot_median_ci_equals_a_plain_loop_over_resamples():
    """Same generator stream, one resample at a time: the chunked version gives the same percentiles."""
    values = np.array([3.0, 6, 6, 9, 12, 12, 18, 24, 36, 60])
    lo, hi = s._boot_median_ci(values, 300, 0.1, np.random.default_rng(4))
    rng = np.random.default_rng(4)
    meds = [np.median(values[rng.integers(0, len(values), len(values))]) for _ in range(300)]
    assert (lo, hi) == (np.percentile(meds, 5), np.percentile(meds, 95))


def test_two_bootstrap_replicates_are_enough_for_an_interval():
    d = pd.DataFrame({"sentence_months": np.arange(1.0, 31.0)})
    out = s.quantile_regression(d, quantiles=(0.5,), bootstrap=2, seed=1)
    row = out.iloc[0]
    assert row["n_boot"] == 2 and np.isfinite(row["ci_low"]) and np.isfinite(row["ci_high"])
    assert row["ci_method"] == "paired bootstrap percentile, exact LP fits (B=2, seed=1)"
    assert list(out.columns) == s.QR_COLUMNS + ["param", "reference", "ci_method", "n_boot"]


def test_sentence_summary_quantiles_attrs_and_default_seed():
    df = pd.DataFrame({"g": ["x"] * 6 + [None] * 5, "sentence_months": [6.0, 12, 18, 24, 30, np.nan, 1, 2, 3, 4, 5],
                       "person_id": [f"p{i}" for i in range(11)]})
    out = s.sentence_summary(df, ["g"], n_boot=200)
    x = out.loc[out["g"].eq("x")].iloc[0]
    assert (x["n"], x["median"], x["q25"], x["q75"], x["q90"]) == (5, 18.0, 12.0, 24.0, 27.6)
    assert x["median_ci_low"] <= 18.0 <= x["median_ci_high"] and not x["suppressed"]
    assert out.attrs == {"n_dropped": 1, "threshold": 5, "n_boot": 200, "seed": 0, "alpha": 0.05}
    assert len(out) == 2  # the missing group key is a group of its own
    again = s.sentence_summary(df, ["g"], n_boot=200, seed=0)
    assert again["median_ci_low"].tolist() == out["median_ci_low"].tolist()
