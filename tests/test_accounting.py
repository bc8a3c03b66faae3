"""Tests of analysis.stats.accounting (model (c)): hand-worked wave ranges and the stock without waves."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.stats import accounting


def events() -> pd.DataFrame:
    rows = [  # event_id, date, released, recognised, is_primary
        ("RW-2024-07-03", "2024-07-03", 18, 18, 1), ("RW-2024-07-03", "2024-07-03", 8, 8, 0),
        ("RW-2024-09-16", "2024-09-16", 37, None, 1), ("RW-2024-09-16", "2024-09-16", 40, None, 0),
    ]
    df = pd.DataFrame(rows, columns=["event_id", "event_date", "released_count", "recognised_pp_count", "is_primary"])
    df["event_date"] = pd.to_datetime(df["event_date"])
    for c in ("released_count", "recognised_pp_count"):
        df[c] = df[c].astype("Int64")
    df = df.assign(count_qualifier="exact", count_scope="all_pardoned", exiled_count=pd.NA, mechanism="pardon",
                   destination="unknown", brokered_by=None, notable_people=None, source_org="x", source_url="u")
    df["exiled_count"] = df["exiled_count"].astype("Int64")
    return df


def test_wave_counts_primary_low_high():
    w = accounting.wave_counts(events())
    assert w["released"].tolist() == [18, 37]
    assert w["low"].tolist() == [8, 37]
    assert w["high"].tolist() == [18, 40]


def test_released_to_date_counts_waves_on_or_before_each_date():
    w = accounting.wave_counts(events())
    got = accounting.released_to_date(w, pd.Series(pd.to_datetime(["2024-07-02", "2024-07-03", "2024-12-31"])))
    assert got.tolist() == [0, 18, 55]
    assert accounting.released_to_date(w.iloc[:0], pd.Series(pd.to_datetime(["2024-07-02"]))).tolist() == [0]


def test_stock_without_waves_adds_released_to_each_exact_count():
    points = pd.DataFrame({"date": pd.to_datetime(["2024-06-30", "2024-07-31", "2024-08-15", "2024-09-30"]),
                           "value": [1400.0, 1390.0, 1500.0, 1350.0], "lower_bound": [False, False, True, False]})
    out = accounting.stock_without_waves(points, accounting.wave_counts(events()))
    assert out["date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-07-31", "2024-09-30"]  # from the first wave, exact only
    assert out["without_waves"].tolist() == [1408, 1405]
    assert out["without_waves_low"].tolist() == [1398, 1395]
    assert out["without_waves_high"].tolist() == [1408, 1408]
    assert np.all(out["without_waves_low"] <= out["without_waves_high"])
