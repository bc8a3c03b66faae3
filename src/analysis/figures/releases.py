"""Figures of the release-patterns report: waves on the stock timeline, time held, exit routes, deaths."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis import disclosure
from analysis.plots import PALETTE, add_source, figure
from analysis.report import display_name

ROUTE_LABELS = {1: "early release (pardon, exile, other)", 2: "sentence served", 3: "died"}
MAX_KM_GROUPS = 6
CLOSE_DAYS = 40  # deaths closer in time than this are drawn a little apart so neither hides the other


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
    """Kaplan–Meier curves of the share still held, with 95% bands, and the numbers at risk underneath.

    Disclosure control is applied here, whatever the caller passed: each curve stops before fewer than 5
    people remain at risk, and numbers at risk below 5 are shown as '<5' (complements withheld). The
    numbers at risk are written under the time axis at their times, one row per group, so they line up.
    """
    groups = list(dict.fromkeys(curves["group"]))[:MAX_KM_GROUPS]
    rows_height = 0.25 * len(groups) + 0.35  # the numbers-at-risk rows take only the room they need
    fig, (ax, table_ax) = figure(2, 1, figsize=(11, 6 + rows_height), sharex=True,
                                 gridspec_kw={"height_ratios": [4.5, rows_height], "hspace": 0.3})
    shown = disclosure.cut_curves(curves) if "at_risk" in curves.columns else curves
    for colour, group in zip(PALETTE, groups):
        c = shown.loc[shown["group"] == group]
        ax.step(c["time"], c["survival"], where="post", color=colour, linewidth=2, label=display_name(group))
        ax.fill_between(c["time"], c["ci_low"], c["ci_high"], step="post", color=colour, alpha=0.15)
    ax.set(title=title, ylabel="share still held", ylim=(0, 1.02))
    ax.set_xlabel("months since detention (curves stop where fewer than 5 people remain)")
    ax.tick_params(labelbottom=True)
    ax.legend(loc="upper right")
    risk = risk.loc[risk["group"].isin(groups)].reset_index(drop=True)
    at_risk = disclosure.risk_shown(risk)
    for i, (colour, group) in enumerate(zip(PALETTE, groups)):
        for _, row in at_risk.loc[at_risk["group"] == group].iterrows():
            table_ax.text(row["time"], -i, row["at_risk"], ha="center", va="center", fontsize=9, color=colour)
    table_ax.set_yticks([-i for i in range(len(groups))], [display_name(g) for g in groups], fontsize=9)
    table_ax.set_ylim(-len(groups) + 0.4, 0.6)
    table_ax.tick_params(bottom=False, labelbottom=False, left=False)
    table_ax.grid(False)
    for side in table_ax.spines.values():
        side.set_visible(False)
    table_ax.set_title("number still held and observed (at risk) at each time", fontsize=10, loc="left")
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


def _stagger(dates: pd.Series, step: float = 0.14) -> np.ndarray:
    """Vertical offsets so that markers closer in time than CLOSE_DAYS sit apart instead of on top of each other."""
    offsets, last, level = [], None, 0
    for when in dates:
        level = (level + 1) % 3 if last is not None and (when - last).days < CLOSE_DAYS else 0
        offsets.append(step * level)
        last = when
    return np.array(offsets)


def plot_deaths(deaths: pd.DataFrame, source: str, title: str) -> plt.Figure:
    """Dated deaths of political prisoners: in custody vs shortly after release, one marker per person.

    Markers carry no labels (the table beside the figure lists the dates); deaths close in time are
    staggered vertically so every person stays visible.
    """
    fig, ax = figure(figsize=(11, 3.8))
    for y, (status, colour) in enumerate((("in_custody", PALETTE[3]), ("after_release", PALETTE[0]))):
        d = deaths.loc[deaths["in_custody_or_after_release"].eq(status) & deaths["date_of_death"].notna()]
        d = d.sort_values("date_of_death")
        ax.scatter(d["date_of_death"], y + _stagger(d["date_of_death"]), s=70, color=colour, zorder=3,
                   edgecolors="white", linewidths=0.8, label=f"{display_name(status)} ({len(d)} dated)")
    ax.set_yticks([0, 1], ["in custody", "after release"])
    ax.set_ylim(-0.5, 1.8)
    ax.grid(axis="y", visible=False)
    ax.set(title=title)
    ax.legend(loc="upper left", ncols=2)
    add_source(fig, source)
    return fig
