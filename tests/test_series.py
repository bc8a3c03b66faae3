"""Tests of analysis.stats.series: monthly selection rule, gap handling, flows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.stats.series import (choose_monthly, dated_observations, implied_flows, month_end_stock, monthly_flows,
                                   monthly_series)

COLUMNS = [
    "as_of_date", "currently_held", "women_held", "cumulative_recognized_since_2020", "released_cumulative",
    "new_recognized_in_period", "released_in_period", "period", "held_qualifier", "source_type",
    "source_org", "source_url", "source_published", "date_inferred", "evidence", "notes",
]


def counts(*rows: dict) -> pd.DataFrame:
    """A pp_counts-shaped frame from partial row dicts (defaults: exact, viasna, no flows)."""
    out = []
    for i, r in enumerate(rows):
        base = {c: pd.NA for c in COLUMNS}
        base.update(held_qualifier="exact", source_type="viasna", source_org="Viasna", source_url=f"u{i}")
        base.update(r)
        out.append(base)
    df = pd.DataFrame(out, columns=COLUMNS)
    df["as_of_date"] = pd.to_datetime(df["as_of_date"])
    df["source_published"] = pd.to_datetime(df["source_published"])
    for c in ["currently_held", "new_recognized_in_period", "released_in_period"]:
        df[c] = df[c].astype("Int64")
    return df


def pick(df: pd.DataFrame, month: str) -> pd.Series:
    """The chosen row for one month."""
    c = choose_monthly(df)
    return c.loc[c["month"] == pd.Timestamp(month)].iloc[0]


# --- choose_monthly -------------------------------------------------------------------------

def test_choose_monthly_columns_and_one_row_per_month():
    df = counts(
        {"as_of_date": "2023-01-10", "currently_held": 10},
        {"as_of_date": "2023-01-20", "currently_held": 11},
        {"as_of_date": "2023-03-05", "currently_held": 12},
        {"as_of_date": "2023-02-01", "currently_held": pd.NA},  # no value: not a candidate
    )
    c = choose_monthly(df)
    assert list(c.columns) == ["month", "value", "as_of_date", "lower_bound", "source_org", "source_url", "n_candidates"]
    assert list(c["month"]) == [pd.Timestamp("2023-01-01"), pd.Timestamp("2023-03-01")]
    assert list(c["n_candidates"]) == [2, 1]


def test_latest_as_of_date_beats_source_type():
    df = counts(
        {"as_of_date": "2023-01-20", "currently_held": 100, "source_type": "viasna"},
        {"as_of_date": "2023-01-31", "currently_held": 105, "source_type": "other"},
    )
    row = pick(df, "2023-01-01")
    assert row["value"] == 105 and row["source_url"] == "u1"


def test_same_date_source_type_order():
    df = counts(
        {"as_of_date": "2023-01-31", "currently_held": 1, "source_type": "other"},
        {"as_of_date": "2023-01-31", "currently_held": 2, "source_type": "viasna_repost"},
        {"as_of_date": "2023-01-31", "currently_held": 3, "source_type": "viasna"},
        {"as_of_date": "2023-02-28", "currently_held": 4, "source_type": "other"},
        {"as_of_date": "2023-02-28", "currently_held": 5, "source_type": "viasna_repost"},
    )
    assert pick(df, "2023-01-01")["value"] == 3
    assert pick(df, "2023-02-01")["value"] == 5


def test_exact_figure_beats_later_lower_bound():
    """Lower bounds are used only if no exact figure exists that month, even if they are later."""
    df = counts(
        {"as_of_date": "2023-01-10", "currently_held": 100, "held_qualifier": "exact"},
        {"as_of_date": "2023-01-30", "currently_held": 120, "held_qualifier": "at_least"},
    )
    row = pick(df, "2023-01-01")
    assert row["value"] == 100 and not row["lower_bound"] and row["n_candidates"] == 2


def test_only_lower_bounds_gives_flagged_lower_bound():
    df = counts(
        {"as_of_date": "2023-01-10", "currently_held": 100, "held_qualifier": "at_least"},
        {"as_of_date": "2023-01-30", "currently_held": 120, "held_qualifier": "at_least", "source_type": "other"},
    )
    row = pick(df, "2023-01-01")
    assert row["value"] == 120 and bool(row["lower_bound"])


def test_latest_publication_breaks_remaining_ties_missing_last():
    df = counts(
        {"as_of_date": "2023-01-31", "currently_held": 1, "source_published": pd.NA},
        {"as_of_date": "2023-01-31", "currently_held": 2, "source_published": "2023-02-03"},
        {"as_of_date": "2023-01-31", "currently_held": 3, "source_published": "2023-02-10"},
        {"as_of_date": "2023-02-28", "currently_held": 4, "source_published": pd.NA},
        {"as_of_date": "2023-02-28", "currently_held": 5, "source_published": "2023-03-01"},
    )
    assert pick(df, "2023-01-01")["value"] == 3
    assert pick(df, "2023-02-01")["value"] == 5


def test_full_tie_takes_first_in_input_order():
    df = counts(
        {"as_of_date": "2023-01-31", "currently_held": 7},
        {"as_of_date": "2023-01-31", "currently_held": 8},
    )
    assert pick(df, "2023-01-01")["value"] == 7


def test_bad_inputs_raise():
    with pytest.raises(ValueError, match="source_type"):
        choose_monthly(counts({"as_of_date": "2023-01-31", "currently_held": 1, "source_type": "blog"}))
    with pytest.raises(ValueError, match="held_qualifier"):
        choose_monthly(counts({"as_of_date": "2023-01-31", "currently_held": 1, "held_qualifier": "about"}))
    with pytest.raises(ValueError, match="lacks"):
        choose_monthly(counts({"as_of_date": "2023-01-31", "currently_held": 1}).drop(columns="source_type"))


# --- monthly_series -------------------------------------------------------------------------

GAPPY = counts(
    {"as_of_date": "2023-01-31", "currently_held": 100},
    {"as_of_date": "2023-04-30", "currently_held": 130},
    {"as_of_date": "2023-05-31", "currently_held": 125, "held_qualifier": "at_least"},
    {"as_of_date": "2023-07-31", "currently_held": 145},
)


def test_series_none_has_complete_index_and_leaves_gaps():
    s = monthly_series(GAPPY, "2022-11", "2023-09", fill="none")
    assert list(s["month"]) == list(pd.date_range("2022-11-01", "2023-09-01", freq="MS"))
    assert list(s.columns) == ["month", "currently_held", "observed", "interpolated", "lower_bound", "source_url"]
    obs = s.set_index("month")
    assert obs["observed"].sum() == 4 and not obs["interpolated"].any()
    assert obs["currently_held"].isna().sum() == len(s) - 4
    assert obs.loc["2023-05-01", "lower_bound"] and obs.loc["2023-05-01", "currently_held"] == 125
    assert obs["source_url"].isna().sum() == len(s) - 4


def test_series_interpolates_interior_only_linear_in_time():
    s = monthly_series(GAPPY, "2022-11", "2023-09").set_index("month")
    # leading and trailing gaps are never extrapolated
    for m in ["2022-11-01", "2022-12-01", "2023-08-01", "2023-09-01"]:
        assert np.isnan(s.loc[m, "currently_held"]) and not s.loc[m, "interpolated"] and not s.loc[m, "observed"]
    # interior: linear in time between the month-start stamps of Jan (100) and Apr (130)
    days = (pd.Timestamp("2023-04-01") - pd.Timestamp("2023-01-01")).days
    for m in ["2023-02-01", "2023-03-01"]:
        frac = (pd.Timestamp(m) - pd.Timestamp("2023-01-01")).days / days
        assert s.loc[m, "currently_held"] == pytest.approx(100 + 30 * frac)
        assert s.loc[m, "interpolated"] and not s.loc[m, "observed"]
        assert not s.loc[m, "lower_bound"]
    # June lies between a lower bound (May) and an exact figure: flagged as resting on a lower bound
    assert s.loc["2023-06-01", "interpolated"] and s.loc["2023-06-01", "lower_bound"]
    # observed values are exactly the chosen statements, flags are exclusive
    assert list(s.loc[s["observed"], "currently_held"]) == [100, 130, 125, 145]
    assert not (s["observed"] & s["interpolated"]).any()


def test_series_window_inside_data_uses_bracketing_observations():
    """A gap at the window edge bracketed by observations outside the window is interpolation, not extrapolation."""
    s = monthly_series(GAPPY, "2023-02", "2023-03").set_index("month")
    assert s["interpolated"].all() and s["currently_held"].notna().all()


def test_series_max_gap_leaves_long_gaps_missing():
    s = monthly_series(GAPPY, "2023-01", "2023-07", max_gap=1).set_index("month")
    assert s.loc[["2023-02-01", "2023-03-01"], "currently_held"].isna().all()  # 2-month gap
    assert s.loc["2023-06-01", "interpolated"]  # 1-month gap


def test_series_rejects_bad_fill():
    with pytest.raises(ValueError, match="fill"):
        monthly_series(GAPPY, "2023-01", "2023-07", fill="ffill")


# --- flows ----------------------------------------------------------------------------------

def test_monthly_flows_rules():
    df = counts(
        # March: full-month figure wins over weekly ranges
        {"as_of_date": "2023-03-31", "period": "2023-03", "new_recognized_in_period": 40, "released_in_period": 9},
        {"as_of_date": "2023-03-14", "period": "2023-03-07/2023-03-14", "new_recognized_in_period": 11},
        # April: two partial ranges summed; a duplicate report of the same range counted once
        {"as_of_date": "2023-04-07", "period": "2023-04-01/2023-04-07", "released_in_period": 5},
        {"as_of_date": "2023-04-07", "period": "2023-04-01/2023-04-07", "released_in_period": 5, "source_type": "other"},
        {"as_of_date": "2023-04-20", "period": "2023-04-20", "released_in_period": 3},
        # ignored: crosses a month boundary, a year, 'since', missing period
        {"as_of_date": "2023-05-03", "period": "2023-04-28/2023-05-03", "new_recognized_in_period": 99},
        {"as_of_date": "2023-12-31", "period": "2023", "new_recognized_in_period": 999},
        {"as_of_date": "2023-06-01", "period": "since 2020", "released_in_period": 999},
        {"as_of_date": "2023-06-10", "period": pd.NA, "released_in_period": 999},
        # June: the two flows come from different statements; as_of in July, period says June
        {"as_of_date": "2023-07-02", "period": "2023-06", "new_recognized_in_period": 30},
        {"as_of_date": "2023-06-30", "period": "2023-06", "released_in_period": 12},
        # a range spanning exactly the whole month counts as a full month
        {"as_of_date": "2023-08-31", "period": "2023-08-01/2023-08-31", "released_in_period": 7},
    )
    f = monthly_flows(df).set_index("month")
    assert list(f.index) == [pd.Timestamp(m) for m in ["2023-03-01", "2023-04-01", "2023-06-01", "2023-08-01"]]
    assert f.loc["2023-03-01", "new_recognized"] == 40 and not f.loc["2023-03-01", "new_recognized_partial"]
    assert f.loc["2023-03-01", "released"] == 9
    assert f.loc["2023-04-01", "released"] == 8 and f.loc["2023-04-01", "released_partial"]
    assert np.isnan(f.loc["2023-04-01", "new_recognized"])
    assert f.loc["2023-06-01", "new_recognized"] == 30 and f.loc["2023-06-01", "released"] == 12
    assert f.loc["2023-08-01", "released"] == 7 and not f.loc["2023-08-01", "released_partial"]
    assert (f[["new_recognized", "released"]].fillna(0) < 999).all().all()


def test_implied_flows_flags_interpolated_neighbours():
    s = monthly_series(GAPPY, "2023-01", "2023-08")
    f = implied_flows(s).set_index("month")
    assert np.isnan(f.loc["2023-01-01", "net_flow"])
    assert f.loc["2023-05-01", "net_flow"] == pytest.approx(-5.0)
    assert not f.loc["2023-05-01", "uses_interpolated"] and f.loc["2023-05-01", "uses_lower_bound"]
    assert f.loc["2023-02-01", "uses_interpolated"] and f.loc["2023-04-01", "uses_interpolated"]
    assert np.isnan(f.loc["2023-08-01", "net_flow"]) and not f.loc["2023-08-01", "uses_interpolated"]
    # net flows of the interpolated stretch add up to the observed change
    assert f.loc["2023-02-01":"2023-04-01", "net_flow"].sum() == pytest.approx(30.0)
    raw = implied_flows(monthly_series(GAPPY, "2023-01", "2023-08", fill="none")).set_index("month")
    assert raw["net_flow"].notna().sum() == 1  # only Apr->May has both months observed


# --- dated_observations / month_end_stock ---------------------------------------------------


def test_dated_observations_keeps_every_date_and_flags():
    df = counts(
        {"as_of_date": "2026-03-05", "currently_held": 1140, "held_qualifier": "at_least", "source_type": "viasna_repost"},
        {"as_of_date": "2026-03-19", "currently_held": 897, "date_inferred": "true"},
        {"as_of_date": "2025-12-31", "currently_held": 1131},
        {"as_of_date": "2025-12-23", "currently_held": 1135},
        {"as_of_date": "2025-12-23", "currently_held": 1140, "source_type": "other"},
        {"as_of_date": "2025-12-15", "currently_held": 1100, "held_qualifier": "at_least"},
        {"as_of_date": "2025-12-15", "currently_held": 1190},
    )
    p = dated_observations(df)
    assert p["date"].dt.strftime("%m-%d").tolist() == ["12-15", "12-23", "12-31", "03-05", "03-19"]
    assert p["value"].tolist() == [1190, 1135, 1131, 1140, 897]  # exact beats 'at least' of the same day; Viasna beats other
    assert p["lower_bound"].tolist() == [False, False, False, True, False]
    assert p["date_inferred"].tolist() == [False, False, False, False, True]
    assert p["n_same_date"].tolist() == [2, 2, 1, 1, 1]
    assert len(dated_observations(df, start="2026-01-01")) == 2


def test_month_end_stock_takes_latest_exact_and_never_interpolates():
    df = counts(
        {"as_of_date": "2025-12-23", "currently_held": 1135},
        {"as_of_date": "2025-12-31", "currently_held": 1131},
        {"as_of_date": "2026-03-05", "currently_held": 1140, "held_qualifier": "at_least"},
        {"as_of_date": "2026-03-19", "currently_held": 897},
    )
    m = month_end_stock(dated_observations(df), "2025-12-01", "2026-03-31")
    assert m["month"].dt.strftime("%Y-%m").tolist() == ["2025-12", "2026-01", "2026-02", "2026-03"]
    assert m["value"].iloc[0] == 1131 and m["value"].iloc[3] == 897
    assert m["value"].iloc[1:3].isna().all()  # January and February stay missing
    assert m["n_exact"].tolist() == [2, 0, 0, 1]
