"""Report-01 figures: every dated count drawn where dated, legends name the fitted model, stamp when asked."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd

from analysis import SYNTHETIC_STAMP
from analysis.figures import trends as fig_trends
from analysis.stats import breaks, its, structural


def _texts(fig):
    return " ".join(t.get_text() for t in fig.texts)


def _legend(fig):
    return " ".join(t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().get_texts())


def points() -> pd.DataFrame:
    dates = pd.date_range("2023-01-05", periods=40, freq="15D")
    p = pd.DataFrame({"date": dates, "value": 1000 + 5 * np.arange(40.0), "lower_bound": False, "date_inferred": False})
    p.loc[7, "lower_bound"] = True
    p.loc[9, "date_inferred"] = True
    return p


def test_stock_figure_draws_every_point_and_the_flags():
    p = points()
    b = pd.DataFrame({"break_month": [pd.Timestamp("2023-06-01")], "ci_low": [pd.Timestamp("2023-05-01")],
                      "ci_high": [pd.Timestamp("2023-08-01")]})
    f = fig_trends.plot_stock(p, {"e": "2023-04-01"}, b, "test source", "t", synthetic=True)
    drawn = sum(len(c.get_offsets()) for c in f.axes[0].collections if hasattr(c, "get_offsets"))
    assert drawn >= len(p)
    legend = _legend(f)
    assert "date inferred" in legend and "lower bound" in legend and "estimated break" in legend
    assert SYNTHETIC_STAMP in _texts(f)


def test_structural_and_forecast_legends_name_the_model():
    p = points()
    g = structural.weekly_grid(p, p["date"].min(), p["date"].max())
    fit = structural.fit_structural(g, {})
    without = pd.DataFrame({"date": p["date"], "without_waves": p["value"] + 10, "without_waves_low": p["value"] + 5,
                            "without_waves_high": p["value"] + 12})
    f = fig_trends.plot_structural(fit.signal, p, without, fit.error_model, {}, "src", "t")
    assert fit.error_model in _legend(f)
    fc = pd.DataFrame({"date": pd.date_range("2024-09-30", periods=3, freq="ME"), "mean": 1200.0,
                       "lower": [1150.0, 1120.0, 1100.0], "upper": [1250.0, 1280.0, 1300.0]})
    f = fig_trends.plot_forecast(p, fc, "local level state-space model", {"1 mo": 0.95}, "src", "t", since="2023-01-01")
    assert "local level state-space model" in _legend(f) and "coverage 1 mo: 95%" in _legend(f)


def test_changes_and_residual_acf_figures():
    d = its.simulate_stock(40, 5.0, {20: (-10.0, -3.0)}, seed=1)
    fit = its.fit_its(d[["month", "value"]], d.attrs["events"], orders=((0, 0),))
    ch = breaks.monthly_changes(d[["month", "value"]])
    b = breaks.estimate_breaks(ch)
    f = fig_trends.plot_changes(ch, fit.fitted, b["segments"], b["breaks"], fit.error_model, d.attrs["events"], "s", "t")
    assert fit.error_model in _legend(f)
    f = fig_trends.plot_residual_acf({"(a)": fit.residuals}, {"(a)": fit.ljung_box}, "s")
    assert "Ljung-Box" in f.axes[0].get_title()
