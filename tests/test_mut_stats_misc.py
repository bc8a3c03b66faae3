"""Small hand-worked checks that pin arguments and boundaries in stats/ that mutation testing found loose."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.stats import accounting, changes, its
from analysis.stats.survival import km


def _events() -> pd.DataFrame:
    rows = [("RW-1", "2024-07-03", 18), ("RW-2", "2024-09-16", 37), ("RW-3", "2025-02-01", 50)]
    df = pd.DataFrame(rows, columns=["event_id", "event_date", "released_count"])
    df["event_date"] = pd.to_datetime(df["event_date"])
    df["released_count"] = df["released_count"].astype("Int64")
    return df.assign(recognised_pp_count=pd.NA, is_primary=1, count_qualifier="exact", count_scope="all_pardoned",
                     exiled_count=pd.NA, mechanism="pardon", destination="unknown", brokered_by=None,
                     notable_people=None, source_org="x", source_url="u").astype(
        {"recognised_pp_count": "Int64", "exiled_count": "Int64"})


def test_wave_counts_respects_both_ends_of_the_window():
    w = accounting.wave_counts(_events(), "2024-08-01", "2024-12-31")
    assert w["event_id"].tolist() == ["RW-2"]
    assert accounting.wave_counts(_events(), None, "2024-09-16")["event_id"].tolist() == ["RW-1", "RW-2"]


def test_mean_ci_needs_two_values_for_an_interval():
    n, mean, lo, hi = changes._mean_ci(pd.Series([10.0, 20.0, np.nan]))
    assert (n, mean) == (2, 15.0)
    half = 12.706204736174707 * np.std([10.0, 20.0], ddof=1) / np.sqrt(2)  # t(0.975, 1 df)
    assert lo == pytest.approx(15 - half) and hi == pytest.approx(15 + half)
    n, mean, lo, hi = changes._mean_ci(pd.Series([7.0]))
    assert (n, mean) == (1, 7.0) and np.isnan(lo) and np.isnan(hi)


def test_compare_with_aggregates_ignores_months_with_neither_flow():
    """A month with only a net change (no inflow, no implied outflow) is not an observed reference month."""
    balance = pd.DataFrame({"month": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01"]),
                            "inflow": [40.0, np.nan, 60.0], "implied_outflow": [30.0, np.nan, 50.0],
                            "net_change": [10.0, 5.0, 10.0]})
    intervals = pd.DataFrame([{"old_date": pd.Timestamp("2025-02-10"), "new_date": pd.Timestamp("2025-03-10"),
                               "inflow_per_month": 1.0, "outflow_per_month": 2.0}])
    c = changes.compare_with_aggregates(intervals, balance, reference_months=2).set_index("measure")
    assert c.loc["inflow", "reference_start"] == pd.Timestamp("2025-01-01")  # Feb is skipped, Jan is the 2nd
    assert c.loc["inflow", "reference_months"] == 2 and c.loc["inflow", "reference_mean"] == 50


def test_risk_table_columns_and_counts():
    df = pd.DataFrame({"t": [1.0, 2.0, 3.0, 5.0], "g": ["a", "a", "b", "b"]})
    out = km.risk_table(df, "t", "g", [0, 2, 4])
    assert list(out.columns) == ["group", "time", "at_risk"]
    assert out.to_dict("records") == [
        {"group": "a", "time": 0.0, "at_risk": 2}, {"group": "a", "time": 2.0, "at_risk": 1},
        {"group": "a", "time": 4.0, "at_risk": 0}, {"group": "b", "time": 0.0, "at_risk": 2},
        {"group": "b", "time": 2.0, "at_risk": 2}, {"group": "b", "time": 4.0, "at_risk": 1}]


def test_forecast_its_starts_the_month_after_the_last_and_keeps_event_terms():
    sim = its.simulate_stock(48, drift=5.0, events={24: (-80.0, -3.0)}, seed=11, sd=4.0)
    monthly = sim[["month", "value"]]
    out = its.forecast_its(monthly, sim.attrs["events"], steps=3, orders=((0, 0),))
    assert out["month"].tolist() == list(pd.date_range("2024-01-01", periods=3, freq="MS"))
    assert out["h"].tolist() == [1, 2, 3]
    # the monthly change after the event is drift + slope = 2 a month: the forecast keeps climbing at about that
    steps = np.diff(np.r_[monthly["value"].iloc[-1], out["mean"].to_numpy()])
    assert steps == pytest.approx([2.0, 2.0, 2.0], abs=1.5)


def test_month_arithmetic_uses_no_deprecated_pandas_alias():
    """'m' for months still works but warns (and will go): the stats code must use 'M'."""
    import warnings

    from analysis.stats import flows, series

    stock = pd.DataFrame({"month": pd.to_datetime(["2024-07-01", "2024-08-01"]), "currently_held": [1400.0, 1390.0]})
    waves = pd.DataFrame({"event_date": pd.to_datetime(["2024-07-03"]), "released_count": [18]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert flows.stock_without_waves(stock, waves)["stock_without_waves"].tolist() == [1418.0, 1408.0]
        assert series._month_start(pd.Timestamp("2024-03-15")) == pd.Timestamp("2024-03-01")
        assert series._month_start(pd.Series(pd.to_datetime(["2024-03-15"]))).tolist() == [pd.Timestamp("2024-03-01")]


def test_choose_and_summary_say_what_they_used():
    from analysis.stats import backtest

    rows = pd.DataFrame({"model": ["m", "m", "m", "naive", "drift"] * 1, "h": [1, 1, 1, 1, 1],
                         "covered": [True, True, False, True, True], "abs_error": [1.0, 2.0, 3.0, 4.0, 5.0]})
    model, why = backtest.choose(rows, ["m"], ok=(0.6, 1.0))
    assert model == "m" and why.endswith("covered 60%-100% of held-out counts at every horizon")
    s = backtest.summary(rows, "m")
    assert s["h1"] == {"coverage_95": 0.6667, "mae_model": 2.0, "mae_naive": 4.0, "mae_drift": 5.0, "n": 3}


def test_the_stock_equation_sentence():
    summary = pd.DataFrame({"change": ["released", "died", "newly_recognised", "re_arrested"],
                            "people": [30, 0, 20, 6]})
    flows = {"old_date": pd.Timestamp("2026-03-31"), "new_date": pd.Timestamp("2026-04-30"), "held_old": 100,
             "held_new": 95, "inflow": 20, "outflow": 30, "other": 5}
    empty = pd.DataFrame(columns=["new_date", "measure"])
    text = changes.key_findings(summary, flows, empty, 500)[1]
    assert text == ("Every one of the 500 people in either snapshot falls in exactly one class of change; the number "
                    "held went from 100 to 95 = 100 + 20 in − 30 out + 5 other changes of status.")
    text = changes.key_findings(summary, {**flows, "held_new": 85, "other": -5}, empty, 500)[1]
    assert text.endswith("from 100 to 85 = 100 + 20 in − 30 out − 5 other changes of status.")


def test_wave_counts_columns():
    w = accounting.wave_counts(_events())
    assert list(w.columns) == ["event_id", "event_date", "released", "count_scope", "low", "high"]
    assert w.index.tolist() == [0, 1, 2]


def test_curated_411_figures_print_the_day_only():
    from analysis.stats import article411

    d = pd.DataFrame({"as_of_date": pd.to_datetime(["2023-10-31 14:30"]), "metric": ["art411_cases"],
                      "value": ["29"], "qualifier": ["at_least"], "source_org": ["Viasna"], "source_url": ["u"]})
    assert article411.curated_figures(d)["date"].tolist() == ["2023-10-31"]


def _monthly(n: int = 40, seed: int = 3) -> pd.DataFrame:
    sim = its.simulate_stock(n, drift=4.0, events={}, seed=seed, sd=6.0)
    return sim[["month", "value"]]


def test_fit_its_tables_name_every_term_and_order():
    fit = its.fit_its(_monthly(), {}, orders=((0, 0), (1, 0)))
    assert fit.aic.columns.tolist() == ["p", "q", "aic", "converged"]
    assert fit.aic["converged"].tolist() == [True, True] and fit.aic["aic"].notna().all()
    terms = fit.params["term"].tolist()
    assert terms[0] == "baseline change per month" and terms[-1] == "sigma2"
    assert fit.params["estimate"].notna().all()
    for bad in (0.0, 1.0):
        with pytest.raises(ValueError, match=f"alpha must be in \\(0, 1\\), got {bad}"):
            its.fit_its(_monthly(), {}, alpha=bad)


def test_event_status_columns_even_without_events():
    out = its.event_status({}, _monthly())
    assert out.columns.tolist() == ["event", "date", "modelled", "reason"] and out.empty


def test_ljung_box_columns_when_there_are_too_few_residuals():
    out = its.ljung_box(pd.Series([0.1, -0.2, 0.3]))
    assert out.columns.tolist() == ["lag", "statistic", "p_value"] and out.empty


def test_simulate_stock_defaults_and_ar_noise_scale():
    sim = its.simulate_stock(3, drift=0.0, events={}, seed=0)
    assert sim["value"].iloc[0] == 500.0 and sim["month"].iloc[0] == pd.Timestamp("2020-01-01")
    for ar in (0.0, 0.6):  # sd of the monthly change's noise is sd, whatever the AR coefficient
        long = its.simulate_stock(6000, drift=0.0, events={}, seed=1, ar=ar, start="1700-01-01")
        assert np.diff(long["value"].to_numpy()).std() == pytest.approx(10.0, rel=0.04)
