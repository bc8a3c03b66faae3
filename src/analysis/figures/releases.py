"""Figures of the release-patterns report: waves on the stock timeline, time held, exit routes, deaths."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis.plots import PALETTE, add_source, figure

ROUTE_LABELS = {1: "early release (pardon, exile, other)", 2: "sentence served", 3: "died"}
MAX_KM_GROUPS = 6


def plot_waves(stock: pd.DataFrame, waves: pd.DataFrame, source: str, title: str) -> plt.Figure:
    """Stock of people held (top) above the release waves (bottom): freed in Belarus vs taken abroad vs unknown."""
    fig, (top, bottom) = figure(2, 1, sharex=True, figsize=(11, 7.5), gridspec_kw={"height_ratios": [2, 1.4]})
    s = stock.sort_values("month")
    top.plot(s["month"], s["currently_held"].where(s["observed"]), color=PALETTE[0], linewidth=2, marker="o",
             markersize=3, label="held (observed months)")
    top.plot(s["month"], s["currently_held"], color=PALETTE[0], linestyle="--", linewidth=1, label="interpolated gap")
    top.set(ylabel="people held", title=title)
    top.set_ylim(bottom=0)
    top.legend(loc="lower left")
    w = waves.sort_values("event_date")
    exiled = w["exiled"].astype(float).fillna(0).to_numpy()
    released = w["released"].astype(float).to_numpy()
    unknown = np.where(w["exiled"].isna(), released, 0.0)
    stayed = released - exiled - unknown
    width = pd.Timedelta(days=9)
    bottom.bar(w["event_date"], stayed, width=width, color=PALETTE[2], label="freed, stayed in Belarus")
    bottom.bar(w["event_date"], exiled, width=width, bottom=stayed, color=PALETTE[3], label="taken abroad")
    bottom.bar(w["event_date"], unknown, width=width, bottom=stayed + exiled, color="#BBBBBB",
               label="destination not stated")
    for _, row in w.loc[w["released"].astype(float) >= 50].iterrows():
        bottom.annotate(f"{int(row['released'])}", (row["event_date"], float(row["released"])), xytext=(0, 3),
                        textcoords="offset points", ha="center", fontsize=9)
    bottom.set(ylabel="people freed per event")
    bottom.legend(loc="upper left")
    add_source(fig, source)
    return fig


def plot_km(curves: pd.DataFrame, risk: pd.DataFrame, source: str, title: str, synthetic: bool = False) -> plt.Figure:
    """Kaplan–Meier curves of the share still held, with 95% bands, and the numbers at risk underneath."""
    fig, (ax, table_ax) = figure(2, 1, figsize=(11, 7.5), gridspec_kw={"height_ratios": [4, 1], "hspace": 0.45})
    groups = list(dict.fromkeys(curves["group"]))[:MAX_KM_GROUPS]
    for colour, group in zip(PALETTE, groups):
        c = curves.loc[curves["group"] == group]
        ax.step(c["time"], c["survival"], where="post", color=colour, linewidth=2, label=str(group))
        ax.fill_between(c["time"], c["ci_low"], c["ci_high"], step="post", color=colour, alpha=0.15)
    ax.set(title=title, xlabel="months since detention", ylabel="share still held", ylim=(0, 1.02))
    ax.legend(loc="upper right")
    times = sorted(risk["time"].unique())
    table_ax.axis("off")
    cells = [[str(int(v)) for v in risk.loc[risk["group"] == g].set_index("time").reindex(times)["at_risk"]]
             for g in groups]
    tab = table_ax.table(cellText=cells, rowLabels=[str(g) for g in groups],
                         colLabels=[f"{t:g} mo" for t in times], loc="center", cellLoc="center")
    tab.auto_set_font_size(False)
    tab.set_fontsize(9)
    table_ax.set_title("number still held and observed (at risk)", fontsize=10)
    add_source(fig, source, synthetic)
    return fig


def plot_cif(cif: pd.DataFrame, one_minus_km: pd.DataFrame | None, source: str, title: str,
             synthetic: bool = False) -> plt.Figure:
    """Aalen–Johansen cumulative incidence of each exit route, with 95% bands; 1−KM of early release dashed."""
    fig, ax = figure()
    for colour, (cause, c) in zip(PALETTE, cif.groupby("cause", sort=True)):
        ax.step(c["time"], c["cif"], where="post", color=colour, linewidth=2, label=ROUTE_LABELS.get(cause, cause))
        ax.fill_between(c["time"], c["ci_low"], c["ci_high"], step="post", color=colour, alpha=0.15)
    if one_minus_km is not None:
        ax.step(one_minus_km["time"], 1 - one_minus_km["survival"], where="post", color=PALETTE[0], linestyle=":",
                linewidth=1.5, label="1 − KM for early release (overstates it)")
    ax.set(title=title, xlabel="months since detention", ylabel="cumulative probability", ylim=(0, 1))
    ax.legend(loc="upper left")
    add_source(fig, source, synthetic)
    return fig


def plot_deaths(deaths: pd.DataFrame, source: str, title: str) -> plt.Figure:
    """Dated deaths of political prisoners: in custody vs shortly after release, one marker per person."""
    fig, ax = figure(figsize=(11, 3.8))
    for y, (status, colour) in enumerate((("in_custody", PALETTE[3]), ("after_release", PALETTE[0]))):
        d = deaths.loc[deaths["in_custody_or_after_release"].eq(status) & deaths["date_of_death"].notna()]
        ax.scatter(d["date_of_death"], np.full(len(d), y), s=70, color=colour, zorder=3,
                   label=f"{status.replace('_', ' ')} ({len(d)} dated)")
        for _, row in d.iterrows():
            ax.annotate(row["death_id"], (row["date_of_death"], y), xytext=(0, 8), textcoords="offset points",
                        ha="center", fontsize=8, rotation=45)
    ax.set_yticks([0, 1], ["in custody", "after release"])
    ax.set_ylim(-0.6, 1.9)
    ax.set(title=title)
    ax.legend(loc="upper left", ncols=2)
    add_source(fig, source)
    return fig
