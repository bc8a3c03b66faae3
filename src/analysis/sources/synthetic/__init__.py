"""Synthetic person-level export with KNOWN truth, shaped like Viasna's list export (not real people).

Real person-level data is never committed; this generator produces a realistic stand-in on which every
person-level method (cleaning, survival, sentencing, stock series, export diffs) can be run and *checked*,
because the true parameters and the true individual histories are known. Every row carries the generator's
marker (:mod:`.marker`), which ``clean`` verifies before it hashes with the public synthetic key.

Public API (contract and model: docs/SYNTHETIC.md)
--------------------------------------------------
- :data:`SYNTHETIC_STAMP`   text that every plot/report built on synthetic data must show.
- :class:`SynthParams`      all parameters; each field's ``metadata["source"]`` says where its value comes from.
- :func:`calibrate`         ``(pp_counts, release_events[, base]) -> SynthParams`` (pure).
- :func:`default_params`    calibrate from the curated tables -- ONE place.
- :func:`generate`          ``(params, n=None, seed=0) -> (export DataFrame, truth dict)``.
- :func:`synthetic_pair`    ``(seed, n, date_old, date_new) -> (old export, new export, truth)``: two dated
  exports of one population with the true change class of every record and person.
- :func:`to_layout`         machine export -> localized ``ru`` / ``en`` label layout.
- :func:`export_bytes`, :func:`write_export`, :func:`truth_json`   deterministic writers.
- :func:`main`              CLI ``python -m analysis synth``.

Modules: ``params`` (parameters, vocabularies), ``calibration``, ``histories`` (latent case histories),
``recognition`` (late recognition), ``text`` + ``render`` (messy text, malformed rows), ``truth``,
``marker``, ``generate``, ``pair``, ``layout`` (layouts, writers), ``cli``.
"""

from __future__ import annotations

from analysis import SYNTHETIC_STAMP
from analysis.errors import DataError, UsageError
from analysis.sources.synthetic.calibration import calibrate, default_params
from analysis.sources.synthetic.cli import main
from analysis.sources.synthetic.generate import RECOGNISED_COLUMN, generate
from analysis.sources.synthetic.layout import export_bytes, layout_truth, to_layout, truth_json, write_export
from analysis.sources.synthetic.marker import MARKER_COLUMN
from analysis.sources.synthetic.pair import CHANGE_CLASSES, synthetic_pair
from analysis.sources.synthetic.params import (
    FAMILIES, FORMATS, FORMULA_TEXT, GARBAGE_ARTICLES, LAYOUTS, MACHINE_COLUMNS, MALFORMED_KINDS, NAME_EN, NAME_RU,
    UNPARSEABLE_DATES, URL_BASE, SynthParams,
)

__all__ = [
    "SYNTHETIC_STAMP", "SynthParams", "calibrate", "default_params", "generate", "synthetic_pair", "to_layout",
    "export_bytes", "write_export", "truth_json", "layout_truth", "main", "DataError", "UsageError",
    "MARKER_COLUMN", "RECOGNISED_COLUMN", "CHANGE_CLASSES", "FAMILIES", "FORMATS", "FORMULA_TEXT",
    "GARBAGE_ARTICLES", "LAYOUTS", "MACHINE_COLUMNS", "MALFORMED_KINDS", "NAME_EN", "NAME_RU",
    "UNPARSEABLE_DATES", "URL_BASE",
]
