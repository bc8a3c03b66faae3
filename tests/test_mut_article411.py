"""analysis.stats.article411 field by field on hand-made tables, against the mutants that test_article411.py let
through (docs/MUTATION.md). Every expected value is written out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.errors import UsageError
from analysis.stats import article411 as a


def _figures(with_optional: bool = True) -> pd.DataFrame:
    d = pd.DataFrame({
        "as_of_date": pd.to_datetime(["2023-10-31", "2023-10-31", "2024-07-30"]),
        "metric": ["art411_cases", "transferred_to_prison_regime", "art411_cases"],
        "value": ["29", "59", "46"], "qualifier": ["at_least", "exact", "at_least"],
        "source_org": ["Viasna", "Nasha Niva", "Viasna"], "source_url": ["u1", "u2", "u3"],
    })
    if with_optional:
        d["as_of_date_text"] = ["2023-10", None, "2024-07-30"]
        d["source_published"] = pd.to_datetime(["2023-11-02", "2023-11-03", "2024-07-31"])
        d["notes"] = ["n1", None, "n3"]
    return d


def test_curated_figures_every_column():
    out = a.curated_figures(_figures())
    assert list(out.columns) == ["date", "as_of_date", "metric", "what", "value", "qualifier", "source_org",
                                 "source_published", "source_url", "notes"]
    assert out["date"].tolist() == ["2023-10", "2023-10-31", "2024-07-30"]  # stated precision, else ISO date
    assert out["what"].tolist()[:2] == ["political prisoners with a new Art. 411 case (cumulative)",
                                        "political prisoners moved to prison regime for 'violations' (cumulative)"]
    assert out["value"].tolist() == [29.0, 59.0, 46.0]
    assert out["qualifier"].tolist() == ["at_least", "exact", "at_least"]
    assert out["source_org"].tolist() == ["Viasna", "Nasha Niva", "Viasna"]
    assert out["source_published"].tolist() == ["2023-11-02", "2023-11-03", "2024-07-31"]
    assert out["source_url"].tolist() == ["u1", "u2", "u3"] and out["notes"].tolist()[::2] == ["n1", "n3"]
    assert out.index.tolist() == [0, 1, 2]


def test_curated_figures_without_optional_columns_and_with_own_metrics():
    out = a.curated_figures(_figures(with_optional=False), metrics={"transferred_to_prison_regime": "moved",
                                                                    "art411_cases": "cases"})
    assert out["metric"].tolist() == ["transferred_to_prison_regime", "art411_cases", "art411_cases"]  # same day: metric order
    assert out["what"].tolist() == ["moved", "cases", "cases"]
    assert out["date"].tolist() == ["2023-10-31", "2023-10-31", "2024-07-30"]
    assert out["source_published"].isna().all() and out["notes"].isna().all()
    with pytest.raises(UsageError, match=r"other_figures lacks columns \['qualifier', 'source_url'\]"):
        a.curated_figures(_figures().drop(columns=["qualifier", "source_url"]))


def test_context_events_columns_case_and_order():
    le = pd.DataFrame({
        "event_date": pd.to_datetime(["2024-08-01", "2024-08-01", "2020-01-01"]),
        "event_date_text": ["2024-08", "2024-08", "2020"],
        "event_type": ["crackdown", "law", "other"],
        "title": ["b: MALICIOUS DISOBEDIENCE", "a: Art. 411", "nothing"],
        "description": [None, None, None], "source_org": ["o1", "o2", "o3"], "source_url": ["u1", "u2", "u3"],
    })
    out = a.context_events(le)
    assert out.to_dict("list") == {"date": ["2024-08", "2024-08"], "event_type": ["law", "crackdown"],
                                   "title": ["a: Art. 411", "b: MALICIOUS DISOBEDIENCE"],
                                   "source_org": ["o2", "o1"], "source_url": ["u2", "u1"]}


def _records() -> pd.DataFrame:
    d = pd.to_datetime
    return pd.DataFrame({
        "status": ["current", "former", "current", "current", "current"],
        "penalty_type": ["imprisonment", "imprisonment", "fine", "imprisonment", "imprisonment"],
        "verdict_date": d(["2021-01-01", "2021-12-31", "2021-06-01", "2020-12-31", "2021-03-01"]),
        "detention_date": d(["2020-06-01", None, "2021-01-01", "2020-01-01", "2020-12-01"]),
        "sentence_months": [24.0, 36.0, np.nan, 12.0, np.nan],
    })


def test_sentencing_sample_window_is_inclusive_and_steps_are_labelled():
    out = a.sentencing_sample(_records(), "2021-01-01", "2021-12-31")
    assert out["verdict_year"].tolist() == ["2021", "2021"]
    assert out["detention_cohort"].tolist() == ["2020", "unknown"]
    assert out.index.tolist() == [0, 1]
    steps = out.attrs["steps"]
    assert steps.to_dict("list") == {
        "step": ["all records", "status in current, former", "penalty type imprisonment",
                 "verdict dated 2021-01-01 to 2021-12-31", "term stated in months"],
        "records_left": [5, 5, 4, 3, 2], "records_removed": [0, 0, 1, 1, 1]}


def test_sentencing_sample_own_statuses_and_penalties_and_errors():
    out = a.sentencing_sample(_records(), "2020-01-01", "2021-12-31", statuses=("former",),
                              penalty_types=("imprisonment", "fine"))
    assert out["verdict_date"].tolist() == [pd.Timestamp("2021-12-31")]
    assert out.attrs["steps"]["step"].tolist()[1:3] == ["status in former", "penalty type imprisonment, fine"]
    with pytest.raises(UsageError, match=r"people table lacks columns \['status'\]"):
        a.sentencing_sample(_records().drop(columns="status"), "2020-01-01", "2021-12-31")
    with pytest.raises(UsageError, match="end 2020-01-01 is before start 2021-01-01"):
        a.sentencing_sample(_records(), "2021-01-01", "2020-01-01")
    same_day = a.sentencing_sample(_records(), "2021-01-01", "2021-01-01")
    assert len(same_day) == 1


def test_extension_overview_quartiles_and_attrs():
    ext = pd.DataFrame({"gap_months": [-4.0, 0.0, 2.0, 6.0, np.nan], "before_term_end": [True, False, False, False, None]})
    ext.attrs = {"n_411_records": 7, "n_no_verdict_date": 1, "n_without_earlier": 1}
    ov = a.extension_overview(ext).iloc[0].to_dict()
    assert ov == {"records_with_411": 7, "411_without_verdict_date": 1, "411_first_record_of_person": 1,
                  "inferred_extensions": 5, "with_gap": 4, "gap_median_months": 1.0,
                  "gap_q25_months": -1.0, "gap_q75_months": 3.0, "share_before_term_end": 0.25}
    empty = a.extension_overview(pd.DataFrame({"gap_months": [], "before_term_end": []})).iloc[0]
    assert np.isnan(empty["records_with_411"]) and np.isnan(empty["gap_q25_months"])
    assert np.isnan(empty["gap_q75_months"]) and np.isnan(empty["share_before_term_end"])


def _qr() -> pd.DataFrame:
    return pd.DataFrame({
        "term": ["Intercept", "fam[T.b]", "Intercept", "fam[T.b]", "fam[T.c]"],
        "quantile": [0.5, 0.5, 0.25, 0.25, 0.5], "estimate": [24.04, 11.96, 18.0, 6.0, 50.0],
        "ci_low": [20.0, 8.0, np.nan, 1.0, 40.0], "ci_high": [28.0, 16.0, np.nan, 11.0, 45.0],
        "reference": ["", "a", "", "a", "a"]})


def test_coefficient_table_text():
    tab = a.coefficient_table(_qr(), decimals=0)
    assert tab.to_dict("list") == {"term": ["Intercept", "fam[T.b]", "fam[T.c]"], "reference": ["", "a", "a"],
                                   "q25": ["18", "6 [1, 11]", np.nan], "q50": ["24 [20, 28]", "12 [8, 16]", "50 [40, 45]"]}
    assert a.coefficient_table(_qr()).loc[0, "q50"] == "24.0 [20.0, 28.0]"


def test_check_against_truth_by_quantile_and_reference():
    chk = a.check_against_truth(_qr(), {"a": 24.0, "b": 36.0, "c": 72.0}, term="fam")
    assert chk.to_dict("list") == {"family": ["b", "c"], "true_difference": [12.0, 48.0], "estimate": [11.96, 50.0],
                                   "ci_low": [8.0, 40.0], "ci_high": [16.0, 45.0], "covered": [True, False]}
    q25 = a.check_against_truth(_qr(), {"a": 24.0, "b": 36.0}, term="fam", quantile=0.25)
    assert q25["estimate"].tolist() == [6.0] and q25["covered"].tolist() == [False]
    assert a.check_against_truth(_qr(), {"b": 36.0, "c": 72.0}, term="fam").empty  # reference family unknown
    none = a.check_against_truth(_qr(), {"a": 1.0}, term="other")
    assert list(none.columns) == ["family", "true_difference", "estimate", "ci_low", "ci_high", "covered"]


def test_sample_index_is_fresh_and_records_default_to_article_411():
    out = a.sentencing_sample(_records(), "2021-01-01", "2021-12-31")
    assert "index" not in out.columns and "level_0" not in out.columns
    p = pd.DataFrame({"person_id": ["p1", "p1", "p2"], "articles": ["342", "411", "342"]})
    assert a.records_of_people_with(p)["person_id"].tolist() == ["p1", "p1"]


def test_extension_overview_without_attrs_gives_missing_numbers():
    empty = a.extension_overview(pd.DataFrame({"gap_months": [], "before_term_end": []})).iloc[0]
    assert np.isnan(empty["411_without_verdict_date"]) and np.isnan(empty["411_first_record_of_person"])


def test_coefficient_table_keeps_term_order_and_labels_quantiles():
    qr = pd.DataFrame({"term": ["Intercept", "z[T.b]", "a[T.c]"], "quantile": [0.75, 0.75, 0.75],
                       "estimate": [1.0, 2.0, 3.0], "ci_low": [np.nan] * 3, "ci_high": [np.nan] * 3,
                       "reference": [None, "a", "x"]})
    tab = a.coefficient_table(qr)
    assert tab.to_dict("list") == {"term": ["Intercept", "z[T.b]", "a[T.c]"], "reference": ["", "a", "x"],
                                   "q75": ["1.0", "2.0", "3.0"]}
    assert tab.columns.name is None


def test_check_against_truth_interval_ends_count_as_covered_and_default_term():
    qr = pd.DataFrame({"term": ["article_family[T.b]", "article_family[T.c]"], "quantile": [0.5, 0.5],
                       "estimate": [10.0, 40.0], "ci_low": [12.0, 30.0], "ci_high": [20.0, 48.0],
                       "reference": ["a", "a"]})
    chk = a.check_against_truth(qr, {"a": 24.0, "b": 36.0, "c": 72.0})
    assert chk["true_difference"].tolist() == [12.0, 48.0] and chk["covered"].tolist() == [True, True]
