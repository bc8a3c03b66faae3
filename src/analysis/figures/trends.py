"""Figures of report 01: dated counts, the structural fit and counterfactuals, monthly changes with estimated
breaks, residual autocorrelation, flows and the forecast. Every legend names the model actually fitted."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from statsmodels.tsa.stattools import acf

from analysis.plots import PALETTE, add_source, figure, mark_events

GREY = "#555555"


def _legend_below(fig: plt.Figure, ax, ncol: int = 2) -> None:
    """Legend under the axes (above the source line), so it never hides data."""
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.07), ncol=ncol, fontsize=9, frameon=False)
    fig.subplots_adjust(bottom=0.38)


def _points(ax, points: pd.DataFrame, label_suffix: str = "") -> None:
    """Every dated count where it was dated: exact (filled), lower bound (hollow triangle), date inferred (square)."""
    exact = points.loc[~points["lower_bound"] & ~points["date_inferred"]]
    inferred = points.loc[~points["lower_bound"] & points["date_inferred"]]
    lower = points.loc[points["lower_bound"]]
    ax.scatter(exact["date"], exact["value"], color="#222222", s=14, zorder=4, label=f"dated count{label_suffix}")
    if len(inferred):
        ax.scatter(inferred["date"], inferred["value"], marker="s", facecolors="white", edgecolors="#222222",
                   s=26, zorder=4, label="dated count, date inferred from context")
    if len(lower):
        ax.scatter(lower["date"], lower["value"], marker="^", facecolors="white", edgecolors=PALETTE[3], s=34,
                   zorder=5, label="lower bound ('at least'), not fitted")


def plot_stock(points: pd.DataFrame, events: dict[str, str], breaks: pd.DataFrame, source: str, title: str,
               synthetic: bool = False) -> plt.Figure:
    """Each dated count where it was dated (no line drawn between them), named events and estimated breaks."""
    fig, ax = figure()
    for i, r in enumerate(breaks.itertuples()):
        ax.axvspan(r.ci_low, r.ci_high + pd.offsets.MonthEnd(0), color=PALETTE[4], alpha=0.15, zorder=0,
                   label="estimated break in the trend (95% interval)" if i == 0 else None)
        ax.axvline(r.break_month, color=PALETTE[4], linewidth=1.5, zorder=1)
    _points(ax, points)
    ax.set(title=title, ylabel="people held", xlabel="")
    ax.set_ylim(0, points["value"].max() * 1.3)
    mark_events(ax, events)
    ax.legend(loc="lower right")
    add_source(fig, source, synthetic)
    return fig


def plot_structural(signal: pd.DataFrame, points: pd.DataFrame, without: pd.DataFrame, model_name: str,
                    events: dict[str, str], source: str, title: str, synthetic: bool = False) -> plt.Figure:
    """Model (b)'s smoothed stock with its 95% band over the dated counts, and the accounting counterfactual."""
    fig, ax = figure()
    ax.fill_between(signal["date"], signal["ci_low"], signal["ci_high"], color=PALETTE[0], alpha=0.25,
                    label="95% band of the fitted path")
    ax.plot(signal["date"], signal["fitted"], color=PALETTE[0], linewidth=1.8,
            label=f"fitted path, model (b): {model_name}")
    if len(without):
        ax.fill_between(without["date"], without["without_waves_low"], without["without_waves_high"],
                        color=PALETTE[1], alpha=0.3, step="post",
                        label="without the release waves: range of stated wave counts")
        ax.step(without["date"], without["without_waves"], where="post", color=PALETTE[1], linewidth=1.8,
                label="without the release waves (count + everyone released in waves)")
    _points(ax, points)
    ax.set(title=title, ylabel="people held", xlabel="")
    ax.set_ylim(0, max(points["value"].max(), without["without_waves_high"].max() if len(without) else 0) * 1.15)
    mark_events(ax, events)
    add_source(fig, source, synthetic)
    _legend_below(fig, ax)
    return fig


def plot_changes(changes: pd.DataFrame, its_fitted: pd.DataFrame, segments: pd.DataFrame, breaks: pd.DataFrame,
                 model_name: str, events: dict[str, str], source: str, title: str, synthetic: bool = False) -> plt.Figure:
    """Monthly change of the stock (bars), model (a)'s mean change, and the segment means of the estimated breaks."""
    fig, ax = figure()
    ax.bar(changes["month"] + pd.Timedelta(days=14), changes["change"], width=22, color=PALETTE[5],
           label="change per month between month-end counts")
    f = its_fitted.dropna(subset=["mean_change"])
    ax.step(f["month"] + pd.Timedelta(days=14), f["mean_change"], where="mid", color=PALETTE[0], linewidth=1.6,
            label=f"mean change, model (a): {model_name}")
    for i, s in enumerate(segments.itertuples()):
        ax.hlines(s.mean_change, s.start, s.end + pd.offsets.MonthEnd(0), color=PALETTE[4], linewidth=2.5,
                  label="segment means between estimated breaks" if i == 0 else None)
    for i, r in enumerate(breaks.itertuples()):
        ax.axvspan(r.ci_low, r.ci_high + pd.offsets.MonthEnd(0), color=PALETTE[4], alpha=0.15,
                   label="estimated break (95% interval)" if i == 0 else None)
    ax.axhline(0, color=GREY, linewidth=0.8)
    ax.set(title=title, ylabel="people per month", xlabel="")
    mark_events(ax, events)
    add_source(fig, source, synthetic)
    _legend_below(fig, ax)
    return fig


def plot_residual_acf(residuals: dict[str, pd.Series], ljung_box: dict[str, pd.DataFrame], source: str,
                      lags: int = 12, synthetic: bool = False) -> plt.Figure:
    """Autocorrelation of each model's standardised residuals with +/-1.96/sqrt(n) bounds and Ljung-Box p."""
    fig, axes = figure(1, len(residuals), figsize=(5.2 * len(residuals), 4.2), sharey=True)
    for ax, (name, r) in zip(np.atleast_1d(axes), residuals.items()):
        r = pd.Series(r).dropna().to_numpy()
        k = min(lags, len(r) - 2)
        rho = acf(r, nlags=k, fft=False)[1:]
        ax.bar(np.arange(1, k + 1), rho, color=PALETTE[0], width=0.6)
        bound = 1.96 / np.sqrt(len(r))
        ax.axhspan(-bound, bound, color=GREY, alpha=0.15)
        ax.axhline(0, color=GREY, linewidth=0.8)
        lb = ljung_box[name]
        p = "; ".join(f"lag {int(a)}: p = {b:.2f}" for a, b in zip(lb["lag"], lb["p_value"]))
        ax.set(title=textwrap.fill(name, 48) + f"\nLjung-Box {p}", xlabel="lag (observations)",
               ylabel="autocorrelation")
        ax.title.set_fontsize(10)
    add_source(fig, source, synthetic)
    fig.subplots_adjust(top=0.8, bottom=0.26, wspace=0.15)
    return fig


def plot_flows(flows: pd.DataFrame, source: str, title: str, implied: pd.DataFrame | None = None,
               synthetic: bool = False) -> plt.Figure:
    """Monthly inflow (new recognitions) against outflow (releases) as paired bars; hatched = partial month."""
    fig, ax = figure()
    if implied is not None:
        d = implied.dropna(subset=["implied_outflow"])
        ax.scatter(d["month"] + pd.Timedelta(days=14), d["implied_outflow"], marker="D", s=22, color="#000000",
                   zorder=4, label="outflow implied by the stock change")
    width = pd.Timedelta(days=12)
    for offset, col, colour, label in ((-1, "new_recognized", PALETTE[3], "newly recognised"),
                                       (1, "released", PALETTE[2], "released")):
        d = flows.loc[flows[col].notna()]
        partial = d[f"{col}_partial"].fillna(False).astype(bool)
        x = d["month"] + offset * width / 2 + pd.Timedelta(days=14)
        ax.bar(x[~partial], d.loc[~partial, col], width=width, color=colour, label=label)
        if partial.any():
            ax.bar(x[partial], d.loc[partial, col], width=width, color="white", edgecolor=colour, hatch="///",
                   label=f"{label} (part of month: lower bound)")
    ax.set(title=title, ylabel="people per month", xlabel="")
    ax.legend(loc="upper left")
    add_source(fig, source, synthetic)
    return fig


def plot_forecast(points: pd.DataFrame, fc: pd.DataFrame, model_name: str, coverage: dict[str, float],
                  source: str, title: str, since: str | pd.Timestamp, synthetic: bool = False) -> plt.Figure:
    """Recent dated counts and the chosen model's forecast with the 95% interval whose coverage was backtested."""
    fig, ax = figure()
    _points(ax, points.loc[points["date"] >= pd.Timestamp(since)])
    cov = ", ".join(f"{k}: {v:.0%}" for k, v in coverage.items())
    ax.plot(fc["date"], fc["mean"], color=PALETTE[1], linewidth=2, marker="o", markersize=3,
            label=f"forecast ({model_name})")
    ax.fill_between(fc["date"], fc["lower"], fc["upper"], color=PALETTE[1], alpha=0.25,
                    label=f"95% prediction interval (backtest coverage {cov})")
    ax.set(title=title, ylabel="people held", xlabel="")
    ax.set_ylim(0, max(points["value"].max(), fc["upper"].max()) * 1.1)
    ax.legend(loc="lower left", fontsize=9)
    add_source(fig, source, synthetic)
    return fig
