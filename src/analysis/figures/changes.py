"""Figures of report 05: people per class of change between two snapshots, per month, and against the aggregates."""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis.disclosure import MIN_CELL
from analysis.plots import PALETTE, add_source, figure

LABELS = {
    "newly_listed": "newly listed (not recognised)", "newly_recognised": "newly recognised",
    "re_arrested": "re-arrested", "released": "released", "died": "died", "status_changed": "status changed",
    "record_removed": "record removed", "field_corrected": "field corrected", "unchanged": "unchanged",
}
HIDDEN_COLOUR = "#BBBBBB"


def _is_hidden(value: object) -> bool:
    """A cell disclosure.protect hid ('<5', 'withheld'); shown counts are numbers or digit strings."""
    return isinstance(value, str) and not value.isdigit()


def _number(value: object) -> float:
    return 0.0 if _is_hidden(value) else float(value)


def plot_classes(summary: pd.DataFrame, source: str, title: str, synthetic: bool = False) -> plt.Figure:
    """Horizontal bars: people per class of change (protected counts; hidden cells drawn as grey stubs)."""
    fig, ax = figure(figsize=(10, 5.5))
    s = summary.loc[summary["change"].ne("unchanged")].iloc[::-1]
    y = np.arange(len(s))
    shown = [_number(v) for v in s["people"]]
    colours = [HIDDEN_COLOUR if _is_hidden(v) else PALETTE[0] for v in s["people"]]
    ax.barh(y, shown, color=colours)
    for yi, v, w in zip(y, s["people"], shown):
        ax.annotate(str(v) if _is_hidden(v) else f"{int(v):,}", (w, yi), xytext=(4, 0), textcoords="offset points",
                    va="center", fontsize=10)
    ax.set_yticks(y, [LABELS.get(c, c) for c in s["change"]])
    ax.set(title=title, xlabel="people", ylabel="")
    ax.grid(axis="y", visible=False)
    add_source(fig, source, synthetic)
    return fig


def plot_by_month(by_month: pd.DataFrame, source: str, title: str, synthetic: bool = False) -> plt.Figure:
    """People per month of the event and class (dated classes only); hidden small cells are left out and said so."""
    fig, ax = figure()
    d = by_month.loc[by_month["month"].notna()].sort_values("month")
    classes = [c for c in d.columns if c != "month" and d[c].map(lambda v: _is_hidden(v) or _number(v) > 0).any()]
    width = pd.Timedelta(days=28) / max(len(classes), 1)
    any_hidden = False
    for k, col in enumerate(classes):
        values = d[col]
        hidden = values.map(_is_hidden)
        any_hidden |= bool(hidden.any())
        x = d["month"] + width * k + pd.Timedelta(days=2)
        ax.bar(x[~hidden], values[~hidden].map(_number), width=width, color=PALETTE[k % len(PALETTE)],
               label=LABELS.get(col, col), align="edge")
    ax.set(title=title, ylabel="people", xlabel="month of the event")
    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)  # a few years of months: no label overlap
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    note = f"not drawn: cells of fewer than {MIN_CELL} people\nand cells withheld so they cannot be worked out"
    ax.legend(loc="upper left", fontsize=9, title=note if any_hidden else None, title_fontsize=8,
              alignment="left")
    add_source(fig, source, synthetic)
    return fig


def plot_flow_comparison(comparison: pd.DataFrame, source: str, title: str, synthetic: bool = False) -> plt.Figure:
    """Per measure: the flow per month between snapshots, the aggregate series in the same months (if any), and the
    aggregate series' mean over the reference months with its 95% interval."""
    fig, ax = figure(figsize=(9, 5.5))
    c = comparison.groupby("measure", sort=False).tail(1).reset_index(drop=True)  # the newest interval
    x = np.arange(len(c))
    same = c["aggregate_same_months"]
    offsets = (-0.27, 0.0, 0.27) if same.notna().any() else (-0.2, None, 0.2)
    ax.bar(x + offsets[0], c["snapshots_per_month"], width=0.27, color=PALETTE[0], label="between the two snapshots")
    if offsets[1] is not None:
        ax.bar(x + offsets[1], same.fillna(0), width=0.27, color=PALETTE[1], label="aggregate series, same months")
    err = np.vstack([c["reference_mean"] - c["reference_ci_low"], c["reference_ci_high"] - c["reference_mean"]])
    ref = c["reference_start"].min(), c["reference_end"].max()
    ax.bar(x + offsets[2], c["reference_mean"], width=0.27, color=PALETTE[2], yerr=np.nan_to_num(err), capsize=5,
           label=f"aggregate series, mean {ref[0]:%b %Y}–{ref[1]:%b %Y} (95% CI)")
    ax.set_xticks(x, ["inflow (newly recognised, re-arrested)" if m == "inflow" else "outflow (released, died)"
                      for m in c["measure"]])
    ax.set(title=title, ylabel="people per month")
    note = None if offsets[1] is not None else "no aggregate figure for the months between the snapshots"
    ax.legend(loc="upper left", fontsize=9, title=note, title_fontsize=9)
    add_source(fig, source, synthetic)
    return fig
