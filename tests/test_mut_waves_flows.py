"""Release waves, flows and custody figures, field by field, against the mutants the first tests let through
(docs/MUTATION.md). Expected values are worked out by hand from the rules in each module's docstring."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.stats import custody, flows, waves

COLS = ["event_id", "event_date", "released_count", "count_qualifier", "count_scope", "exiled_count",
        "mechanism", "destination", "brokered_by", "notable_people", "source_org", "source_url", "is_primary"]


def _events(rows):
    df = pd.DataFrame(rows, columns=COLS)
    df["event_date"] = pd.to_datetime(df["event_date"])
    df["exiled_count"] = df["exiled_count"].astype("Int64")
    return df


EVENTS = _events([  # written out of date order on purpose
    ("E5", "2025-03-01", 4, "at_least", "named", None, "deportation_exile", "unknown", None, "A; B", "O5", "u5", 1),
    ("E1", "2024-01-10", 3, "exact", "named", None, "pardon", "remained_in_Belarus", "US", "C", "O1", "u1", 1),
    ("E2", "2024-02-10", 20, "exact", "all_pardoned", 12, "pardon", "mixed", None, None, "O2", "u2", 1),
    ("E2", "2024-02-10", 20, "exact", "all_pardoned", 5, "pardon", "mixed", None, None, "O2b", "u2b", 0),
    ("E3", "2024-03-10", 30, "exact", "all_released", None, "pardon", "mixed", "EU", None, "O3", "u3", 1),
    ("E3", "2024-03-10", 30, "exact", "all_released", 9, "pardon", "mixed", "EU", None, "O3b", "u3b", 0),
    ("E3", "2024-03-10", 30, "exact", "all_released", 11, "pardon", "mixed", "EU", None, "O3c", "u3c", 0),
    ("E4", "2024-04-10", 10, "exact", "all_pardoned", None, "pardon", "unknown", None, None, "O4", "u4", 1),
])


def test_primary_waves_every_field():
    w = waves.primary_waves(EVENTS)
    assert w["event_id"].tolist() == ["E1", "E2", "E3", "E4", "E5"]  # sorted by date, one row per event
    assert w.index.tolist() == [0, 1, 2, 3, 4]
    assert w["released"].tolist() == [3, 20, 30, 10, 4]
    assert str(w["exiled"].dtype) == str(w["released"].dtype) == "Float64"  # nullable: unknown stays <NA>
    assert w["exiled"].tolist()[:3] == [0, 12, 9] and pd.isna(w.loc[3, "exiled"]) and w.loc[4, "exiled"] == 4
    assert w["exiled_basis"].tolist() == ["whole wave stayed in Belarus", "stated by the primary source",
                                          "stated by another source", "not stated", "whole wave: destination abroad"]
    assert w["exiled_share"].tolist()[:3] == [0.0, 0.6, 0.3] and w.loc[4, "exiled_share"] == 1.0
    assert w["single_release"].tolist() == [True, False, False, False, False]  # 3 freed is single, 4 is not
    assert w["foreign_brokered"].tolist() == [True, False, True, False, False]
    row = w.loc[4]
    assert (row["qualifier"], row["count_scope"], row["mechanism"], row["destination"], row["brokered_by"],
            row["notable_people"], row["source_org"], row["source_url"]) == (
        "at_least", "named", "deportation_exile", "unknown", None, "A; B", "O5", "u5")
    assert list(w.columns) == ["event_id", "event_date", "released", "qualifier", "count_scope", "mechanism",
                               "destination", "exiled", "exiled_basis", "brokered_by", "notable_people",
                               "source_org", "source_url", "exiled_share", "single_release", "foreign_brokered"]


def test_primary_waves_window_is_inclusive():
    assert waves.primary_waves(EVENTS, "2024-02-10", "2024-03-10")["event_id"].tolist() == ["E2", "E3"]
    assert waves.primary_waves(EVENTS, start="2024-03-11")["event_id"].tolist() == ["E4", "E5"]
    assert waves.primary_waves(EVENTS, end="2024-01-10")["event_id"].tolist() == ["E1"]


def test_wave_summary_kinds_and_totals():
    s = waves.wave_summary(waves.primary_waves(EVENTS)).set_index("kind")
    # E1 single (3 freed, though US-brokered); E3 foreign-brokered; E2, E4 domestic; E5 (4 freed) domestic
    assert s.index.tolist() == ["domestic decree", "foreign-brokered", "single negotiated release", "all"]
    assert s["events"].tolist() == [3, 1, 1, 5]
    assert s["released"].tolist() == [34, 30, 3, 67]
    assert s["released_with_known_destination"].tolist() == [24, 30, 3, 57]  # E4's 10 unknown
    assert s["exiled"].tolist() == [16, 9, 0, 25]
    assert s["exiled_share_of_known"].tolist() == pytest.approx([16 / 24, 0.3, 0.0, 25 / 57])


# ── flows ────────────────────────────────────────────────────────────────────────────────────────
def _stock(values, observed=None, column="currently_held"):
    months = pd.date_range("2024-01-01", periods=len(values), freq="MS")
    return pd.DataFrame({"month": months, column: values, "observed": observed or [True] * len(values)})


def test_flow_balance_every_column():
    f = pd.DataFrame({"month": pd.to_datetime(["2024-02-01", "2024-03-01"]), "new_recognized": [30.0, 20.0],
                      "new_recognized_partial": [False, pd.NA], "released": [7.0, np.nan],
                      "released_partial": [True, pd.NA]})
    stock = _stock([100.0, 110.0, 95.0], column="held").assign(upper=[120.0, 130.0, 99.0])  # two value columns
    b = flows.flow_balance(stock, f, value="held")
    assert list(b.columns) == ["month", "stock", "net_change", "inflow", "implied_outflow", "stated_releases",
                               "stated_releases_partial"]
    assert b["stock"].tolist() == [100.0, 110.0, 95.0]
    assert b["net_change"].tolist()[1:] == [10.0, -15.0] and pd.isna(b.loc[0, "net_change"])
    # March's inflow has no partial flag: not known to be whole, so no inflow and no implied outflow
    assert b.loc[1, "inflow"] == 30.0 and pd.isna(b.loc[2, "inflow"])
    assert b.loc[1, "implied_outflow"] == 20.0 and pd.isna(b.loc[2, "implied_outflow"])
    assert b.loc[1, "stated_releases"] == 7.0 and b.loc[1, "stated_releases_partial"] is True


def test_period_means_open_end_one_month_and_alpha():
    b = pd.DataFrame({"month": pd.date_range("2024-01-01", periods=4, freq="MS"),
                      "inflow": [10.0, 20.0, 30.0, 40.0], "implied_outflow": [np.nan, np.nan, np.nan, 5.0],
                      "net_change": 0.0})
    m = flows.period_means(b, {"late": ("2024-03-01", None)}, alpha=0.10)
    assert m["period"].tolist() == ["late"] * 3 and m["start"].tolist() == ["2024-03-01"] * 3
    assert m["end"].tolist() == ["2024-04-01"] * 3  # an open end runs to the last month
    m = m.set_index("measure")
    assert m.loc["inflow", "n_months"] == 2 and m.loc["inflow", "mean_per_month"] == 35.0
    half = 6.313751514675041 * np.std([30, 40], ddof=1) / np.sqrt(2)  # t(0.95, 1) for a 90% interval
    assert m.loc["inflow", "ci_low"] == pytest.approx(35.0 - half) and m.loc["inflow", "ci_high"] == pytest.approx(35.0 + half)
    assert m.loc["implied_outflow", "n_months"] == 1 and m.loc["implied_outflow", "mean_per_month"] == 5.0
    assert pd.isna(m.loc["implied_outflow", "ci_low"]) and pd.isna(m.loc["implied_outflow", "ci_high"])
    assert m.loc["net_change", "ci_low"] == 0.0 and m.loc["net_change", "ci_high"] == 0.0


def test_stock_without_waves_columns_and_names():
    stock = _stock([100.0, 80.0], column="held").iloc[::-1]  # unsorted on purpose
    w = pd.DataFrame({"event_date": pd.to_datetime(["2024-02-10"]), "freed": [15]})
    out = flows.stock_without_waves(stock, w, value="held", count="freed")
    assert out.to_dict("list") == {"month": list(pd.date_range("2024-01-01", periods=2, freq="MS")),
                                   "observed_stock": [100.0, 80.0], "released_in_waves_to_date": [0.0, 15.0],
                                   "stock_without_waves": [100.0, 95.0]}


# ── custody ──────────────────────────────────────────────────────────────────────────────────────
def _deaths(status=True):
    df = pd.DataFrame({
        "death_id": ["D2", "D1", "D1", "D2", "D3"],
        "date_of_death": pd.to_datetime(["2023-05-01", "2021-07-02", "2021-07-01", None, None]),
        "date_precision": ["day", "day", "month", "unknown", "unknown"],
        "in_custody_or_after_release": ["in_custody", "in_custody", "after_release", "in_custody", "in_custody"],
        "person_status": ["political_prisoner", "political_prisoner", "political_prisoner", "political_prisoner",
                          "protest_detainee"],
        "age": [50, 61, 61, 50, 33],
        "source_url": ["a", "b", "c", "a", "d"],
    })
    return df if status else df.drop(columns="person_status")


def test_deaths_by_person_takes_the_earliest_date_and_counts_sources():
    out = custody.deaths_by_person(_deaths())
    assert out["death_id"].tolist() == ["D1", "D2", "D3"]
    assert out["date_of_death"].tolist()[:2] == [pd.Timestamp("2021-07-01"), pd.Timestamp("2023-05-01")]
    assert pd.isna(out.loc[2, "date_of_death"])
    assert out["date_precision"].tolist() == ["month", "day", "unknown"]
    assert out["in_custody_or_after_release"].tolist() == ["after_release", "in_custody", "in_custody"]
    assert out["person_status"].tolist() == ["political_prisoner", "political_prisoner", "protest_detainee"]
    assert out["age"].tolist() == [61, 50, 33] and out["n_sources"].tolist() == [2, 1, 1]
    assert out["source_url"].tolist() == ["c", "a", "d"]
    assert out["sources_disagree_on_custody"].tolist() == [True, False, False]
    assert out.index.tolist() == [0, 1, 2]
    assert list(out.columns) == ["death_id", "date_of_death", "date_precision", "in_custody_or_after_release",
                                 "person_status", "age", "n_sources", "source_url", "sources_disagree_on_custody"]
    assert custody.deaths_by_person(_deaths(status=False))["person_status"].isna().all()


def test_deaths_per_year_counts_undated_apart():
    out = custody.deaths_per_year(custody.deaths_by_person(_deaths()))
    assert out.to_dict("list") == {"year": ["2021", "2023", "undated"], "after_release": [1, 0, 0],
                                   "in_custody": [0, 1, 1]}


def test_stock_without_waves_carries_releases_forward_to_a_later_month_without_a_wave():
    stock = _stock([100.0, 80.0, 70.0]).iloc[[0, 2]]  # January and March counts; the wave is in February
    w = pd.DataFrame({"event_date": pd.to_datetime(["2024-02-10"]), "released_count": [15]})
    assert flows.stock_without_waves(stock, w)["released_in_waves_to_date"].tolist() == [0.0, 15.0]
