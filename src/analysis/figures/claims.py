"""Figures of the claims-check report: per-capita rates by definition, Belarus's rank intervals, and the stock
with and without the release waves."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter

from analysis.plots import PALETTE, add_source, figure

HIGHLIGHT = PALETTE[3]  # vermillion for the highlighted country
OTHER = "#9AA5B1"


def plot_rates_by_definition(ranked: pd.DataFrame, definitions: list[str], source: str, title: str,
                             country: str = "Belarus", labels: dict[str, str] | None = None) -> plt.Figure:
    """One panel per definition: political prisoners per million by country (log scale, highest on top),
    ``country`` highlighted, the rank and rate written at the end of each bar."""
    labels = labels or {}
    n = len(definitions)
    rows = max(int((ranked["definition"] == d).sum()) for d in definitions)
    fig, axes = figure(1, n, figsize=(4.6 * n + 1.2, 0.36 * rows + 2.6), sharex=True)
    axes = np.atleast_1d(axes)
    for ax, name in zip(axes, definitions):
        d = ranked.loc[ranked["definition"] == name].sort_values(["rank", "country"])
        colours = [HIGHLIGHT if c == country else OTHER for c in d["country"]]
        y = rows - 1 - np.arange(len(d))  # rank 1 at the top of every panel
        ax.barh(y, d["rate"], color=colours, height=0.7)
        ax.set_yticks(y, [f"{r}. {c}" for r, c in zip(d["rank"], d["country"])], fontsize=10)
        for yi, rate, c in zip(y, d["rate"], d["country"]):
            ax.text(rate * 1.08, yi, f"{rate:,.0f}" if rate >= 10 else f"{rate:.1f}", va="center", fontsize=9,
                    color=HIGHLIGHT if c == country else "#333333",
                    weight="bold" if c == country else "normal")
        for tick, c in zip(ax.get_yticklabels(), d["country"]):
            if c == country:
                tick.set_color(HIGHLIGHT)
                tick.set_fontweight("bold")
        ax.set_xscale("log")
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}" if v >= 1 else f"{v:g}"))
        ax.set_xlim(0.3, ranked.loc[ranked["definition"].isin(definitions), "rate"].max() * 6)
        ax.set_ylim(-0.6, rows - 0.4)
        ax.set_title(labels.get(name, name), fontsize=11)
        ax.set_xlabel("per million inhabitants (log scale)", fontsize=10)
        ax.grid(axis="y", visible=False)
    fig.suptitle(title, fontsize=14, x=0.01, ha="left")
    fig.tight_layout(rect=(0, 0.07, 1, 0.97))
    add_source(fig, source)
    return fig


def plot_rank_intervals(spread: pd.DataFrame, intervals: pd.DataFrame, source: str, title: str, top_k: int = 5,
                        country: str = "Belarus", highlight: list[str] | None = None) -> plt.Figure:
    """Rank of ``country`` under each definition (dot) with its simulated rank interval (bar); the top-``top_k``
    zone shaded; definitions in ``highlight`` (e.g. those a verdict rests on) in colour, others grey and starred."""
    highlight = highlight if highlight is not None else list(spread["definition"])
    iv = intervals.loc[intervals["country"] == country].set_index("definition")
    s = spread.loc[spread["in_ranking"]].reset_index(drop=True)
    level = float(intervals["level"].iloc[0])
    fig, ax = figure(figsize=(10, 0.55 * len(s) + 2.4))
    y = np.arange(len(s))[::-1]
    worst = int(max(s["n_ranked"].max(), top_k + 1))
    ax.axvspan(0.5, top_k + 0.5, color=PALETTE[2], alpha=0.12)
    ax.text((top_k + 1) / 2, len(s) - 0.45, f"top {top_k}", ha="center", va="bottom", fontsize=10, color=PALETTE[2])
    for yi, (_, row) in zip(y, s.iterrows()):
        name = row["definition"]
        colour = PALETTE[0] if name in highlight else "#888888"
        lo, hi = int(iv.loc[name, "rank_low"]), int(iv.loc[name, "rank_high"])
        ax.plot([lo - 0.15, hi + 0.15], [yi, yi], color=colour, linewidth=5, alpha=0.35, solid_capstyle="butt")
        ax.plot(int(row["rank"]), yi, "o", color=colour, markersize=8)
        ax.text(worst + 0.7, yi, f"rank {int(row['rank'])} of {int(row['n_ranked'])}", va="center", fontsize=9,
                color=colour)
    ax.set_yticks(y, [f"{d}{'' if d in highlight else ' *'}" for d in s["definition"]], fontsize=10)
    ax.set_xlim(0.5, worst + 3.2)
    ax.set_xticks(range(1, worst + 1))
    note = ("\n* not used for the verdict (older or mixed figures, or too few countries ranked)"
            if len(highlight) < len(s) else "")
    ax.set_xlabel(f"rank of {country} (1 = highest rate per million); bar = {level:.0%} interval of simulated ranks{note}")
    ax.set_title(title)
    ax.grid(axis="y", visible=False)
    ax.set_ylim(-0.6, len(s) - 0.1)
    add_source(fig, source)
    fig.subplots_adjust(left=0.27, bottom=0.24)
    return fig


def plot_stock_without_releases(swr: pd.DataFrame, source: str, title: str, waves_start, base_month=None,
                                marker: tuple[str, str] | None = None) -> plt.Figure:
    """Observed stock and stock plus everyone released in waves since they began (an upper bound on the stock
    had nobody been released); the gap between them is the cumulative number released since ``waves_start``. ``marker`` =
    (label, date) draws a dated vertical line (e.g. the statement)."""
    fig, ax = figure()
    s = swr.sort_values("month")
    ax.plot(s["month"], s["stock_without_waves"], color=PALETTE[1], linewidth=2, marker="o", markersize=4,
            label=f"held + released in waves since {pd.Timestamp(waves_start):%B %Y} (upper bound without releases)")
    ax.plot(s["month"], s["observed_stock"], color=PALETTE[0], linewidth=2, marker="o", markersize=4,
            label="held (observed months)")
    ax.fill_between(s["month"], s["observed_stock"], s["stock_without_waves"], color=PALETTE[1], alpha=0.15)
    if base_month is not None:
        base = s.loc[s["month"] == pd.Timestamp(base_month), "observed_stock"]
        if len(base):
            ax.axhline(float(base.iloc[0]), color="#555555", linestyle="--", linewidth=1)
            ax.annotate(f"level before the waves ({pd.Timestamp(base_month):%b %Y}): {float(base.iloc[0]):,.0f}",
                        xy=(s["month"].iloc[0], float(base.iloc[0])), xytext=(0, 5), textcoords="offset points",
                        fontsize=9, color="#333333")
    if marker is not None:
        when = pd.Timestamp(marker[1])
        ax.axvline(when, color="#555555", linestyle=":", linewidth=1.2)
        ax.annotate(marker[0], xy=(when, 0.04), xycoords=("data", "axes fraction"), xytext=(-4, 0),
                    textcoords="offset points", ha="right", fontsize=9, color="#333333")
    ax.set(title=title, ylabel="people", xlabel="")
    ax.set_ylim(bottom=0)
    ax.legend(loc="lower left", bbox_to_anchor=(0, 0.08))
    add_source(fig, source)
    return fig
