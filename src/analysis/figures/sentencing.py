"""Figures of the sentencing and Article 411 report (notebooks/03_sentencing_and_article_411.ipynb).

House style of :mod:`analysis.plots`: ``plots.figure()``, a fixed figure size, colour-blind-safe palette,
readable labels, and a source line under every figure (``plots.add_source``) with the synthetic-data stamp
when ``synthetic=True``. Every function takes the tables made by :mod:`analysis.stats.sentencing` /
:mod:`analysis.stats.article411` and returns the Figure; saving is ``plots.save``'s job.
"""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis import plots
from analysis.clean.articles import FAMILY_PRIORITY, OTHER
from analysis.report import display_name

FAMILY_YEAR_FIGSIZE = (12, 7.5)
COEF_FIGSIZE = (10, 7.5)
GROUP_FIGSIZE = (10, 5.5)
SMALL_FIGSIZE = (10, 4.8)
TERM_NAMES = {"article_family": "family", "verdict_year": "verdict year", "gender": "gender",
              "detention_cohort": "detained in"}


def pretty(label) -> str:
    """'insult_of_officials' -> 'insult of officials' (the report-wide display names)."""
    return display_name(label)


def term_label(term: str, reference) -> str:
    """'article_family[T.extremism]' with reference 'protest' -> 'family: extremism (vs protest)'."""
    m = re.match(r"^(.*)\[T\.(.*)\]$", term)
    if not m:
        return "intercept (reference groups)" if term == "Intercept" else pretty(term)
    var, level = m.groups()
    ref = f" (vs {pretty(reference)})" if isinstance(reference, str) and reference else ""
    return f"{TERM_NAMES.get(var, pretty(var))}: {pretty(level)}{ref}"


def _no_data(ax, text: str) -> None:
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center", fontsize=12, color="#444444",
            wrap=True)
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ax.spines.values():
        side.set_visible(False)


def plot_family_year(summary: pd.DataFrame, source: str, title: str, family: str = "article_family",
                     year: str = "verdict_year", synthetic: bool = False) -> plt.Figure:
    """Small multiples, one panel per article family: median sentence by verdict year (line and dots), the
    interquartile range (band) and the 90th percentile (open triangles). Suppressed cells (small n) are
    left out, so a gap means too few records, not zero."""
    d = summary.loc[~summary["suppressed"].astype(bool)].copy()
    present = set(summary[family].dropna().astype(str))
    families = [f for f in FAMILY_PRIORITY if f in present and f != OTHER] + sorted(present - set(FAMILY_PRIORITY))
    families += [OTHER] if OTHER in present else []
    ncols = 3
    nrows = max(1, int(np.ceil(len(families) / ncols)))
    fig, axes = plots.figure(nrows, ncols, figsize=FAMILY_YEAR_FIGSIZE, sharex=True, sharey=True, squeeze=False)
    years = sorted(summary[year].dropna().astype(str).unique())
    xpos = {y: i for i, y in enumerate(years)}
    for ax, fam in zip(axes.flat, families):
        g = d.loc[d[family] == fam].copy()
        g["x"] = g[year].astype(str).map(xpos)
        g = g.sort_values("x")
        ax.fill_between(g["x"], g["q25"], g["q75"], color=plots.PALETTE[0], alpha=0.2, linewidth=0,
                        label="25th–75th percentile")
        ax.plot(g["x"], g["median"], color=plots.PALETTE[0], marker="o", markersize=5, linewidth=2, label="median")
        ax.scatter(g["x"], g["q90"], marker="^", facecolors="white", edgecolors=plots.PALETTE[3], s=30, zorder=3,
                   label="90th percentile")
        n = int(summary.loc[summary[family] == fam, "n"].sum())
        ax.set_title(f"{pretty(fam)} (n = {n:,})", fontsize=12)
    top = d[["q75", "q90", "median"]].max().max() if len(d) else 1.0
    axes.flat[0].set_ylim(0, 1.08 * top)  # shared y: after all panels are drawn, so no panel is cut off
    for ax in list(axes.flat)[len(families):]:
        ax.set_visible(False)
    for ax in axes.flat:
        ax.set_xticks(range(len(years)), years, rotation=45)
    for ax in axes[:, 0]:
        ax.set_ylabel("sentence (months)")
    if families:
        handles, labels = axes.flat[0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="upper right", ncols=3, frameon=False, bbox_to_anchor=(0.99, 0.955))
    else:
        _no_data(axes.flat[0], "no records to show")
    fig.suptitle(title, x=0.01, ha="left", fontsize=14)
    fig.supxlabel("year of verdict", fontsize=12, y=0.06)
    fig.subplots_adjust(top=0.86, hspace=0.45, wspace=0.08)
    plots.add_source(fig, source, synthetic)
    fig.subplots_adjust(bottom=0.17)
    return fig


def plot_coefficients(qr: pd.DataFrame, source: str, title: str, intercept: bool = False,
                      synthetic: bool = False) -> plt.Figure:
    """Quantile-regression coefficients (months relative to the reference groups) with their CIs, one colour
    per quantile, one row per term (the intercept is left out unless ``intercept``)."""
    d = qr if intercept else qr.loc[qr["term"] != "Intercept"]
    terms = list(dict.fromkeys(d["term"]))
    refs = d.drop_duplicates("term").set_index("term")["reference"]
    quantiles = sorted(d["quantile"].unique())
    fig, ax = plots.figure(figsize=COEF_FIGSIZE)
    if not terms:
        _no_data(ax, "no coefficients to show")
    step = 0.8 / max(len(quantiles), 1)
    for i, q in enumerate(quantiles):
        g = d.loc[d["quantile"] == q].set_index("term").reindex(terms)
        y = np.arange(len(terms)) - 0.4 + step * (i + 0.5)
        # a bootstrap percentile CI need not contain the point estimate: clip, never draw a negative whisker
        err = np.vstack([g["estimate"] - g["ci_low"], g["ci_high"] - g["estimate"]]).astype(float)
        ax.errorbar(g["estimate"], y, xerr=np.clip(np.nan_to_num(err), 0, None), fmt="o", markersize=5, capsize=2,
                    color=plots.PALETTE[i % len(plots.PALETTE)], label=f"{q:.0%} quantile")
    ax.axvline(0, color="#555555", linewidth=1)
    ax.set_yticks(range(len(terms)), [term_label(t, refs.get(t)) for t in terms])
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    ax.set(title=title, xlabel="difference in sentence (months), 95% CI", ylabel="")
    if terms:
        ax.legend(loc="lower right")
    plots.add_source(fig, source, synthetic)
    fig.subplots_adjust(left=0.36, bottom=0.15)
    return fig


def plot_group_quantiles(summary: pd.DataFrame, group: str, source: str, title: str, hue: str | None = None,
                         xlabel: str = "", synthetic: bool = False) -> plt.Figure:
    """Median sentence per group with its bootstrap 95% CI (dot and whiskers), the interquartile range
    (thick pale bar) and the 90th percentile (open triangle); ``hue`` splits each group side by side.
    Suppressed cells are left out and their group keeps its place."""
    d = summary.copy()
    levels = sorted(d[group].dropna().astype(str).unique())
    hues = sorted(d[hue].dropna().astype(str).unique()) if hue else [None]
    fig, ax = plots.figure(figsize=GROUP_FIGSIZE)
    width = 0.7 / len(hues)
    for i, h in enumerate(hues):
        g = d if h is None else d.loc[d[hue].astype(str) == h]
        g = g.loc[~g["suppressed"].astype(bool)]
        x = g[group].astype(str).map({v: j for j, v in enumerate(levels)}) - 0.35 + width * (i + 0.5)
        colour = plots.PALETTE[i % len(plots.PALETTE)]
        ax.vlines(x, g["q25"], g["q75"], color=colour, alpha=0.3, linewidth=10)
        err = np.vstack([g["median"] - g["median_ci_low"], g["median_ci_high"] - g["median"]]).astype(float)
        # a percentile CI need not contain the point estimate: clip, never draw a negative whisker
        ax.errorbar(x, g["median"], yerr=np.clip(np.nan_to_num(err), 0, None), fmt="o", color=colour, capsize=3, markersize=6,
                    label="median, 95% CI" if h is None else f"{pretty(h)}: median, 95% CI")
        ax.scatter(x, g["q90"], marker="^", facecolors="white", edgecolors=colour, s=36, zorder=3)
    ax.plot([], [], color="#777777", alpha=0.3, linewidth=10, label="25th–75th percentile")
    ax.scatter([], [], marker="^", facecolors="white", edgecolors="#555555", s=36, label="90th percentile")
    ax.set_xticks(range(len(levels)), [pretty(v) for v in levels])
    ax.set(title=title, xlabel=xlabel, ylabel="sentence (months)")
    shown = d.loc[~d["suppressed"].astype(bool), ["q75", "q90", "median_ci_high"]].max().max()
    ax.set_ylim(0, 1.35 * shown if pd.notna(shown) and shown > 0 else 1)  # head room for the legend
    ax.legend(loc="upper left", ncols=2)
    plots.add_source(fig, source, synthetic)
    return fig


def plot_art411_curated(figures: pd.DataFrame, source: str, title: str,
                        metrics: dict[str, str] | None = None, synthetic: bool = False) -> plt.Figure:
    """Cumulative curated counts (e.g. people with a new Art. 411 case) as dated points joined by dotted
    lines, each labelled with its value; hollow points are lower bounds ('at least'). The dotted line only
    guides the eye: nothing is known between two published figures."""
    metrics = metrics or {m: m for m in figures["metric"].unique()}
    fig, ax = plots.figure(figsize=SMALL_FIGSIZE)
    d = figures.loc[figures["metric"].isin(metrics) & figures["as_of_date"].notna()]
    if d.empty:
        _no_data(ax, "no dated figures")
    for i, (metric, label) in enumerate(metrics.items()):
        g = d.loc[d["metric"] == metric].sort_values("as_of_date")
        if g.empty:
            continue
        colour = plots.PALETTE[i % len(plots.PALETTE)]
        lower = (g["qualifier"] == "at_least").to_numpy()
        ax.plot(g["as_of_date"], g["value"], linestyle=":", color=colour, linewidth=1.5)
        ax.scatter(g["as_of_date"][~lower], g["value"][~lower], color=colour, s=50, zorder=3)
        ax.scatter(g["as_of_date"][lower], g["value"][lower], facecolors="white", edgecolors=colour, s=60,
                   linewidths=2, zorder=3)
        ax.plot([], [], marker="o", linestyle=":", color=colour, markerfacecolor="white", label=label)
        for when, value, low in zip(g["as_of_date"], g["value"], lower):
            ax.annotate(f"{'≥' if low else ''}{value:,.0f}", (when, value), xytext=(6, 4),
                        textcoords="offset points", fontsize=10, color=colour)
    if not d.empty:
        lo, hi = d["as_of_date"].min(), d["as_of_date"].max()
        pad = max(pd.Timedelta(days=60), (hi - lo) * 0.15)
        ax.set_xlim(lo - pad, hi + pad)
        ax.set_ylim(0, d["value"].max() * 1.25)
    ax.set(title=title, ylabel="people (cumulative)", xlabel="date of the figure")
    ax.legend(loc="upper left", fontsize=9, title="hollow = lower bound ('at least')", title_fontsize=9)
    plots.add_source(fig, source, synthetic)
    fig.subplots_adjust(bottom=0.2)
    return fig


def plot_extension_gaps(extensions: pd.DataFrame, source: str, title: str, bin_months: int = 3,
                        synthetic: bool = False) -> plt.Figure | None:
    """Histogram of inferred Art. 411 extensions: months from the original expected release to the 411
    verdict (negative = verdict while the original term was still running). With no inferred extension
    with a known gap there is nothing to draw: returns None, and the report says so in words."""
    gaps = extensions["gap_months"].dropna().to_numpy(dtype=float) if len(extensions) else np.array([])
    if len(gaps) == 0:
        return None
    fig, ax = plots.figure(figsize=SMALL_FIGSIZE)
    lo = bin_months * np.floor(gaps.min() / bin_months)
    hi = bin_months * (np.floor(gaps.max() / bin_months) + 1)
    ax.hist(gaps, bins=np.arange(lo, hi + bin_months, bin_months), color=plots.PALETTE[0], edgecolor="white")
    ax.axvline(0, color=plots.PALETTE[3], linestyle="--", linewidth=1.5)
    ax.annotate("original expected release", xy=(0, 0.97), xycoords=("data", "axes fraction"),
                xytext=(4, 0), textcoords="offset points", fontsize=9, va="top", color=plots.PALETTE[3])
    ax.set(xlabel="months from the original expected release to the Art. 411 verdict",
           ylabel="inferred extensions")
    ax.set_title(title)
    plots.add_source(fig, source, synthetic)
    return fig
