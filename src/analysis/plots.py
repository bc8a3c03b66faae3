"""One house style for every figure: readable sizes, colour-blind-safe colours, source line, event markers."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.collections import Collection
from matplotlib.figure import Figure

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
    # only the font shipped inside matplotlib, so no machine's system fonts (or glyph fallback) change a pixel
    "font.family": ["DejaVu Sans"],
    "mathtext.fontset": "dejavusans",
    "svg.hashsalt": "belarus-repression",  # stable SVG element ids → byte-identical files
    "svg.fonttype": "path",
    "path.simplify": True,
}


# Plotted data are rounded to this many significant digits when a figure is drawn (see SteadyFigure).
DATA_DIGITS = 10


def use_style() -> None:
    """Apply the house style to matplotlib, and give figures shown in a notebook their alt text."""
    mpl.rcParams.update(STYLE)
    _show_with_alt_text()


TINY = 1e-250


def _round(values: np.ndarray) -> np.ndarray:
    """Float values rounded to DATA_DIGITS significant digits (NaN and inf unchanged)."""
    v = np.asarray(values, dtype=float)
    out = v.copy()
    out[np.abs(v) < TINY] = 0.0  # below any plotted value; 10**(digits - log10|v|) would overflow
    finite = np.isfinite(out) & (out != 0)
    if not finite.any():
        return out
    v = out
    scale = 10.0 ** (DATA_DIGITS - 1 - np.floor(np.log10(np.abs(v[finite]))))
    out[finite] = np.round(v[finite] * scale) / scale
    return out


class SteadyFigure(Figure):
    """A Figure that rounds its lines', markers' and bands' data before drawing.

    Why: model fits give values that differ in the last bits from one machine to the next (OpenBLAS picks
    its kernel by CPU, numpy its SIMD maths), and that moved anti-aliased edges: a forced rebuild on
    another machine changed 17 pixels of segmented_trend.png (OPENBLAS_CORETYPE=Haswell reproduces it
    here) and 4 of exit_routes.png. Rounded to DATA_DIGITS significant digits, such noise cannot reach a
    pixel, and the figure is byte-identical across machines.
    """

    def draw(self, renderer):
        for ax in self.axes:
            # limits autoscaled from unrounded data would carry the noise into every coordinate
            ax.set_xlim(*_round(ax.get_xlim()), auto=None)
            ax.set_ylim(*_round(ax.get_ylim()), auto=None)
            for line in ax.get_lines():
                x, y = line.get_xdata(orig=True), line.get_ydata(orig=True)
                if np.asarray(y).dtype.kind == "f":
                    line.set_ydata(_round(y))
                if np.asarray(x).dtype.kind == "f":
                    line.set_xdata(_round(x))
            for coll in ax.findobj(Collection):
                for path in coll.get_paths():
                    if path.vertices.dtype.kind == "f" and path.vertices.flags.writeable:
                        path.vertices[:] = _round(path.vertices)
                offsets = coll.get_offsets()
                if len(offsets) and np.asarray(offsets).dtype.kind == "f":
                    coll.set_offsets(_round(offsets))
        super().draw(renderer)


def describe(fig: Figure) -> str:
    """Alt text of a figure from what it says: its titles and the first axis labels."""
    titles = [fig.get_suptitle()] + [ax.get_title() for ax in fig.axes]
    titles = [t for i, t in enumerate(titles) if t and t not in titles[:i]]
    labelled = next((ax for ax in fig.axes if ax.get_ylabel() or ax.get_xlabel()), None)
    axes = []
    if labelled is not None:
        axes += [f"vertical axis: {labelled.get_ylabel()}"] if labelled.get_ylabel() else []
        axes += [f"horizontal axis: {labelled.get_xlabel()}"] if labelled.get_xlabel() else []
    text = "Chart: " + ("; ".join(titles[:4]) if titles else "untitled")
    return text + (f" ({', '.join(axes)})" if axes else "")


def is_empty(fig: Figure) -> bool:
    """True when no axes of the figure holds data (only titles, labels or a 'no data' note)."""
    return bool(fig.axes) and not any(ax.has_data() for ax in fig.axes)


def _show_with_alt_text() -> None:
    """In a notebook, store alt text (and whether the figure is empty) with each figure's PNG output.

    The site (analysis.site) reads it: a figure gets `alt`, an empty figure is replaced by a sentence.
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    formatters = getattr(getattr(shell, "display_formatter", None), "formatters", None) or {}
    if "image/png" not in formatters:
        return
    import matplotlib_inline.backend_inline  # noqa: F401  (sets up inline figures first, so ours wraps theirs)

    formatter = formatters["image/png"]
    try:
        inner = formatter.lookup_by_type(Figure)
    except KeyError:
        return
    if getattr(inner, "with_alt_text", False):
        return

    def png_with_alt_text(fig):
        data = inner(fig)
        if data is None:
            return None
        meta = {"alt": describe(fig)}
        if is_empty(fig):
            meta["empty"] = True
        return data, meta

    png_with_alt_text.with_alt_text = True
    formatter.for_type(Figure, png_with_alt_text)


def figure(nrows: int = 1, ncols: int = 1, **kwargs) -> tuple[plt.Figure, object]:
    """A new figure in the house style with room at the bottom for the source line."""
    use_style()
    fig, ax = plt.subplots(nrows, ncols, figsize=kwargs.pop("figsize", FIGSIZE), FigureClass=SteadyFigure, **kwargs)
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


def has_stamp(fig: plt.Figure) -> bool:
    """True when the figure already carries the synthetic-data stamp."""
    return any(t.get_text() == SYNTHETIC_STAMP for t in fig.texts)


def save(fig: plt.Figure, name: str, outdir: Path, synthetic: bool = False) -> None:
    """Write PNG and SVG with fixed metadata so that rebuilding gives byte-identical files.

    With `synthetic` the stamp is added if the figure does not carry it yet: the one place that makes sure
    no figure drawn from synthetic rows leaves without it.
    """
    if synthetic and not has_stamp(fig):
        stamp_synthetic(fig)
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    png, svg = outdir / f"{name}.png", outdir / f"{name}.svg"
    fig.savefig(png, metadata={"Software": None}, bbox_inches="tight")
    fig.savefig(svg, metadata={"Date": None, "Creator": None}, bbox_inches="tight")
