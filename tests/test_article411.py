"""Tests of analysis.stats.article411 (fast: a few seconds)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.errors import UsageError
from analysis.stats import article411 as a
from analysis.stats import sentencing as s


def _other_figures() -> pd.DataFrame:
    return pd.DataFrame({
        "as_of_date": pd.to_datetime(["2024-07-30", "2023-10-31", "2023-10-31", None, "2022-01-01"]),
        "as_of_date_text": ["2024-07-30", "2023-10-31", "2023-10-31", None, "2022-01-01"],
        "metric": ["art411_cases", "transferred_to_prison_regime", "art411_cases", "art411_cases", "deaths_total"],
        "value": ["46", "59", "29", "10", "5"], "qualifier": ["at_least"] * 5, "source_org": ["Viasna"] * 5,
        "source_url": [f"https://example.org/{i}" for i in range(5)],
        "source_published": pd.to_datetime(["2024-07-31", "2023-11-02", "2023-11-02", None, None]),
        "notes": [None] * 5,
    })


def test_curated_figures_keep_sources_sorted_by_date_and_metric_order():
    out = a.curated_figures(_other_figures())
    assert list(out["metric"]) == ["art411_cases", "transferred_to_prison_regime", "art411_cases", "art411_cases"]
    assert list(out["date"]) == ["2023-10-31", "2023-10-31", "2024-07-30", ""]
    assert out["value"].tolist()[:3] == [29.0, 59.0, 46.0]
    assert out["source_url"].notna().all() and out["what"].notna().all()
    with pytest.raises(UsageError):
        a.curated_figures(_other_figures().drop(columns="source_url"))


def test_context_events_match_411_only():
    le = pd.DataFrame({
        "event_date": pd.to_datetime(["2025-06-26", "2015-02-26", "2021-05-26", "2024-08-01"]),
        "event_type": ["un_statement", "crackdown", "law_adopted", "crackdown"],
        "title": ["terms extended (Art. 411)", "one more year under Art. 411", "Law No. 112-Z", "two more years"],
        "description": ["", "", "mentions 4110 only", "for malicious disobedience"],
        "source_org": ["x"] * 4, "source_url": ["u"] * 4,
    })
    out = a.context_events(le)
    assert list(out["date"]) == ["2015-02-26", "2024-08-01", "2025-06-26"]


def _people() -> pd.DataFrame:
    d = pd.to_datetime
    return pd.DataFrame({
        "record_id": ["r1", "r2", "r3", "r4", "r5", "r6"],
        "person_id": ["p1", "p1", "p2", "p3", "p4", "p4"],
        "status": ["former", "current", "current", "not_recognised", "current", "current"],
        "penalty_type": ["imprisonment", "imprisonment", "fine", "imprisonment", "imprisonment", "restricted_freedom"],
        "articles": ["342", "411", "361-1", "342", "130", "4110"],
        "article_family": ["protest", "prison_disobedience", "extremism", "protest", "extremism", "other"],
        "detention_date": d(["2020-09-01", "2022-08-01", "2021-01-01", "2021-02-01", None, "2023-01-01"]),
        "verdict_date": d(["2020-12-01", "2022-08-20", "2021-05-01", "2021-06-01", "2019-05-01", "2023-05-01"]),
        "detention_precision": ["day", "day", "day", "day", None, "day"],
        "verdict_precision": ["day", "month", "day", "day", "day", "day"],
        "sentence_months": [24.0, 12.0, np.nan, 30.0, 36.0, 18.0],
        "gender": ["male", "male", "female", "male", "female", "female"],
    })


def test_sentencing_sample_counts_every_step():
    out = a.sentencing_sample(_people(), "2020-08-01", "2026-03-31")
    assert list(out["record_id"]) == ["r1", "r2"]
    assert list(out["verdict_year"]) == ["2020", "2022"] and list(out["detention_cohort"]) == ["2020", "2022"]
    steps = out.attrs["steps"]
    assert steps["records_left"].tolist() == [6, 5, 3, 2, 2]
    assert (steps["records_removed"].iloc[1:].to_numpy() == -np.diff(steps["records_left"])).all()
    with pytest.raises(UsageError):
        a.sentencing_sample(_people(), "2026-01-01", "2020-01-01")


def test_subset_gives_the_same_extensions_as_the_whole_table():
    p = _people()
    sub = a.records_of_people_with(p, "411")
    assert set(sub["person_id"]) == {"p1"}
    full, part = s.extensions_from_records(p), s.extensions_from_records(sub)
    pd.testing.assert_frame_equal(full, part)
    assert full.attrs == part.attrs
    ov = a.extension_overview(full)
    assert ov.loc[0, "inferred_extensions"] == 1 and ov.loc[0, "records_with_411"] == 1
    # r1: detained 2020-09-01 + 24 months -> 2022-09-01; 411 verdict 2022-08-20 is 12 days before
    assert ov.loc[0, "share_before_term_end"] == 1.0
    assert ov.loc[0, "gap_median_months"] == pytest.approx(-12 / s.DAYS_PER_MONTH)
    empty = a.extension_overview(s.extensions_from_records(p.loc[p["person_id"] != "p1"]))
    assert empty.loc[0, "inferred_extensions"] == 0 and np.isnan(empty.loc[0, "gap_median_months"])


EFFECTS = {"fam": {"a": 1.0, "b": 1.5, "c": 3.0}}


def test_coefficient_table_and_truth_check():
    d = s.simulate_sentences(600, EFFECTS, 0.3, seed=11)
    qr = s.quantile_regression(d, terms=["fam"], reference={"fam": "a"}, quantiles=(0.5,), bootstrap=50, seed=2)
    tab = a.coefficient_table(qr)
    assert list(tab.columns) == ["term", "reference", "q50"] and tab.loc[0, "term"] == "Intercept"
    assert tab.loc[1, "q50"].count("[") == 1
    chk = a.check_against_truth(qr, {"a": 24.0, "b": 36.0, "c": 72.0}, term="fam")
    assert list(chk["family"]) == ["b", "c"] and list(chk["true_difference"]) == [12.0, 48.0]
    assert chk["covered"].all()
