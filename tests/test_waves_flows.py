"""Release waves (exile rules) and the inflow/outflow identity, on hand-made tables with known answers."""

import numpy as np
import pandas as pd
import pytest

from analysis.stats import flows, waves


def _events(rows):
    cols = ["event_id", "event_date", "released_count", "count_qualifier", "count_scope", "exiled_count",
            "mechanism", "destination", "brokered_by", "notable_people", "source_org", "source_url", "is_primary"]
    df = pd.DataFrame(rows, columns=cols)
    df["event_date"] = pd.to_datetime(df["event_date"])
    df["exiled_count"] = df["exiled_count"].astype("Int64")
    return df


EVENTS = _events([
    ("RW-1", "2024-08-16", 30, "exact", "all_pardoned", None, "pardon", "unknown", None, None, "AP", "https://a", 1),
    ("RW-2", "2025-06-21", 14, "exact", "all_released", None, "pardon", "Lithuania", "US", None, "RFE", "https://b", 1),
    ("RW-3", "2025-09-11", 52, "exact", "all_pardoned", None, "pardon", "mixed", "US", None, "RFE", "https://c", 1),
    ("RW-3", "2025-09-11", 52, "exact", "all_released", 52, "pardon", "Lithuania", "US", None, "LRT", "https://d", 0),
    ("RW-3", "2025-09-11", 52, "exact", "all_released", 48, "pardon", "Lithuania", "US", None, "X", "https://e", 0),
    ("RW-4", "2026-02-19", 1, "exact", "named", None, "unknown", "remained_in_Belarus", None, "S", "RFE", "https://f", 1),
    ("RW-5", "2026-03-19", 250, "exact", "all_pardoned", 15, "pardon", "mixed", "US", None, "R", "https://g", 1),
])


def test_exile_rules_in_order():
    w = waves.primary_waves(EVENTS).set_index("event_id")
    assert pd.isna(w.loc["RW-1", "exiled"]) and w.loc["RW-1", "exiled_basis"] == "not stated"
    assert w.loc["RW-2", "exiled"] == 14 and w.loc["RW-2", "exiled_basis"] == "whole wave: destination abroad"
    assert w.loc["RW-3", "exiled"] == 48 and w.loc["RW-3", "exiled_basis"] == "stated by another source"
    assert w.loc["RW-4", "exiled"] == 0
    assert w.loc["RW-5", "exiled"] == 15 and w.loc["RW-5", "exiled_share"] == pytest.approx(0.06)
    assert len(w) == 5  # one row per event


def test_summary_shares_use_only_known_destinations():
    s = waves.wave_summary(waves.primary_waves(EVENTS)).set_index("kind")
    assert s.loc["foreign-brokered", "released"] == 14 + 52 + 250
    assert s.loc["foreign-brokered", "exiled"] == 14 + 48 + 15
    assert s.loc["all", "released_with_known_destination"] == 14 + 52 + 1 + 250
    assert s.loc["all", "exiled_share_of_known"] == pytest.approx((14 + 48 + 15) / (14 + 52 + 1 + 250))


def test_window_filters_by_date():
    assert list(waves.primary_waves(EVENTS, start="2025-01-01", end="2025-12-31")["event_id"]) == ["RW-2", "RW-3"]


def _stock(values, observed=None):
    months = pd.date_range("2024-01-01", periods=len(values), freq="MS")
    obs = observed if observed is not None else [True] * len(values)
    return pd.DataFrame({"month": months, "currently_held": values, "observed": obs})


def _flows(months, inflow, partial=False):
    return pd.DataFrame({"month": pd.to_datetime(months), "new_recognized": inflow,
                         "new_recognized_partial": partial, "released": np.nan, "released_partial": pd.NA})


def test_implied_outflow_is_inflow_minus_change():
    b = flows.flow_balance(_stock([100.0, 110.0, 95.0]), _flows(["2024-02-01", "2024-03-01"], [30.0, 20.0]))
    assert list(b["implied_outflow"].iloc[1:]) == [20.0, 35.0]
    assert pd.isna(b["implied_outflow"].iloc[0])


def test_no_outflow_from_interpolated_or_partial_months():
    stock = _stock([100.0, 110.0, 95.0], observed=[True, False, True])
    b = flows.flow_balance(stock, _flows(["2024-02-01", "2024-03-01"], [30.0, 20.0]))
    assert b["implied_outflow"].isna().all()
    b = flows.flow_balance(_stock([100.0, 110.0]), _flows(["2024-02-01"], [30.0], partial=True))
    assert b["implied_outflow"].isna().all()


def test_period_means_t_interval():
    b = pd.DataFrame({"month": pd.date_range("2024-01-01", periods=4, freq="MS"),
                      "inflow": [10.0, 20.0, 30.0, 40.0], "implied_outflow": np.nan, "net_change": 0.0})
    m = flows.period_means(b, {"all": ("2024-01-01", "2024-12-31")}).set_index("measure")
    assert m.loc["inflow", "mean_per_month"] == 25.0
    half = 3.182446305284263 * np.std([10, 20, 30, 40], ddof=1) / 2  # t(0.975, 3) * s / sqrt(4)
    assert m.loc["inflow", "ci_high"] == pytest.approx(25.0 + half)
    assert m.loc["implied_outflow", "n_months"] == 0


def test_stock_without_waves_adds_back_cumulative_releases():
    stock = _stock([100.0, 80.0, 70.0])
    w = pd.DataFrame({"event_date": pd.to_datetime(["2024-02-10", "2024-03-05", "2024-03-20"]),
                      "released_count": [15, 5, 3]})
    out = flows.stock_without_waves(stock, w)
    assert list(out["stock_without_waves"]) == [100.0, 95.0, 93.0]


def test_stock_without_waves_counts_waves_in_months_without_a_stock_figure():
    stock = _stock([100.0, 80.0, 70.0]).iloc[[0, 2]]  # February has no figure
    w = pd.DataFrame({"event_date": pd.to_datetime(["2024-02-10", "2024-03-05"]), "released_count": [15, 5]})
    assert list(flows.stock_without_waves(stock, w)["stock_without_waves"]) == [100.0, 90.0]
