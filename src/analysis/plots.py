"""One house style for every figure: readable sizes, colour-blind-safe colours, source line, event markers."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd

from analysis import SYNTHETIC_STAMP

# Okabe & Ito (2008) palette: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
FIGSIZE = (10, 5.5)
DPI = 110

STYLE = {
    "figure.figsize": FIGSIZE,
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "font.size": 12,
    "axes.titlesize": 14,
    "axes.labelsize": 12,
    "legend.fontsize": 10,
    "xtick.labelsize": 11,
    "ytick.labelsize": 11,
    "axes.prop_cycle": mpl.cycler(color=PALETTE),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "svg.hashsalt": "belarus-repression",  # stable SVG element ids → byte-identical files
    "svg.fonttype": "path",
    "path.simplify": True,
}


def use_style() -> None:
    """Apply the house style to matplotlib (call once at the top of a notebook)."""
    mpl.rcParams.update(STYLE)


def figure(nrows: int = 1, ncols: int = 1, **kwargs) -> tuple[plt.Figure, object]:
    """A new figure in the house style with room at the bottom for the source line."""
    use_style()
    fig, ax = plt.subplots(nrows, ncols, figsize=kwargs.pop("figsize", FIGSIZE), **kwargs)
    return fig, ax


def add_source(fig: plt.Figure, text: str, synthetic: bool = False) -> None:
    """Write 'Source: …' under the figure, and the synthetic-data stamp across it when needed."""
    fig.subplots_adjust(bottom=0.14)
    fig.text(0.01, 0.01, f"Source: {text}", fontsize=9, color="#444444", ha="left", va="bottom", wrap=True)
    if synthetic:
        stamp_synthetic(fig)


def stamp_synthetic(fig: plt.Figure) -> None:
    """Mark a figure made from synthetic data so it cannot be mistaken for real findings."""
    fig.text(0.5, 0.5, SYNTHETIC_STAMP, fontsize=26, color="#D55E00", alpha=0.25, rotation=20,
             ha="center", va="center", weight="bold", zorder=100)
    fig.text(0.99, 0.99, SYNTHETIC_STAMP, fontsize=10, color="#D55E00", ha="right", va="top", weight="bold")


def mark_events(ax, events: dict[str, str] | Iterable[tuple[str, str]], y_frac: float = 0.98) -> None:
    """Dashed vertical lines at event dates, labelled with short names (staggered to avoid overlap)."""
    items = sorted((pd.Timestamp(d), label) for label, d in (events.items() if isinstance(events, dict) else events))
    lo, hi = (mpl.dates.num2date(x).replace(tzinfo=None) for x in ax.get_xlim())
    for i, (when, label) in enumerate(items):
        if not lo <= when <= hi:
            continue
        ax.axvline(when, color="#555555", linestyle="--", linewidth=1, zorder=1)
        ax.annotate(label, xy=(when, y_frac - 0.07 * (i % 3)), xycoords=("data", "axes fraction"),
                    xytext=(3, 0), textcoords="offset points", fontsize=9, va="top", ha="left",
                    bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="none", alpha=0.8))


def save(fig: plt.Figure, name: str, outdir: Path) -> None:
    """Write PNG and SVG with fixed metadata so that rebuilding gives byte-identical files."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    png, svg = outdir / f"{name}.png", outdir / f"{name}.svg"
    fig.savefig(png, metadata={"Software": None}, bbox_inches="tight")
    fig.savefig(svg, metadata={"Date": None, "Creator": None}, bbox_inches="tight")
